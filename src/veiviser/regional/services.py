"""Writes of the regional office: the veileder pool and couplings of ALIS with a veileder.

Each service is keyword-only and atomic, checks that the writer works for the region (or is an
administrator) and writes the audit log. A coupling creates the veileder ``Mentorship`` and,
when the veileder works in another municipality than the ALIS, records the inter-municipal
arrangement (docs/adr/0069-veileder-matching.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veiviser.audit.models import AuditEvent
from veiviser.audit.services import record, snapshot
from veiviser.core.models import Municipality
from veiviser.regional.access import can_manage_region
from veiviser.regional.models import InterMunicipalArrangement, VeilederProfile
from veiviser.rules import regional as rules
from veiviser.training.models import MentorKind, Mentorship, Trainee


def _require_manager(user: Any, region_id: int) -> None:
    if not can_manage_region(user, region_id):
        raise PermissionDenied


def current_load(person_id: int) -> int:
    """Active veileder mentorships of the person (any municipality)."""
    return (
        Mentorship.objects.current().filter(kind=MentorKind.VEILEDER, mentor_id=person_id).count()
    )


@transaction.atomic
def save_profile(
    *, profile: VeilederProfile, municipalities: Iterable[Municipality], by: Any
) -> VeilederProfile:
    """Add a veileder to the region's pool or change their profile."""
    _require_manager(by, profile.region_id)
    chosen = list(municipalities)
    errors: dict[str, list[str]] = {}
    person = profile.person
    home = person.home_municipality
    if not person.is_doctor:
        errors.setdefault("person", []).append(_("Veilederen må være lege."))
    if home is None or home.regional_office_id != profile.region_id:
        errors.setdefault("person", []).append(_("Veilederen må arbeide i en kommune i regionen."))
    outside = [m for m in chosen if m.regional_office_id != profile.region_id]
    if outside:
        errors["municipalities"] = [
            _("%(name)s hører ikke til regionen.") % {"name": outside[0].name}
        ]
    if errors:
        raise ValidationError(errors)
    is_new = profile.pk is None
    before = None
    if not is_new:
        old = VeilederProfile.objects.get(pk=profile.pk)
        before = {
            **snapshot(old),
            "municipalities": sorted(old.municipalities.values_list("number", flat=True)),
        }
    if is_new and profile.approved_by_id is None:
        profile.approved_by = by if getattr(by, "is_authenticated", False) else None
    profile.full_clean()
    profile.save()
    profile.municipalities.set(chosen)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE if is_new else AuditEvent.Action.UPDATE,
        instance=profile,
        municipality_id=home.pk if home else None,
        before=before,
        after={**snapshot(profile), "municipalities": sorted(m.number for m in chosen)},
        summary=_("Veilederpool: %(name)s") % {"name": person.full_name},
    )
    return profile


def candidate_of(profile: VeilederProfile, load: int) -> rules.Candidate:
    home = profile.person.home_municipality
    return rules.Candidate(
        profile_id=profile.pk,
        person_id=profile.person_id,
        municipality=home.number if home else "",
        county=home.county_number if home else "",
        serves=frozenset(m.number for m in profile.municipalities.all()),
        capacity=profile.capacity,
        load=load,
    )


def need_of(trainee: Trainee) -> rules.Need:
    return rules.Need(
        trainee_id=trainee.pk,
        person_id=trainee.person_id,
        municipality=trainee.municipality.number,
        county=trainee.municipality.county_number,
    )


@transaction.atomic
def connect(
    *,
    trainee: Trainee,
    profile: VeilederProfile,
    by: Any,
    starts: dt.date | None = None,
    note: str = "",
) -> Mentorship:
    """Appoint ``profile``'s veileder for the ALIS (who has no veileder now).

    The profile row is locked so that two couplings at once cannot exceed its capacity.
    """
    _require_manager(by, profile.region_id)
    municipality = trainee.municipality
    if municipality.regional_office_id != profile.region_id:
        raise PermissionDenied
    profile = (
        VeilederProfile.objects.select_for_update(of=("self",))
        .select_related("person__home_municipality")
        .get(pk=profile.pk)
    )
    starts = starts or timezone.localdate()
    if not profile.active:
        raise ValidationError({"profile": [_("Veilederen er ikke aktiv i poolen.")]})
    if Mentorship.objects.current().filter(trainee=trainee, kind=MentorKind.VEILEDER).exists():
        raise ValidationError({"trainee": [_("ALIS har allerede en veileder.")]})
    candidate = candidate_of(profile, current_load(profile.person_id))
    if not rules.eligible(need_of(trainee), candidate):
        if candidate.person_id == trainee.person_id:
            message = _("En ALIS kan ikke være sin egen veileder.")
        elif candidate.free <= 0:
            message = _("Veilederen har ikke ledig kapasitet.")
        else:
            message = _("Veilederen kan ikke veilede i %(name)s.") % {"name": municipality.name}
        raise ValidationError({"profile": [message]})
    provider = profile.person.home_municipality
    inter_municipal = provider is not None and provider.pk != municipality.pk
    mentorship = Mentorship(
        trainee=trainee,
        mentor=profile.person,
        kind=MentorKind.VEILEDER,
        started=starts,
        inter_municipal=inter_municipal,
    )
    mentorship.full_clean()
    mentorship.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        instance=mentorship,
        municipality_id=municipality.pk,
        after=snapshot(mentorship),
        summary=_("Veileder koblet via regional veilederpool"),
    )
    if inter_municipal:
        arrangement = InterMunicipalArrangement(
            region_id=profile.region_id,
            host=municipality,
            provider=provider,
            mentorship=mentorship,
            profile=profile,
            starts=starts,
            note=note,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        arrangement.full_clean()
        arrangement.save()
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            instance=arrangement,
            municipality_id=municipality.pk,
            after=snapshot(arrangement),
            summary=_("Interkommunal veiledning: %(a)s → %(b)s")
            % {"a": provider.name, "b": municipality.name},  # type: ignore[union-attr]
        )
    return mentorship
