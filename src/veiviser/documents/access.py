"""Who may read, edit and download the documents (docs/adr/0030: outside scope 404, inside
scope but not yours 403; docs/adr/0043-document-access.md for the choices below)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from veiviser.accounts.scope import scope_for
from veiviser.core.models import Municipality
from veiviser.training.models import Trainee
from veiviser.training.records import with_records


def get_plan_municipality_for_user(user: Any, number: str, *, write: bool = False) -> Municipality:
    """The municipality whose general training plan the user may read: its leaders and
    coordinators, its regional office, national readers and administrators. Everyone else gets
    404. ``write``: only leaders, coordinators and administrators (others 403)."""
    scope = scope_for(user)
    qs = Municipality.objects.select_related("regional_office")
    ids = scope.oversight_municipality_ids
    if scope.user_id is None:
        qs = qs.none()
    elif ids is not None:
        qs = qs.filter(id__in=ids)
    municipality = get_object_or_404(qs, number=number)
    if write and not scope.can_manage_municipality(municipality.pk):
        raise PermissionDenied
    return municipality


def _trainees_for_certificate(user: Any) -> Any:
    """The ALIS the user sees, plus those who served in a municipality the user manages (a
    former municipality issues the certificate for its own period)."""
    scope = scope_for(user)
    visible = Trainee.objects.visible_to(user)
    if scope.is_admin or not scope.managed_municipality_ids:
        return visible
    served = Trainee.objects.filter(
        service_periods__municipality_id__in=scope.managed_municipality_ids
    )
    return Trainee.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=served.values("pk")))


def get_trainee_for_training_plan(user: Any, pk: int) -> Trainee:
    """The ALIS whose individual plan the user may download: everyone who sees the record."""
    qs = with_records(Trainee.objects.visible_to(user)).select_related("office")
    return get_object_or_404(qs, pk=pk)


def get_certificate_subject_for_user(
    user: Any, pk: int, number: str
) -> tuple[Trainee, Municipality]:
    """The ALIS and the municipality of a service certificate.

    404 unless the user sees the ALIS (or manages a municipality they served in) and the
    municipality is the ALIS's own or one where they have service; 403 unless the user manages
    that municipality, is an administrator or is the ALIS."""
    trainee = get_object_or_404(
        with_records(_trainees_for_certificate(user)).select_related("office"), pk=pk
    )
    served = {p.municipality_id for p in trainee.service_periods.all() if p.municipality_id}
    municipality = get_object_or_404(
        Municipality.objects.filter(Q(pk=trainee.municipality_id) | Q(pk__in=served)),
        number=number,
    )
    scope = scope_for(user)
    if not (
        scope.can_manage_municipality(municipality.pk)
        or (scope.person_id is not None and scope.person_id == trainee.person_id)
    ):
        raise PermissionDenied
    return trainee, municipality
