"""Scoped lookups for agreements, rates and claims (outside the user's scope → 404, visible but
not theirs to read in full or to change → 403; docs/adr/0058-agreement-access.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.agreements.models import Agreement, GrantClaim, GrantRate
from veiviser.agreements.querysets import manager_ids, oversight_ids
from veiviser.core.models import Municipality
from veiviser.training.models import Trainee


def _check(user: Any, municipality_id: int, *, manage: bool) -> None:
    scope = scope_for(user)
    ids = oversight_ids(scope)
    if ids is not None and municipality_id not in ids:
        raise PermissionDenied
    if manage:
        managed = manager_ids(scope)
        if managed is not None and municipality_id not in managed:
            raise PermissionDenied


def get_municipality_for_user(user: Any, number: str, *, manage: bool = False) -> Municipality:
    """A municipality whose agreements or claims the user oversees: 404 when the user cannot
    see the municipality at all, 403 when they can but do not oversee (or manage) it."""
    municipality = get_object_or_404(
        Municipality.objects.visible_to(user).select_related("regional_office"), number=number[:4]
    )
    _check(user, municipality.pk, manage=manage)
    return municipality


def get_agreement_for_user(user: Any, pk: int, *, manage: bool = False) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.visible_to(user).select_related(
            "municipality", "trainee__person", "trainee__office"
        ),
        pk=pk,
    )
    if manage and not scope_for(user).can_manage_municipality(agreement.municipality_id):
        raise PermissionDenied
    return agreement


def get_trainee_for_agreements(user: Any, pk: int) -> Trainee:
    """An ALIS whose agreements the user may list: the ALIS, their veileder, the oversight
    roles. Others who can see the ALIS (a supervisor) get 403."""
    from veiviser.training.access import get_trainee_for_user

    trainee = get_trainee_for_user(user, pk)
    if may_list_trainee_agreements(user, trainee):
        return trainee
    if Agreement.objects.visible_to(user).filter(trainee=trainee).exists():
        return trainee
    raise PermissionDenied


def may_list_trainee_agreements(user: Any, trainee: Trainee) -> bool:
    """The oversight roles of the ALIS's municipality, the ALIS and their veileder."""
    from veiviser.training.services import relations

    ids = oversight_ids(scope_for(user))
    if ids is None or trainee.municipality_id in ids:
        return True
    return bool(relations(user, trainee) & {"alis", "veileder", "managers", "admin"})


def get_claim_for_user(user: Any, pk: int) -> GrantClaim:
    scope = scope_for(user)
    claim = get_object_or_404(GrantClaim.objects.select_related("municipality"), pk=pk)
    if not scope.can_read_municipality(claim.municipality_id):
        raise Http404
    _check(user, claim.municipality_id, manage=False)
    return claim


def require_rate_reader(user: Any) -> None:
    """The rate table: anyone with an oversight role reads it."""
    scope = scope_for(user)
    ids = oversight_ids(scope)
    if ids is not None and not ids:
        raise PermissionDenied


def get_rate_for_admin(user: Any, pk: int) -> GrantRate:
    if not scope_for(user).is_admin:
        raise PermissionDenied
    return get_object_or_404(GrantRate, pk=pk)
