"""The workspace of a municipality's yearly cycle: the nine activities in three steps with the
chosen tasks, the year at a glance, the five success criteria; the template; the tasks."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality
from veiviser.cycle.access import (
    can_comment,
    can_manage,
    get_cycle_municipality,
    get_evidence,
    get_task,
    require_reader,
)
from veiviser.cycle.forms import CommentForm, EvidenceForm, StatusForm, TaskForm, TemplateForm
from veiviser.cycle.models import CycleComment, CycleTask, SelfAssessment, TaskStatus
from veiviser.cycle.querysets import reader_ids
from veiviser.cycle.services import (
    add_comment,
    add_evidence,
    save_task,
    set_status,
    start_from_template,
)
from veiviser.cycle.views.common import bound_data
from veiviser.rules import recruit_retain as rr
from veiviser.training.forms_goals import EVIDENCE_TYPES
from veiviser.web.forms import apply_errors

OPEN = (TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)
STATE_BADGE = {  # labels marked for extraction; translated in _badge
    "overdue": ("not_met", gettext_noop("Forfalt")),
    "due": ("warning", gettext_noop("Denne måneden")),
    "upcoming": ("recommended", gettext_noop("Planlagt")),
    "done": ("met", gettext_noop("Utført")),
    "skipped": ("info", gettext_noop("Hoppet over")),
}


def _badge(state: str) -> dict[str, str]:
    status, label = STATE_BADGE[state]
    return {"status": status, "label": _(label)}


def _task_row(task: CycleTask, today: Any) -> dict[str, Any]:
    state = rr.task_state(task.due, task.status, today)
    return {"task": task, "state": state, "badge": _badge(state)}


def current_tasks(municipality: Municipality, today: Any) -> list[CycleTask]:
    """The cycle as it stands: every open occurrence, and those due or done this year."""
    return list(
        CycleTask.objects.filter(municipality=municipality)
        .filter(Q(status__in=OPEN) | Q(due__year=today.year) | Q(completed_on__year=today.year))
        .select_related("responsible_person")
        .annotate(evidence_count=Count("evidence"))
        .order_by("activity", "due", "title", "id")
    )


def year_map(tasks: list[CycleTask], today: Any) -> list[dict[str, Any]]:
    """The current year month by month: how many tasks fall due, and how they stand."""
    months: list[dict[str, Any]] = []
    per_month: dict[int, list[str]] = defaultdict(list)
    for task in tasks:
        if task.due.year == today.year:
            per_month[task.due.month].append(rr.task_state(task.due, task.status, today))
    for month in range(1, 13):
        states = per_month.get(month, [])
        if not states:
            status, label = "", _("ingen oppgaver")
        elif "overdue" in states:
            status, label = "not_met", _("forfalt")
        elif all(s in ("done", "skipped") for s in states):
            status, label = "met", _("utført")
        else:
            status, label = "planned", _("planlagt")
        months.append(
            {
                "name": MONTHS_3[month],  # Django's translated "jan" … "des"
                "count": len(states),
                "status": status,
                "label": label,
                "current": month == today.month,
            }
        )
    return months


def series_rows(tasks: list[CycleTask], today: Any) -> list[dict[str, Any]]:
    """One row per recurring task (series): the occurrence that matters now — the earliest open
    one due by the end of this year, else this year's last done or skipped one, else the next
    open one — with the next occurrence and how many were done this year."""
    groups: dict[Any, list[CycleTask]] = defaultdict(list)
    for task in tasks:  # ordered by activity, due
        groups[task.series].append(task)
    rows = []
    for occurrences in groups.values():
        open_ = [t for t in occurrences if t.status in OPEN]
        this_year = [t for t in occurrences if t.due.year <= today.year]
        current = next((t for t in open_ if t.due.year <= today.year), None)
        if current is None:
            closed = [t for t in this_year if t.status not in OPEN]
            current = closed[-1] if closed else open_[0]
        row = _task_row(current, today)
        row["next"] = next((t.due for t in open_ if t.due > current.due), None)
        row["done_this_year"] = sum(
            1
            for t in occurrences
            if t.status == TaskStatus.DONE and t.completed_on and t.completed_on.year == today.year
        )
        row["open_count"] = sum(1 for t in open_ if t.due.year <= today.year)
        rows.append(row)
    rows.sort(key=lambda r: (r["task"].activity, r["task"].due, r["task"].title))
    return rows


@login_required
def cycle_overview(request: HttpRequest) -> HttpResponse:
    """The municipalities whose cycle the user follows: started or not, overdue, last
    self-assessment."""
    require_reader(request.user)
    scope = scope_for(request.user)
    today = timezone.localdate()
    readable = reader_ids(scope)
    qs = (
        Municipality.objects.all()
        if readable is None
        else Municipality.objects.filter(pk__in=readable)
    )
    qs = qs.annotate(
        task_count=Count("cycle_tasks", distinct=True),
        overdue=Count(
            "cycle_tasks",
            filter=Q(cycle_tasks__status__in=OPEN, cycle_tasks__due__lt=rr.month_start(today)),
            distinct=True,
        ),
        last_assessment=Max("cycle_assessments__year"),
    )
    if readable is None:
        qs = qs.filter(task_count__gt=0)  # national and administrators: the started ones
    rows = list(qs.order_by("-task_count", "name")[:400])
    return render(request, "cycle/overview.html", {"rows": rows, "today": today})


@login_required
def cycle_workspace(request: HttpRequest, number: str) -> HttpResponse:
    """The nine activities with the municipality's tasks, the year at a glance and the five
    success criteria (with the latest self-assessment)."""
    municipality = get_cycle_municipality(request.user, number)
    today = timezone.localdate()
    tasks = current_tasks(municipality, today)
    counts = {"overdue": 0, "due": 0, "done": 0, "open": 0}
    for task in tasks:
        state = rr.task_state(task.due, task.status, today)
        if state in ("overdue", "due"):
            counts[state] += 1
        if state == "done" and task.completed_on and task.completed_on.year == today.year:
            counts["done"] += 1
        if task.status in OPEN:
            counts["open"] += 1
    by_activity: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in series_rows(tasks, today):
        by_activity[row["task"].activity].append(row)
    steps = [
        {
            "key": key,
            "name": _(name),
            "activities": [
                {"activity": a, "rows": by_activity.get(a.number, [])}
                for a in rr.activities_of(key)
            ],
        }
        for key, name in rr.STEPS
    ]
    latest = list(
        SelfAssessment.objects.filter(municipality=municipality)
        .order_by("-year")
        .values_list("year", "item", "score")[: len(rr.ITEMS) * 2]
    )
    latest_year = latest[0][0] if latest else None
    scores = {item: score for year, item, score in latest if year == latest_year}
    criteria = [{"criterion": c, "score": scores.get(c.code)} for c in rr.CRITERIA]
    comments = list(CycleComment.objects.filter(municipality=municipality)[:5])
    manager = can_manage(request.user, municipality.pk)
    return render(
        request,
        "cycle/workspace.html",
        {
            "municipality": municipality,
            "today": today,
            "steps": steps,
            "counts": counts,
            "months": year_map(tasks, today),
            "criteria": criteria,
            "latest_year": latest_year,
            "activity_scores": {a.code: scores.get(a.code) for a in rr.ACTIVITIES},
            "comments": comments,
            "can_manage": manager,
            "can_comment": can_comment(request.user, municipality.pk),
            "comment_form": CommentForm(),
            "started": bool(tasks) or CycleTask.objects.filter(municipality=municipality).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_template(request: HttpRequest, number: str) -> HttpResponse:
    """ "Start med malen": the seeds' recommendations as tasks; the municipality keeps those it
    wants (the ones it already has are left out)."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    today = timezone.localdate()
    present = set(
        CycleTask.objects.filter(municipality=municipality)
        .exclude(template_key="")
        .values_list("template_key", flat=True)
    )
    available = [t for t in rr.TEMPLATE if t.key not in present]
    form = TemplateForm(bound_data(request), initial={"tasks": [t.key for t in available]})
    form.fields["tasks"].choices = [(t.key, t.title) for t in available]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            created = start_from_template(
                municipality=municipality, keys=form.cleaned_data["tasks"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("%(n)s oppgaver er lagt inn i årshjulet.") % {"n": len(created)}
            )
            return redirect("cycle_workspace", number=municipality.number)
    rows = [
        {
            "task": t,
            "activity": rr.activity(t.activity),
            "due": rr.template_due(t, today),
            "interval": _(dict(rr.INTERVALS)[t.interval_months]),
        }
        for t in available
    ]
    return render(
        request,
        "cycle/template.html",
        {"municipality": municipality, "form": form, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


def _task_form_page(
    request: HttpRequest, municipality: Municipality, form: Any, task: CycleTask | None
) -> HttpResponse:
    return render(
        request,
        "cycle/task_form.html",
        {"municipality": municipality, "form": form, "task": task},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_task_create(request: HttpRequest, number: str) -> HttpResponse:
    """A task of the municipality's own for an activity."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    initial: dict[str, Any] = {"due": rr.add_months(timezone.localdate(), 1)}
    if (activity := request.GET.get("aktivitet", "")).isascii() and activity.isdigit():
        initial["activity"] = int(activity)
    form = TaskForm(bound_data(request), initial=initial, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.municipality = municipality
        try:
            save_task(task=task, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Oppgaven er lagt til."))
            return redirect("cycle_workspace", number=municipality.number)
    return _task_form_page(request, municipality, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_task_edit(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    municipality = get_cycle_municipality(request.user, number, manage=True)
    task = get_task(municipality, pk)
    form = TaskForm(bound_data(request), instance=task, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            save_task(task=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Oppgaven er lagret."))
            return redirect("cycle_task_detail", number=municipality.number, pk=task.pk)
    return _task_form_page(request, municipality, form, task)


def _detail(
    request: HttpRequest,
    municipality: Municipality,
    task: CycleTask,
    *,
    status_form: Any = None,
    evidence_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    history = [
        _task_row(t, today)
        for t in CycleTask.objects.filter(series=task.series)
        .annotate(evidence_count=Count("evidence"))
        .order_by("-due")
    ]
    manager = can_manage(request.user, municipality.pk)
    return render(
        request,
        "cycle/task_detail.html",
        {
            "municipality": municipality,
            "task": task,
            "row": _task_row(task, today),
            "activity": rr.activity(task.activity),
            "evidence": list(task.evidence.all()),
            "history": history,
            "can_manage": manager,
            "status_form": status_form
            or (StatusForm(initial={"status": "done"}) if manager else None),
            "evidence_form": evidence_form or (EvidenceForm() if manager else None),
        },
        status=status,
    )


@login_required
def cycle_task_detail(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A task: what, who, when, its evidence and its occurrences over the years."""
    municipality = get_cycle_municipality(request.user, number)
    return _detail(request, municipality, get_task(municipality, pk))


@login_required
@require_POST
def cycle_task_status(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Mark a task done (rolls it over), in progress, skipped or planned again."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    task = get_task(municipality, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            set_status(
                task=task,
                status=form.cleaned_data["status"],
                completed_on=form.cleaned_data.get("completed_on"),
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Status er oppdatert."))
            if request.POST.get("next") == "workspace":
                return redirect("cycle_workspace", number=municipality.number)
            return redirect("cycle_task_detail", number=municipality.number, pk=task.pk)
    task.refresh_from_db()
    return _detail(request, municipality, task, status_form=form, status=400)


@login_required
@require_POST
def cycle_evidence_add(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Attach a note, a link or a file to a task."""
    municipality = get_cycle_municipality(request.user, number, manage=True)
    task = get_task(municipality, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_evidence(
                task=task,
                by=request.user,
                text=form.cleaned_data.get("text") or "",
                link=form.cleaned_data.get("link") or "",
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Dokumentasjonen er lagret."))
            return redirect("cycle_task_detail", number=municipality.number, pk=task.pk)
    return _detail(request, municipality, task, evidence_form=form, status=400)


@login_required
def cycle_evidence_file(request: HttpRequest, number: str, pk: int, ev: int) -> HttpResponse:
    """An evidence file, to anyone who may read the cycle (never through MEDIA_URL)."""
    municipality = get_cycle_municipality(request.user, number)
    item = get_evidence(get_task(municipality, pk), ev)
    ext = PurePath(item.file.name or "").suffix.lower()
    if not item.file or ext not in EVIDENCE_TYPES:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=EVIDENCE_TYPES[ext][0],
        filename=f"arshjul-{municipality.number}-dokumentasjon-{item.pk}{ext}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def cycle_comment(request: HttpRequest, number: str) -> HttpResponse:
    """A comment on the cycle (managers and the municipality's regional office)."""
    municipality = get_cycle_municipality(request.user, number, comment=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            add_comment(
                municipality=municipality,
                year=timezone.localdate().year,
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Kommentaren er lagret."))
            return redirect("cycle_workspace", number=municipality.number)
    return render(
        request,
        "cycle/comment_form.html",
        {"municipality": municipality, "form": form},
        status=400,
    )
