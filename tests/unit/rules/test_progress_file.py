"""The portable progress file ``veiviser.progress/1``: the spec's example, exact JSON paths of
every error, round trips, and a parser that never crashes."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.progress_file import (
    FORMAT,
    ProgressFileError,
    ProgressFileInvalid,
    dump,
    load_path,
    loads,
    parse,
)
from veiviser.rules.training import (
    ACTIONS,
    ARENAS,
    COURSE_KINDS,
    LEAVE_KINDS,
    ROLES,
    Course,
    Doctor,
    GoalEvent,
    GoalRecord,
    GroupPeriod,
    LeavePeriod,
    ServicePeriod,
    SupervisionSession,
    TrainingRecord,
)

D = dt.date

# The example of progress-file.md, with its comments removed so that it is valid JSON (and the
# event lines wrapped).
EXAMPLE_JSON = """\
{
  "format": "veiviser.progress/1",
  "exported_at": "2026-11-22T10:15:00+01:00",
  "ruleset": "ALIS-2019",
  "doctor": {
    "id": "d-81f3",
    "name": "Kari Nordmann",
    "hpr": "1234567",
    "scheme": "new",
    "training_start": "2021-09-01",
    "converted": null
  },
  "service": [
    {"from": "2021-09-01", "to": null, "percent": 100, "arena": "open_practice",
     "setting": "fastlege", "municipality": "4643", "registered_institution": true}
  ],
  "leave": [
    {"from": "2023-02-01", "to": "2023-11-30", "percent": 100, "kind": "parental"}
  ],
  "supervision": [
    {"date": "2021-09-14", "hours": 1.5, "veileder": "v-22"}
  ],
  "group_supervision": [
    {"from": "2021-10-01", "to": "2023-09-30", "hours": 120, "group": "Bergen 3", "diploma": true}
  ],
  "courses": [
    {"kind": "grunnkurs_a", "title": "Allmennlegen og allmennpraksis", "hours": 30,
     "completed": "2022-03-04"}
  ],
  "plan": {
    "catalogue": "ALM-2019+FKM-2019",
    "goals": [
      {"code": "ALM-055", "events": [
        {"at": "2024-05-02T09:00:00+02:00", "action": "submitted", "by": "d-81f3", "role": "alis"},
        {"at": "2024-05-03T12:00:00+02:00", "action": "recommended", "by": "v-22",
         "role": "veileder"},
        {"at": "2024-05-06T08:30:00+02:00", "action": "recommended", "by": "s-07",
         "role": "supervisor"},
        {"at": "2024-05-10T14:00:00+02:00", "action": "approved", "by": "l-03", "role": "leader",
         "comment": "Godkjent etter samtale med veileder"}
      ]}
    ]
  }
}
"""

SUMMER = dt.timezone(dt.timedelta(hours=2))


def example() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(EXAMPLE_JSON)
    return value


def errors_of(document: object) -> list[tuple[str, str]]:
    with pytest.raises(ProgressFileInvalid) as raised:
        parse(document)
    return [(e.path, e.message) for e in raised.value.errors]


def paths_of(document: object) -> list[str]:
    return [path for path, _message in errors_of(document)]


# --------------------------------------------------------------------------- the example


def test_the_spec_example_parses_into_the_training_record() -> None:
    record = parse(example())
    assert record == TrainingRecord(
        doctor=Doctor(
            id="d-81f3",
            name="Kari Nordmann",
            hpr="1234567",
            scheme="new",
            training_start=D(2021, 9, 1),
            converted=None,
        ),
        service=(
            ServicePeriod(D(2021, 9, 1), None, 100, "open_practice", "fastlege", "4643", True),
        ),
        leave=(LeavePeriod(D(2023, 2, 1), D(2023, 11, 30), 100, "parental"),),
        supervision=(SupervisionSession(D(2021, 9, 14), 1.5, "v-22"),),
        group_supervision=(GroupPeriod(D(2021, 10, 1), D(2023, 9, 30), 120, "Bergen 3", True),),
        courses=(Course("grunnkurs_a", "Allmennlegen og allmennpraksis", 30, D(2022, 3, 4)),),
        catalogue="ALM-2019+FKM-2019",
        goals=(
            GoalRecord(
                "ALM-055",
                (
                    GoalEvent(
                        dt.datetime(2024, 5, 2, 9, 0, tzinfo=SUMMER), "submitted", "d-81f3", "alis"
                    ),
                    GoalEvent(
                        dt.datetime(2024, 5, 3, 12, 0, tzinfo=SUMMER),
                        "recommended",
                        "v-22",
                        "veileder",
                    ),
                    GoalEvent(
                        dt.datetime(2024, 5, 6, 8, 30, tzinfo=SUMMER),
                        "recommended",
                        "s-07",
                        "supervisor",
                    ),
                    GoalEvent(
                        dt.datetime(2024, 5, 10, 14, 0, tzinfo=SUMMER),
                        "approved",
                        "l-03",
                        "leader",
                        "Godkjent etter samtale med veileder",
                    ),
                ),
            ),
        ),
        ruleset="ALIS-2019",
    )


def test_dump_writes_the_example_back_key_for_key() -> None:
    record = parse(example())
    dumped = dump(
        record, dt.datetime(2026, 11, 22, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    )
    assert dumped == example()
    assert list(dumped) == list(example())
    assert parse(json.loads(json.dumps(dumped))) == record


def test_dump_needs_an_aware_export_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        dump(parse(example()), dt.datetime(2026, 11, 22, 10, 15))


# --------------------------------------------------------------------------- invalid files


def test_every_error_is_reported_with_its_exact_path() -> None:
    doc = example()
    doc["format"] = "veiviser.progress/2"
    doc["doctor"]["nmae"] = "typo"
    doc["doctor"]["hpr"] = "12ab"
    doc["service"][0]["percent"] = 120
    del doc["service"][0]["arena"]
    doc["leave"][0]["to"] = "2023-01-31"
    doc["supervision"][0]["date"] = "2021-02-30"
    doc["plan"]["goals"][0]["events"][1]["at"] = "2024-05-03T12:00:00"
    doc["plan"]["goals"][0]["events"][2]["action"] = "endorsed"
    doc["plan"]["goals"][0]["events"][3]["role"] = "boss"
    assert paths_of(doc) == [
        "$.format",
        "$.doctor.nmae",
        "$.doctor.hpr",
        "$.service[0].arena",
        "$.service[0].percent",
        "$.leave[0].to",
        "$.supervision[0].date",
        "$.plan.goals[0].events[1].at",
        "$.plan.goals[0].events[2].action",
        "$.plan.goals[0].events[3].role",
    ]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d.update(format="x"), "$.format", 'must be "veiviser.progress/1", not "x"'),
        (lambda d: d.pop("doctor"), "$.doctor", "is required"),
        (lambda d: d.update(extra=1), "$.extra", "unknown key"),
        (lambda d: d.update({"foo bar": 1}), '$["foo bar"]', "unknown key"),
        (
            lambda d: d["doctor"].update(scheme="older"),
            "$.doctor.scheme",
            'must be one of "new", "old", not "older"',
        ),
        (lambda d: d["doctor"].update(hpr="123456"), "$.doctor.hpr", "must be 7–9 digits"),
        (
            lambda d: d["doctor"].update(hpr=1234567),
            "$.doctor.hpr",
            "must be a string, not a number",
        ),
        (lambda d: d["doctor"].update(id=""), "$.doctor.id", "must not be empty"),
        (
            lambda d: d["doctor"].update(training_start="01.09.2021"),
            "$.doctor.training_start",
            'must be a date as YYYY-MM-DD, not "01.09.2021"',
        ),
        (
            lambda d: d["doctor"].update(training_start="20210901"),
            "$.doctor.training_start",
            'must be a date as YYYY-MM-DD, not "20210901"',
        ),
        (
            lambda d: d["doctor"].update(training_start="0202-09-01"),
            "$.doctor.training_start",
            "must lie between 1900-01-01 and 2199-12-31",
        ),
        (
            lambda d: d["doctor"].update(scheme="old", converted="2020-01-01"),
            "$.doctor.converted",
            'a doctor converted to the new scheme must have scheme "new"',
        ),
        (
            lambda d: d["service"][0].update(percent=-1),
            "$.service[0].percent",
            "must be between 0 and 100, not -1",
        ),
        (
            lambda d: d["service"][0].update(percent=True),
            "$.service[0].percent",
            "must be a number, not a boolean",
        ),
        (
            lambda d: d["service"][0].update(percent=float("nan")),
            "$.service[0].percent",
            "must be a finite number",
        ),
        (
            lambda d: d["service"][0].update(arena="hospital"),
            "$.service[0].arena",
            'must be one of "open_practice", "other_gp", "institution", "other", not "hospital"',
        ),
        (
            lambda d: d["service"][0].update(municipality="464"),
            "$.service[0].municipality",
            "must be a 4-digit kommunenummer",
        ),
        (
            lambda d: d["service"][0].update(registered_institution="yes"),
            "$.service[0].registered_institution",
            "must be true or false, not a string",
        ),
        (lambda d: d["service"][0].pop("to"), "$.service[0].to", "is required"),
        (lambda d: d.update(service={}), "$.service", "must be an array, not an object"),
        (lambda d: d["service"].append(3), "$.service[1]", "must be an object, not a number"),
        (
            lambda d: d["leave"][0].update(kind="holiday"),
            "$.leave[0].kind",
            'must be one of "parental", "sick", "other", not "holiday"',
        ),
        (
            lambda d: d["leave"][0].update(to="2023-01-31"),
            "$.leave[0].to",
            "must not be before from (2023-02-01)",
        ),
        (
            lambda d: d["supervision"][0].update(hours="1.5"),
            "$.supervision[0].hours",
            "must be a number, not a string",
        ),
        (
            lambda d: d["group_supervision"][0].update(hours=-5),
            "$.group_supervision[0].hours",
            "must be >= 0, not -5",
        ),
        (
            lambda d: d["courses"][0].update(kind="grunnkurs_e"),
            "$.courses[0].kind",
            'must be one of "grunnkurs_a", "grunnkurs_b", "grunnkurs_c", "grunnkurs_d", '
            '"akuttmedisin", "emnekurs", "other", not "grunnkurs_e"',
        ),
        (
            lambda d: d["plan"]["goals"].append(copy.deepcopy(d["plan"]["goals"][0])),
            "$.plan.goals[1].code",
            'duplicate goal code "ALM-055" (also at $.plan.goals[0])',
        ),
        (
            lambda d: d["plan"]["goals"][0]["events"][0].update(at="2024-05-02"),
            "$.plan.goals[0].events[0].at",
            "must be an ISO 8601 timestamp with UTC offset (e.g. 2024-05-02T09:00:00+02:00), "
            'not "2024-05-02"',
        ),
        (
            lambda d: d["plan"]["goals"][0]["events"][0].update(at="2024-05-02T25:00:00+02:00"),
            "$.plan.goals[0].events[0].at",
            '"2024-05-02T25:00:00+02:00" is not a valid timestamp',
        ),
        (
            lambda d: d.update(exported_at=None),
            "$.exported_at",
            "must be an ISO 8601 timestamp with UTC offset (e.g. 2024-05-02T09:00:00+02:00), "
            "not null",
        ),
    ],
)
def test_one_error_at_its_path(mutate: Any, path: str, message: str) -> None:
    doc = example()
    mutate(doc)
    assert errors_of(doc) == [(path, message)]


def test_a_document_that_is_not_an_object() -> None:
    assert errors_of([1, 2]) == [("$", "must be an object, not an array")]


def test_missing_top_level_keys_are_each_reported() -> None:
    assert paths_of({"format": FORMAT}) == [
        "$.exported_at",
        "$.ruleset",
        "$.doctor",
        "$.service",
        "$.leave",
        "$.supervision",
        "$.group_supervision",
        "$.courses",
        "$.plan",
    ]


def test_optional_keys_may_be_left_out() -> None:
    doc = example()
    for key in ("name", "hpr", "converted"):
        del doc["doctor"][key]
    for key in ("setting", "municipality", "registered_institution"):
        del doc["service"][0][key]
    del doc["supervision"][0]["veileder"]
    del doc["group_supervision"][0]["group"]
    del doc["courses"][0]["title"], doc["courses"][0]["hours"]
    del doc["plan"]["goals"][0]["events"][3]["comment"]
    record = parse(doc)
    assert record.doctor.name is None
    assert record.service[0].registered_institution is False


def test_error_str_is_path_colon_message() -> None:
    assert str(ProgressFileError("$.service[2].percent", "must be between 0 and 100, not 120")) == (
        "$.service[2].percent: must be between 0 and 100, not 120"
    )


# --------------------------------------------------------------------------- files


def test_load_path_reads_the_example(tmp_path: Path) -> None:
    path = tmp_path / "kari.json"
    path.write_text(EXAMPLE_JSON, encoding="utf-8")
    assert load_path(path) == parse(example())


def test_load_path_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE_JSON.encode())
    assert load_path(path).doctor.id == "d-81f3"


def test_invalid_json_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "veiviser.progress/1",\n  "doctor": {,}\n}', encoding="utf-8")
    with pytest.raises(ProgressFileInvalid) as raised:
        load_path(path)
    assert [str(e) for e in raised.value.errors] == [
        "$: invalid JSON at line 3, column 14: Expecting property name enclosed in double quotes"
    ]


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProgressFileInvalid) as raised:
        load_path(tmp_path / "nothing.json")
    assert raised.value.errors[0].path == "$"
    assert "cannot read" in raised.value.errors[0].message


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Bjørn"}'.encode("latin-1"))
    with pytest.raises(ProgressFileInvalid, match="not UTF-8"):
        load_path(path)


def test_duplicate_keys_are_errors_not_silently_dropped() -> None:
    text = EXAMPLE_JSON.replace('"percent": 100, "arena"', '"percent": 100, "percent": 50, "arena"')
    with pytest.raises(ProgressFileInvalid) as raised:
        loads(text)
    assert [str(e) for e in raised.value.errors] == ["$.service[0].percent: duplicate key"]


# --------------------------------------------------------------------------- properties

# the format refuses NUL (PostgreSQL cannot store it), so records are drawn without it
storable = st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00")
texts = st.text(storable, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
days = st.dates(D(1900, 1, 1), D(2199, 12, 31))
numbers = st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False))
hours = st.one_of(st.integers(0, 24), st.floats(0, 24, allow_nan=False))
offsets = st.builds(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60)
)
times = st.builds(
    lambda day, seconds, micro, tz: (
        dt.datetime.combine(day, dt.time(), tzinfo=tz)
        + dt.timedelta(seconds=seconds, microseconds=micro)
    ),
    st.dates(D(1901, 1, 1), D(2198, 12, 31)),
    st.integers(0, 86399),
    st.integers(0, 999999),
    offsets,
)


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date, dt.date | None]:
    start = draw(days)
    end = draw(st.one_of(st.none(), st.dates(start, D(2199, 12, 31))))
    return start, end


@st.composite
def records(draw: st.DrawFn) -> TrainingRecord:
    scheme = draw(st.sampled_from(["new", "old"]))
    doctor = Doctor(
        id=draw(texts),
        name=draw(st.one_of(st.none(), st.text(storable, max_size=20))),
        hpr=draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{7,9}\Z"))),
        scheme=scheme,
        training_start=draw(days),
        converted=draw(st.one_of(st.none(), days)) if scheme == "new" else None,
    )
    service = []
    for start, end in draw(st.lists(periods(), max_size=3)):
        service.append(
            ServicePeriod(
                start,
                end,
                draw(numbers),
                draw(st.sampled_from(ARENAS)),
                draw(st.one_of(st.none(), st.text(storable, max_size=10))),
                draw(st.one_of(st.none(), st.from_regex(r"\A[0-9]{4}\Z"))),
                draw(st.booleans()),
            )
        )
    leave = [
        LeavePeriod(start, end, draw(numbers), draw(st.sampled_from(LEAVE_KINDS)))
        for start, end in draw(st.lists(periods(), max_size=2))
    ]
    sessions = draw(
        st.lists(
            st.builds(SupervisionSession, days, hours, st.one_of(st.none(), texts)), max_size=3
        )
    )
    groups = [
        GroupPeriod(
            start,
            end,
            draw(st.integers(0, 200)),
            draw(st.one_of(st.none(), texts)),
            draw(st.booleans()),
        )
        for start, end in draw(st.lists(periods(), max_size=2))
    ]
    courses = draw(
        st.lists(
            st.builds(
                Course,
                st.sampled_from(COURSE_KINDS),
                st.one_of(st.none(), st.text(storable, max_size=10)),
                st.one_of(st.none(), hours),
                st.one_of(st.none(), days),
            ),
            max_size=3,
        )
    )
    codes = draw(st.lists(texts, unique=True, max_size=3))
    goals = tuple(
        GoalRecord(
            code,
            tuple(
                draw(
                    st.lists(
                        st.builds(
                            GoalEvent,
                            times,
                            st.sampled_from(ACTIONS),
                            texts,
                            st.sampled_from(ROLES),
                            st.one_of(st.none(), st.text(storable, max_size=10)),
                        ),
                        max_size=4,
                    )
                )
            ),
        )
        for code in codes
    )
    return TrainingRecord(
        doctor=doctor,
        service=tuple(service),
        leave=tuple(leave),
        supervision=tuple(sessions),
        group_supervision=tuple(groups),
        courses=tuple(courses),
        catalogue=draw(texts),
        goals=goals,
        ruleset=draw(st.sampled_from(["ALIS-2019", "ALIS-2026"])),
    )


@settings(max_examples=150, deadline=None)
@given(records(), times)
def test_parse_of_dump_is_the_identity(record: TrainingRecord, exported_at: dt.datetime) -> None:
    document = json.loads(json.dumps(dump(record, exported_at)))
    assert parse(document) == record


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


def _parses_or_reports(value: object) -> None:
    try:
        record = parse(value)
    except ProgressFileInvalid as exc:
        assert exc.errors
        assert all(e.path.startswith("$") and e.message for e in exc.errors)
    else:
        assert isinstance(record, TrainingRecord)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_parser_never_crashes_on_arbitrary_json(value: object) -> None:
    _parses_or_reports(value)


@st.composite
def mutated_examples(draw: st.DrawFn) -> dict[str, Any]:
    """The example with a few values anywhere replaced by arbitrary JSON."""
    doc = example()
    for _ in range(draw(st.integers(1, 3))):
        node: Any = doc
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            node[key] = draw(json_values)
            break
    return doc


@settings(max_examples=300, deadline=None)
@given(mutated_examples())
def test_the_parser_never_crashes_on_a_damaged_example(document: dict[str, Any]) -> None:
    _parses_or_reports(document)


def test_a_nul_character_in_any_text_is_refused_with_its_path() -> None:
    document = json.loads(EXAMPLE_JSON)
    document["doctor"]["name"] = "Kari\x00"
    with pytest.raises(ProgressFileInvalid) as raised:
        parse(document)
    assert [e.path for e in raised.value.errors] == ["$.doctor.name"]
