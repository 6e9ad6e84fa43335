"""Runtime values of the expression language and the rules that relate them.

Values are plain Python data: ``None``, ``bool``, ``int``/``float`` (numbers),
``str`` (text), :class:`datetime.date` (dates), :class:`datetime.datetime`
(moments), :class:`datetime.timedelta` (durations), ``list`` and ``dict``
(records). ``db`` evaluates to a :class:`DbView`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..env.core import Database
from ..diagnostics import Span


class Rejection(Exception):
    """An instance cannot be used: ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str, span: Span | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.span = span
        self.path: str | None = None  # the file of the statement that raised it, set by the instance runner

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: it travels back from compile workers
        return (Rejection, (self.reason, self.detail, self.span), {"path": self.path})


REASONS = ("tie", "empty", "not-unique", "require", "read-rejected", "write-rejected", "eval-error", "policy")


def eval_error(detail: str, span: Span | None = None) -> Rejection:
    return Rejection("eval-error", detail, span)


class FannedOut(list):
    """The results of a fanned-out read, in call order; ``bindings`` holds each call's loop values."""

    def __init__(self, results: list[Any], bindings: list[dict[str, Any]]) -> None:
        super().__init__(results)
        self.bindings = bindings


class DbView:
    """``db``: each table as the list of its records, in database key order."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._tables: dict[str, list[Any]] = {}

    def table(self, name: str, span: Span | None = None) -> list[Any]:
        if name not in self._tables:
            rows = self.database.tables.get(name)
            if rows is None:
                known = ", ".join(sorted(self.database.tables))
                raise eval_error(f"the database has no table '{name}' (tables: {known})", span)
            self._tables[name] = list(rows.values())
        return self._tables[name]


# ------------------------------------------------------------------ kinds
def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_date(value: Any) -> bool:
    return type(value) is dt.date


def is_moment(value: Any) -> bool:
    return type(value) is dt.datetime


def is_duration(value: Any) -> bool:
    return type(value) is dt.timedelta


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    for check, name in ((is_date, "date"), (is_moment, "moment"), (is_duration, "duration")):
        if check(value):
            return name
    names = {str: "text", list: "list", dict: "record", DbView: "database"}
    return names.get(type(value), type(value).__name__)


# ------------------------------------------------------------------ equality and order
def equals(a: Any, b: Any) -> bool:
    """Deep equality; numbers compare by value, a date equals its ISO text, bools are not numbers."""
    kind = type(a)
    if kind is type(b) and (kind is str or kind is int or kind is float):  # the common case, answered first
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if is_number(a) and is_number(b):
        return a == b
    if is_date(a) and isinstance(b, str):
        return a.isoformat() == b
    if isinstance(a, str) and is_date(b):
        return a == b.isoformat()
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(equals(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equals(a[k], b[k]) for k in a)
    return a == b


_ORDERED = ("number", "text", "date", "moment", "duration")


def order_kind(value: Any) -> str | None:
    kind = type_name(value)
    return kind if kind in _ORDERED else None


def comparable(a: Any, b: Any, span: Span | None = None) -> tuple[Any, Any]:
    """The pair as Python-comparable values; a date and an ISO text compare as text."""
    kind_a, kind_b = order_kind(a), order_kind(b)
    if kind_a and kind_a == kind_b:
        return a, b
    if {kind_a, kind_b} == {"date", "text"}:
        return to_text(a), to_text(b)
    raise eval_error(f"cannot order {type_name(a)} and {type_name(b)}", span)


def sort_keys(values: list[Any], span: Span | None = None) -> list[Any]:
    """Check that every value is of one orderable kind; returns them unchanged."""
    kinds = {order_kind(v) for v in values}
    if None in kinds or len(kinds) > 1:
        found = ", ".join(sorted({type_name(v) for v in values}))
        raise eval_error(f"cannot order values of kinds {found}", span)
    return values


def hashable(value: Any) -> Any:
    """A hashable key such that equal values (by :func:`equals`) get equal keys."""
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if is_number(value):
        return ("n", float(value))
    if isinstance(value, list):
        return ("l", tuple(hashable(v) for v in value))
    if isinstance(value, dict):
        return ("r", tuple((k, hashable(v)) for k, v in value.items()))
    if is_date(value):
        return ("s", value.isoformat())
    if isinstance(value, str):
        return ("s", value)
    return (type_name(value), value)


# ------------------------------------------------------------------ text
def number_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def duration_text(value: dt.timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    sign, minutes = ("-", -minutes) if minutes < 0 else ("", minutes)
    hours, rest = divmod(minutes, 60)
    return f"{sign}{hours}h {rest:02d}m"


def to_text(value: Any) -> str:
    """A value as text: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, str):
        return value
    if is_moment(value):
        return value.isoformat(sep=" ")
    if is_date(value):
        return value.isoformat()
    if is_duration(value):
        return duration_text(value)
    if isinstance(value, list):
        return ", ".join(to_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(to_json(value), ensure_ascii=False, sort_keys=True)
    return str(value)


# ------------------------------------------------------------------ JSON
def to_json(value: Any, *, strict: bool = False, span: Span | None = None) -> Any:
    """A plain-JSON copy: dates become "YYYY-MM-DD". With ``strict``, moments and durations are errors."""
    if value is None or isinstance(value, (bool, str)) or is_number(value):
        return value
    if is_date(value):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(v, strict=strict, span=span) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v, strict=strict, span=span) for k, v in value.items()}
    if strict:
        raise eval_error(f"a {type_name(value)} cannot be passed to a tool; convert it first", span)
    return to_text(value)


# ------------------------------------------------------------------ times
def parse_clock(text: str, span: Span | None = None) -> dt.timedelta:
    """"HH:MM[:SS]" with an optional "+N" day suffix, as the time since midnight."""
    clock, _, extra = text.partition("+")
    try:
        parts = [int(p) for p in clock.split(":")]
        days = int(extra) if extra else 0
    except ValueError:
        raise eval_error(f"'{text}' is not a time of day (HH:MM:SS)", span) from None
    if len(parts) not in (2, 3) or not (0 <= parts[0] < 24 and 0 <= parts[1] < 60):
        raise eval_error(f"'{text}' is not a time of day (HH:MM:SS)", span)
    seconds = parts[2] if len(parts) == 3 else 0
    return dt.timedelta(days=days, hours=parts[0], minutes=parts[1], seconds=seconds)


def parse_date(text: str, span: Span | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise eval_error(f"'{text}' is not a date (YYYY-MM-DD)", span) from None
