"""Checks of names: definitions and uses, `it`, `db` and named items, builtin calls, dependency cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import diagnostics as diag
from . import ast, depgraph, templates
from .builtins import BUILTINS, IMPLICIT_NAMES, Builtin
from .check_context import (
    CheckContext,
    Use,
    did_you_mean,
    first_duplicates,
    quoted_list,
)
from .walk import Visit, table_of

IMPLICIT = frozenset(IMPLICIT_NAMES)


def _bound(task: ast.TaskDecl) -> list[ast.Ident]:
    return [b.name for b in task.bindings if b.name is not None]


def task_scope(ctx: CheckContext, task: ast.TaskDecl) -> set[str]:
    return {ident.name for ident in _bound(task)} | set(ctx.shared) | IMPLICIT


# ---------------------------------------------------------------- definitions and uses
def undefined_names(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    shared_scope = set(ctx.shared) | IMPLICIT
    for stmt in ctx.module.shared:
        for use in ctx.statement_uses(stmt):
            yield from _undefined(ctx, use.expr, shared_scope, set())
    for task in ctx.module.tasks:
        scope = task_scope(ctx, task)
        loop_vars = {loop.var.name for call in task.of_kind((ast.ReadStmt, ast.WriteStmt)) for loop in call.loops}
        for use in ctx.task_uses(task):
            yield from _undefined(ctx, use.expr, scope | use.extra, loop_vars)


def _undefined(ctx: CheckContext, expr: Any, scope: set[str], loop_vars: set[str]) -> Iterator[diag.Diagnostic]:
    for name in ctx.names(expr):
        if name.id not in scope:
            notes = [diag.NOTES["loop-scope"]] if name.id in loop_vars else did_you_mean(name.id, scope - IMPLICIT)
            yield ctx.make("undefined-name", name.span, notes=notes, name=name.id)


def duplicate_names(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        bound = _bound(task)
        pairs = list(first_duplicates((i.name, i) for i in bound))
        for call in task.of_kind((ast.ReadStmt, ast.WriteStmt)):
            pairs += _clashes([loop.var for loop in call.loops], {i.name: i for i in reversed(bound)})
        for first, later in pairs:
            yield ctx.make("duplicate-name", later.span, name=later.name, line=first.span.line)
        keys = [s.name for s in task.user.knows] if task.user else []
        for first, later in first_duplicates((k.name, k) for k in keys):
            yield ctx.make("duplicate-knows", later.span, name=later.name, line=first.span.line)


def _clashes(idents: list[ast.Ident], known: dict[str, ast.Ident]) -> Iterator[tuple[ast.Ident, ast.Ident]]:
    """(earlier, clashing) for each ident whose name is known or came before in ``idents``."""
    seen = dict(known)
    for ident in idents:
        if ident.name in seen:
            yield seen[ident.name], ident
        else:
            seen[ident.name] = ident


def shared_duplicates(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for stmt in ctx.module.shared:
        first = ctx.shared[stmt.name.name][0]
        if first.node is not stmt:
            yield ctx.make("duplicate-shared", stmt.name.span, name=stmt.name.name, where=first.where(ctx.path))
    for task in ctx.module.tasks:
        for ident in _bound(task):
            if ident.name in ctx.shared:
                where = ctx.shared[ident.name][0].where(ctx.path)
                yield ctx.make("shadowed-name", ident.span, severity=diag.Severity.WARNING, name=ident.name,
                               where=where)


def unused_reads(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        used = {name.id for use in ctx.task_uses(task) for name in ctx.names(use.expr)}
        user = task.user
        texts = [f for f in (user.fields if user else []) if isinstance(f, ast.TextField)]
        texts += [text for w in task.of_kind(ast.WriteStmt) for text in w.reasons]
        for text in texts:
            used |= ctx.template_names(templates.template_source(text.text)) or set()
        for read in task.of_kind(ast.ReadStmt):
            if read.name.name not in used:
                yield ctx.warn("unused-read", read.name.span, name=read.name.name)


# ---------------------------------------------------------------- named items
def item_names(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """A named item (``xs where u: ...``, ``map(xs, x: ...)``) hides no definition, loop variable or outer item."""
    for stmt in ctx.module.shared:
        for use in ctx.statement_uses(stmt):
            yield from _item_clashes(ctx, use, {})
    for task in ctx.module.tasks:
        defined = {ident.name: ident for ident in reversed(_bound(task))}
        for use in ctx.task_uses(task):
            known = dict(defined)
            if use.extra and isinstance(use.stmt, (ast.ReadStmt, ast.WriteStmt)):
                for loop in use.stmt.loops:
                    known.setdefault(loop.var.name, loop.var)
            yield from _item_clashes(ctx, use, known)


def _item_clashes(ctx: CheckContext, use: Use, known: dict[str, ast.Ident]) -> Iterator[diag.Diagnostic]:
    for visit in ctx.visits(use.expr):
        binder = visit.node.binder if isinstance(visit.node, (ast.Where, ast.Lambda)) else None
        if binder is None:
            continue
        name = binder.name
        if name in IMPLICIT:
            yield ctx.make("reserved-item-name", binder.span, name=name)
        elif name in visit.bound:
            yield ctx.make("duplicate-name", binder.span, name=name, line=visit.bound[name].ident.span.line)
        elif name in known:
            yield ctx.make("duplicate-name", binder.span, name=name, line=known[name].span.line)
        elif name in ctx.shared:
            yield ctx.warn("shadowed-name", binder.span, name=name, where=ctx.shared[name][0].where(ctx.path))


# ---------------------------------------------------------------- it, db, builtins
def it_outside_items(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for visit in ctx.all_visits():
        if isinstance(visit.node, ast.Name) and visit.node.id == "it" and visit.items is None:
            yield ctx.make("it-outside-items", visit.node.span)


def db_usage(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    schema = ctx.domain.db_schema if ctx.domain is not None else None
    for visit in ctx.all_visits():
        yield from _db_visit(ctx, visit, schema)


def _db_visit(ctx: CheckContext, visit: Visit, schema: Any) -> Iterator[diag.Diagnostic]:
    node = visit.node
    if isinstance(node, ast.Name) and node.id == "db" and table_of(visit.parent) is None:
        yield ctx.make("bare-db", node.span)
    if schema is None or not isinstance(node, ast.Attr):
        return
    table = table_of(node)
    if table is not None and table not in schema:
        yield ctx.make("unknown-table", node.span, notes=did_you_mean(table, schema), env=ctx.domain.name,
                       table=table, tables=quoted_list(schema))
    source = _item_table(visit, node.obj)
    if source in schema:
        if node.name not in schema[source]:
            notes = did_you_mean(node.name, schema[source])
            yield ctx.make("unknown-field", node.span, notes=notes, table=source, field=node.name)


def _item_table(visit: Visit, obj: ast.Node) -> str | None:
    """``T`` when ``obj`` is ``it`` or a named item ranging over ``db.T``."""
    if not isinstance(obj, ast.Name):
        return None
    if obj.id in visit.bound:
        return table_of(visit.bound[obj.id].items)
    return table_of(visit.items) if obj.id == "it" else None


def builtin_calls(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for visit in ctx.all_visits():
        if isinstance(visit.node, ast.Call):
            yield from _call_problems(ctx, visit.node)


def _call_problems(ctx: CheckContext, call: ast.Call) -> Iterator[diag.Diagnostic]:
    builtin = BUILTINS.get(call.func.name)
    if builtin is None:
        tool_note = [diag.NOTES["tool-in-expression"]] if ctx.tool(call.func.name) else []
        notes = tool_note or did_you_mean(call.func.name, BUILTINS)
        yield ctx.make("unknown-builtin", call.func.span, notes=notes, name=call.func.name)
        return
    if not builtin.min_args <= len(call.args) <= builtin.max_args:
        yield ctx.make("builtin-arity", call.func.span, name=builtin.name, expected=_arity(builtin),
                       got=len(call.args))
    for kwarg in call.kwargs:
        if kwarg.name not in builtin.keywords:
            yield ctx.make("builtin-keyword", kwarg.span, name=builtin.name, keyword=kwarg.name,
                           allowed=quoted_list(builtin.keywords))
    placed = [*((i in builtin.per_item, a) for i, a in enumerate(call.args)),
              *((k.name in builtin.per_item or k.name not in builtin.keywords, k.value) for k in call.kwargs)]
    for per_item, arg in placed:
        if isinstance(arg, ast.Lambda) and not per_item:
            yield ctx.make("misplaced-item-name", arg.binder.span, name=arg.binder.name)
    for first, later in first_duplicates((k.name, k) for k in call.kwargs):
        yield ctx.make("duplicate-argument", later.span, name=later.name, line=first.span.line)


def _arity(builtin: Builtin) -> str:
    low, high = builtin.min_args, builtin.max_args
    count = str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
    return f"{count} argument{'' if count == '1' else 's'}"


# ---------------------------------------------------------------- dependency cycles
def dependency_cycles(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        for cycle in depgraph.cycles(depgraph.task_graph(ctx.spec, task, ctx.names)):
            yield _cycle(ctx, cycle)


def _cycle(ctx: CheckContext, cycle: list[depgraph.GraphNode]) -> diag.Diagnostic:
    first = cycle[0]
    text = " -> ".join(_node_label(n) for n in (*cycle, first))
    notes = [diag.NOTES["in-cycle"].format(name=_node_label(n), where=f"{n.path}:{n.span}") for n in cycle[1:]]
    return ctx.make("dependency-cycle", first.span, notes=notes, cycle=text)


def _node_label(node: depgraph.GraphNode) -> str:
    return node.name if node.name is not None else f"the write on line {node.span.line}"


def shared_cycles(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for cycle in depgraph.cycles(depgraph.shared_graph(ctx.spec, ctx.names)):
        yield _cycle(ctx, cycle)
