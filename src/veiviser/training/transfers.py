"""An ALIS who changes municipality within Veiviser loses nothing.

The old municipality's leader or coordinator (or the ALIS) asks for the move; the receiving
municipality's leader or coordinator accepts it. The ALIS belongs to the new municipality from
the effective date — at once when the date has come, else the accepted transfer is *scheduled*
and the daily job (``apply_due_transfers``; also run when the Flyttinger page or a manager's
start page is opened) carries it out on the day, so the old municipality stays responsible
until then. Either side may call off a scheduled transfer; the receiving side may take over
at once. From the effective date: the individual plan, approved goals and their history,
service periods, supervision, group supervision and courses stay exactly as they are (nothing
is re-registered); veiledere and supervisors from the old municipality end the day before
(the new leader appoints new ones, or the same person again as an inter-municipal veileder).
The old municipality keeps what it needs to issue the service certificate for its period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.accounts.models import Role, RoleAssignment
from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality, Office
from veiviser.training.models import Mentorship, Trainee, Transfer, TransferStatus
from veiviser.training.models.people import OPEN_TRANSFER


def may_request(user: Any, trainee: Trainee) -> bool:
    scope = scope_for(user)
    return scope.can_manage_municipality(trainee.municipality_id) or (
        scope.person_id is not None and scope.person_id == trainee.person_id
    )


def transfers_for(user: Any) -> Any:
    """Transfers into or out of the municipalities the user manages (administrators: all),
    and the user's own as ALIS."""
    scope = scope_for(user)
    qs = Transfer.objects.select_related(
        "trainee__person", "from_municipality", "to_municipality", "requested_by", "decided_by"
    )
    if scope.user_id is None:
        return qs.none()
    if scope.is_admin:
        return qs
    ids = scope.managed_municipality_ids
    mine = Q(trainee__person_id=scope.person_id) if scope.person_id else Q(pk__in=[])
    return qs.filter(Q(from_municipality_id__in=ids) | Q(to_municipality_id__in=ids) | mine)


def _manager_emails(municipality: Municipality) -> list[str]:
    return sorted(
        {
            email
            for email in RoleAssignment.objects.filter(
                municipality=municipality, role__in=[Role.LEADER, Role.COORDINATOR]
            ).values_list("user__email", flat=True)
            if email
        }
    )


@transaction.atomic
def request_transfer(
    *, trainee: Trainee, to_municipality: Municipality, effective: dt.date, note: str, by: Any
) -> Transfer:
    if not may_request(by, trainee):
        raise PermissionDenied
    if to_municipality.pk == trainee.municipality_id:
        raise ValidationError(
            {"to_municipality": _("ALIS-en hører allerede til %(m)s.") % {"m": to_municipality}}
        )
    if Transfer.objects.filter(trainee=trainee, status__in=OPEN).exists():
        raise ValidationError(
            {"to_municipality": _("Det finnes allerede en flytting som venter på svar.")}
        )
    transfer = Transfer(
        trainee=trainee,
        from_municipality_id=trainee.municipality_id,
        to_municipality=to_municipality,
        effective=effective,
        note=note,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    transfer.full_clean()
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:  # a parallel request won the race
        raise ValidationError(
            {"to_municipality": _("Det finnes allerede en flytting som venter på svar.")}
        ) from exc
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=transfer,
        municipality_id=trainee.municipality_id,
        after=snapshot(transfer),
        summary=f"Flytting til {to_municipality} bedt om",
    )
    to = _manager_emails(to_municipality)
    if to:
        send_mail(
            _("%(name)s flytter til %(m)s: bekreft overtakelsen")
            % {"name": trainee.person.full_name, "m": to_municipality.name},
            _("Se og bekreft flyttingen i Veiviser: %(url)s")
            % {"url": settings.SITE_URL + reverse("transfer_list")},
            None,
            to,
            fail_silently=True,
        )
    return transfer


OPEN = OPEN_TRANSFER


def _locked(transfer: Transfer, *statuses: str) -> Transfer:
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status not in statuses:
        raise ValidationError(_("Flyttingen er allerede behandlet."))
    return locked


@transaction.atomic
def accept_transfer(
    *, transfer: Transfer, office: Office | None, by: Any, today: dt.date | None = None
) -> Transfer:
    """The receiving municipality takes over the ALIS: at once when the effective date has
    come, else on that date (the transfer is scheduled). Accepting a scheduled transfer again
    takes over at once, from ``today``. The second of two parallel acceptances is refused."""
    if not scope_for(by).can_manage_municipality(transfer.to_municipality_id):
        raise PermissionDenied
    day = today or timezone.localdate()
    transfer = _locked(transfer, *OPEN)
    if office is not None and office.municipality_id != transfer.to_municipality_id:
        raise ValidationError({"office": _("Legekontoret må høre til den nye kommunen.")})
    if transfer.status == TransferStatus.SCHEDULED:
        if office is not None:
            transfer.office = office
        transfer.effective = min(transfer.effective, day)
        transfer.save(update_fields=["office", "effective"])
        return _carry_out(transfer, by=by)
    transfer.office = office
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    if transfer.effective > day:
        transfer.status = TransferStatus.SCHEDULED
        transfer.save(update_fields=["office", "status", "decided_by", "decided_at"])
        record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            instance=transfer,
            municipality_id=transfer.to_municipality_id,
            after=snapshot(transfer),
            summary=(
                f"Flytting fra {transfer.from_municipality} godtatt; "
                f"trer i kraft {transfer.effective:%d.%m.%Y}"
            ),
        )
        return transfer
    transfer.save(update_fields=["office", "decided_by", "decided_at"])
    return _carry_out(transfer, by=by)


def _carry_out(transfer: Transfer, *, by: Any) -> Transfer:
    """Move the ALIS (within the caller's transaction, ``transfer`` locked)."""
    trainee = Trainee.objects.select_for_update().get(pk=transfer.trainee_id)
    before = snapshot(trainee)
    trainee.municipality_id = transfer.to_municipality_id
    trainee.office = transfer.office
    trainee.save(update_fields=["municipality", "office"])
    last_day = transfer.effective - dt.timedelta(days=1)
    ended = 0
    for mentorship in Mentorship.objects.filter(trainee=trainee, ended__isnull=True):
        mentorship.ended = max(last_day, mentorship.started)
        mentorship.save(update_fields=["ended"])
        ended += 1
    transfer.status = TransferStatus.ACCEPTED
    transfer.save(update_fields=["status"])
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=trainee,
        municipality_id=transfer.to_municipality_id,
        before=before,
        after=snapshot(trainee),
        summary=(
            f"Overtatt fra {transfer.from_municipality} fra {transfer.effective:%d.%m.%Y}; "
            f"{ended} veileder/supervisør avsluttet"
        ),
    )
    if trainee.person.email:
        send_mail(
            _("Du er nå ALIS i %(m)s") % {"m": transfer.to_municipality.name},
            _("Utdanningsløpet ditt er flyttet med deg: %(url)s")
            % {"url": settings.SITE_URL + reverse("trainee_detail", args=[trainee.pk])},
            None,
            [trainee.person.email],
            fail_silently=True,
        )
    return transfer


def apply_due_transfers(today: dt.date | None = None) -> int:
    """Carry out the scheduled transfers whose effective date has come; the number done.
    Idempotent and safe to run in parallel (each transfer is locked and re-checked)."""
    day = today or timezone.localdate()
    done = 0
    due = Transfer.objects.filter(status=TransferStatus.SCHEDULED, effective__lte=day)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            transfer = (
                Transfer.objects.select_for_update(of=("self",))
                .select_related("from_municipality", "to_municipality", "trainee__person")
                .get(pk=pk)
            )
            if transfer.status == TransferStatus.SCHEDULED and transfer.effective <= day:
                _carry_out(transfer, by=None)
                done += 1
    return done


@transaction.atomic
def close_transfer(*, transfer: Transfer, by: Any) -> Transfer:
    """The requesting side withdraws, or the receiving side declines — before the ALIS has
    moved (while pending or scheduled)."""
    scope = scope_for(by)
    receiving = scope.can_manage_municipality(transfer.to_municipality_id)
    requesting = may_request(by, transfer.trainee)
    if not (receiving or requesting):
        raise PermissionDenied
    transfer = _locked(transfer, *OPEN)
    transfer.status = TransferStatus.CANCELLED if requesting else TransferStatus.DECLINED
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        instance=transfer,
        municipality_id=transfer.from_municipality_id,
        after=snapshot(transfer),
        summary=f"Flytting {transfer.get_status_display()}",
    )
    return transfer
