"""The built-in functions of the expression language: names and signatures.

Specs never define functions; they call these. The checker validates calls
against :data:`BUILTINS`; the evaluator (:mod:`writ_dsl.compiler.evaluate`)
implements each one. ``per_item`` lists the arguments (by position, or by
keyword name) that are evaluated once per list item with ``it`` bound to it
(and, when written ``x: body``, the name ``x`` too; see :class:`writ_dsl.lang.ast.Lambda`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Builtin:
    name: str
    min_args: int
    max_args: int
    doc: str
    keywords: tuple[str, ...] = ()
    per_item: tuple[int | str, ...] = ()


_ALL = (
    Builtin("count", 1, 1, "number of items of a list (or characters of a string)"),
    Builtin("sum", 1, 1, "sum of a list of numbers (0 for an empty list)"),
    Builtin("min", 1, 1, "smallest item; an empty list rejects the instance (empty)"),
    Builtin("max", 1, 1, "largest item; an empty list rejects the instance (empty)"),
    Builtin("first", 1, 1, "first item; an empty list rejects the instance (empty)"),
    Builtin("last", 1, 1, "last item; an empty list rejects the instance (empty)"),
    Builtin("one", 1, 1, "the only item; none rejects (empty), several reject (not-unique)"),
    Builtin("distinct", 1, 1, "the items without repeats, first occurrences kept in order"),
    Builtin("flatten", 1, 1, "a list of lists joined into one list"),
    Builtin("map", 2, 2, "the second argument evaluated for each item (as `it`)", per_item=(1,)),
    Builtin("all", 2, 2, "true when the predicate holds for every item", per_item=(1,)),
    Builtin("any", 2, 2, "true when the predicate holds for some item", per_item=(1,)),
    Builtin("argmin", 1, 1, "the item with the smallest `by` key; a tie rejects (tie)",
            keywords=("by",), per_item=("by",)),
    Builtin("argmax", 1, 1, "the item with the largest `by` key; a tie rejects (tie)",
            keywords=("by",), per_item=("by",)),
    Builtin("sort", 1, 1, "the items ordered by the `by` key (stable; `desc = true` reverses)",
            keywords=("by", "desc"), per_item=("by",)),
    Builtin("group_by", 1, 1, "the items grouped by the `by` key: records {key, items}, in first-seen order",
            keywords=("by",), per_item=("by",)),
    Builtin("zip", 2, 2, "two lists of one length as a list of pairs [x, y]"),
    Builtin("enumerate", 1, 1, "the items as records {index, item}, index from 0"),
    Builtin("calls", 1, 1, "the calls of a fanned-out read or write: records of its loop values and `result`"),
    Builtin("keys", 1, 1, "the keys of a record, in order"),
    Builtin("values", 1, 1, "the values of a record, in key order"),
    Builtin("days", 1, 1, "a duration of n days"),
    Builtin("hours", 1, 1, "a duration of n hours"),
    Builtin("minutes", 1, 1, "a duration of n minutes"),
    Builtin("datetime", 2, 2, "a date and an \"HH:MM:SS\" time (\"+1\" suffix = next day) as a moment"),
    Builtin("date", 1, 1, "an ISO \"YYYY-MM-DD\" string (or a moment) as a date"),
    Builtin("round", 1, 2, "a number rounded to n decimals (default 2)"),
    Builtin("abs", 1, 1, "absolute value"),
    Builtin("str", 1, 1, "a value as text (numbers without a trailing .0)"),
    Builtin("lower", 1, 1, "text in lower case"),
    Builtin("upper", 1, 1, "text in upper case"),
)

BUILTINS: dict[str, Builtin] = {b.name: b for b in _ALL}

# Names that are always in scope.
IMPLICIT_NAMES = ("db", "it")
