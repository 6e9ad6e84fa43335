"""Semantic checks: small named functions ``(CheckContext) -> Iterable[Diagnostic]``.

:data:`CHECKS` lists them all; :func:`run_checks` runs them over one loaded
file. Every check reports only on the file in its context (imports are
checked as files of their own), with the wording of
:data:`writ_dsl.diagnostics.MESSAGES`. This module holds the environment and
tool checks; names live in :mod:`.checks_names`, declarations in
:mod:`.checks_decls`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2

from .. import diagnostics as diag
from ..env.core import Domain, ToolKind
from . import ast
from .templates import environment as template_environment
from .check_context import (
    CheckContext,
    Walks,
    did_you_mean,
    first_duplicates,
    quoted_list,
)
from .checks_decls import (
    alternations,
    behavior_duplicates,
    behavior_settings,
    behaviors_known,
    duplicate_tasks,
    guarded_reasons,
    param_counts,
    task_statements,
    templates,
    user_fields,
)
from .checks_names import (
    builtin_calls,
    db_usage,
    dependency_cycles,
    duplicate_names,
    it_outside_items,
    item_names,
    shared_cycles,
    shared_duplicates,
    undefined_names,
    unused_reads,
)
from .checks_types import argument_values, calls_arguments, result_fields
from .loader import LoadedSpec, import_target

Check = Callable[[CheckContext], Iterable[diag.Diagnostic]]


# ---------------------------------------------------------------- environment
def env_declared(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    envs = ctx.module.of_kind(ast.EnvDecl)
    for first, later in first_duplicates(("env", e) for e in envs):
        yield ctx.make("duplicate-env", later.span, line=first.span.line)
    if ctx.module.tasks and not envs:
        yield ctx.make("missing-env", ctx.module.tasks[0].name.span)


def env_known(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    env = ctx.module.env
    if env is not None and ctx.env_problem is not None:
        yield ctx.make("unknown-env", env.name.span, detail=ctx.env_problem)


def env_matches_imports(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    mine = ctx.spec.env_name
    if mine is None:
        return
    for decl, child in _imported(ctx.spec):
        clash = next((s for s in child.closure() if s.env_name not in (None, mine)), None)
        if clash is not None:
            yield ctx.make("env-mismatch", decl.path.span, path=clash.display_path, theirs=clash.env_name,
                           ours=mine)


def _imported(spec: LoadedSpec) -> Iterator[tuple[ast.ImportDecl, LoadedSpec]]:
    children = {child.path: child for child in spec.imports}
    for decl in spec.module.imports:
        child = children.get(import_target(spec.path, decl))
        if child is not None:
            yield decl, child


# ---------------------------------------------------------------- tools
def tool_known(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    if ctx.domain is None:
        return
    for task in ctx.module.tasks:
        for stmt in task.of_kind((ast.ReadStmt, ast.WriteStmt)):
            if stmt.tool.name not in ctx.domain.tools:
                notes = did_you_mean(stmt.tool.name, ctx.domain.tools)
                yield ctx.make("unknown-tool", stmt.tool.span, notes=notes, env=ctx.domain.name, tool=stmt.tool.name)


def tool_kind(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for stmt, tool in ctx.tool_statements():
        wrong = tool.kind is ToolKind.WRITE if stmt.kind == "read" else tool.kind is not ToolKind.WRITE
        if wrong:
            yield ctx.make("tool-kind", stmt.tool.span, tool=tool.name, kind=tool.kind.value, stmt=stmt.kind)


def tool_arguments(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for stmt, tool in ctx.tool_statements():
        given = [arg.name.name for arg in stmt.args]
        missing = [name for name in tool.required_args if name not in given]
        if missing:
            yield ctx.make("missing-argument", stmt.tool.span, tool=tool.name, names=quoted_list(missing))
        for arg in stmt.args:
            if arg.name.name not in tool.arg_names:
                notes = did_you_mean(arg.name.name, tool.arg_names) or [
                    diag.NOTES["arguments"].format(tool=tool.name, names=quoted_list(tool.arg_names))]
                yield ctx.make("unknown-argument", arg.name.span, notes=notes, tool=tool.name, name=arg.name.name)
        for first, later in first_duplicates((a.name.name, a) for a in stmt.args):
            yield ctx.make("duplicate-argument", later.name.span, name=later.name.name, line=first.span.line)


# ---------------------------------------------------------------- argument literals vs JSON schema
TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
              "null": "null", "array": "a list", "object": "a record"}


def argument_types(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for stmt, tool in ctx.tool_statements():
        properties = tool.parameters_schema.get("properties", {})
        for arg in stmt.args:
            if arg.name.name in properties:
                for node, code, fields in literal_problems(arg.value, properties[arg.name.name]):
                    yield ctx.make(code, node.span, tool=tool.name, name=arg.name.name, **fields)


def literal_problems(expr: Any, schema: dict[str, Any]) -> Iterator[tuple[ast.Node, str, dict[str, str]]]:
    """Where a literal contradicts a JSON schema: its type, or an enum it is not in."""
    kind = literal_type(expr)
    if kind is None:
        return
    types = schema_types(schema)
    if types is not None and not _fits(kind, expr, types):
        expected = " or ".join(TYPE_WORDS.get(t, t) for t in sorted(types))
        yield expr, "argument-type", {"expected": expected, "actual": TYPE_WORDS[kind]}
        return
    choices = schema_enum(schema)
    value = getattr(expr, "value", None)
    if choices is not None and isinstance(expr, (ast.String, ast.Number, ast.Bool)) and value not in choices:
        yield expr, "argument-enum", {"choices": ", ".join(_json(c) for c in choices), "value": _json(value)}
    if isinstance(expr, ast.ListExpr) and isinstance(schema.get("items"), dict):
        for item in expr.items:
            yield from literal_problems(item, schema["items"])


def literal_type(expr: Any) -> str | None:
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Number):
        expr = expr.operand
    if isinstance(expr, ast.Number):
        return "integer" if isinstance(expr.value, int) else "number"
    return {ast.String: "string", ast.DateLit: "string", ast.Bool: "boolean", ast.Null: "null",
            ast.ListExpr: "array", ast.RecordExpr: "object"}.get(type(expr))


def schema_types(schema: dict[str, Any]) -> set[str] | None:
    """The JSON types a schema allows; None when it does not say."""
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        parts = [schema_types(option) for option in options]
        return None if any(p is None for p in parts) else set().union(*parts)
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    return None


def schema_enum(schema: dict[str, Any]) -> list[Any] | None:
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        parts = [schema_enum(option) for option in options]
        if any(p is None and schema_types(o) != {"null"} for p, o in zip(parts, options)):
            return None
        return [v for p in parts for v in (p or [])] + ([None] if any(p is None for p in parts) else [])
    return list(schema["enum"]) if "enum" in schema else None


def _fits(kind: str, expr: Any, types: set[str]) -> bool:
    if kind in types or (kind == "integer" and "number" in types):
        return True
    number = expr.operand if isinstance(expr, ast.Unary) else expr
    return kind == "number" and "integer" in types and float(number.value).is_integer()


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", type(None): "null", list: "array", dict: "object"}[type(value)]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


CHECKS: tuple[Check, ...] = (
    env_declared, env_known, env_matches_imports,
    tool_known, tool_kind, tool_arguments, argument_types, argument_values, result_fields, calls_arguments,
    undefined_names, duplicate_names, shared_duplicates, item_names, it_outside_items, db_usage, builtin_calls,
    unused_reads, dependency_cycles, shared_cycles,
    duplicate_tasks, task_statements, user_fields, param_counts, guarded_reasons,
    behaviors_known, behavior_duplicates, behavior_settings, templates, alternations,
)


def run_checks(ctx: CheckContext, checks: Iterable[Check] = CHECKS) -> list[diag.Diagnostic]:
    return sorted((d for check in checks for d in _run(check, ctx)), key=diag.Diagnostic.sort_key)


def _run(check: Check, ctx: CheckContext) -> list[diag.Diagnostic]:
    """One check's diagnostics; a check that fails on odd input reports that instead of stopping the others."""
    try:
        return list(check(ctx))
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - a linter must not crash on any input
        return [ctx.make("check-failed", None, check=check.__name__, detail=f"{type(exc).__name__}: {exc}")]


IMPORT_FAILURES = frozenset({"import-outside-root", "import-not-found", "import-cycle"})
KNOCK_ON = frozenset({"undefined-name", "unknown-behavior", "template-undefined"})


def without_knock_on(found: Iterable[diag.Diagnostic]) -> list[diag.Diagnostic]:
    """The diagnostics, less the names a file lacks only because one of its imports failed."""
    found = list(found)
    broken = {d.path for d in found if d.code in IMPORT_FAILURES}
    return [d for d in found if not (d.path in broken and d.code in KNOCK_ON)]


def check_spec(spec: LoadedSpec, domain: Domain | None = None, *, env_problem: str | None = None,
               template_env: jinja2.Environment | None = None, walks: Walks | None = None) -> list[diag.Diagnostic]:
    """Every check over one loaded file; ``domain`` is its environment (None: tools are not checked).
    ``walks``: the expression walks of the run, shared by the files checked together."""
    ctx = CheckContext(spec, domain, env_problem=env_problem, template_env=template_env or template_environment(),
                       walks=walks or Walks())
    return run_checks(ctx)
