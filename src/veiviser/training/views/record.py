"""Entering and editing the parts of an ALIS's training record: service periods, leave,
individual supervision sessions, group supervision and courses.

One pattern for every part (``PARTS``): a list page with the items and, for those who may write
the part (``services.WRITERS``), an add form; an edit page; a delete confirmation page that
deletes on POST (with htmx the list's delete link posts directly after a confirm and swaps the
table); and, for group supervision and courses, the uploaded file streamed after the scoped
lookup. Everything works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from veiviser.accounts.scope import scope_for
from veiviser.training.access import get_record_item_for_user, get_trainee_for_user
from veiviser.training.forms_record import (
    UPLOAD_TYPES,
    CourseForm,
    GroupSupervisionForm,
    LeavePeriodForm,
    RecordForm,
    ServicePeriodForm,
    SupervisionSessionForm,
)
from veiviser.training.models import (
    Course,
    GroupSupervision,
    LeavePeriod,
    Mentorship,
    ServicePeriod,
    SupervisionSession,
    Trainee,
)
from veiviser.training.services import can_write, delete_item, record_view, relations, save_item

# Who may read preparation notes and minutes of supervision sessions (relations()).
PRIVATE_READERS = frozenset({"alis", "veileder"})


@dataclass(frozen=True)
class Part:
    key: str  # prefix of the URL names: service_list, service_edit, …
    model: type[models.Model]
    form: type[RecordForm]
    title: Promise  # page heading and sub-navigation
    item_name: Promise  # "tjenesteperiode": headings of the add, edit and delete pages
    intro: Promise
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    file_field: str | None = None
    file_url_name: str | None = None  # the download view of that file
    hours_total: bool = False
    order: tuple[str, ...] = ()  # the list's order, if not the model's

    @property
    def list_name(self) -> str:
        return f"{self.key}_list"

    @property
    def edit_name(self) -> str:
        return f"{self.key}_edit"

    @property
    def delete_name(self) -> str:
        return f"{self.key}_delete"


PARTS: dict[str, Part] = {
    p.key: p
    for p in (
        Part(
            "service",
            ServicePeriod,
            ServicePeriodForm,
            gettext_lazy("Tjeneste"),
            gettext_lazy("tjenesteperiode"),
            gettext_lazy(
                "Tjenesteperioder med stillingsprosent og læringsarena. Leder eller "
                "koordinator i kommunen fører dem inn."
            ),
            select=("municipality",),
        ),
        Part(
            "leave",
            LeavePeriod,
            LeavePeriodForm,
            gettext_lazy("Permisjon"),
            gettext_lazy("permisjon"),
            gettext_lazy(
                "Permisjon reduserer tjenestetiden som teller. Leder eller koordinator "
                "fører den inn."
            ),
        ),
        Part(
            "session",
            SupervisionSession,
            SupervisionSessionForm,
            gettext_lazy("Veiledning"),
            gettext_lazy("veiledningsmøte"),
            gettext_lazy(
                "Individuell veiledning: 4 timer i måneden i 10,5 måneder av året. "
                "Forberedelse og referat ser bare ALIS og veilederen."
            ),
            prefetch=("topics",),
            order=("-date", "-id"),
            hours_total=True,
        ),
        Part(
            "group",
            GroupSupervision,
            GroupSupervisionForm,
            gettext_lazy("Gruppeveiledning"),
            gettext_lazy("periode i veiledningsgruppe"),
            gettext_lazy(
                "Veiledningsgruppe i to år med 120 timer, minst ett år i åpen "
                "allmennpraksis, og diplom fra Legeforeningen."
            ),
            file_field="diploma_file",
            file_url_name="group_diploma",
            hours_total=True,
        ),
        Part(
            "course",
            Course,
            CourseForm,
            gettext_lazy("Kurs"),
            gettext_lazy("kurs"),
            gettext_lazy(
                "Grunnkurs A–D, kurs i akuttmedisin og emnekurs. Kurs uten dato er planlagt."
            ),
            file_field="certificate",
            file_url_name="course_certificate",
        ),
    )
}


def _form(part: Part, request: HttpRequest, trainee: Trainee, rel: set[str], **kw: Any) -> Any:
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    extra = {"private": bool(rel & PRIVATE_READERS)} if part.model is SupervisionSession else {}
    return part.form(*data, trainee=trainee, **extra, **kw)


def _items(part: Part, trainee: Trainee) -> list[Any]:
    qs = part.model.objects.filter(trainee=trainee)  # type: ignore[attr-defined]
    if part.order:
        qs = qs.order_by(*part.order)
    return list(qs.select_related(*part.select).prefetch_related(*part.prefetch))


def _context(part: Part, trainee: Trainee, rel: set[str], writable: bool, **kw: Any) -> dict:
    items = _items(part, trainee)
    return {
        "part": part,
        "parts": PARTS.values(),
        "trainee": trainee,
        "items": items,
        "writable": writable,
        "private": bool(rel & PRIVATE_READERS),
        "hours_total": sum((i.hours or Decimal(0) for i in items), Decimal(0))
        if part.hours_total
        else None,
        "table_template": f"training/record/table_{part.key}.html",
        **kw,
    }


def _default_veileder(user: Any, trainee: Trainee, rel: set[str]) -> Any:
    """The session's veileder: the writer if they are the veileder, else the current one."""
    if "veileder" in rel:
        return scope_for(user).person_id
    mentorship = (
        Mentorship.objects.current()
        .filter(trainee=trainee, kind="veileder")
        .order_by("-started")
        .first()
    )
    return mentorship.mentor_id if mentorship else None


def _delete_file_on_commit(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _save(form: Any, user: Any) -> Any:
    """Save through the service (checks the right, audits); also the topics and files."""
    with transaction.atomic():
        _delete_file_on_commit(form.replaced_file())
        item = save_item(item=form.save(commit=False), by=user)
        form.save_m2m()
    return item


@login_required
@require_http_methods(["GET", "POST"])
def item_list(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    p = PARTS[part]
    trainee = get_trainee_for_user(request.user, pk)
    rel = relations(request.user, trainee)
    writable = can_write(request.user, trainee, p.model)
    form, status = None, 200
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        form = _form(p, request, trainee, rel)
        if form.is_valid():
            if p.model is SupervisionSession:
                form.instance.veileder_id = _default_veileder(request.user, trainee, rel)
            _save(form, request.user)
            messages.success(request, _("Lagret: %(item)s.") % {"item": p.item_name})
            return redirect(p.list_name, pk=trainee.pk)
        status = 400
    else:
        record_view(trainee=trainee, by=request.user, what=str(p.title).lower())
        if writable:
            form = _form(p, request, trainee, rel)
    return render(
        request,
        "training/record/list.html",
        _context(p, trainee, rel, writable, form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, item: int, part: str) -> HttpResponse:
    p = PARTS[part]
    obj = get_record_item_for_user(request.user, p.model, pk, item, write=True)
    trainee = get_trainee_for_user(request.user, pk)
    obj.trainee = trainee
    rel = relations(request.user, trainee)
    form = _form(p, request, trainee, rel, instance=obj)
    if request.method == "POST" and form.is_valid():
        _save(form, request.user)
        messages.success(request, _("Endringene er lagret."))
        return redirect(p.list_name, pk=trainee.pk)
    return render(
        request,
        "training/record/edit.html",
        {
            "part": p,
            "trainee": trainee,
            "item": obj,
            "form": form,
            "stored_file": getattr(obj, p.file_field) if p.file_field else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int, item: int, part: str) -> HttpResponse:
    """GET asks for confirmation; POST deletes (htmx: answers with the updated table)."""
    p = PARTS[part]
    obj = get_record_item_for_user(request.user, p.model, pk, item, write=True)
    trainee = get_trainee_for_user(request.user, pk)
    obj.trainee = trainee
    if request.method == "GET":
        rel = relations(request.user, trainee)
        return render(
            request,
            "training/record/delete.html",
            {
                "part": p,
                "trainee": trainee,
                "item": obj,
                "items": [obj],
                "writable": False,
                "private": bool(rel & PRIVATE_READERS),
                "table_template": f"training/record/table_{p.key}.html",
            },
        )
    file_name = getattr(obj, p.file_field).name if p.file_field else None
    with transaction.atomic():
        delete_item(item=obj, by=request.user)
        _delete_file_on_commit(file_name)
    if request.headers.get("HX-Request"):
        rel = relations(request.user, trainee)
        return render(
            request, "training/record/table.html", _context(p, trainee, rel, True, deleted=obj)
        )
    messages.success(request, _("Slettet: %(item)s.") % {"item": p.item_name})
    return redirect(p.list_name, pk=trainee.pk)


@login_required
@require_http_methods(["GET"])
def item_file(request: HttpRequest, pk: int, item: int, part: str) -> HttpResponse:
    """The uploaded diploma or certificate, to anyone who may see the record (never through
    MEDIA_URL). The download is audited like a view of the record."""
    p = PARTS[part]
    assert p.file_field
    obj = get_record_item_for_user(request.user, p.model, pk, item)
    stored = getattr(obj, p.file_field)
    ext = PurePath(stored.name or "").suffix.lower()
    if not stored or ext not in UPLOAD_TYPES:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    trainee = get_trainee_for_user(request.user, pk)
    record_view(trainee=trainee, by=request.user, what=str(p.form.file_label).lower())
    response = FileResponse(
        handle,
        content_type=UPLOAD_TYPES[ext][0],
        filename=f"{p.form.file_label}-{obj.pk}{ext}".lower(),
    )
    response["Cache-Control"] = "private, no-store"
    return response
