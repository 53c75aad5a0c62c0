"""Goal catalogues: the list, one catalogue's goals, and the import (administrators: upload →
preview → import, all or nothing)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veiviser.accounts.scope import scope_for
from veiviser.core.access import require_admin
from veiviser.training.catalogue_import import (
    CatalogueError,
    CatalogueFileError,
    import_catalogue,
    parse_catalogue,
    plan_import,
)
from veiviser.training.forms_goals import CatalogueImportForm
from veiviser.training.models import Catalogue, GoalKind

SESSION_KEY = "veiviser.catalogue_import"


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """Every catalogue version with its goal counts and whether the official texts are in."""
    catalogues = Catalogue.objects.annotate(
        goal_count=Count("goals", distinct=True),
        alm_count=Count("goals", filter=Q(goals__kind=GoalKind.ALM), distinct=True),
        fkm_count=Count("goals", filter=Q(goals__kind=GoalKind.FKM), distinct=True),
    ).order_by("name")
    return render(
        request,
        "training/goals/catalogue_list.html",
        {"catalogues": catalogues, "is_admin": scope_for(request.user).is_admin},
    )


@login_required
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One catalogue's goals in order, grouped ALM/FKM and by theme."""
    catalogue = get_object_or_404(Catalogue, pk=pk)  # catalogues hold no personal data
    groups: dict[str, dict[str, Any]] = {}
    for goal in catalogue.goals.order_by("order"):
        kind = groups.setdefault(
            goal.kind, {"kind": goal.kind, "label": GoalKind(goal.kind).label, "themes": {}}
        )
        kind["themes"].setdefault(goal.theme, []).append(goal)
    return render(
        request,
        "training/goals/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "groups": [
                {**k, "themes": [{"theme": t, "goals": g} for t, g in k["themes"].items()]}
                for k in sorted(groups.values(), key=lambda k: k["kind"] != "alm")
            ],
            "is_admin": scope_for(request.user).is_admin,
        },
    )


def _pending(request: HttpRequest) -> dict[str, str] | None:
    pending = request.session.get(SESSION_KEY)
    return pending if isinstance(pending, dict) else None


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file (errors listed with sheet, row and column). Step 2: the preview
    of what changes. Step 3: the import (POST ``confirm``)."""
    require_admin(request.user)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "training/goals/catalogue_import.html",
            {"form": form, "errors": []},
            status=200 if request.method == "GET" else 400,
        )
    upload = form.cleaned_data["file"]
    data = upload.read()
    filename = PurePath(upload.name or "").name[:200]
    parsed = parse_catalogue(data, filename)
    if parsed.errors:
        return render(
            request,
            "training/goals/catalogue_import.html",
            {"form": form, "errors": parsed.errors, "filename": filename},
            status=400,
        )
    name = form.cleaned_data["name"]
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {
        "name": name,
        "filename": filename,
        "data": base64.b64encode(data).decode("ascii"),
        "sha256": digest,
    }
    return render(
        request,
        "training/goals/catalogue_preview.html",
        {
            "plan": plan_import(name, parsed.rows),
            "filename": filename,
            "sheets": parsed.sheets,
            "digest": digest,
        },
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None or pending.get("sha256") != request.POST.get("confirm"):
        messages.error(
            request, _("Forhåndsvisningen er utløpt eller gjelder en annen fil. Last opp på nytt.")
        )
        return redirect("catalogue_import")
    try:
        data = base64.b64decode(pending["data"], validate=True)
    except (binascii.Error, KeyError, TypeError):
        del request.session[SESSION_KEY]
        return redirect("catalogue_import")
    form = CatalogueImportForm(initial={"name": pending.get("name", "")})
    try:
        result = import_catalogue(
            name=pending["name"], data=data, filename=pending["filename"], by=request.user
        )
    except CatalogueFileError as exc:
        errors: list[CatalogueError] = exc.errors
        return render(
            request,
            "training/goals/catalogue_import.html",
            {"form": form, "errors": errors, "filename": pending["filename"]},
            status=400,
        )
    del request.session[SESSION_KEY]
    catalogue = Catalogue.objects.get(name=result.name)
    messages.success(
        request,
        _(
            "Katalogen %(name)s er importert: %(created)s nye, %(updated)s med endret tekst, "
            "%(removed)s fjernet."
        )
        % {
            "name": result.name,
            "created": len(result.created),
            "updated": len(result.updated),
            "removed": len(result.removed),
        },
    )
    return redirect("catalogue_detail", pk=catalogue.pk)
