"""Typed checks: field access on tool results, records and lets; the type of every tool argument."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import diagnostics as diag
from . import ast
from .check_context import CheckContext, did_you_mean
from .infer import Inferrer
from .types import Type

# JSON schema types a static type may stand for.
_JSON_KINDS = {"string": {"string"}, "number": {"number", "integer"}, "bool": {"boolean"}, "null": {"null"},
               "list": {"array"}, "record": {"object"}, "map": {"object"}}
_WORDS = {"string": "a string", "number": "a number", "bool": "true or false", "null": "null", "list": "a list",
          "record": "a record", "map": "a record"}


def _inferrers(ctx: CheckContext) -> Iterator[tuple[ast.TaskDecl, Inferrer]]:
    if ctx.domain is None:
        return
    for task in ctx.module.tasks:
        yield task, ctx.inferrer(task)


def _scopes(ctx: CheckContext) -> Iterator[tuple[list[Any], Inferrer]]:
    """The statements of every task, and the file's shared definitions, each with their inferrer."""
    if ctx.domain is not None and ctx.module.shared:
        yield list(ctx.module.shared), ctx.inferrer(None)
    for task, inferrer in _inferrers(ctx):
        yield list(task.body), inferrer


def result_fields(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """`profile.finez` on a read result, a let or a param whose type the environment declares."""
    for statements, inferrer in _scopes(ctx):
        for stmt in statements:
            local = inferrer.loop_scope(stmt) if isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)) else {}
            for use in ctx.statement_uses(stmt):
                inferrer.infer(use.expr, local if use.extra else {})
        for node, name, owner in inferrer.problems.values():
            fields = owner.field_names
            notes = did_you_mean(name, fields)
            yield ctx.make("unknown-result-field", node.span, notes=notes, field=name,
                           owner=_owner(owner), fields=", ".join(fields) or "none")


def _owner(owner: Type) -> str:
    name = owner.name.removeprefix("db.")
    return f"a {name} record" if name else "this record"


def argument_values(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """A tool argument whose inferred type the tool's schema does not accept (literals: `argument_types`)."""
    for task, inferrer in _inferrers(ctx):
        for stmt in task.of_kind((ast.ReadStmt, ast.WriteStmt)):
            tool = ctx.tool(stmt.tool.name)
            if tool is None:
                continue
            properties = tool.parameters_schema.get("properties", {})
            local = inferrer.loop_scope(stmt)
            for arg in stmt.args:
                if arg.name.name in properties:
                    for node, expected, actual in value_problems(arg.value, properties[arg.name.name], inferrer,
                                                                 local):
                        yield ctx.make("argument-type", node.span, tool=tool.name, name=arg.name.name,
                                       expected=expected, actual=actual)


def value_problems(expr: Any, schema: dict[str, Any], inferrer: Inferrer,
                   local: dict[str, Type]) -> Iterator[tuple[Any, str, str]]:
    from .checks import TYPE_WORDS, literal_type, schema_types  # the literal half of the same check

    if isinstance(expr, ast.ListExpr):
        if isinstance(schema.get("items"), dict):
            for item in expr.items:
                yield from value_problems(item, schema["items"], inferrer, local)
        return
    if isinstance(expr, ast.RecordExpr):
        properties = schema.get("properties", {})
        for field in expr.fields:
            if field.name in properties:
                yield from value_problems(field.value, properties[field.name], inferrer, local)
        return
    if literal_type(expr) is not None:
        return
    found = inferrer.infer(expr, local)
    allowed = schema_types(schema)
    if found.kind not in _JSON_KINDS or allowed is None:
        return
    if not _JSON_KINDS[found.kind] & allowed:
        expected = " or ".join(TYPE_WORDS.get(t, t) for t in sorted(allowed))
        yield expr, expected, _WORDS[found.kind]


def calls_arguments(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """`calls(x)`: x must name a fanned-out read or write of the task (its loop values are kept only there)."""
    for task in ctx.module.tasks:
        fanned = {stmt.name.name for stmt in task.of_kind((ast.ReadStmt, ast.WriteStmt)) if stmt.loops and stmt.name}
        for use in (u for stmt in task.body for u in ctx.statement_uses(stmt)):
            for visit in ctx.visits(use.expr):
                node = visit.node
                if isinstance(node, ast.Call) and node.func.name == "calls" and len(node.args) == 1:
                    arg = node.args[0]
                    if not (isinstance(arg, ast.Name) and arg.id in fanned):
                        yield ctx.make("calls-argument", arg.span)
