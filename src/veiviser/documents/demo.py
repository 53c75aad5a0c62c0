"""Demo: Lærdal and Bergen have a general training plan (first version filled in from the
starting text, as a leader would; the demo world's hook ``build_demo``)."""

from __future__ import annotations

import datetime as dt
import re

from veiviser.accounts.models import User
from veiviser.core.models import Municipality
from veiviser.documents.models import MunicipalTrainingPlan
from veiviser.documents.services import save_municipal_plan
from veiviser.documents.starter import starting_text

# What the demo leaders wrote where the starting text leaves a blank.
FILLED = {
    "[antall] måneder": "tre måneder",
    "listetak [antall] pasienter": "listetak 500 pasienter",
    "[antall dager per år]": "fem dager per år",
    "[navn og stillingsprosent, f.eks. 25 %]": "ALIS-koordinator i 20 % stilling",
    "[stilling, f.eks. kommunalsjef helse eller kommuneoverlege]": "kommunalsjef helse",
    "[hvert halvår / hver tredje måned]": "hvert halvår",
    "[fast tidspunkt, f.eks. annenhver tirsdag kl. 14–16]": "annenhver tirsdag kl. 14–16",
    "[sats og ordning, f.eks. timesats eller stillingsandel]": "timesats etter avtale",
}
PLACEHOLDER = re.compile(r"\[([^\]]+)\]")


def _fill(text: str, leader: str) -> str:
    named = {
        "[navn og stilling på helseleder, og stedfortreder]": (
            f"{leader}, kommunalsjef helse; stedfortreder er kommuneoverlegen"
        ),
        "[navn og stilling]": f"{leader}, kommunalsjef helse",
    }
    for blank, value in {**named, **FILLED}.items():
        text = text.replace(blank, value)
    # any other blank: the first of the suggested options, without the brackets
    return PLACEHOLDER.sub(lambda m: re.split(r" / |, f\.eks\. ", m.group(1))[0], text)


def build_demo() -> None:
    for number, username in (("4642", "leder.laerdal"), ("4601", "leder.bergen")):
        municipality = Municipality.objects.select_related("regional_office").get(number=number)
        if MunicipalTrainingPlan.objects.filter(municipality=municipality).exists():
            continue
        leader = User.objects.get(username=username)
        offices = municipality.offices.all()
        name = leader.get_full_name()
        content = {k: _fill(v, name) for k, v in starting_text(municipality, offices).items()}
        content["responsible_name"] = leader.get_full_name()
        content["responsible_title"] = "Kommunalsjef helse"
        content["contact_email"] = leader.email
        save_municipal_plan(
            municipality=municipality,
            content=content,
            by=leader,
            base_version=None,
            valid_from=dt.date(2025, 1, 1),
            change_note="Første versjon (demo)",
        )
