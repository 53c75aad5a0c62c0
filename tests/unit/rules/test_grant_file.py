"""Validation of the `veiviser grant` input file: every error, each with its exact JSON path."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veiviser.rules.grant_file import (
    GrantFileInvalid,
    load_grant_file,
    loads_grant_file,
    parse_grant_input,
)
from veiviser.rules.grants import ClaimInput, DoctorType, Scheme

SPEC_EXAMPLE: dict[str, Any] = {
    "rates": [
        {
            "valid_from": "2024-01-01",
            "valid_to": "2025-12-31",
            "doctor_type": "gp",
            "annual_rate": 300000,
            "centrality6_supplement": 100000,
        }
    ],
    "municipality": {"number": "4643", "centrality": 6},
    "period": {"from": "2024-09-01", "to": "2025-05-31"},
    "agreements": [
        {
            "doctor": "d-81f3",
            "doctor_type": "gp",
            "signed": "2024-10-15",
            "ends": None,
            "position_share": 1.0,
            "scheme": "new",
            "locum_agency": False,
        }
    ],
}


def doc(**changes: Any) -> dict[str, Any]:
    """The spec example with dotted-path changes; a value of ... deletes the key."""
    data = copy.deepcopy(SPEC_EXAMPLE)
    for dotted, value in changes.items():
        parts = dotted.split("__")
        target: Any = data
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return data


def errors_of(data: object) -> list[str]:
    with pytest.raises(GrantFileInvalid) as info:
        parse_grant_input(data)
    return [str(error) for error in info.value.errors]


def test_spec_example_is_valid() -> None:
    inp = parse_grant_input(SPEC_EXAMPLE)
    assert isinstance(inp, ClaimInput)
    assert inp.municipality_number == "4643"
    assert inp.centrality == 6
    assert (inp.period_from, inp.period_to) == (date(2024, 9, 1), date(2025, 5, 31))
    assert inp.rates[0].doctor_type is DoctorType.GP
    assert inp.rates[0].annual_rate == Decimal(300000)
    agreement = inp.agreements[0]
    assert agreement.signed == date(2024, 10, 15)
    assert agreement.ends is None
    assert agreement.position_share == Decimal("1.0")
    assert agreement.scheme is Scheme.NEW


def test_text_numbers_with_fractions_become_exact_decimals() -> None:
    text = json.dumps(SPEC_EXAMPLE).replace('"position_share": 1.0', '"position_share": 0.1')
    assert loads_grant_file(text).agreements[0].position_share == Decimal("0.1")


def test_share_out_of_range() -> None:
    assert errors_of(doc(agreements__0__position_share=1.5)) == [
        "$.agreements[0].position_share: must be between 0 and 1"
    ]


def test_all_errors_are_collected() -> None:
    data = doc(
        agreements__0__position_share=-0.1,
        agreements__0__signed="15.10.2024",
        municipality__centrality=7,
        rates__0__doctor_type="fastlege",
        period__to="2024-02-30",
    )
    assert errors_of(data) == [
        "$.rates[0].doctor_type: must be one of gp, introduction, other_municipal, "
        "supervision_only",
        "$.municipality.centrality: must be an integer 1–6 (SSB sentralitet) or null",
        "$.period.to: is not a valid date: '2024-02-30'",
        "$.agreements[0].signed: must be an ISO date YYYY-MM-DD, got '15.10.2024'",
        "$.agreements[0].position_share: must be between 0 and 1",
    ]


def test_unknown_and_missing_keys() -> None:
    data = doc(agreements__0__position_share=...)
    data["agreements"][0]["positon_share"] = 1
    data["extra key"] = True
    assert errors_of(data) == [
        '$["extra key"]: unknown key',
        "$.agreements[0].positon_share: unknown key",
        "$.agreements[0].position_share: is required",
    ]


def test_missing_top_level_sections() -> None:
    assert errors_of({}) == [
        "$.rates: is required",
        "$.municipality: is required",
        "$.period: is required",
        "$.agreements: is required",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "$: must be an object, not an array"),
        (None, "$: must be an object, not null"),
        (doc(rates={}), "$.rates: must be an array, not an object"),
        (doc(rates=["x"]), "$.rates[0]: must be an object, not a string"),
        (
            doc(municipality__number=4643),
            '$.municipality.number: must be a 4-digit kommunenummer string, e.g. "4643"',
        ),
        (
            doc(municipality__centrality=True),
            "$.municipality.centrality: must be an integer 1–6 (SSB sentralitet) or null",
        ),
        (doc(period__to="2024-08-31"), "$.period.to: must not be before $.period.from"),
        (
            doc(rates__0__valid_to="2023-12-31"),
            "$.rates[0].valid_to: must not be before valid_from",
        ),
        (
            doc(rates__0__annual_rate="300000"),
            "$.rates[0].annual_rate: must be a number, not a string",
        ),
        (
            doc(rates__0__centrality6_supplement=-1),
            "$.rates[0].centrality6_supplement: must not be negative",
        ),
        (
            doc(rates__0__annual_rate=10**12),
            "$.rates[0].annual_rate: must be at most 1000000000 (kroner per year)",
        ),
        (doc(agreements__0__doctor=""), "$.agreements[0].doctor: must be a non-empty string"),
        (doc(agreements__0__scheme="ny"), "$.agreements[0].scheme: must be one of new, old"),
        (
            doc(agreements__0__locum_agency="no"),
            "$.agreements[0].locum_agency: must be true or false, not a string",
        ),
        (doc(agreements__0__ends="2024-10-14"), "$.agreements[0].ends: must not be before signed"),
        (
            doc(agreements__0__signed="20241015"),
            "$.agreements[0].signed: must be an ISO date YYYY-MM-DD, got '20241015'",
        ),
        (
            doc(agreements__0__signed=20241015),
            "$.agreements[0].signed: must be an ISO date string YYYY-MM-DD, not a number",
        ),
        (
            doc(agreements__0__position_share=float("nan")),
            "$.agreements[0].position_share: must be a finite number",
        ),
    ],
)
def test_single_errors(data: object, expected: str) -> None:
    assert errors_of(data) == [expected]


def test_overlapping_rate_rows() -> None:
    data = doc()
    data["rates"].append(dict(data["rates"][0], valid_from="2025-06-01", valid_to=None))
    assert errors_of(data) == [
        "$.rates[1]: overlaps $.rates[0] for doctor_type gp (two rate rows valid on the same date)"
    ]


def test_nullable_and_optional_fields() -> None:
    data = doc(municipality__centrality=None, agreements__0__ends=...)
    data["rates"][0]["valid_to"] = None
    inp = parse_grant_input(data)
    assert inp.centrality is None
    assert inp.agreements[0].ends is None
    assert inp.rates[0].valid_to is None
    assert errors_of(doc(municipality__centrality=...)) == [
        "$.municipality.centrality: is required"
    ]


def test_invalid_json_text() -> None:
    with pytest.raises(GrantFileInvalid) as info:
        loads_grant_file('{"rates": [}')
    assert str(info.value).startswith("$: invalid JSON at line 1 column 12")
    with pytest.raises(GrantFileInvalid, match="NaN"):
        loads_grant_file('{"rates": NaN}')


def test_duplicate_keys_are_errors() -> None:
    text = json.dumps(SPEC_EXAMPLE).replace(
        '"number": "4643"', '"number": "4643", "number": "0301"'
    )
    with pytest.raises(GrantFileInvalid) as info:
        loads_grant_file(text)
    assert [str(e) for e in info.value.errors] == ["$.municipality.number: duplicate key"]


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "claim.json"
    path.write_text(json.dumps(SPEC_EXAMPLE), encoding="utf-8")
    assert load_grant_file(path).municipality_number == "4643"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_arbitrary_json_never_crashes(value: object) -> None:
    try:
        parse_grant_input(value)
    except GrantFileInvalid as exc:
        assert exc.errors
        assert all(str(error).startswith("$") for error in exc.errors)


@settings(max_examples=300)
@given(
    key=st.sampled_from(
        [
            "rates__0__valid_from",
            "rates__0__valid_to",
            "rates__0__doctor_type",
            "rates__0__annual_rate",
            "rates__0__centrality6_supplement",
            "municipality__number",
            "municipality__centrality",
            "period__from",
            "period__to",
            "agreements__0__doctor",
            "agreements__0__doctor_type",
            "agreements__0__signed",
            "agreements__0__ends",
            "agreements__0__position_share",
            "agreements__0__scheme",
            "agreements__0__locum_agency",
            "rates",
            "municipality",
            "period",
            "agreements",
            "agreements__0",
            "rates__0",
        ]
    ),
    value=json_values,
)
def test_any_value_in_any_field_never_crashes(key: str, value: object) -> None:
    try:
        parse_grant_input(doc(**{key: value}))
    except GrantFileInvalid as exc:
        assert exc.errors


@given(st.text(max_size=40) | st.binary(max_size=40))
def test_arbitrary_text_never_crashes(text: str | bytes) -> None:
    try:
        loads_grant_file(text)
    except GrantFileInvalid as exc:
        assert exc.errors
