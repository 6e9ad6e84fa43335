"""Flights by (origin, date) and (destination, date), so searches do not scan every flight.

The index is built once per immutable :class:`Database` and kept while the
database lives. A state's changed flights are always re-checked against the
search's condition, and results keep database order, so a search answers
exactly as a scan of ``state.values("flights")`` would. When a state adds or
deletes a flight, the search falls back to that scan.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ_dsl.env.core import Database, State

FLIGHTS = "flights"


@dataclass(frozen=True)
class FlightIndex:
    position: dict[str, int]  # flight key -> place in database order
    by_origin: dict[tuple[str, str], list[str]]  # (origin, date) -> flight keys
    by_destination: dict[tuple[str, str], list[str]]  # (destination, date) -> flight keys

    @classmethod
    def build(cls, db: Database) -> FlightIndex:
        rows = db.tables.get(FLIGHTS, {})
        by_origin: dict[tuple[str, str], list[str]] = defaultdict(list)
        by_destination: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, flight in rows.items():
            dates = flight.get("dates") if isinstance(flight, dict) else None
            for day in dates if isinstance(dates, dict) else ():
                by_origin[(flight.get("origin"), day)].append(key)
                by_destination[(flight.get("destination"), day)].append(key)
        return cls({key: i for i, key in enumerate(rows)}, dict(by_origin), dict(by_destination))


_INDEXES: weakref.WeakKeyDictionary[Database, FlightIndex] = weakref.WeakKeyDictionary()


def index_of(db: Database) -> FlightIndex:
    index = _INDEXES.get(db)
    if index is None:
        index = _INDEXES[db] = FlightIndex.build(db)
    return index


def is_available(flight: dict[str, Any], day: str) -> bool:
    return flight["dates"].get(day, {}).get("status") == "available"


def available_flights(state: State, day: str, *, origin: str | None = None,
                      destination: str | None = None) -> list[dict[str, Any]]:
    """Flights available on ``day`` (from ``origin``, into ``destination`` when given), in database order."""
    def wanted(flight: dict[str, Any]) -> bool:
        return (is_available(flight, day) and (origin is None or flight["origin"] == origin)
                and (destination is None or flight["destination"] == destination))

    index = index_of(state.base)
    changed = state.changed_in(FLIGHTS)
    if (origin is None and destination is None) or not _same_keys(state, index, changed):
        return [flight for flight in state.values(FLIGHTS) if wanted(flight)]
    lookup: Callable[[], list[str]] = (
        (lambda: index.by_origin.get((origin, day), [])) if origin is not None
        else (lambda: index.by_destination.get((destination, day), [])))
    keys = sorted(set(lookup()).union(changed), key=index.position.__getitem__)
    return [flight for flight in (state.get(FLIGHTS, key) for key in keys) if wanted(flight)]


def _same_keys(state: State, index: FlightIndex, changed: list[str]) -> bool:
    """True when the state's flights are the database's (none added or deleted)."""
    return all(key in index.position and state.get(FLIGHTS, key) is not None for key in changed)
