"""Database rows → the rules' dataclasses (``veiviser.rules.workforce.Position``/``Occupancy``).

``load_from_database(args)`` serves ``veiviser report`` in database mode; ``load_for_user``
serves the pages and the API (scoped). Both read in a fixed number of queries however many
positions there are: the positions, their rows, and the other holder rows of the same people
(so that "still in general practice at the end" sees a holder who moved to a position outside
the selection, as the file mode does with a complete export; docs/adr/0051).

Ids in the dataclasses are the ids of the CSV export (``export_ids``): a position's
``external_id`` (prefixed ``<kommunenummer>:`` when two municipalities use the same one) and
``vv-<person pk>`` for a person, so that figures from the database and from the exported files
are the same.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from veiviser.rules.workforce import Occupancy as OccupancyRow
from veiviser.rules.workforce import Position as PositionRow
from veiviser.rules.workforce import PositionFilter

PERSON_PREFIX = "vv-"

_POSITION_FIELDS = (
    "id",
    "municipality__number",
    "office__name",
    "external_id",
    "kind",
    "form",
    "programme",
    "created",
    "closed",
)
_OCCUPANCY_FIELDS = ("position_id", "person_id", "role", "start", "end", "end_reason", "next_work")


def person_key(person_id: int) -> str:
    """The pseudonymous id of a person in exports and in the rules' rows."""
    return f"{PERSON_PREFIX}{person_id}"


def export_ids(rows: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """Position pk → its id in the files: ``external_id``, or ``<number>:<external_id>`` when
    the same external id is used by more than one municipality among ``rows``
    ((pk, kommunenummer, external_id) tuples)."""
    rows = list(rows)
    seen: dict[str, set[str]] = {}
    for _pk, number, external in rows:
        seen.setdefault(external, set()).add(number)
    return {
        pk: external if len(seen[external]) == 1 else f"{number}:{external}"
        for pk, number, external in rows
    }


@dataclass
class Loaded:
    """What a page or report works on: rows, the filter S and the names to show."""

    positions: list[PositionRow]
    occupancies: list[OccupancyRow]
    filter: PositionFilter
    keys: dict[int, str] = field(default_factory=dict)  # position pk → position_id

    @property
    def position_ids(self) -> dict[str, int]:
        return {key: pk for pk, key in self.keys.items()}


def _position_row(values: Sequence[Any], key: str) -> PositionRow:
    _pk, number, office, _external, kind, form, programme, created, closed = values
    return PositionRow(
        position_id=key,
        municipality=number,
        office=office or None,
        kind=kind,
        form=form,
        programme=programme or None,
        created=created,
        closed=closed,
    )


def _occupancy_row(values: Sequence[Any], keys: dict[int, str]) -> OccupancyRow:
    position_id, person_id, role, start, end, end_reason, next_work = values
    return OccupancyRow(
        position_id=keys[position_id],
        person_id=person_key(person_id),
        role=role,
        start=start,
        end=end,
        end_reason=end_reason or None,
        next_work=next_work or None,
    )


def rows_for(position_qs: Any, *, other_holder_rows: bool = True) -> Loaded:
    """The rules' rows for the positions of ``position_qs`` (three queries at most).

    With ``other_holder_rows``, the holder rows of the same people in positions outside the
    queryset are added too (with those positions), for ``in_general_practice_at_end``; they
    never match a filter that names the selected municipalities.
    """
    from veiviser.workforce.models import Occupancy

    position_values = list(position_qs.order_by().values_list(*_POSITION_FIELDS))
    occupancy_values = list(
        Occupancy.objects.filter(position__in=position_qs.order_by().values("pk"))
        .order_by("position_id", "start", "id")
        .values_list(*_OCCUPANCY_FIELDS)
    )
    extra_values: list[tuple[Any, ...]] = []
    if other_holder_rows and occupancy_values:
        holders = Occupancy.objects.filter(
            role="holder", position__in=position_qs.order_by().values("pk")
        ).values("person_id")
        extra_values = list(
            Occupancy.objects.filter(role="holder", person_id__in=holders)
            .exclude(position__in=position_qs.order_by().values("pk"))
            .order_by("position_id", "start", "id")
            .values_list(*_OCCUPANCY_FIELDS, *(f"position__{f}" for f in _POSITION_FIELDS))
        )
    extra_positions = {v[7]: v[7:] for v in extra_values}
    all_positions = [*position_values, *extra_positions.values()]
    keys = export_ids((v[0], v[1], v[3]) for v in all_positions)
    positions = [_position_row(v, keys[v[0]]) for v in all_positions]
    occupancies = [_occupancy_row(v, keys) for v in occupancy_values]
    occupancies += [_occupancy_row(v[:7], keys) for v in extra_values]
    selected = {v[1] for v in position_values}
    return Loaded(positions, occupancies, PositionFilter(selected), keys)


def _numbers(values: Sequence[str] | None) -> set[str] | None:
    if not values:
        return None
    return {k.strip() for v in values for k in v.split(",") if k.strip()}


def load_from_database(args: argparse.Namespace) -> tuple[list[PositionRow], list[OccupancyRow]]:
    """Rows for ``veiviser report`` in database mode (no user scope: a command-line operator).

    ``--municipality`` and ``--kind`` narrow the query; ``--programme`` is applied by the
    command itself (case-insensitive, as in the rules), so every position of the chosen
    municipalities and kinds is returned with its rows and the other holder rows of its
    holders.
    """
    from veiviser.commands import setup_django

    setup_django()
    from django.apps import apps

    if not apps.is_installed("veiviser.workforce"):
        raise SystemExit(
            "veiviser report: the database mode needs the workforce app in INSTALLED_APPS; "
            "use --positions/--occupancies"
        )
    from veiviser.core.models import Position

    qs = Position.objects.all()
    numbers = _numbers(getattr(args, "municipality", None))
    if numbers is not None:
        qs = qs.filter(municipality__number__in=sorted(numbers))
    kinds = getattr(args, "kind", None)
    if kinds:
        qs = qs.filter(kind__in=sorted(set(kinds)))
    loaded = rows_for(qs)
    return loaded.positions, loaded.occupancies


def scoped_positions(
    user: Any,
    *,
    municipality_ids: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
) -> Any:
    """Positions whose workforce data the user may read, narrowed by municipality and kind."""
    from veiviser.accounts.scope import scope_for
    from veiviser.core.models import Position
    from veiviser.workforce.querysets import reader_ids

    ids = reader_ids(scope_for(user))
    qs = Position.objects.all() if ids is None else Position.objects.filter(municipality_id__in=ids)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    return qs


def load_for_user(
    user: Any,
    *,
    municipality_ids: Iterable[int] | None = None,
    programme: str | None = None,
    kinds: Iterable[str] | None = None,
) -> Loaded:
    """The rows a page shows: positions the user may read (optionally narrowed), their rows,
    and the filter S to hand to the rules (the selected municipalities, programme, kinds)."""
    kinds = sorted(set(kinds)) if kinds else None
    qs = scoped_positions(user, municipality_ids=municipality_ids, kinds=kinds)
    loaded = rows_for(qs)
    loaded.filter = PositionFilter(
        loaded.filter.municipalities, programme or None, set(kinds) if kinds else None
    )
    return loaded


def rows_from_objects(
    position: Any, occupancies: Iterable[Any]
) -> tuple[PositionRow, list[OccupancyRow]]:
    """One position and its already fetched ``Occupancy`` objects as the rules' rows."""
    key = position.external_id
    row = PositionRow(
        position_id=key,
        municipality=position.municipality.number,
        office=position.office.name if position.office_id else None,
        kind=position.kind,
        form=position.form,
        programme=position.programme or None,
        created=position.created,
        closed=position.closed,
    )
    rows = [
        OccupancyRow(
            position_id=key,
            person_id=person_key(o.person_id),
            role=o.role,
            start=o.start,
            end=o.end,
            end_reason=o.end_reason or None,
            next_work=o.next_work or None,
        )
        for o in occupancies
    ]
    return row, rows
