"""The regional office's part of the demo world: ALIS-Vest's veileder pool and the recorded
inter-municipal arrangement of the veileder from Lærdal who serves Årdal's ALIS. Modalen's ALIS
has no veileder, so the matching page has a candidate to couple. All people are fictitious."""

from __future__ import annotations

from datetime import date

from veiviser.core.models import Municipality, Person, RegionalOffice
from veiviser.regional.models import InterMunicipalArrangement, VeilederProfile
from veiviser.training.models import MentorKind, Mentorship

VEST = "ALIS Vest (Bergen)"

# (home municipality, index among its demo GPs, capacity, other municipalities served, note)
POOL = [
    ("4634", 0, 2, ("4629", "4635"), "Erfaren veileder, kjenner Modalen og Gulen godt."),
    ("4601", 0, 3, ("4634", "4629"), "Kan ta ALIS i Nordhordland; helst videoveiledning."),
    ("4601", 1, 2, ("4624",), ""),
    ("4614", 0, 1, ("4613",), "Veileder for én ALIS i Bømlo ved behov."),
]


def build_demo() -> None:
    region = RegionalOffice.objects.filter(name=VEST).first()
    if region is None or VeilederProfile.objects.filter(region=region).exists():
        return
    by_number = {m.number: m for m in Municipality.objects.filter(regional_office=region)}
    approved = date(2024, 1, 15)
    veileder = Person.objects.filter(user__username="veileder").first()
    profiles: list[VeilederProfile] = []
    if veileder is not None:
        profile = VeilederProfile.objects.create(
            region=region,
            person=veileder,
            approved_on=approved,
            capacity=3,
            note="Veileder i Lærdal, veileder også ALIS i Årdal.",
        )
        profile.municipalities.set([m for n, m in by_number.items() if n == "4643"])
        profiles.append(profile)
    for number, index, capacity, serves, note in POOL:
        municipality = by_number.get(number)
        if municipality is None:
            continue
        gps = list(
            Person.objects.filter(
                home_municipality=municipality,
                is_doctor=True,
                fictitious=True,
                trainee__isnull=True,
                user__isnull=True,
            ).order_by("pk")
        )
        if len(gps) <= index:
            continue
        profile = VeilederProfile.objects.create(
            region=region, person=gps[index], approved_on=approved, capacity=capacity, note=note
        )
        profile.municipalities.set([by_number[n] for n in serves if n in by_number])
        profiles.append(profile)
    # The veileder from Lærdal serving Årdal's ALIS (created by the demo world).
    ardal, laerdal = by_number.get("4643"), by_number.get("4642")
    if veileder is None or ardal is None or laerdal is None:
        return
    mentorship = (
        Mentorship.objects.filter(
            mentor=veileder, kind=MentorKind.VEILEDER, trainee__municipality=ardal
        )
        .order_by("pk")
        .first()
    )
    if mentorship is not None:
        InterMunicipalArrangement.objects.create(
            region=region,
            host=ardal,
            provider=laerdal,
            mentorship=mentorship,
            profile=profiles[0] if profiles else None,
            starts=mentorship.started,
            note="Årdal betaler Lærdal for veiledningstimene; avtalen fornyes årlig.",
        )
