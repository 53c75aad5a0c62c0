"""People in the register, their logins and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veiviser.accounts.models import RoleAssignment, User
from veiviser.accounts.scope import scope_for
from veiviser.accounts.services import assign_role, remove_role
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record
from veiviser.core.access import can_manage_person, get_person_for_user
from veiviser.core.models import Municipality, Person
from veiviser.core.services import save_person
from veiviser.web.forms import PersonForm, RoleForm, UserForm


def _oversight_required(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.sees_everything or scope.managed_municipality_ids or scope.region_ids):
        raise PermissionDenied


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _oversight_required(request)
    qs = Person.objects.visible_to(request.user).select_related("home_municipality")
    query = request.GET.get("q", "").strip()[:80]
    if query:
        qs = qs.filter(
            Q(given_name__icontains=query) | Q(family_name__icontains=query) | Q(hpr_number=query)
        )
    page = Paginator(qs.order_by("family_name", "given_name", "id"), 50).get_page(
        request.GET.get("page")
    )
    can_create = scope_for(request.user).is_admin or bool(
        scope_for(request.user).managed_municipality_ids
    )
    return render(
        request, "web/person_list.html", {"page_obj": page, "q": query, "can_create": can_create}
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    scope = scope_for(request.user)
    user = User.objects.filter(person=person).first()
    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("municipality", "regional_office")
        if user
        else RoleAssignment.objects.none()
    )
    can_manage = can_manage_person(request.user, person)
    role_form = None
    if can_manage and user:
        role_form = RoleForm(
            municipalities=Municipality.objects.managed_by(request.user), admin=scope.is_admin
        )
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "account": user,
            "assignments": assignments,
            "can_manage": can_manage,
            "role_form": role_form,
            "user_form": UserForm() if can_manage and not user else None,
            "is_admin": scope.is_admin,
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    if pk:
        person = get_person_for_user(request.user, pk)
        if not can_manage_person(request.user, person):
            raise PermissionDenied
    else:
        if not (scope.is_admin or scope.managed_municipality_ids):
            raise PermissionDenied
        person = Person()
    municipalities = Municipality.objects.managed_by(request.user)
    form = PersonForm(request.POST or None, instance=person, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        saved = save_person(person=form.save(commit=False), by=request.user)
        messages.success(request, _("Personen er lagret."))
        return redirect("person_detail", pk=saved.pk)
    title = _("Endre person") if pk else _("Ny person")
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": title},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def person_create_user(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied
    if User.objects.filter(person=person).exists():
        messages.error(request, _("Personen har allerede en bruker."))
        return redirect("person_detail", pk=pk)
    form = UserForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "web/form_page.html",
            {"form": form, "title": _("Ny bruker for %(name)s") % {"name": person}},
            status=400,
        )
    with transaction.atomic():
        user = User.objects.create_user(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            first_name=person.given_name,
            last_name=person.family_name,
            email=person.email,
            person=person,
        )
        record(
            actor=request.user,
            action=AuditEvent.Action.CREATE,
            instance=user,
            municipality_id=person.home_municipality_id,
            after={"username": user.username, "person": person.pk},
        )
    messages.success(request, _("Brukeren er opprettet."))
    return redirect("person_detail", pk=pk)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied
    user = get_object_or_404(User, person=person)
    scope = scope_for(request.user)
    form = RoleForm(
        request.POST,
        municipalities=Municipality.objects.managed_by(request.user),
        admin=scope.is_admin,
    )
    if form.is_valid():
        data = form.cleaned_data
        municipality = data.get("municipality")
        office = data.get("regional_office")
        try:
            assign_role(
                user=user,
                role=data["role"],
                by=request.user,
                municipality_id=municipality.pk if municipality else None,
                regional_office_id=office.pk if office else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Rollen er lagt til."))
            return redirect("person_detail", pk=pk)
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": _("Ny rolle for %(name)s") % {"name": person}},
        status=400,
    )


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user__person=person)
    remove_role(assignment=assignment, by=request.user)
    messages.success(request, _("Rollen er fjernet."))
    return redirect("person_detail", pk=pk)
