"""Writes for users, roles and tokens; login throttling. Each write is atomic and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.accounts.models import ApiToken, LoginFailure, Role, RoleAssignment, User
from veiviser.accounts.scope import scope_for
from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot

# Roles a municipal leader or coordinator may hand out inside their own municipality.
MANAGER_GRANTABLE = {Role.ALIS, Role.VEILEDER, Role.SUPERVISOR, Role.COORDINATOR}


def login_allowed(*, username: str, address: str | None) -> bool:
    """False while the username or the address has too many recent failures."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    condition = Q(username__iexact=username)
    if address:
        condition |= Q(address=address)
    recent = LoginFailure.objects.filter(condition, at__gte=since)
    by_name = recent.filter(username__iexact=username).count()
    by_address = recent.filter(address=address).count() if address else 0
    limit = settings.LOGIN_FAILURE_LIMIT
    # An address may try a few usernames (a shared office network), but not unboundedly.
    return by_name < limit and by_address < limit * 4


@transaction.atomic
def record_login_failure(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], address=address)
    record(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.User",
        summary=f"Mislykket innlogging for {username[:100]}",
        address=address,
    )


@transaction.atomic
def record_login(*, user: User, address: str | None, method: str = "password") -> None:
    LoginFailure.objects.filter(username__iexact=user.username).delete()
    record(
        actor=user,
        action=AuditEvent.Action.LOGIN,
        instance=user,
        summary=f"Innlogging ({method})",
        address=address,
    )


@transaction.atomic
def create_api_token(*, user: User, name: str, by: Any) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is shown once and never stored."""
    if not name.strip():
        raise ValidationError({"name": _("Gi nøkkelen et navn.")})
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(user=user, name=name.strip()[:80], key_hash=ApiToken.hash(raw))
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=token,
        after={"user": user.pk, "name": token.name},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=by,
            action=AuditEvent.Action.UPDATE,
            instance=token,
            summary="API-nøkkel trukket tilbake",
        )


def can_grant(by: Any, role: str, municipality_id: int | None) -> bool:
    scope = scope_for(by)
    if scope.is_admin:
        return True
    return (
        role in MANAGER_GRANTABLE
        and municipality_id is not None
        and municipality_id in scope.managed_municipality_ids
    )


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: str,
    by: Any,
    municipality_id: int | None = None,
    regional_office_id: int | None = None,
) -> RoleAssignment:
    if not can_grant(by, role, municipality_id):
        raise PermissionDenied(_("Du kan ikke gi denne rollen."))
    assignment = RoleAssignment(
        user=user,
        role=role,
        municipality_id=municipality_id,
        regional_office_id=regional_office_id,
    )
    assignment.full_clean()
    assignment.save()
    record(
        actor=by, action=AuditEvent.Action.CREATE, instance=assignment, after=snapshot(assignment)
    )
    return assignment


@transaction.atomic
def remove_role(*, assignment: RoleAssignment, by: Any) -> None:
    if not can_grant(by, assignment.role, assignment.municipality_id):
        raise PermissionDenied(_("Du kan ikke fjerne denne rollen."))
    before = snapshot(assignment)
    record(actor=by, action=AuditEvent.Action.DELETE, instance=assignment, before=before)
    assignment.delete()
