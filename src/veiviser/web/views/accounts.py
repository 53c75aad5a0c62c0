"""The user's own API tokens, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veiviser.accounts.models import ApiToken
from veiviser.accounts.scope import scope_for
from veiviser.accounts.services import create_api_token, revoke_api_token
from veiviser.audit.models import AuditEvent
from veiviser.web.forms import AuditFilterForm, TokenForm


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = create_api_token(
            user=request.user, name=form.cleaned_data["name"], by=request.user
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "web/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Nøkkelen er trukket tilbake."))
    return redirect("token_list")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.leader_municipality_ids):
        raise PermissionDenied
    qs = AuditEvent.objects.visible_to(request.user).select_related("municipality")
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["q"]:
            q = data["q"].strip()
            qs = qs.filter(
                Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(summary__icontains=q)
            )
        if data["since"]:
            qs = qs.filter(at__date__gte=data["since"])
        if data["until"]:
            qs = qs.filter(at__date__lte=data["until"])
    elif form.is_bound:
        qs = qs.none()
    object_type = request.GET.get("type", "").strip()[:60]
    if object_type:
        qs = qs.filter(object_type=object_type)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit_list.html",
        {"page_obj": page, "form": form, "type": object_type},
        status=400 if form.errors else 200,
    )
