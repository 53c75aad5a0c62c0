"""The regional office's pages (/region/): the dashboard across the region's municipalities,
the veileder pool, matching ALIS without a veileder, and quality without names."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veiviser.accounts.scope import scope_for
from veiviser.core.models import RegionalOffice
from veiviser.regional.access import (
    can_manage_region,
    get_profile_for_user,
    get_region_for_user,
    visible_regions,
)
from veiviser.regional.figures import DEFAULT_WEEKS, load_region
from veiviser.regional.forms import ConnectForm, DashboardForm, ProfileForm
from veiviser.regional.models import InterMunicipalArrangement, VeilederProfile
from veiviser.regional.services import candidate_of, connect, need_of, save_profile
from veiviser.rules import regional as rules
from veiviser.training.models import MentorKind, Mentorship, Trainee

STAGE_LABELS = {
    "first_year": gettext_lazy("Første år"),
    "underway": gettext_lazy("Underveis"),
    "final": gettext_lazy("Siste år"),
    "ready": gettext_lazy("Klar til å søke"),
    "old_scheme": gettext_lazy("Gammel ordning"),
}
FOLLOW_UP_LABELS = {
    "no_veileder": gettext_lazy("uten veileder"),
    "supervision": gettext_lazy("for lite veiledning"),
    "waiting": gettext_lazy("godkjenninger venter"),
    "bulk": gettext_lazy("mål godkjent i bolk"),
    "locum_dependent": gettext_lazy("kommune med mange vikarer"),
}
DISTANCE_LABELS = {
    rules.Distance.SAME_MUNICIPALITY: gettext_lazy("Samme kommune"),
    rules.Distance.SAME_COUNTY: gettext_lazy("Samme fylke"),
    rules.Distance.SAME_REGION: gettext_lazy("Samme region"),
}


def _base(region: RegionalOffice, user: Any, active: str) -> dict[str, Any]:
    return {
        "region": region,
        "active": active,
        "can_manage": can_manage_region(user, region.pk),
        "stage_labels": [STAGE_LABELS[s] for s in rules.STAGES],
    }


@login_required
def region_index(request: HttpRequest) -> HttpResponse:
    """A regional office goes to its region; national readers and administrators choose."""
    regions = visible_regions(request.user)
    scope = scope_for(request.user)
    if not scope.sees_everything and len(scope.region_ids) == 1:
        return redirect("region_dashboard", pk=next(iter(scope.region_ids)))
    regions = regions.annotate(municipality_count=Count("municipalities")).order_by("name")
    return render(request, "regional/index.html", {"regions": regions})


@login_required
def region_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk)
    form = DashboardForm(request.GET or None)
    context = _base(region, request.user, "dashboard")
    context["form"] = form
    if request.GET and not form.is_valid():
        return render(request, "regional/dashboard.html", context, status=400)
    weeks = form.weeks() if form.is_bound else DEFAULT_WEEKS
    data = load_region(request.user, region, timezone.localdate(), weeks=weeks)
    context["d"] = data
    context["follow_up"] = [
        (line, [FOLLOW_UP_LABELS[s] for s in signals]) for line, signals in data.follow_up
    ]
    return render(request, "regional/dashboard.html", context)


@login_required
def region_quality(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk)
    data = load_region(request.user, region, timezone.localdate(), workforce=False, warnings=False)
    context = _base(region, request.user, "quality")
    context.update(
        {
            "rows": data.quality_rows(),
            "total": data.quality_total(),
            "thresholds": rules.QualityThresholds(),
            "without_alis": len(data.municipalities) - len(data.by_municipality),
        }
    )
    return render(request, "regional/quality.html", context)


def _pool(region: RegionalOffice, user: Any) -> list[tuple[VeilederProfile, int]]:
    profiles = list(
        VeilederProfile.objects.visible_to(user)
        .filter(region=region)
        .select_related("person__home_municipality")
        .prefetch_related("municipalities")
    )
    loads = dict(
        Mentorship.objects.current()
        .filter(kind=MentorKind.VEILEDER, mentor_id__in=[p.person_id for p in profiles])
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    return [(p, loads.get(p.person_id, 0)) for p in profiles]


@login_required
def veileder_pool(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk)
    pool = _pool(region, request.user)
    arrangements = (
        InterMunicipalArrangement.objects.visible_to(request.user)
        .filter(region=region)
        .select_related("host", "provider", "mentorship__mentor", "mentorship__trainee__person")
    )
    context = _base(region, request.user, "pool")
    context.update(
        {
            "pool": [(p, load, max(p.capacity - load, 0)) for p, load in pool],
            "arrangements": arrangements,
        }
    )
    return render(request, "regional/pool.html", context)


def _profile_page(
    request: HttpRequest, region: RegionalOffice, profile: VeilederProfile
) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=profile, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            save_profile(
                profile=form.save(commit=False),
                municipalities=form.cleaned_data["municipalities"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Veilederen er lagret i poolen."))
            return redirect("veileder_pool", pk=region.pk)
    context = _base(region, request.user, "pool")
    context.update(
        {
            "form": form,
            "title": _("Endre veileder i poolen") if profile.pk else _("Ny veileder i poolen"),
        }
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "regional/form_page.html", context, status=status)


@login_required
def veileder_profile_create(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk, manage=True)
    return _profile_page(request, region, VeilederProfile(region=region))


@login_required
def veileder_profile_edit(request: HttpRequest, pk: int, profile_pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk, manage=True)
    profile = get_profile_for_user(request.user, region, profile_pk, manage=True)
    return _profile_page(request, region, profile)


def _needs(region: RegionalOffice, user: Any) -> Any:
    with_veileder = (
        Mentorship.objects.current().filter(kind=MentorKind.VEILEDER).values("trainee_id")
    )
    return (
        Trainee.objects.visible_to(user)
        .filter(municipality__regional_office=region)
        .exclude(pk__in=with_veileder)
        .select_related("person", "municipality")
        .order_by("municipality__name", "person__family_name", "pk")
    )


@login_required
def region_matching(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_region_for_user(request.user, pk)
    trainees = list(_needs(region, request.user))
    pool = [(p, load) for p, load in _pool(region, request.user) if p.active]
    by_id = {p.pk: p for p, _load in pool}
    candidates = [candidate_of(p, load) for p, load in pool]
    needs = [need_of(t) for t in trainees]
    planned = rules.plan_matches(needs, candidates)
    rows = []
    for trainee, need in zip(trainees, needs, strict=True):
        options = [
            (by_id[s.profile_id], DISTANCE_LABELS[s.distance], s)
            for s in rules.suggestions(need, candidates)
        ]
        proposal = planned.get(trainee.pk)
        rows.append(
            {
                "trainee": trainee,
                "options": options,
                "proposed": proposal.profile_id if proposal else None,
            }
        )
    context = _base(region, request.user, "matching")
    context["rows"] = rows
    context["pool_size"] = len(pool)
    return render(request, "regional/matching.html", context)


@login_required
def region_connect(request: HttpRequest, pk: int) -> HttpResponse:
    """Couple an ALIS with a veileder of the pool (the matching page's "Koble" posts here)."""
    region = get_region_for_user(request.user, pk, manage=True)
    profiles = (
        VeilederProfile.objects.managed_by(request.user)
        .filter(region=region, active=True)
        .select_related("person")
    )
    choices = {"trainees": _needs(region, request.user), "profiles": profiles}
    if request.method == "POST":
        form = ConnectForm(request.POST, **choices)
    else:  # pre-filled from the matching page's suggestion
        initial = {k: request.GET[k] for k in ("trainee", "profile") if request.GET.get(k)}
        form = ConnectForm(initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            connect(
                trainee=data["trainee"],
                profile=data["profile"],
                by=request.user,
                starts=data["starts"],
                note=data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("%(v)s er nå veileder for %(a)s.")
                % {
                    "v": data["profile"].person.full_name,
                    "a": data["trainee"].person.full_name,
                },
            )
            return redirect("region_matching", pk=region.pk)
    context = _base(region, request.user, "matching")
    context.update({"form": form, "title": _("Koble ALIS med veileder")})
    if request.method == "POST":
        return render(request, "regional/form_page.html", context, status=400)
    return render(request, "regional/form_page.html", context)
