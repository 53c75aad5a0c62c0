"""The starting text of a municipality's general training plan (generell utdanningsplan).

A municipality new to ALIS opens the form and finds every section filled in with what the
regulation requires and what the follow-up study of ALIS-Vest and ALIS-Nord (Fafo-rapport
2023:02, chapter 3 and 4) found working in practice. What only the municipality knows is left
as a fill-in mark in square brackets, "[…]"; the page and the PDF count the marks left and show
the plan as a draft until none remain. Names the register already knows (the municipality, its
GP offices, its regional ALIS office) are written in.

Bokmål only: the plan is a Norwegian document the municipality files with Helsedirektoratet
(docs/adr/0042-municipal-plan-versions-and-starting-text.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _offices(offices: Iterable[Any]) -> str:
    lines = [
        f"- {o.name}" + (f", {o.address}" if getattr(o, "address", "") else "") for o in offices
    ]
    if not lines:
        return "- [Legekontorets navn og adresse – ett punkt per legekontor]"
    return "\n".join(lines)


def starting_text(municipality: Any, offices: Iterable[Any] = ()) -> dict[str, str]:
    """Every section and contact field of a first plan for ``municipality``."""
    name = municipality.name
    region = getattr(municipality, "regional_office", None)
    region_name = region.name if region is not None else "[regionalt ALIS-kontor]"
    if municipality.registered_institution and municipality.registered_at:
        registered = (
            f"{name} kommune er registrert utdanningsvirksomhet for spesialiteten "
            f"allmennmedisin hos Helsedirektoratet fra {municipality.registered_at:%d.%m.%Y}."
        )
    else:
        registered = (
            f"{name} kommune søker Helsedirektoratet om å bli registrert utdanningsvirksomhet "
            "for spesialiteten allmennmedisin, og denne planen følger søknaden. "
            "[Dato for søknad eller registrering]"
        )
    return {
        "organisation": (
            f"{registered}\n\n"
            "Kommunen har ansvar for å planlegge og legge til rette for et helhetlig "
            "utdanningsløp for hver lege i spesialisering i allmennmedisin (ALIS), for at "
            "oppnådde læringsmål blir dokumentert, og for å bekrefte gjennomført tjeneste.\n\n"
            "- Overordnet ansvar: [stilling, f.eks. kommunalsjef helse eller "
            "kommuneoverlege]\n"
            "- Kommunal helseleder som godkjenner læringsmål på vegne av kommunen: "
            "[navn og stilling]\n"
            "- ALIS-koordinator: [navn og stillingsprosent, f.eks. 25 %] – følger opp "
            "utdanningsplaner, registrering av læringsmål, veiledning og tilskudd\n\n"
            "Hver ALIS lager sin individuelle utdanningsplan i Kompetanseportalen i samarbeid "
            "med veileder og kommunal helseleder, innen [antall] måneder etter oppstart. "
            "Kommunen ser til at planen blir laget og fulgt opp. Helseleder møter ALIS og "
            "veileder [hvert halvår / hver tredje måned] for å gå gjennom progresjon, "
            "tjenesteplan og behov for tilrettelegging. Terskelen for å ta kontakt underveis "
            "skal være lav.\n\n"
            "Planen gjelder alle leger i kommunen som er i spesialisering i allmennmedisin, "
            "uavhengig av stilling og avtaleform."
        ),
        "arenas_open_practice": (
            "ALIS arbeider som fastlege eller fastlegevikar med egen pasientliste på "
            "legekontorene nedenfor. Minst to år av utdanningen skal være i åpen uselektert "
            "allmennpraksis; ALIS med hovedstilling i sykehjem, legevakt e.l. går over til "
            "fastlegepraksis i minst to år.\n\n"
            f"{_offices(offices)}\n\n"
            "For å gi en forsiktig progresjon i arbeidsbelastningen har ALIS listetak "
            "[antall] pasienter det første året. Legekontorene har [daglige morgenmøter og "
            "internundervisning én gang i måneden], slik at ALIS blir en del av et faglig "
            "fellesskap og ikke sitter alene."
        ),
        "arenas_other_gp": (
            "Annen allmennmedisinsk tjeneste teller inntil 2,5 år av utdanningen. ALIS i "
            f"{name} kommune kan få tjeneste på disse arenaene:\n\n"
            "- Legevakt: [legevaktordning, f.eks. interkommunal legevakt i … – legevakt inngår "
            "i læringsmålene]\n"
            "- Sykehjem: [sykehjem og stillingsandel]\n"
            "- Kommunal akutt døgnenhet (KAD): [hvis aktuelt]\n"
            "- Helsestasjon og skolehelsetjeneste: [hvis aktuelt]\n"
            "- Fengselshelsetjeneste eller annen kommunal legetjeneste: [hvis aktuelt]\n\n"
            "Tjenesten på disse arenaene planlegges i den individuelle utdanningsplanen, slik "
            "at ALIS når læringsmålene som hører til dem."
        ),
        "arenas_institution": (
            "ALIS skal ha minst 6 måneders institusjonstjeneste, vanligvis i en "
            "sykehusavdeling som er godkjent utdanningsvirksomhet. Tjenesten kan deles, for "
            "eksempel 3 + 3 måneder.\n\n"
            "- Helseforetak og avdelinger: [helseforetak, sykehus og avdelinger]\n"
            "- Avtale: [hvordan plassene avtales med helseforetaket, og hvem som tar kontakt]\n"
            "- Tidspunkt: institusjonstjenesten avtales med ALIS og skrives inn i den "
            "individuelle utdanningsplanen senest [antall] måneder før den starter\n"
            "- Vikar: kommunen skaffer vikar for pasientlisten mens ALIS er i "
            "institusjonstjeneste\n"
            "- Lønn, reise og bolig under tjenesten: [kommunens ordning]\n\n"
            "[Hvis kommunen har en institusjon som er godkjent utdanningsvirksomhet (KAD, "
            "rehabilitering, sykehjem): beskriv den her.]"
        ),
        "individual_supervision": (
            "Hver ALIS har en veileder som er spesialist i allmennmedisin med kurs i "
            "veiledning. Veilederen arbeider som hovedregel på samme legekontor som ALIS. Har "
            "kommunen ikke ledig veileder, inngår kommunen avtale med veileder i en annen "
            "kommune.\n\n"
            "- Omfang: minst 4 timer per måned i 10,5 av årets måneder (42 timer i et fullt "
            "år), i hele utdanningen\n"
            "- Tidspunkt: [fast tidspunkt, f.eks. annenhver tirsdag kl. 14–16], i arbeidstiden\n"
            "- Innhold: læringsmål, læringsaktiviteter og progresjon etter den individuelle "
            "utdanningsplanen; ALIS og veileder fører dato, timer og tema\n"
            "- Honorar til veileder: [sats og ordning, f.eks. timesats eller stillingsandel]\n"
            "- Ved fravær: [hvordan veiledning tas igjen, og hvem som er stedfortreder]\n\n"
            "Kommunen søker tilskudd til veiledning fra ordningen «Nasjonal ALIS og "
            "veiledning»."
        ),
        "group_supervision": (
            "ALIS deltar i veiledningsgruppe i regi av Legeforeningen i to år (120 timer). "
            "Minst ett av årene skal ALIS samtidig arbeide minst 50 % i åpen uselektert "
            "allmennpraksis. Deltakelsen bør være sammenhengende; avbrudd eller bytte av gruppe "
            "på grunn av permisjon kan godkjennes.\n\n"
            "- Fri med lønn til gruppemøtene: [ja / ordning]\n"
            "- Reiseutgifter: [hvem som dekker dem]\n"
            "- Gruppeveileder og kommunal helseleder godkjenner og signerer for deltakelsen, "
            "og ALIS registrerer diplomet."
        ),
        "clinical_supervision": (
            "En supervisør er en erfaren lege eller annen fagperson som bistår, gir råd og "
            "vurderer ALIS i konkrete arbeidssituasjoner. Supervisøren må ikke være spesialist "
            "i allmennmedisin, og det er ikke satt noe tidskrav, men ALIS skal ha fortløpende "
            "tilgang til supervisjon i hele utdanningsløpet. Kommunen har ansvaret for dette.\n\n"
            "- På legekontoret: [hvem, f.eks. erfarne fastleger på kontoret, og hvordan ALIS "
            "får hjelp i konsultasjonstiden]\n"
            "- På legevakt: [bakvakt eller erfaren lege på vakt]\n"
            "- På sykehjem og andre arenaer: [tilsynslege e.l.]\n\n"
            "Supervisøren vurderer og anbefaler læringsmål sammen med veileder (se punkt 6)."
        ),
        "assessment": (
            "ALIS dokumenterer læringsaktiviteter og ber om vurdering av læringsmålene (de "
            "allmennmedisinske læringsmålene, ALM, og de felles kompetansemålene, FKM) i "
            "Kompetanseportalen.\n\n"
            "- Veileder og supervisør vurderer om målet er nådd, og anbefaler godkjenning\n"
            "- Kommunal helseleder godkjenner målet på vegne av kommunen når både veileder og "
            "supervisør har anbefalt det; ALIS godkjenner aldri egne mål\n"
            "- Godkjenner: [navn og stilling på helseleder, og stedfortreder]\n"
            "- Læringsmålene vurderes løpende og gjennomgås i oppfølgingsmøtene (se punkt 1)\n"
            "- Når et mål ikke godkjennes, får ALIS begrunnelse og en plan for hvordan målet "
            "kan nås\n\n"
            "Kommunen utsteder attest for allmennmedisinsk virksomhet for tjenesten i kommunen "
            "når ALIS ber om det."
        ),
        "courses_and_leave": (
            "Anbefalte kurs er fire allmennmedisinske grunnkurs (A–D), kurs i akuttmedisin og "
            "emnekurs i minst seks ulike emner på minst 15 timer hver. ALIS velger kurs i "
            "samråd med veileder og skriver dem inn i den individuelle utdanningsplanen.\n\n"
            "- Utdanningspermisjon med lønn: [antall dager per år]\n"
            "- Utgifter som ikke dekkes av Legeforeningens fond: [hva kommunen dekker]\n"
            "- Vikar eller annen dekning av pasientlisten ved kurs: [ordning]\n"
            "- Kursbevis leveres til [ALIS-koordinator / leder]."
        ),
        "cooperation": (
            f"{name} kommune samarbeider med andre om spesialistutdanningen der det gir ALIS "
            "bedre utdanning eller gjør den mulig:\n\n"
            "- Andre kommuner: [interkommunal legevakt, veiledere fra nabokommuner "
            "(«veilederpool»), felles internundervisning]\n"
            "- Helseforetaket: [institusjonstjeneste, hospitering, samhandlingsarenaer]\n"
            f"- Regionalt ALIS-kontor: {region_name} gir råd om utdanningsløp, ALIS-avtaler "
            "og veiledere\n\n"
            "Avtaler med andre kommuner og helseforetaket ligger i [arkiv / saksnummer]."
        ),
        "responsible_name": "",
        "responsible_title": "",
        "contact_email": "",
        "contact_phone": "",
    }
