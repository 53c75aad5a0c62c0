"""What a user may see and change: computed once per request from the user's role assignments.

This is the one place where roles turn into sets of municipality and region ids. Querysets'
``visible_to(user)`` methods and ``get_<thing>_for_user`` helpers build on it; no view looks an
object up without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veiviser.accounts.models import User


@dataclass(frozen=True)
class Scope:
    """The scope of one user, derived from their active role assignments."""

    user_id: int | None
    person_id: int | None
    roles: frozenset[str] = frozenset()
    is_admin: bool = False
    is_national: bool = False
    # Municipalities the user manages (leader or coordinator): read and write.
    managed_municipality_ids: frozenset[int] = frozenset()
    # Municipalities where the user is leader: may approve learning goals.
    leader_municipality_ids: frozenset[int] = frozenset()
    # Regional offices the user works for, and their municipalities (read, follow-up).
    region_ids: frozenset[int] = frozenset()
    region_municipality_ids: frozenset[int] = frozenset()
    # Municipalities where the user has any role (veileder, supervisor, ALIS): basic read.
    member_municipality_ids: frozenset[int] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def sees_everything(self) -> bool:
        return self.is_admin or self.is_national

    @property
    def readable_municipality_ids(self) -> frozenset[int] | None:
        """Municipalities whose data the user may read; None means all."""
        if self.sees_everything:
            return None
        return (
            self.managed_municipality_ids
            | self.region_municipality_ids
            | self.member_municipality_ids
        )

    @property
    def oversight_municipality_ids(self) -> frozenset[int] | None:
        """Municipalities whose people and training records the user may read; None = all."""
        if self.sees_everything:
            return None
        return self.managed_municipality_ids | self.region_municipality_ids

    def can_manage_municipality(self, municipality_id: int) -> bool:
        return self.is_admin or municipality_id in self.managed_municipality_ids

    def can_read_municipality(self, municipality_id: int) -> bool:
        ids = self.readable_municipality_ids
        return ids is None or municipality_id in ids

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS_SCOPE = Scope(user_id=None, person_id=None)


def scope_for(user: User | Any) -> Scope:
    """The user's scope, computed once and cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_SCOPE
    cached: Scope | None = getattr(user, "_veiviser_scope", None)
    if cached is not None:
        return cached
    from veiviser.accounts.models import Role, RoleAssignment
    from veiviser.core.models import Municipality

    assignments = list(RoleAssignment.objects.active().filter(user=user))
    roles = frozenset(a.role for a in assignments)
    managed = frozenset(
        a.municipality_id
        for a in assignments
        if a.role in (Role.LEADER, Role.COORDINATOR) and a.municipality_id
    )
    leader = frozenset(
        a.municipality_id for a in assignments if a.role == Role.LEADER and a.municipality_id
    )
    regions = frozenset(
        a.regional_office_id
        for a in assignments
        if a.role == Role.REGIONAL and a.regional_office_id
    )
    region_municipalities: frozenset[int] = frozenset()
    if regions:
        region_municipalities = frozenset(
            Municipality.objects.filter(regional_office_id__in=regions).values_list("id", flat=True)
        )
    members = frozenset(a.municipality_id for a in assignments if a.municipality_id)
    scope = Scope(
        user_id=user.pk,
        person_id=user.person_id,
        roles=roles,
        is_admin=bool(user.is_superuser) or Role.ADMIN in roles,
        is_national=Role.NATIONAL in roles,
        managed_municipality_ids=managed,
        leader_municipality_ids=leader,
        region_ids=regions,
        region_municipality_ids=region_municipalities,
        member_municipality_ids=members,
    )
    user._veiviser_scope = scope
    return scope
