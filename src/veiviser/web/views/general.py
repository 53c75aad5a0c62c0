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
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from veiviser.accounts.scope import scope_for
from veiviser.accounts.services import login_allowed, record_login, record_login_failure
from veiviser.core.models import Municipality
from veiviser.training.models import Trainee
from veiviser.web.forms import LoginForm


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
    """The start page: what this user is responsible for, by role."""
    scope = scope_for(request.user)
    context: dict[str, Any] = {"scope": scope}
    trainees = Trainee.objects.visible_to(request.user).with_people()
    if scope.person_id:
        context["own_trainee"] = (
            Trainee.objects.filter(person_id=scope.person_id).with_people().first()
        )
        context["mentored"] = list(
            trainees.filter(
                mentorships__mentor_id=scope.person_id, mentorships__ended__isnull=True
            ).exclude(person_id=scope.person_id)[:50]
        )
    if scope.managed_municipality_ids or scope.region_ids or scope.sees_everything:
        municipalities = Municipality.objects.visible_to(request.user)
        if not (scope.managed_municipality_ids or scope.region_ids):
            municipalities = municipalities.filter(trainees__isnull=False)
        elif scope.region_ids and not scope.managed_municipality_ids:
            municipalities = municipalities.filter(id__in=scope.region_municipality_ids)
        else:
            municipalities = municipalities.filter(id__in=scope.managed_municipality_ids)
        context["municipalities"] = list(
            municipalities.select_related("regional_office")
            .annotate(
                trainee_count=Count("trainees", distinct=True),
                office_count=Count("offices", distinct=True),
                gp_positions=Count(
                    "positions",
                    filter=Q(positions__kind="gp", positions__closed__isnull=True),
                    distinct=True,
                ),
            )
            .order_by("number")[:400]
        )
        context["unregistered"] = sum(
            1 for m in context["municipalities"] if not m.registered_institution
        )
    if not scope.roles and not scope.is_admin:
        messages.info(request, _("Du har ingen roller ennå. Be kommunen om tilgang."))
    return render(request, "web/home.html", context)
