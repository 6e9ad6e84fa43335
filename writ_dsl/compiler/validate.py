"""Static checks a spec must pass before it is compiled.

The front end's checks (:func:`writ_dsl.lang.checks.run_checks`) run on every
file involved, once each, when that module is available. The compiler's own
checks cover only what it relies on when the front end's are absent: every
read and write names a tool of the environment, of a kind the statement allows.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

from ..diagnostics import Diagnostic
from ..env.core import Domain, ToolKind
from ..env.registry import UnknownEnvironment, load_domain
from ..lang import ast
from ..lang.loader import LoadedSpec
from .. import diagnostics

ALLOWED = {"read": (ToolKind.READ, ToolKind.GENERIC), "write": (ToolKind.WRITE,)}


def checks_module() -> ModuleType | None:
    """:mod:`writ_dsl.lang.checks`, or None while the front end does not provide it."""
    try:
        return importlib.import_module("writ_dsl.lang.checks")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("writ_dsl.lang."):
            return None
        raise


def front_end_checks(specs: Iterable[LoadedSpec], env_path: Iterable[str] = ()) -> list[Diagnostic] | None:
    """The front end's diagnostics for every file of the specs and their imports; None without a checker."""
    module = checks_module()
    if module is None:
        return None
    files = {s.path: s for spec in specs for s in spec.closure()}
    found: list[Diagnostic] = []
    for path in sorted(files):
        domain, problem = _domain_of(files[path], tuple(env_path))
        found.extend(module.run_checks(module.CheckContext(files[path], domain, problem)))
    return found


def _domain_of(spec: LoadedSpec, env_path: tuple[str, ...]) -> tuple[Domain | None, str | None]:
    if spec.env_name is None:
        return None, None
    try:
        return load_domain(spec.env_name, env_path), None
    except UnknownEnvironment as exc:
        return None, str(exc)


def tool_checks(spec: LoadedSpec, domain: Domain) -> list[Diagnostic]:
    problems = []
    for task in spec.module.tasks:
        for stmt in task.body:
            if isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)):
                problems.extend(_tool_problem(spec.display_path, stmt, domain))
    return problems


def _tool_problem(path: str, stmt: ast.ReadStmt | ast.WriteStmt, domain: Domain) -> list[Diagnostic]:
    tool = domain.tools.get(stmt.tool.name)
    kind = "read" if isinstance(stmt, ast.ReadStmt) else "write"
    if tool is None:
        return [diagnostics.make("unknown-tool", path, stmt.tool.span, env=domain.name, tool=stmt.tool.name)]
    if tool.kind not in ALLOWED[kind]:
        return [diagnostics.make("tool-kind", path, stmt.tool.span, tool=tool.name, kind=tool.kind.value, stmt=kind)]
    return []
