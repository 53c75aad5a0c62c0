"""The two-file CSV import (/stillinger/importer/) and the export in the same format."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from veiviser.accounts.scope import scope_for
from veiviser.rules.workforce_csv import CsvError, WorkforceCsvInvalid
from veiviser.workforce.access import require_some_manager, selection
from veiviser.workforce.forms import ImportForm
from veiviser.workforce.loader import scoped_positions
from veiviser.workforce.services import export_workforce_csv, import_workforce_csv

EXPORT_FILTERS = ("kommune", "region", "program", "type")


def _text(upload: Any, name: str) -> tuple[str, list[CsvError]]:
    raw = upload.read()
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return "", [CsvError(name, line, None, _("filen er ikke UTF-8-tekst"))]


@login_required
def workforce_import(request: HttpRequest) -> HttpResponse:
    """Import positions.csv and occupancies.csv: everything or nothing."""
    municipalities = require_some_manager(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        municipalities=municipalities,
        admin=scope_for(request.user).is_admin,
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        positions, p_errors = _text(form.cleaned_data["positions"], "positions.csv")
        occupancies, o_errors = _text(form.cleaned_data["occupancies"], "occupancies.csv")
        try:
            if p_errors or o_errors:
                raise WorkforceCsvInvalid([*p_errors, *o_errors])
            result = import_workforce_csv(
                municipality_or_none=form.cleaned_data["municipality"],
                positions_text=positions,
                occupancies_text=occupancies,
                by=request.user,
            )
        except WorkforceCsvInvalid as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(
                request,
                _(
                    "Importert: %(pc)s nye og %(pu)s endrede stillinger, %(oc)s nye, "
                    "%(ou)s endrede og %(or)s fjernede perioder, %(pe)s nye leger."
                )
                % {
                    "pc": result.positions_created,
                    "pu": result.positions_updated,
                    "oc": result.occupancies_created,
                    "ou": result.occupancies_updated,
                    "or": result.occupancies_removed,
                    "pe": result.persons_created,
                },
            )
            return redirect("position_list")
    return render(
        request,
        "workforce/import.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


def _export(request: HttpRequest, which: str) -> HttpResponse:
    sel = selection(request, EXPORT_FILTERS)
    if not sel.valid:
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in sel.form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    qs = scoped_positions(request.user, municipality_ids=sel.municipality_ids, kinds=sel.kinds)
    if sel.programme:
        wanted = sel.programme.strip().casefold()
        qs = qs.filter(
            pk__in=[
                pk
                for pk, programme in qs.values_list("pk", "programme")
                if programme.strip().casefold() == wanted
            ]
        )
    positions, occupancies = export_workforce_csv(position_qs=qs, by=request.user)
    text = positions if which == "positions" else occupancies
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{which}.csv"'
    return response


@login_required
def export_positions(request: HttpRequest) -> HttpResponse:
    return _export(request, "positions")


@login_required
def export_occupancies(request: HttpRequest) -> HttpResponse:
    return _export(request, "occupancies")
