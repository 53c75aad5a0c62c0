"""Object lookups scoped to the user. Views call these and never look an object up unscoped.

Not visible → 404 (an id reveals nothing); visible but not the user's to change → 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality, Office, Person


def get_municipality_for_user(user: Any, number: str) -> Municipality:
    return get_object_or_404(
        Municipality.objects.visible_to(user).select_related("regional_office"), number=number
    )


def get_managed_municipality_for_user(user: Any, number: str) -> Municipality:
    municipality = get_municipality_for_user(user, number)
    if not scope_for(user).can_manage_municipality(municipality.pk):
        raise PermissionDenied
    return municipality


def get_office_for_user(user: Any, pk: int, *, manage: bool = False) -> Office:
    office = get_object_or_404(
        Office.objects.visible_to(user).select_related("municipality"), pk=pk
    )
    if manage and not scope_for(user).can_manage_municipality(office.municipality_id):
        raise PermissionDenied
    return office


def get_person_for_user(user: Any, pk: int) -> Person:
    return get_object_or_404(Person.objects.visible_to(user), pk=pk)


def can_manage_person(user: Any, person: Person) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    return person.home_municipality_id in scope.managed_municipality_ids


def require_admin(user: Any) -> None:
    if not scope_for(user).is_admin:
        raise PermissionDenied
