"""The nynorsk and English translations of the interface (src/veiviser/locale/{nn,en}).

The source strings are bokmål; ``scripts/translations.sh`` extracts them into the .po files and
compiles the .mo files Django reads. These tests catch what a refresh can leave behind: an
entry without a translation, a "fuzzy" guess from msgmerge (Django never shows those), a
translation whose placeholders differ from the source, and a .mo not compiled after the .po
was edited."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "veiviser" / "locale"
LANGUAGES = ["nn", "en"]


# --- a small .po parser (GNU gettext syntax, as written by makemessages/msgmerge) ----------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for singular, n for msgstr[n]
    flags: set[str] = field(default_factory=set)
    line: int = 0


ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), s)


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, header included (msgid ""); obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgid and target is not None:
                finish()  # a comment after msgstr starts the next entry
            if line.startswith("#,"):
                current = current or Entry(line=number)
                current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        keyword = KEYWORD.match(line)
        if keyword:
            name, index, text = keyword.group(1), keyword.group(2), _unescape(keyword.group(3))
            if name in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()  # a new entry without a blank line before it
            current = current or Entry(line=number)
            if name == "msgctxt":
                current.msgctxt, target = text, ("msgctxt", 0)
            elif name == "msgid":
                current.msgid, target = text, ("msgid", 0)
            elif name == "msgid_plural":
                current.msgid_plural, target = text, ("msgid_plural", 0)
            else:
                i = int(index) if index is not None else 0
                current.msgstr[i], target = text, ("msgstr", i)
            continue
        continuation = CONTINUATION.match(line)
        assert continuation and current is not None and target is not None, (
            f"{path}:{number}: cannot parse {raw!r}"
        )
        text = _unescape(continuation.group(1))
        kind, i = target
        if kind == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + text
        elif kind == "msgid":
            current.msgid += text
        elif kind == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + text
        else:
            current.msgstr[i] += text
    finish()
    return entries


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def messages(lang: str) -> list[Entry]:
    return [e for e in parse_po(po_path(lang)) if e.msgid != ""]


def where(lang: str, e: Entry) -> str:
    return f"{lang}/LC_MESSAGES/django.po:{e.line} {e.msgid!r}"


# --- the .po files --------------------------------------------------------------------------


def test_the_parser_reads_plural_multiline_and_escaped_entries(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nn\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Line one "\n"\\"two\\""\n'
        'msgstr "Linje ein \\"to\\""\n'
        'msgid "%(n)s bil"\nmsgid_plural "%(n)s biler"\nmsgstr[0] "%(n)s bil"\n'
        'msgstr[1] "%(n)s bilar"\n\n#~ msgid "gammal"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, first, second = parse_po(po)
    assert header.msgid == "" and header.msgstr[0] == "Language: nn\n"
    assert first.msgid == 'Line one "two"' and first.msgstr[0] == 'Linje ein "to"'
    assert first.flags == {"fuzzy", "python-format"}
    assert second.msgid_plural == "%(n)s biler" and second.msgstr == {
        0: "%(n)s bil",
        1: "%(n)s bilar",
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_po_header_names_the_language_and_is_not_fuzzy(lang: str) -> None:
    header = parse_po(po_path(lang))[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert f"Language: {lang}\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(lang: str) -> None:
    entries = messages(lang)
    assert len(entries) > 100, "the .po file looks empty: run scripts/translations.sh"
    untranslated = [
        where(lang, e)
        for e in entries
        if not all(e.msgstr.values()) or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    fuzzy = [where(lang, e) for e in entries if "fuzzy" in e.flags]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy entries (check and remove the flag):\n" + "\n".join(fuzzy)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_placeholders_and_add_no_html(lang: str) -> None:
    wrong = []
    for e in messages(lang):
        sources = [e.msgid] + ([e.msgid_plural] if e.msgid_plural else [])
        wanted = set().union(*(PLACEHOLDER.findall(s) for s in sources))
        tags = set().union(*(TAG.findall(s) for s in sources))
        for text in e.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != wanted or not set(TAG.findall(text)) <= tags:
                wrong.append(f"{where(lang, e)} -> {text!r}")
    assert not wrong, "placeholders or HTML differ from the source:\n" + "\n".join(wrong)


# --- the compiled .mo files -----------------------------------------------------------------


class _Missing(gettext.NullTranslations):
    """Fallback that marks a lookup the .mo could not answer (identical source and translation,
    such as "ALIS", would otherwise look found)."""

    MARK = "\0missing\0"

    def gettext(self, message: str) -> str:
        return self.MARK

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.MARK

    def pgettext(self, context: str, message: str) -> str:
        return self.MARK

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.MARK


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_mo_matches_the_po(lang: str) -> None:
    mo = po_path(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run scripts/translations.sh"
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    compiled.add_fallback(_Missing())
    stale = []
    for e in messages(lang):
        if e.msgid_plural is None:
            found = {
                0: (
                    compiled.pgettext(e.msgctxt, e.msgid)
                    if e.msgctxt
                    else compiled.gettext(e.msgid)
                )
            }
        else:  # plural=(n != 1): form 0 for n = 1, form 1 for n = 2
            found = {
                i: (
                    compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                    if e.msgctxt
                    else compiled.ngettext(e.msgid, e.msgid_plural, n)
                )
                for i, n in ((0, 1), (1, 2))
            }
        if found != e.msgstr:
            stale.append(f"{where(lang, e)}: .po {e.msgstr!r}, .mo {found!r}")
    assert not stale, "the .mo is out of date (run scripts/translations.sh):\n" + "\n".join(stale)


# --- what Django shows ----------------------------------------------------------------------


KEY_STRINGS = {
    "nn": {
        "Logg inn": "Logg inn",
        "Kommuner": "Kommunar",
        "Oversikt": "Oversikt",
        "Ikke registrert": "Ikkje registrert",
        "Hovedmeny": "Hovudmeny",
        "Personer": "Personar",
        "API-nøkler": "API-nøklar",
        "Utdanningsvirksomhet": "Utdanningsverksemd",
        "Fastlegehjemler": "Fastlegeheimlar",
    },
    "en": {
        "Logg inn": "Log in",
        "Kommuner": "Municipalities",
        "Oversikt": "Overview",
        "Ikke registrert": "Not registered",
        "Hovedmeny": "Main menu",
        "Personer": "People",
        "API-nøkler": "API keys",
        "Utdanningsvirksomhet": "Training institution",
        "Fastlegehjemler": "GP list positions",
        "Legekontor": "GP offices",
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_django_translates_key_interface_strings(lang: str) -> None:
    with translation.override(lang):
        shown = {source: translation.gettext(source) for source in KEY_STRINGS[lang]}
    assert shown == KEY_STRINGS[lang]


def test_bokmal_shows_the_source_strings() -> None:
    with translation.override("nb"):
        assert translation.gettext("Kommuner") == "Kommuner"
        assert translation.gettext("Logg inn") == "Logg inn"


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [("nn", "1 kommune", "3 kommunar"), ("en", "1 municipality", "3 municipalities")],
)
def test_django_translates_plurals_in_templates(lang: str, one: str, many: str) -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} kommune{% plural %}"
        "{{ n }} kommuner{% endblocktranslate %}"
    )
    with translation.override(lang):
        assert template.render(Context({"n": 1})) == one
        assert template.render(Context({"n": 3})) == many


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nn", "Velkomen, Kari Nordmann"), ("en", "Welcome, Kari Nordmann")],
)
def test_django_translates_placeholders_in_templates(lang: str, expected: str) -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate with name=name %}Velkommen, {{ name }}"
        "{% endblocktranslate %}"
    )
    with translation.override(lang):
        assert template.render(Context({"name": "Kari Nordmann"})) == expected


@pytest.mark.parametrize(
    ("lang", "leader", "supervisor"),
    [("nn", "kommunal leiar", "rettleiar"), ("en", "municipal leader", "supervisor")],
)
def test_lazy_model_labels_follow_the_language(lang: str, leader: str, supervisor: str) -> None:
    from veiviser.accounts.models import Role

    with translation.override(lang):
        assert str(Role.LEADER.label) == leader
        assert str(Role.VEILEDER.label) == supervisor
