"""The position register (/stillinger/), a position's history, and the forms that change it."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.models import Person
from veiviser.core.services import save_person
from veiviser.rules.workforce import WorkforceData
from veiviser.rules.workforce_timeline import build_timeline, render_svg
from veiviser.web.forms import apply_errors as _apply_errors
from veiviser.workforce.access import (
    get_occupancy_for_user,
    get_position_for_user,
    get_posting_for_user,
    selection,
)
from veiviser.workforce.figures import timeline_labels
from veiviser.workforce.forms import (
    CloseOccupancyForm,
    ExitInterviewForm,
    OccupancyForm,
    PostingForm,
    person_candidates,
)
from veiviser.workforce.loader import PERSON_PREFIX, load_for_user, rows_from_objects
from veiviser.workforce.models import ExitInterview, Occupancy, OccupancyRole, Posting
from veiviser.workforce.services import (
    can_manage,
    close_occupancy,
    save_exit_interview,
    save_occupancy,
    save_posting,
)

REGISTER_FILTERS = ("kommune", "region", "program", "type", "status", "dato")
PAGE_SIZE = 50


def _person_pk(key: str) -> int:
    return int(key.removeprefix(PERSON_PREFIX))


def _status(data: WorkforceData, position: Any, at: date) -> tuple[str, str, str | None, bool]:
    """(status key, label, holder key, locum) of a position on ``at``."""
    if position.created > at:
        return "not_existing", _("Ikke opprettet"), None, False
    if not position.exists_on(at):
        return "closed", _("Nedlagt"), None, False
    holder = data.holder_on(position, at)
    locum = data.locum_on(position, at)
    if holder is not None:
        label = _("Bemannet, vikar for innehaver") if locum else _("Bemannet")
        return "staffed", label, holder.person_id, locum
    return "vacant", _("Ledig, betjent av vikar") if locum else _("Ledig"), None, locum


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    """Every position the user may read, with its status on the chosen date."""
    sel = selection(request, REGISTER_FILTERS)
    context: dict[str, Any] = {"form": sel.form, "today": sel.today, "page_obj": None}
    if not sel.valid:
        return render(request, "workforce/position_list.html", context, status=400)
    at: date = sel.get("dato")
    status_filter = sel.get("status")
    loaded = load_for_user(
        request.user,
        municipality_ids=sel.municipality_ids,
        programme=sel.programme,
        kinds=sel.kinds,
    )
    data = WorkforceData(loaded.positions, loaded.occupancies)
    pks = loaded.position_ids
    rows = []
    for position in data.select(loaded.filter):
        state, label, holder, locum = _status(data, position, at)
        if status_filter == "open" and not position.exists_on(at):
            continue
        if status_filter == "closed" and state != "closed":
            continue
        rows.append(
            {
                "pk": pks[position.position_id],
                "position": position,
                "municipality": sel.names.get(position.municipality, position.municipality),
                "state": state,
                "label": label,
                "holder": holder,
                "locum": locum,
                "badge": {"staffed": "met", "vacant": "not_met"}.get(state, "info"),
            }
        )
    if request.GET.get("format") == "csv":
        return _register_csv(request, rows, at)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    holder_pks = [_person_pk(r["holder"]) for r in page if r["holder"]]
    names = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in=holder_pks).only("given_name", "family_name")
    }
    for row in page:
        row["holder_name"] = names.get(_person_pk(row["holder"])) if row["holder"] else None
    totals = data.positions_at(at, loaded.filter)
    context.update(
        {
            "page_obj": page,
            "at": at,
            "totals": totals,
            "count": len(rows),
            "can_import": bool(can_manage_any(request.user)),
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "workforce/position_list.html", context)


def can_manage_any(user: Any) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.managed_municipality_ids)


def _register_csv(request: HttpRequest, rows: list[dict[str, Any]], at: date) -> HttpResponse:
    people = {
        p.pk: p.full_name
        for p in Person.objects.filter(
            pk__in=[_person_pk(r["holder"]) for r in rows if r["holder"]]
        ).only("given_name", "family_name")
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "kommunenummer",
            "kommune",
            "stilling",
            "legekontor",
            "type",
            "driftsform",
            "program",
            "opprettet",
            "nedlagt",
            f"status {at.isoformat()}",
            "vikar",
            "innehaver",
        ]
    )
    for row in rows:
        p = row["position"]
        writer.writerow(
            [
                p.municipality,
                row["municipality"],
                p.position_id,
                p.office or "",
                p.kind,
                p.form,
                p.programme or "",
                p.created.isoformat(),
                p.closed.isoformat() if p.closed else "",
                row["state"],
                "ja" if row["locum"] else "nei",
                people.get(_person_pk(row["holder"]), "") if row["holder"] else "",
            ]
        )
    record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="core.Position",
        summary=_("Stillingsregister som CSV (%(n)s stillinger)") % {"n": len(rows)},
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stillinger-{at.isoformat()}.csv"'
    return response


@login_required
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A position's history: holders (with their ordinal) and locums, postings, interviews."""
    position = get_position_for_user(request.user, pk)
    manager = can_manage(request.user, position.municipality_id)
    occupancies = list(
        Occupancy.objects.filter(position=position)
        .select_related("person", "exit_interview")
        .order_by("start", "id")
    )
    position_row, rows = rows_from_objects(position, occupancies)
    data = WorkforceData([position_row], rows)
    ordinals = data.ordinals(position_row.position_id)
    today = request_today()
    holders, locums = [], []
    for occupancy in occupancies:
        interview = getattr(occupancy, "exit_interview", None) if manager else None
        item = {
            "o": occupancy,
            "ordinal": ordinals.get(f"{PERSON_PREFIX}{occupancy.person_id}"),
            "current": occupancy.covers(today),
            "interview": interview,
            "days": ((occupancy.end or today) - occupancy.start).days + 1,
        }
        (holders if occupancy.role == OccupancyRole.HOLDER else locums).append(item)
    state, label, _holder, locum = _status(data, position_row, today)
    first = min([position.created, *(o.start for o in occupancies)])
    start = max(first, date(today.year - 15, 1, 1))
    matrix = build_timeline(
        [position_row],
        rows,
        start,
        today,
        data_until=today,
        municipality_names={position.municipality.number: position.municipality.name},
    )
    svg = render_svg(
        matrix, id_prefix=f"position-{position.pk}", title=_("Historikk"), labels=timeline_labels()
    )
    return render(
        request,
        "workforce/position_detail.html",
        {
            "position": position,
            "holders": holders,
            "locums": locums,
            "postings": list(position.postings.all()),
            "can_manage": manager,
            "state": state,
            "state_label": label,
            "state_badge": {"staffed": "met", "vacant": "not_met"}.get(state, "info"),
            "locum_now": locum,
            "timeline_svg": mark_safe(svg),  # noqa: S308 - built by render_svg, every text escaped
            "today": today,
        },
    )


def request_today() -> date:
    return timezone.localdate()


def _form_page(
    request: HttpRequest, form: Any, title: str, position: Any, *, lead: str = ""
) -> HttpResponse:
    return render(
        request,
        "workforce/form_page.html",
        {"form": form, "title": title, "position": position, "lead": lead},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def occupancy_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a new holder or a locum for a position (managers)."""
    position = get_position_for_user(request.user, pk, manage=True)
    role = OccupancyRole.LOCUM if request.GET.get("rolle") == "locum" else OccupancyRole.HOLDER
    form = OccupancyForm(
        request.POST or None,
        candidates=person_candidates(request.user, position.municipality),
        initial={"role": role},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                occupancy = form.save(commit=False)
                occupancy.position = position
                if occupancy.person_id is None:
                    occupancy.person = save_person(
                        person=Person(
                            given_name=form.cleaned_data["given_name"].strip(),
                            family_name=form.cleaned_data["family_name"].strip(),
                            is_doctor=True,
                            home_municipality=position.municipality,
                        ),
                        by=request.user,
                    )
                save_occupancy(occupancy=occupancy, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Lagret."))
            return redirect("position_detail", pk=position.pk)
    title = _("Ny vikar") if role == OccupancyRole.LOCUM else _("Ny innehaver")
    return _form_page(request, form, f"{title}: {position.external_id}", position)


@login_required
def occupancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a holder or locum row (managers)."""
    occupancy = get_occupancy_for_user(request.user, pk, manage=True)
    position = occupancy.position
    form = OccupancyForm(
        request.POST or None,
        instance=occupancy,
        candidates=person_candidates(request.user, position.municipality),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_occupancy(occupancy=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("position_detail", pk=position.pk)
    return _form_page(
        request, form, _("Endre %(what)s") % {"what": occupancy.person.full_name}, position
    )


@login_required
def occupancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A holder or locum leaves: last day, reason, next work; optionally the exit interview."""
    occupancy = get_occupancy_for_user(request.user, pk, manage=True)
    position = occupancy.position
    form = CloseOccupancyForm(
        request.POST or None,
        occupancy=occupancy,
        initial={"end": occupancy.end or request_today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            close_occupancy(
                occupancy=occupancy,
                end=data["end"],
                end_reason=data.get("end_reason") or "",
                next_work=data.get("next_work") or "",
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Sluttdatoen er lagret."))
            if data.get("exit_interview"):
                return redirect("exit_interview_edit", pk=occupancy.pk)
            return redirect("position_detail", pk=position.pk)
    return _form_page(
        request,
        form,
        _("%(name)s slutter") % {"name": occupancy.person.full_name},
        position,
        lead=_("Siste dag er den siste dagen legen arbeider i stillingen."),
    )


@login_required
def exit_interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The exit interview of a holder who leaves (managers only; never shown one by one to
    anyone else)."""
    occupancy = get_occupancy_for_user(request.user, pk, manage=True)
    position = occupancy.position
    interview = ExitInterview.objects.filter(occupancy=occupancy).first() or ExitInterview(
        occupancy=occupancy, held_on=occupancy.end or request_today()
    )
    form = ExitInterviewForm(request.POST or None, instance=interview)
    if request.method == "POST" and form.is_valid():
        try:
            save_exit_interview(interview=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Sluttintervjuet er lagret."))
            return redirect("position_detail", pk=position.pk)
    return _form_page(
        request,
        form,
        _("Sluttintervju med %(name)s") % {"name": occupancy.person.full_name},
        position,
        lead=_(
            "Årsakene telles bare sammen med andres, og aldri i grupper på færre enn 5. "
            "Notatene vises bare for kommunens ledere og koordinatorer."
        ),
    )


@login_required
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request.user, pk, manage=True)
    form = PostingForm(request.POST or None, initial={"published": request_today()})
    if request.method == "POST" and form.is_valid():
        posting = form.save(commit=False)
        posting.position = position
        try:
            save_posting(posting=posting, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Utlysningen er lagret."))
            return redirect("position_detail", pk=position.pk)
    return _form_page(
        request, form, _("Ny utlysning: %(id)s") % {"id": position.external_id}, position
    )


@login_required
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting: Posting = get_posting_for_user(request.user, pk, manage=True)
    form = PostingForm(request.POST or None, instance=posting)
    if request.method == "POST" and form.is_valid():
        try:
            save_posting(posting=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Utlysningen er lagret."))
            return redirect("position_detail", pk=posting.position_id)
    return _form_page(
        request,
        form,
        _("Endre utlysning %(date)s") % {"date": posting.published.strftime("%d.%m.%Y")},
        posting.position,
    )
