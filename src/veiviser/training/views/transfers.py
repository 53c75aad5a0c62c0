"""Moving an ALIS to another municipality (training/transfers.py): ask, accept, decline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veiviser.accounts.scope import scope_for
from veiviser.training.access import get_trainee_for_user
from veiviser.training.forms import TransferAcceptForm, TransferForm
from veiviser.training.models import TransferStatus
from veiviser.training.transfers import (
    accept_transfer,
    apply_due_transfers,
    close_transfer,
    may_request,
    request_transfer,
    transfers_for,
)
from veiviser.web.forms import apply_errors as _apply_errors


@login_required
def trainee_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    trainee = get_trainee_for_user(request.user, pk)
    if not may_request(request.user, trainee):
        raise PermissionDenied
    form = TransferForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                request_transfer(
                    trainee=trainee,
                    to_municipality=form.cleaned_data["to_municipality"],
                    effective=form.cleaned_data["effective"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Flyttingen er sendt til %(m)s for bekreftelse.")
                    % {"m": form.cleaned_data["to_municipality"].name},
                )
                return redirect("trainee_detail", pk=trainee.pk)
        status = 400
    return render(
        request, "training/transfer_form.html", {"trainee": trainee, "form": form}, status=status
    )


def _list_page(request: HttpRequest, errors: dict[int, Any] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    scope = scope_for(request.user)
    transfers = list(transfers_for(request.user).order_by("-requested_at")[:200])
    incoming, outgoing, scheduled, history = [], [], [], []
    for t in transfers:
        if t.status == TransferStatus.SCHEDULED:
            t.receiving = scope.can_manage_municipality(t.to_municipality_id)
            t.may_close = t.receiving or may_request(request.user, t.trainee)
            scheduled.append(t)
        elif t.status != TransferStatus.PENDING:
            # the sending municipality still certifies the service it had
            t.certificate_url = (
                reverse("service_certificate_pdf", args=[t.trainee_id, t.from_municipality.number])
                if t.status == TransferStatus.ACCEPTED
                and scope.can_manage_municipality(t.from_municipality_id)
                else None
            )
            history.append(t)
        elif scope.can_manage_municipality(t.to_municipality_id):
            form = (errors or {}).get(t.pk) or TransferAcceptForm(
                municipality_id=t.to_municipality_id, auto_id=f"id_t{t.pk}_%s"
            )
            incoming.append((t, form))
        else:
            outgoing.append(t)
    return render(
        request,
        "training/transfer_list.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "scheduled": scheduled,
            "history": history[:50],
        },
        status=status,
    )


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    apply_due_transfers()  # without a daily job, the page both sides open carries them out
    return _list_page(request)


@login_required
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(transfers_for(request.user), pk=pk)
    form = TransferAcceptForm(
        request.POST, municipality_id=transfer.to_municipality_id, auto_id=f"id_t{pk}_%s"
    )
    if form.is_valid():
        try:
            done = accept_transfer(
                transfer=transfer, office=form.cleaned_data["office"], by=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if done.status == TransferStatus.SCHEDULED:
                messages.success(
                    request,
                    _(
                        "Flyttingen er godtatt. %(name)s blir ALIS i %(m)s %(d)s; til da er "
                        "%(old)s ansvarlig."
                    )
                    % {
                        "name": transfer.trainee.person.full_name,
                        "m": transfer.to_municipality.name,
                        "d": done.effective.strftime("%d.%m.%Y"),
                        "old": transfer.from_municipality.name,
                    },
                )
                return redirect("transfer_list")
            messages.success(
                request,
                _("%(name)s er nå ALIS i %(m)s. Oppnevn veileder og supervisør.")
                % {"name": transfer.trainee.person.full_name, "m": transfer.to_municipality.name},
            )
            return redirect("trainee_detail", pk=transfer.trainee_id)
    if not scope_for(request.user).can_manage_municipality(transfer.to_municipality_id):
        raise PermissionDenied
    return _list_page(request, errors={pk: form}, status=400)


@login_required
@require_POST
def transfer_close(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(transfers_for(request.user), pk=pk)
    try:
        close_transfer(transfer=transfer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _list_page(request, status=400)
    messages.success(request, _("Flyttingen er avsluttet."))
    return redirect("transfer_list")
