"""Implementations of the built-in functions declared in :mod:`writ_dsl.lang.builtins`.

Each implementation receives its evaluated arguments (per-item arguments as
callables ``item -> value``), its keyword arguments and the call's span.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..diagnostics import Span
from .values import (
    FannedOut,
    Rejection,
    eval_error,
    hashable,
    is_date,
    is_duration,
    is_moment,
    is_number,
    parse_clock,
    parse_date,
    sort_keys,
    to_text,
    type_name,
)

ItemFn = Callable[[Any], Any]
Impl = Callable[[list[Any], dict[str, Any], Span], Any]


def _list(value: Any, span: Span, what: str = "argument") -> list[Any]:
    if not isinstance(value, list):
        raise eval_error(f"the {what} must be a list, not {type_name(value)}", span)
    return value


def _record(value: Any, span: Span) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise eval_error(f"the argument must be a record, not {type_name(value)}", span)
    return value


def _number(value: Any, span: Span) -> int | float:
    if not is_number(value):
        raise eval_error(f"the argument must be a number, not {type_name(value)}", span)
    return value


def _bool(value: Any, span: Span) -> bool:
    if not isinstance(value, bool):
        raise eval_error(f"the predicate must be true or false, not {type_name(value)}", span)
    return value


def _nonempty(value: Any, span: Span, name: str) -> list[Any]:
    items = _list(value, span)
    if not items:
        raise Rejection("empty", f"{name}() of an empty list", span)
    return items


# ------------------------------------------------------------------ lists
def count(args: list[Any], kw: dict[str, Any], span: Span) -> int:
    value = args[0]
    if not isinstance(value, (list, str, dict)):
        raise eval_error(f"count() needs a list, text or record, not {type_name(value)}", span)
    return len(value)


def sum_(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    items = _list(args[0], span)
    if items and all(is_duration(v) for v in items):
        return sum(items, dt.timedelta())
    return sum(_number(v, span) for v in items)


def min_(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return min(sort_keys(_nonempty(args[0], span, "min"), span))


def max_(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return max(sort_keys(_nonempty(args[0], span, "max"), span))


def first(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return _nonempty(args[0], span, "first")[0]


def last(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return _nonempty(args[0], span, "last")[-1]


def one(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    items = _nonempty(args[0], span, "one")
    if len(items) > 1:
        raise Rejection("not-unique", f"one() of a list of {len(items)} items", span)
    return items[0]


def distinct(args: list[Any], kw: dict[str, Any], span: Span) -> list[Any]:
    seen: dict[Any, Any] = {}
    for item in _list(args[0], span):
        seen.setdefault(hashable(item), item)
    return list(seen.values())


def flatten(args: list[Any], kw: dict[str, Any], span: Span) -> list[Any]:
    return [item for part in _list(args[0], span) for item in _list(part, span, "item")]


def map_(args: list[Any], kw: dict[str, Any], span: Span) -> list[Any]:
    each: ItemFn = args[1]
    return [each(item) for item in _list(args[0], span)]


def all_(args: list[Any], kw: dict[str, Any], span: Span) -> bool:
    each: ItemFn = args[1]
    return all(_bool(each(item), span) for item in _list(args[0], span))


def any_(args: list[Any], kw: dict[str, Any], span: Span) -> bool:
    each: ItemFn = args[1]
    return any(_bool(each(item), span) for item in _list(args[0], span))


def _keyed(args: list[Any], kw: dict[str, Any], span: Span, name: str) -> list[tuple[Any, Any]]:
    items = _nonempty(args[0], span, name) if name != "sort" else _list(args[0], span)
    by: ItemFn = kw.get("by", lambda item: item)
    keys = sort_keys([by(item) for item in items], span)
    return list(zip(keys, items))


def _extreme(args: list[Any], kw: dict[str, Any], span: Span, name: str, pick: Callable) -> Any:
    pairs = _keyed(args, kw, span, name)
    best = pick(key for key, _ in pairs)
    winners = [item for key, item in pairs if key == best]
    if len(winners) > 1:
        raise Rejection("tie", f"{name}(): {len(winners)} items share the key {to_text(best)}", span)
    return winners[0]


def argmin(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return _extreme(args, kw, span, "argmin", min)


def argmax(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    return _extreme(args, kw, span, "argmax", max)


def sort(args: list[Any], kw: dict[str, Any], span: Span) -> list[Any]:
    desc = kw.get("desc", False)
    if not isinstance(desc, bool):
        raise eval_error(f"desc must be true or false, not {type_name(desc)}", span)
    pairs = _keyed(args, kw, span, "sort")
    return [item for _, item in sorted(pairs, key=lambda pair: pair[0], reverse=desc)]


def group_by(args: list[Any], kw: dict[str, Any], span: Span) -> list[dict[str, Any]]:
    by: ItemFn = kw.get("by", lambda item: item)
    groups: dict[Any, dict[str, Any]] = {}
    for item in _list(args[0], span):
        key = by(item)
        groups.setdefault(hashable(key), {"key": key, "items": []})["items"].append(item)
    return list(groups.values())


def zip_(args: list[Any], kw: dict[str, Any], span: Span) -> list[list[Any]]:
    left, right = _list(args[0], span, "first argument"), _list(args[1], span, "second argument")
    if len(left) != len(right):
        raise eval_error(f"zip() of lists of different lengths ({len(left)} and {len(right)})", span)
    return [[x, y] for x, y in zip(left, right)]


def enumerate_(args: list[Any], kw: dict[str, Any], span: Span) -> list[dict[str, Any]]:
    return [{"index": i, "item": item} for i, item in enumerate(_list(args[0], span))]


def calls(args: list[Any], kw: dict[str, Any], span: Span) -> list[dict[str, Any]]:
    results = args[0]
    if not isinstance(results, FannedOut):
        raise eval_error(f"calls() needs a fanned-out read or write, not {type_name(results)}", span)
    return [{**binding, "result": result} for binding, result in zip(results.bindings, results)]


def keys(args: list[Any], kw: dict[str, Any], span: Span) -> list[str]:
    return list(_record(args[0], span))


def values(args: list[Any], kw: dict[str, Any], span: Span) -> list[Any]:
    return list(_record(args[0], span).values())


# ------------------------------------------------------------------ time
def days(args: list[Any], kw: dict[str, Any], span: Span) -> dt.timedelta:
    return dt.timedelta(days=_number(args[0], span))


def hours(args: list[Any], kw: dict[str, Any], span: Span) -> dt.timedelta:
    return dt.timedelta(hours=_number(args[0], span))


def minutes(args: list[Any], kw: dict[str, Any], span: Span) -> dt.timedelta:
    return dt.timedelta(minutes=_number(args[0], span))


def to_date(value: Any, span: Span) -> dt.date:
    if is_moment(value):
        return value.date()
    if is_date(value):
        return value
    if isinstance(value, str):
        return parse_date(value, span)
    raise eval_error(f"cannot make a date of {type_name(value)}", span)


def datetime_(args: list[Any], kw: dict[str, Any], span: Span) -> dt.datetime:
    day, clock = to_date(args[0], span), args[1]
    if not isinstance(clock, str):
        raise eval_error(f"the time must be text like \"14:30:00\", not {type_name(clock)}", span)
    return dt.datetime.combine(day, dt.time()) + parse_clock(clock, span)


def date(args: list[Any], kw: dict[str, Any], span: Span) -> dt.date:
    return to_date(args[0], span)


# ------------------------------------------------------------------ numbers and text
def round_(args: list[Any], kw: dict[str, Any], span: Span) -> int | float:
    places = args[1] if len(args) > 1 else 2
    if not isinstance(places, int) or isinstance(places, bool):
        raise eval_error(f"round() needs a whole number of decimals, not {type_name(places)}", span)
    rounded = round(_number(args[0], span), places)
    return int(rounded) if places <= 0 else rounded


def abs_(args: list[Any], kw: dict[str, Any], span: Span) -> Any:
    if is_duration(args[0]):
        return abs(args[0])
    return abs(_number(args[0], span))


def str_(args: list[Any], kw: dict[str, Any], span: Span) -> str:
    return to_text(args[0])


def _text(value: Any, span: Span) -> str:
    if not isinstance(value, str):
        raise eval_error(f"the argument must be text, not {type_name(value)}", span)
    return value


def lower(args: list[Any], kw: dict[str, Any], span: Span) -> str:
    return _text(args[0], span).lower()


def upper(args: list[Any], kw: dict[str, Any], span: Span) -> str:
    return _text(args[0], span).upper()


IMPLEMENTATIONS: dict[str, Impl] = {
    "count": count, "sum": sum_, "min": min_, "max": max_, "first": first, "last": last,
    "one": one, "distinct": distinct, "flatten": flatten, "map": map_, "all": all_, "any": any_,
    "argmin": argmin, "argmax": argmax, "sort": sort, "keys": keys, "values": values,
    "group_by": group_by, "zip": zip_, "enumerate": enumerate_, "calls": calls,
    "days": days, "hours": hours, "minutes": minutes, "datetime": datetime_, "date": date,
    "round": round_, "abs": abs_, "str": str_, "lower": lower, "upper": upper,
}
