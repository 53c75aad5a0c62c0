"""The ALIS list (leader, coordinator, veileder, regional office) and the progress page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.agreements.access import may_list_trainee_agreements
from veiviser.core.models import Municipality, Person
from veiviser.core.services import save_person
from veiviser.training.access import get_trainee_for_user
from veiviser.training.forms import MentorForm, TraineeForm
from veiviser.training.models import Mentorship, PlanGoal, Trainee, Transfer, TransferStatus
from veiviser.training.models.people import OPEN_TRANSFER
from veiviser.training.presenters import month_map, requirement_rows, steps_in_words
from veiviser.training.records import record_of, verdicts, with_records
from veiviser.training.services import appoint_mentor, record_view, relations, save_trainee
from veiviser.training.transfers import may_request

PAGE_SIZE = 50


@login_required
def trainee_list(request: HttpRequest) -> HttpResponse:
    """Every visible ALIS with status, the approval queue and overdue steps."""
    scope = scope_for(request.user)
    qs = Trainee.objects.visible_to(request.user)
    municipality = request.GET.get("kommune", "").strip()[:4]
    if municipality:
        qs = qs.filter(municipality__number=municipality)
    order = ("person__family_name", "person__given_name", "pk")
    page = Paginator(qs.order_by(*order).only("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    trainees = list(
        with_records(
            Trainee.objects.filter(pk__in=[t.pk for t in page]).order_by(*order)
        ).prefetch_related("mentorships__mentor")
    )
    today = timezone.localdate()
    rows = []
    for trainee, result in verdicts(trainees, today):
        veiledere = [
            m.mentor for m in trainee.mentorships.all() if m.kind == "veileder" and m.ended is None
        ]
        req = {r.id: r for r in result.requirements}
        goals = req.get("learning_goals")
        rows.append(
            {
                "trainee": trainee,
                "verdict": result,
                "veiledere": veiledere,
                "goals_approved": goals.get("approved") if goals else 0,
                "goals_total": goals.get("total") if goals else 0,
                "months_under": list(req["supervision"].get("months_under_minimum") or [])[-3:]
                if "supervision" in req
                else [],
                "general_practice": req["general_practice"].get("months")
                if "general_practice" in req
                else None,
            }
        )
    queue = (
        PlanGoal.objects.filter(plan__trainee__in=qs.values("pk"))
        .filter(status__in=["submitted", "recommended", "ready_for_decision"])
        .select_related("plan__trainee__person")
        .order_by("status_since")[:100]
    )
    return render(
        request,
        "training/trainee_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "count": page.paginator.count,
            "queue": queue,
            "today": today,
            "can_create": scope.is_admin or bool(scope.managed_municipality_ids),
            "can_import": scope.is_admin or bool(scope.managed_municipality_ids),
            "incoming_transfers": Transfer.objects.filter(
                status=TransferStatus.PENDING,
                to_municipality_id__in=scope.managed_municipality_ids,
            ).count()
            if scope.managed_municipality_ids
            else 0,
            "municipality": municipality,
        },
    )


def _manager_municipalities(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Municipality.objects.managed_by(request.user).order_by("name")


@login_required
def trainee_create(request: HttpRequest) -> HttpResponse:
    municipalities = _manager_municipalities(request)
    if not municipalities.exists():
        raise PermissionDenied
    form = TraineeForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            data = form.cleaned_data
            person = save_person(
                person=Person(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    hpr_number=data["hpr_number"],
                    email=data["email"] or "",
                    is_doctor=True,
                    home_municipality=data["municipality"],
                ),
                by=request.user,
            )
            trainee = form.save(commit=False)
            trainee.person = person
            save_trainee(trainee=trainee, by=request.user)
        messages.success(request, _("ALIS er opprettet med individuell utdanningsplan."))
        return redirect("trainee_detail", pk=trainee.pk)
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": _("Ny ALIS")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def trainee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_user(request.user, pk)
    if not relations(request.user, trainee) & {"admin", "managers"}:
        raise PermissionDenied
    municipalities = _manager_municipalities(request)
    form = TraineeForm(request.POST or None, instance=trainee, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = trainee.person
            for name in ("given_name", "family_name", "hpr_number"):
                setattr(person, name, form.cleaned_data[name])
            person.email = form.cleaned_data["email"] or ""
            save_person(person=person, by=request.user)
            save_trainee(trainee=form.save(commit=False), by=request.user)
        messages.success(request, _("Endringene er lagret."))
        return redirect("trainee_detail", pk=trainee.pk)
    return render(
        request,
        "web/form_page.html",
        {"form": form, "title": _("Endre %(name)s") % {"name": trainee.person}},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def trainee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page: every requirement with the numbers behind it, the month map, the
    projected date and the next steps."""
    trainee = get_trainee_for_user(request.user, pk, full=True)
    record_view(trainee=trainee, by=request.user)
    record = record_of(trainee)
    today = timezone.localdate()
    ((_t, result),) = verdicts([trainee], today)
    rel = relations(request.user, trainee)
    mentors = (
        Mentorship.objects.filter(trainee=trainee)
        .select_related("mentor")
        .order_by("ended", "-started")
    )
    scope = scope_for(request.user)
    # a certificate per municipality the ALIS has served in (a period without a municipality
    # was served in the ALIS's own); none before any service is registered
    served = {p.municipality_id or trainee.municipality_id for p in trainee.service_periods.all()}
    is_self = scope.person_id is not None and scope.person_id == trainee.person_id
    certificate_municipalities = [
        (m.number, m.name)
        for m in Municipality.objects.filter(pk__in=served).order_by("name")
        if is_self or scope.can_manage_municipality(m.pk)
    ]
    goal_counts = PlanGoal.objects.filter(plan__trainee=trainee, retired=False).aggregate(
        total=Count("id"),
        approved=Count("id", filter=Q(status="approved")),
        pending=Count(
            "id", filter=Q(status__in=["submitted", "recommended", "ready_for_decision"])
        ),
    )
    return render(
        request,
        "training/trainee_detail.html",
        {
            "trainee": trainee,
            "verdict": result,
            "rows": requirement_rows(result),
            "steps": steps_in_words(result),
            "month_rows": month_map(result, record),
            "mentors": mentors,
            "relations": rel,
            "goal_counts": goal_counts,
            "can_manage": bool(rel & {"admin", "managers"}),
            "certificate_municipalities": certificate_municipalities,
            "can_transfer": may_request(request.user, trainee),
            "has_veileder": any(
                m.kind == "veileder" and (m.ended is None or m.ended >= today) for m in mentors
            ),
            "matching_region": trainee.municipality.regional_office_id
            if trainee.municipality.regional_office_id in scope.region_ids or scope.is_admin
            else None,
            "sees_agreements": may_list_trainee_agreements(request.user, trainee),
            "pending_transfer": trainee.transfers.filter(status__in=OPEN_TRANSFER)
            .select_related("to_municipality")
            .first(),
            "today": today,
        },
    )


@login_required
def mentor_add(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_user(request.user, pk)
    if not relations(request.user, trainee) & {"admin", "managers"}:
        raise PermissionDenied
    region = trainee.municipality.regional_office_id
    candidates = (
        Person.objects.filter(is_doctor=True)
        .filter(
            Q(home_municipality=trainee.municipality)
            | Q(home_municipality__regional_office_id=region)
        )
        .exclude(pk=trainee.person_id)
        .select_related("home_municipality")
        .order_by("family_name", "given_name")
    )
    form = MentorForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        mentorship = form.save(commit=False)
        mentorship.trainee = trainee
        appoint_mentor(mentorship=mentorship, by=request.user)
        messages.success(request, _("Veileder/supervisør er oppnevnt."))
        return redirect("trainee_detail", pk=trainee.pk)
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "title": _("Oppnevn veileder eller supervisør for %(name)s") % {"name": trainee.person},
        },
        status=400 if request.method == "POST" else 200,
    )
