"""Import and export of the portable progress file from the pages."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from veiviser.core.models import Municipality
from veiviser.rules.progress_file import ProgressFileInvalid, loads
from veiviser.training.access import get_trainee_for_user
from veiviser.training.forms import ProgressImportForm
from veiviser.training.progress import export_progress, import_progress
from veiviser.training.services import relations


@login_required
def progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_user(request.user, pk)
    if not relations(request.user, trainee) & {"admin", "managers", "alis", "veileder"}:
        raise PermissionDenied
    data = export_progress(trainee=trainee, by=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = f"veiviser-progresjon-{trainee.person.family_name.lower()}-{trainee.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def progress_import(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.managed_by(request.user).order_by("name")
    if not municipalities.exists():
        raise PermissionDenied
    form = ProgressImportForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            data = loads(raw.decode("utf-8-sig"))
            trainee = import_progress(
                data=data, municipality=form.cleaned_data["municipality"], by=request.user
            )
        except UnicodeDecodeError:
            errors = [_("Filen er ikke UTF-8-tekst.")]
        except ProgressFileInvalid as exc:
            errors = [str(e) for e in exc.errors]
        except json.JSONDecodeError as exc:
            errors = [f"$: {exc}"]
        else:
            messages.success(request, _("Progresjonsfilen er importert."))
            return redirect("trainee_detail", pk=trainee.pk)
    return render(
        request,
        "training/progress_import.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )
