"""User-scoped read paths for agreements and grant claims (docs/adr/0058-agreement-access.md).

Agreements: the municipality's leaders and coordinators, the regional office of its region,
national readers and administrators (the oversight roles), and the ALIS the agreement is with
and their current veileder. Grant claims: the oversight roles only.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from veiviser.accounts.scope import Scope, scope_for
from veiviser.core.scoping import manager_ids as manager_ids
from veiviser.core.scoping import reader_ids as oversight_ids


def agreement_condition(scope: Scope, prefix: str = "") -> Q | None:
    """The filter for agreements the user may read; None means all."""
    ids = oversight_ids(scope)
    if ids is None:
        return None
    condition = Q(**{f"{prefix}municipality_id__in": ids}) if ids else Q(pk__in=[])
    if scope.person_id:
        condition |= Q(**{f"{prefix}trainee__person_id": scope.person_id})
        condition |= Q(
            **{
                f"{prefix}trainee__mentorships__mentor_id": scope.person_id,
                f"{prefix}trainee__mentorships__kind": "veileder",
                f"{prefix}trainee__mentorships__ended__isnull": True,
            }
        )
    return condition


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        scope = scope_for(user)
        if scope.user_id is None:
            return self.none()
        condition = agreement_condition(scope)
        if condition is None:
            return self.all()
        ids = self.filter(condition).values("pk")
        return self.filter(pk__in=ids)

    def managed_by(self, user: Any) -> AgreementQuerySet:
        ids = manager_ids(scope_for(user))
        return self.all() if ids is None else self.filter(municipality_id__in=ids)


class AgreementVersionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AgreementVersionQuerySet:
        from veiviser.agreements.models import Agreement

        return self.filter(agreement__in=Agreement.objects.visible_to(user).values("pk"))


class GrantClaimQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> GrantClaimQuerySet:
        ids = oversight_ids(scope_for(user))
        if ids is None:
            return self.all()
        return self.filter(municipality_id__in=ids) if ids else self.none()
