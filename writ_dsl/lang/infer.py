"""Infer the static type of expressions of a task, reporting field access that cannot work.

Types come from the environment: what each tool declares it returns, and the
model of each table's records. A name's type is its definition's (a read's
result, a let's value, an item of a param's pool); everything the inference
cannot follow is :data:`~writ_dsl.lang.types.UNKNOWN` and never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..env.core import Domain
from . import ast
from .builtins import BUILTINS
from .types import BOOL, NULL, NUMBER, STRING, UNKNOWN, Type, from_annotation, join, list_of, non_null, record
from .walk import table_of

DB = Type("db")
Scope = Mapping[str, Type]
# (node, field, record type) of an access to a field the record does not have
FieldProblem = tuple[ast.Attr, str, Type]


class Inferrer:
    """Types of one task's names and expressions; ``problems`` collects bad field accesses."""

    def __init__(self, domain: Domain, task: ast.TaskDecl | None, shared: Mapping[str, Any]) -> None:
        self.domain = domain
        self.defs: dict[str, Any] = {}
        for stmt in (task.body if task is not None else []):
            name = getattr(stmt, "name", None)
            if isinstance(name, ast.Ident):
                self.defs[name.name] = stmt
        self.shared = {name: stmt for name, stmt in shared.items() if name not in self.defs}
        self.types: dict[str, Type] = {}
        self.busy: set[str] = set()
        self.problems: dict[tuple[int, int], FieldProblem] = {}
        self._reporting = True  # (not a bound method kept on self: no reference cycle to leave for the collector)

    def _report(self, problem: FieldProblem) -> None:
        span = problem[0].span
        self.problems.setdefault((span.line, span.column), problem)

    # ------------------------------------------------------------ names
    def name_type(self, name: str) -> Type:
        if name in self.types:
            return self.types[name]
        stmt = self.defs.get(name) or self.shared.get(name)
        if stmt is None or name in self.busy:
            return UNKNOWN
        self.busy.add(name)
        saved, self._reporting = self._reporting, False  # a definition's own problems are reported where it stands
        try:
            found = self.statement_type(stmt)
        finally:
            self._reporting = saved
            self.busy.discard(name)
        self.types[name] = found
        return found

    def statement_type(self, stmt: Any) -> Type:
        if isinstance(stmt, ast.ParamStmt):
            pool = self.infer(stmt.source)
            item = pool.item if pool.kind == "list" and pool.item else UNKNOWN
            return item if stmt.count is None else list_of(item)
        if isinstance(stmt, ast.LetStmt):
            return self.infer(stmt.value)
        if isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)):
            result = self.tool_result(stmt.tool.name)
            return list_of(result) if getattr(stmt, "loops", None) else result
        return UNKNOWN

    def tool_result(self, name: str) -> Type:
        tool = self.domain.tools.get(name)
        return from_annotation(tool.result) if tool is not None else UNKNOWN

    def loop_scope(self, stmt: ast.ReadStmt | ast.WriteStmt) -> dict[str, Type]:
        found = {}
        for loop in stmt.loops:
            items = self.infer(loop.source, found)
            found[loop.var.name] = items.item if items.kind == "list" and items.item else UNKNOWN
        return found

    # ------------------------------------------------------------ expressions
    def infer(self, expr: Any, local: Scope | None = None) -> Type:
        method = _RULES.get(type(expr))
        return method(self, expr, local or {}) if method is not None else UNKNOWN

    def _Number(self, expr: ast.Number, local: Scope) -> Type:
        return NUMBER

    def _String(self, expr: ast.String, local: Scope) -> Type:
        return STRING

    def _Bool(self, expr: ast.Bool, local: Scope) -> Type:
        return BOOL

    def _Null(self, expr: ast.Null, local: Scope) -> Type:
        return NULL

    def _Name(self, expr: ast.Name, local: Scope) -> Type:
        if expr.id in local:
            return local[expr.id]
        return DB if expr.id == "db" else self.name_type(expr.id)

    def _Attr(self, expr: ast.Attr, local: Scope) -> Type:
        base = non_null(self.infer(expr.obj, local))
        if base.kind == "db":
            model = self.domain.records.get(expr.name)
            return list_of(_from_table(model, expr.name)) if model is not None else UNKNOWN
        if base.kind == "map":
            return base.item or UNKNOWN
        if base.kind != "record":
            return UNKNOWN
        found = base.field(expr.name)
        if found is None:
            if self._reporting and not _checked_elsewhere(expr, base, local):
                self._report((expr, expr.name, base))
            return UNKNOWN
        return found

    def _Index(self, expr: ast.Index, local: Scope) -> Type:
        base = non_null(self.infer(expr.obj, local))
        self.infer(expr.index, local)
        if base.kind in ("list", "map"):
            return base.item or UNKNOWN
        if base.kind == "record" and isinstance(expr.index, ast.String):
            return base.field(expr.index.value) or UNKNOWN
        return UNKNOWN

    def _Where(self, expr: ast.Where, local: Scope) -> Type:
        source = self.infer(expr.source, local)
        self.infer(expr.predicate, self._item_scope(local, expr.source, source, expr.binder))
        return source if source.kind == "list" else UNKNOWN

    def _Cond(self, expr: ast.Cond, local: Scope) -> Type:
        self.infer(expr.test, local)
        return join(self.infer(expr.then, local), self.infer(expr.otherwise, local))

    def _ListExpr(self, expr: ast.ListExpr, local: Scope) -> Type:
        items = [self.infer(item, local) for item in expr.items]
        return list_of(_join_all(items))

    def _RecordExpr(self, expr: ast.RecordExpr, local: Scope) -> Type:
        return record({f.name: self.infer(f.value, local) for f in expr.fields})

    def _Range(self, expr: ast.Range, local: Scope) -> Type:
        start, end = self.infer(expr.start, local), self.infer(expr.end, local)
        return list_of(NUMBER if start == end == NUMBER else UNKNOWN)

    def _Unary(self, expr: ast.Unary, local: Scope) -> Type:
        operand = self.infer(expr.operand, local)
        if expr.op == "not":
            return BOOL
        return NUMBER if operand == NUMBER else UNKNOWN

    def _Binary(self, expr: ast.Binary, local: Scope) -> Type:
        left, right = self.infer(expr.left, local), self.infer(expr.right, local)
        if expr.op in ("==", "!=", "<", "<=", ">", ">=", "in", "not in"):
            return BOOL
        if expr.op in ("-", "*", "/", "%"):
            return NUMBER if left == right == NUMBER else UNKNOWN
        if expr.op == "+":
            if left == right and left in (NUMBER, STRING):
                return left
            if left.kind == right.kind == "list":
                return list_of(join(left.item or UNKNOWN, right.item or UNKNOWN))
        return UNKNOWN

    def _Call(self, expr: ast.Call, local: Scope) -> Type:
        builtin = BUILTINS.get(expr.func.name)
        first = self.infer(expr.args[0], local) if expr.args else UNKNOWN
        item = first.item if first.kind == "list" and first.item else UNKNOWN
        bodies = []
        for position, arg in enumerate(expr.args[1:], start=1):
            bodies.append(self._argument(arg, local, builtin, position, expr.args[0], first))
        for kwarg in expr.kwargs:
            bodies.append(self._argument(kwarg.value, local, builtin, kwarg.name, expr.args[0] if expr.args else None,
                                         first))
        if expr.func.name == "calls" and expr.args:
            return self._calls_type(expr.args[0], item)
        return _call_type(expr.func.name, first, item, bodies)

    def _calls_type(self, arg: Any, result: Type) -> Type:
        stmt = self.defs.get(arg.id) if isinstance(arg, ast.Name) else None
        if not isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)) or not stmt.loops:
            return list_of(UNKNOWN)
        fields = dict(self.loop_scope(stmt))
        fields["result"] = result
        return list_of(record(fields))

    def _argument(self, arg: Any, local: Scope, builtin: Any, key: int | str, source: Any, items: Type) -> Type:
        if builtin is not None and key in builtin.per_item:
            binder = arg.binder if isinstance(arg, ast.Lambda) else None
            body = arg.body if isinstance(arg, ast.Lambda) else arg
            return self.infer(body, self._item_scope(local, source, items, binder))
        return self.infer(arg, local)

    def _item_scope(self, local: Scope, source: Any, items: Type, binder: ast.Ident | None) -> dict[str, Type]:
        item = items.item if items.kind == "list" and items.item else UNKNOWN
        if item.kind == "record" and source is not None and table_of(source) is not None:
            item = Type(item.kind, item.item, item.fields, "db." + item.name, item.nullable)
        scope = {**local, "it": item}
        if binder is not None:
            scope[binder.name] = item
        return scope


# node type -> the Inferrer method for it (``_Attr`` for :class:`ast.Attr`)
_RULES: dict[type, Callable[..., Type]] = {
    node: getattr(Inferrer, f"_{node.__name__}") for node in vars(ast).values()
    if isinstance(node, type) and issubclass(node, ast.Node) and hasattr(Inferrer, f"_{node.__name__}")}


def _from_table(model: Any, table: str) -> Type:
    found = from_annotation(model)
    return Type(found.kind, found.item, found.fields, found.name or table, found.nullable)


def _checked_elsewhere(expr: ast.Attr, base: Type, local: Scope) -> bool:
    """`it.FIELD` over `db.TABLE` is already the `unknown-field` check's."""
    return isinstance(expr.obj, ast.Name) and expr.obj.id in local and base.name.startswith("db.")


def _join_all(types: list[Type]) -> Type:
    if not types:
        return UNKNOWN
    found = types[0]
    for other in types[1:]:
        found = join(found, other)
    return found


_SAME_LIST = frozenset({"distinct", "sort"})
_ITEM = frozenset({"first", "last", "one", "argmin", "argmax", "min", "max"})


def _call_type(name: str, first: Type, item: Type, bodies: list[Type]) -> Type:
    if name in _ITEM:
        return item
    if name in _SAME_LIST:
        return first if first.kind == "list" else UNKNOWN
    if name == "flatten":
        return list_of(item.item) if item.kind == "list" and item.item else list_of(UNKNOWN)
    if name == "map":
        return list_of(bodies[0] if bodies else UNKNOWN)
    if name == "values":
        return list_of(first.item) if first.kind == "map" and first.item else list_of(UNKNOWN)
    if name == "keys":
        return list_of(STRING)
    if name == "zip":
        second = bodies[0] if bodies else UNKNOWN
        return list_of(list_of(join(item, second.item if second.kind == "list" and second.item else UNKNOWN)))
    if name == "enumerate":
        return list_of(record({"index": NUMBER, "item": item}))
    if name == "group_by":
        return list_of(record({"key": bodies[0] if bodies else UNKNOWN, "items": first}))
    return _SIMPLE.get(name, UNKNOWN)


_SIMPLE = {"count": NUMBER, "sum": NUMBER, "round": NUMBER, "abs": UNKNOWN, "str": STRING, "lower": STRING,
           "upper": STRING, "all": BOOL, "any": BOOL}
