"""Start page, health check, about page and login."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from veiviser.accounts.scope import scope_for
from veiviser.accounts.services import login_allowed, record_login, record_login_failure
from veiviser.core.models import Municipality, RegionalOffice
from veiviser.training.models import Trainee
from veiviser.training.presenters import requirement_rows, steps_in_words
from veiviser.training.records import verdicts, with_records
from veiviser.training.transfers import apply_due_transfers
from veiviser.web.forms import LoginForm

HOME_ITEMS = 15


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Cheap liveness check for load balancers: no login, no database query."""
    return JsonResponse({"status": "ok"})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LoginView(auth_views.LoginView):
    """Password login with throttling of repeated failures per username and address."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        if not login_allowed(username=username, address=client_address(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("For mange mislykkede forsøk. Vent et kvarter og prøv igjen."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        username = str(self.request.POST.get("username", ""))[:150]
        if username:
            record_login_failure(username=username, address=client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_login(user=form.get_user(), address=client_address(self.request))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from veiviser.accounts.oidc import provider_buttons

        context = super().get_context_data(**kwargs)
        buttons = provider_buttons()
        next_url = self.get_redirect_url()
        if next_url:
            for button in buttons:
                button["url"] += "?" + urlencode({"next": next_url})
        context["oidc_providers"] = buttons
        return context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's due items ("Dine gjøremål"), then what the user is
    responsible for, by role. A fixed number of queries however much data (tested)."""
    from veiviser.annual.models import AnnualReport
    from veiviser.reminders.registry import collect
    from veiviser.rules.annual import deadline, reporting_year

    scope = scope_for(request.user)
    today = timezone.localdate()
    if scope.managed_municipality_ids:
        # a move accepted for a later date takes effect on the day even without a daily job
        apply_due_transfers(today)
    items = collect(request.user, today)
    context: dict[str, Any] = {
        "scope": scope,
        "today": today,
        "due_items": items[:HOME_ITEMS],
        "more_items": max(0, len(items) - HOME_ITEMS),
    }
    trainees = Trainee.objects.visible_to(request.user).with_people()
    if scope.person_id:
        own = with_records(Trainee.objects.filter(person_id=scope.person_id)).first()
        context["own_trainee"] = own
        if own is not None:
            ((_t, result),) = verdicts([own], today)
            rows = requirement_rows(result)
            context["own_verdict"] = result
            context["own_missing"] = [r for r in rows if not r.met and r.severity == "blocking"]
            context["own_steps"] = steps_in_words(result)[:3]
        context["mentored"] = list(
            trainees.filter(mentorships__mentor_id=scope.person_id, mentorships__ended__isnull=True)
            .exclude(person_id=scope.person_id)
            .with_supervision_summary(today)
            .distinct()[:50]
        )
    if scope.managed_municipality_ids or scope.region_ids or scope.sees_everything:
        municipalities = Municipality.objects.visible_to(request.user)
        regional = bool(scope.region_ids and not scope.managed_municipality_ids)
        if not (scope.managed_municipality_ids or scope.region_ids):
            municipalities = municipalities.filter(trainees__isnull=False)
        elif regional:
            municipalities = municipalities.filter(id__in=scope.region_municipality_ids)
        else:
            municipalities = municipalities.filter(id__in=scope.managed_municipality_ids)
        annotated = municipalities.select_related("regional_office").annotate(
            trainee_count=Count("trainees", distinct=True),
            office_count=Count("offices", distinct=True),
            gp_positions=Count(
                "positions",
                filter=Q(positions__kind="gp", positions__closed__isnull=True),
                distinct=True,
            ),
        )
        # A regional office follows the municipalities that have ALIS: those first.
        ordering = ("-trainee_count", "name") if regional else ("number",)
        context["municipalities"] = list(annotated.order_by(*ordering)[:400])
        context["regional_view"] = regional
        context["unregistered"] = sum(
            1 for m in context["municipalities"] if not m.registered_institution
        )
        year = reporting_year(today)
        context["report_year"] = year
        context["report_deadline"] = deadline(year)
        context["report_overdue"] = today > deadline(year)
        if scope.managed_municipality_ids:
            reports = {
                r.municipality_id: r
                for r in AnnualReport.objects.filter(
                    municipality_id__in=scope.managed_municipality_ids, year=year
                ).only("municipality_id", "status", "submitted_at")
            }
            context["own_reports"] = [
                (m, reports.get(m.pk))
                for m in context["municipalities"]
                if m.pk in scope.managed_municipality_ids
            ]
        if scope.region_ids:
            context["regions"] = list(
                RegionalOffice.objects.filter(pk__in=scope.region_ids).order_by("name")
            )
    if not scope.roles and not scope.is_admin:
        messages.info(request, _("Du har ingen roller ennå. Be kommunen om tilgang."))
    return render(request, "web/home.html", context)
