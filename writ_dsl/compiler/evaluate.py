"""The expression evaluator: AST expression + bindings -> value, or a :class:`Rejection`.

``it`` is passed alongside the bindings (innermost wins); a named item
(``xs where u: ...``, ``map(xs, x: ...)``) is also bound by name, in front of
the outer names, so nested bodies still see it; ``db`` is a
:class:`DbView` over the environment's initial database. Every runtime error
is a ``Rejection("eval-error", detail, span)`` located at the failing node.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import ChainMap
from collections.abc import Callable, Mapping
from typing import Any

from ..lang import ast
from ..lang.builtins import BUILTINS
from ..lang.limits import DEFAULT, Limits
from .functions import IMPLEMENTATIONS
from .values import (
    DbView,
    Rejection,
    comparable,
    equals,
    eval_error,
    is_date,
    is_duration,
    is_moment,
    is_number,
    type_name,
)

__all__ = ["Evaluator", "Rejection", "NO_IT"]

NO_IT = object()
MAX_SIZE = 1_000_000  # items of a list, or characters of a string, that `+` builds
MAX_BITS = 4_096  # size of an integer that `*` builds
Names = Mapping[str, Any]


class Evaluator:
    """Evaluates expressions against named values; stateless apart from the database view."""

    def __init__(self, db: DbView | None = None, optional_fields: frozenset[str] = frozenset(),
                 limits: Limits = DEFAULT) -> None:
        self.db = db
        self.limits = limits
        # Fields the environment's schema declares: a record that omits one (as τ²-bench data
        # does with a reservation's null `status`) reads as null instead of failing.
        self.optional_fields = optional_fields
        self._dispatch: dict[type, Callable[[Any, Names, Any], Any]] = {
            ast.Number: lambda n, names, it: n.value,
            ast.String: lambda n, names, it: n.value,
            ast.DateLit: lambda n, names, it: n.value,
            ast.Bool: lambda n, names, it: n.value,
            ast.Null: lambda n, names, it: None,
            ast.Name: self._name,
            ast.Attr: self._attr,
            ast.Index: self._index,
            ast.Call: self._call,
            ast.Unary: self._unary,
            ast.Binary: self._binary,
            ast.Where: self._where,
            ast.Lambda: self._lambda,
            ast.Cond: self._cond,
            ast.ListExpr: lambda n, names, it: [self.eval(i, names, it) for i in n.items],
            ast.RecordExpr: lambda n, names, it: {f.name: self.eval(f.value, names, it) for f in n.fields},
            ast.Range: self._range,
        }

    def eval(self, expr: ast.Node, names: Names, it: Any = NO_IT) -> Any:
        return self._dispatch[type(expr)](expr, names, it)

    def truth(self, expr: ast.Node, names: Names, it: Any = NO_IT) -> bool:
        value = self.eval(expr, names, it)
        if not isinstance(value, bool):
            raise eval_error(f"expected true or false, got {type_name(value)}", expr.span)
        return value

    # ------------------------------------------------------------ names and access
    def _name(self, node: ast.Name, names: Names, it: Any) -> Any:
        if node.id == "it":
            if it is NO_IT:
                raise eval_error("'it' is only defined inside `where` and per-item arguments", node.span)
            return it
        if node.id in names:
            return names[node.id]
        if node.id == "db" and self.db is not None:
            return self.db
        raise eval_error(f"unknown name '{node.id}'", node.span)

    def _attr(self, node: ast.Attr, names: Names, it: Any) -> Any:
        obj = self.eval(node.obj, names, it)
        if isinstance(obj, DbView):
            return obj.table(node.name, node.span)
        if not isinstance(obj, dict):
            raise eval_error(f"cannot read field '{node.name}' of {type_name(obj)}", node.span)
        if node.name not in obj:
            if node.name in self.optional_fields:
                return None
            shown = ", ".join(list(obj)[:12])
            raise eval_error(f"the record has no field '{node.name}' (fields: {shown})", node.span)
        return obj[node.name]

    def _index(self, node: ast.Index, names: Names, it: Any) -> Any:
        obj = self.eval(node.obj, names, it)
        key = self.eval(node.index, names, it)
        if isinstance(obj, list) and isinstance(key, int) and not isinstance(key, bool):
            if not -len(obj) <= key < len(obj):
                raise eval_error(f"index {key} is out of range for a list of {len(obj)} items", node.span)
            return obj[key]
        if isinstance(obj, dict) and isinstance(key, str):
            if key not in obj:
                raise eval_error(f"the record has no key '{key}'", node.span)
            return obj[key]
        if isinstance(obj, DbView) and isinstance(key, str):
            return obj.table(key, node.span)
        raise eval_error(f"cannot index {type_name(obj)} with {type_name(key)}", node.span)

    # ------------------------------------------------------------ calls
    def _call(self, node: ast.Call, names: Names, it: Any) -> Any:
        name = node.func.name
        spec, impl = BUILTINS.get(name), IMPLEMENTATIONS.get(name)
        if spec is None or impl is None:
            raise eval_error(f"unknown function '{name}'", node.func.span)
        if not spec.min_args <= len(node.args) <= spec.max_args:
            raise eval_error(f"{name}() takes {_arity(spec.min_args, spec.max_args)}", node.span)
        args = [self._argument(a, i in spec.per_item, names, it) for i, a in enumerate(node.args)]
        kwargs = {}
        for kw in node.kwargs:
            if kw.name not in spec.keywords:
                raise eval_error(f"{name}() has no argument '{kw.name}'", kw.span)
            kwargs[kw.name] = self._argument(kw.value, kw.name in spec.per_item, names, it)
        try:
            return impl(args, kwargs, node.span)
        except OverflowError as exc:  # a date, duration or float out of Python's range
            raise eval_error(f"{name}(): {exc}", node.span) from None

    def _argument(self, expr: ast.Node, per_item: bool, names: Names, it: Any) -> Any:
        if per_item and isinstance(expr, ast.Lambda):
            body, binder = expr.body, expr.binder.name
            return lambda item: self.eval(body, ChainMap({binder: item}, names), item)
        if per_item:
            return lambda item: self.eval(expr, names, item)
        return self.eval(expr, names, it)

    def _lambda(self, node: ast.Lambda, names: Names, it: Any) -> Any:
        raise eval_error(f"`{node.binder.name}: ...` names the item only in a per-item argument "
                         "(of map, all, any, or `by =` of argmin, argmax, sort)", node.span)

    # ------------------------------------------------------------ operators
    def _unary(self, node: ast.Unary, names: Names, it: Any) -> Any:
        if node.op == "not":
            return not self.truth(node.operand, names, it)
        value = self.eval(node.operand, names, it)
        if is_number(value) or is_duration(value):
            return -value
        raise eval_error(f"cannot negate {type_name(value)}", node.span)

    def _binary(self, node: ast.Binary, names: Names, it: Any) -> Any:
        if node.op in ("and", "or"):
            left = self.truth(node.left, names, it)
            if left is (node.op == "or"):
                return left
            return self.truth(node.right, names, it)
        left, right = self.eval(node.left, names, it), self.eval(node.right, names, it)
        try:
            return _OPERATORS[node.op](left, right, node.span)
        except OverflowError as exc:
            raise eval_error(f"`{node.op}`: {exc}", node.span) from None

    def _where(self, node: ast.Where, names: Names, it: Any) -> list[Any]:
        source = self.eval(node.source, names, it)
        if not isinstance(source, list):
            raise eval_error(f"`where` needs a list, not {type_name(source)}", node.source.span)
        if node.binder is None:
            return [item for item in source if self.truth(node.predicate, names, item)]
        binder = node.binder.name
        return [item for item in source if self.truth(node.predicate, ChainMap({binder: item}, names), item)]

    def _cond(self, node: ast.Cond, names: Names, it: Any) -> Any:
        branch = node.then if self.truth(node.test, names, it) else node.otherwise
        return self.eval(branch, names, it)

    def _range(self, node: ast.Range, names: Names, it: Any) -> list[Any]:
        start, end = self.eval(node.start, names, it), self.eval(node.end, names, it)
        if _is_int(start) and _is_int(end):
            self._check_range(end - start + 1, node)
            return list(range(start, end + 1))
        if is_date(start) and is_date(end):
            self._check_range((end - start).days + 1, node)
            return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        raise eval_error(f"a range needs two whole numbers or two dates, not {type_name(start)} "
                         f"and {type_name(end)}", node.span)


    def _check_range(self, size: int, node: ast.Range) -> None:
        """Refuse a range over the limit before it is built."""
        if size > self.limits.range_items:
            raise eval_error(f"the range has {size:,} items, over the limit of {self.limits.range_items:,} "
                             "(`[limits] range_items` in writ.toml)", node.span)


def _arity(low: int, high: int) -> str:
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# ------------------------------------------------------------------ binary operators
def _add(a: Any, b: Any, span: ast.Span) -> Any:
    if is_number(a) and is_number(b):
        return a + b
    if (isinstance(a, str) and isinstance(b, str)) or (isinstance(a, list) and isinstance(b, list)):
        if len(a) + len(b) > MAX_SIZE:
            raise eval_error(f"`+` would give over {MAX_SIZE:,} items or characters", span)
        return a + b
    if is_duration(b) and (is_date(a) or is_moment(a) or is_duration(a)):
        return _shift(a, b)
    if is_duration(a) and (is_date(b) or is_moment(b)):
        return _shift(b, a)
    raise _operands("+", a, b, span)


def _shift(base: Any, delta: dt.timedelta) -> Any:
    if is_date(base) and delta % dt.timedelta(days=1):
        return dt.datetime.combine(base, dt.time()) + delta
    return base + delta


def _sub(a: Any, b: Any, span: ast.Span) -> Any:
    if is_number(a) and is_number(b):
        return a - b
    if is_duration(b) and (is_date(a) or is_moment(a) or is_duration(a)):
        return _shift(a, -b)
    if (is_date(a) and is_date(b)) or (is_moment(a) and is_moment(b)):
        return a - b
    raise _operands("-", a, b, span)


def _mul(a: Any, b: Any, span: ast.Span) -> Any:
    if _is_int(a) and _is_int(b) and a.bit_length() + b.bit_length() > MAX_BITS:
        raise eval_error(f"`*` would give a number of over {MAX_BITS:,} bits", span)
    if is_number(a) and is_number(b):
        return a * b
    if is_duration(a) and is_number(b):
        return a * b
    if is_number(a) and is_duration(b):
        return b * a
    raise _operands("*", a, b, span)


def _div(a: Any, b: Any, span: ast.Span) -> Any:
    valid = (is_number(a) or is_duration(a)) and (is_number(b) or (is_duration(a) and is_duration(b)))
    if not valid:
        raise _operands("/", a, b, span)
    if not b:
        raise eval_error("division by zero", span)
    return a / b


def _mod(a: Any, b: Any, span: ast.Span) -> Any:
    if not (is_number(a) and is_number(b)):
        raise _operands("%", a, b, span)
    if not b:
        raise eval_error("division by zero", span)
    return a % b


def _ordering(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any, ast.Span], bool]:
    def apply(a: Any, b: Any, span: ast.Span) -> bool:
        return compare(*comparable(a, b, span))

    return apply


def _contains(item: Any, container: Any, span: ast.Span) -> bool:
    if isinstance(container, list):
        return any(equals(item, x) for x in container)
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    if isinstance(container, dict) and isinstance(item, str):
        return item in container
    raise eval_error(f"cannot test whether {type_name(item)} is in {type_name(container)}", span)


def _operands(op: str, a: Any, b: Any, span: ast.Span) -> Rejection:
    return eval_error(f"'{op}' does not apply to {type_name(a)} and {type_name(b)}", span)


_OPERATORS: dict[str, Callable[[Any, Any, ast.Span], Any]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "%": _mod,
    "==": lambda a, b, span: equals(a, b),
    "!=": lambda a, b, span: not equals(a, b),
    "<": _ordering(operator.lt),
    "<=": _ordering(operator.le),
    ">": _ordering(operator.gt),
    ">=": _ordering(operator.ge),
    "in": _contains,
    "not in": lambda a, b, span: not _contains(a, b, span),
}
