"""What every semantic check gets: one loaded file, its environment, and shared lookups."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import jinja2
import jinja2.nodes

from .. import diagnostics as diag
from ..env.core import Domain, Tool
from . import ast, templates, walk
from .infer import Inferrer
from .loader import LoadedSpec

Shared = ast.ParamStmt | ast.LetStmt


@dataclass(frozen=True)
class Defined:
    """A declaration and the display path of the file holding it."""

    node: Any
    path: str

    def where(self, here: str) -> str:
        """Where it is, seen from the file ``here``: "on line 3" or "in lib/shared.writ:3"."""
        line = self.node.span.line
        return f"on line {line}" if self.path == here else f"in {self.path}:{line}"


@dataclass(frozen=True)
class Use:
    """An expression of a statement, with the names only it can see (a read's loop variables)."""

    stmt: Any
    expr: Any
    extra: frozenset[str] = frozenset()


def task_uses(task: ast.TaskDecl) -> Iterator[Use]:
    for stmt in task.body:
        yield from statement_uses(stmt)


def statement_uses(stmt: Any) -> Iterator[Use]:
    if isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)):
        loop_vars = frozenset(loop.var.name for loop in stmt.loops)
        yield from (Use(stmt, arg.value, loop_vars) for arg in stmt.args)
        yield from (Use(stmt, loop.source) for loop in stmt.loops)
        if isinstance(stmt, ast.WriteStmt) and stmt.guard is not None:
            yield Use(stmt, stmt.guard, loop_vars)
    elif isinstance(stmt, ast.UserBlock):
        yield from (Use(stmt, setting.value) for setting in stmt.knows)
    else:
        expr = {ast.ParamStmt: "source", ast.LetStmt: "value", ast.RequireStmt: "condition",
                ast.TellStmt: "value"}.get(type(stmt))
        if expr is not None:
            yield Use(stmt, getattr(stmt, expr))


@dataclass
class Walks:
    """Each expression's visits and free names, by the expression's id: one per check run, shared by the
    contexts of all its files (an imported file's definitions are walked once), while every AST is alive."""

    visits: dict[int, list[walk.Visit]] = field(default_factory=dict)
    names: dict[int, list[ast.Name]] = field(default_factory=dict)


@dataclass
class CheckContext:
    spec: LoadedSpec
    domain: Domain | None = None
    env_problem: str | None = None  # why the file's own `env` could not be loaded
    template_env: jinja2.Environment = field(default_factory=templates.environment)
    walks: Walks = field(default_factory=Walks, repr=False)
    _templates: dict[str, Any] = field(default_factory=dict, repr=False)
    _template_names: dict[str, set[str] | None] = field(default_factory=dict, repr=False)
    _inferrers: dict[int, Inferrer] = field(default_factory=dict, repr=False)
    _uses: dict[int, list[Use]] = field(default_factory=dict, repr=False)

    @property
    def module(self) -> ast.Module:
        return self.spec.module

    @cached_property
    def path(self) -> str:
        return self.spec.display_path

    def make(self, code: str, span: ast.Span | None, /, *, severity: diag.Severity = diag.Severity.ERROR,
             notes: Sequence[str] = (), **fields: Any) -> diag.Diagnostic:
        return diag.make(code, self.path, span, severity=severity, notes=notes, **fields)

    def warn(self, code: str, span: ast.Span | None, /, **fields: Any) -> diag.Diagnostic:
        return self.make(code, span, severity=diag.Severity.WARNING, **fields)

    # ------------------------------------------------------------ definitions in scope
    @cached_property
    def shared(self) -> dict[str, list[Defined]]:
        """Every shared param/let of this file and its imports, by name, in load order."""
        found: dict[str, list[Defined]] = {}
        for spec in self.spec.closure():
            for stmt in spec.module.shared:
                found.setdefault(stmt.name.name, []).append(Defined(stmt, spec.display_path))
        return found

    @cached_property
    def behaviors(self) -> dict[str, list[Defined]]:
        found: dict[str, list[Defined]] = {}
        for spec in self.spec.closure():
            for decl in spec.module.behaviors:
                found.setdefault(decl.name.name, []).append(Defined(decl, spec.display_path))
        return found

    @cached_property
    def uses(self) -> list[Use]:
        """Every expression of the file: shared definitions first, then each task's."""
        found = [use for stmt in self.module.shared for use in self.statement_uses(stmt)]
        return found + [use for task in self.module.tasks for use in self.task_uses(task)]

    def statement_uses(self, stmt: Any) -> list[Use]:
        """:func:`statement_uses`, listed once per statement for all the checks."""
        key = id(stmt)
        if key not in self._uses:
            self._uses[key] = list(statement_uses(stmt))
        return self._uses[key]

    def task_uses(self, task: ast.TaskDecl) -> list[Use]:
        return [use for stmt in task.body for use in self.statement_uses(stmt)]

    def visits(self, expr: Any) -> list[walk.Visit]:
        key, found = id(expr), self.walks.visits
        if key not in found:
            found[key] = walk.visits(expr)
        return found[key]

    def all_visits(self) -> Iterator[walk.Visit]:
        for use in self.uses:
            yield from self.visits(use.expr)

    def template(self, text: str) -> jinja2.nodes.Template | jinja2.TemplateSyntaxError:
        """A user template's syntax tree, or its syntax error."""
        if self.template_env is templates.environment():
            return templates.parsed(text)
        if text not in self._templates:
            try:
                self._templates[text] = self.template_env.parse(text)
            except RecursionError:
                self._templates[text] = jinja2.TemplateSyntaxError("the template is nested too deeply", 1)
            except jinja2.TemplateSyntaxError as exc:
                self._templates[text] = exc
        return self._templates[text]

    def filters_and_tests(self, text: str, tree: jinja2.nodes.Template) -> tuple[frozenset[str], frozenset[str]]:
        """The filter and test names of a template that parsed (``tree`` is :meth:`template` of ``text``)."""
        if self.template_env is templates.environment():
            return templates.filters_and_tests_of(text)
        return templates.filters_and_tests(tree)

    def template_names(self, text: str) -> set[str] | None:
        """The names a user template reads (None if it does not parse)."""
        if text not in self._template_names:
            self._template_names[text] = self._read_names(text)
        return self._template_names[text]

    def _read_names(self, text: str) -> set[str] | None:
        if self.template_env is templates.environment():
            found = _names_in_shared_environment(text)
            return None if found is None else set(found)
        return _names_read(self.template_env, text)

    def names(self, expr: Any) -> list[ast.Name]:
        """The names an expression reads, ``it`` and ``db`` included, item names (``xs where u: ...``) not."""
        key, found = id(expr), self.walks.names
        if key not in found:
            found[key] = [v.node for v in self.visits(expr) if isinstance(v.node, ast.Name) and v.node.id not in v.bound]
        return found[key]

    def inferrer(self, task: ast.TaskDecl | None) -> Inferrer:
        """The types of a task's names (``None``: of the file's shared definitions), one per task and file,
        so that every typed check reuses what the others inferred. Needs the environment."""
        key = id(task)
        if key not in self._inferrers:
            assert self.domain is not None
            shared = {name: defined[0].node for name, defined in self.shared.items()}
            self._inferrers[key] = Inferrer(self.domain, task, shared)
        return self._inferrers[key]

    def tool(self, name: str) -> Tool | None:
        return self.domain.tools.get(name) if self.domain is not None else None

    def tool_statements(self) -> Iterator[tuple[ast.ReadStmt | ast.WriteStmt, Tool]]:
        for task in self.module.tasks:
            for stmt in task.body:
                if isinstance(stmt, (ast.ReadStmt, ast.WriteStmt)) and (tool := self.tool(stmt.tool.name)):
                    yield stmt, tool


@lru_cache(maxsize=4096)
def _names_in_shared_environment(text: str) -> frozenset[str] | None:
    """``CheckContext._read_names`` in the one shared template environment, once per text and process."""
    shared = templates.parsed(text)
    found = None if isinstance(shared, jinja2.TemplateSyntaxError) else _names_in(templates.environment(), shared)
    return None if found is None else frozenset(found)


def _names_read(env: jinja2.Environment, text: str) -> set[str] | None:
    """The names a template reads beyond the globals, from its syntax tree (no constant is evaluated);
    None when it does not parse or uses an unknown filter or test."""
    try:
        parsed = env.parse(text)
    except jinja2.TemplateSyntaxError:
        return None
    return _names_in(env, parsed)


def _names_in(env: jinja2.Environment, parsed: jinja2.nodes.Template) -> set[str] | None:
    unknown = any(n.name not in env.filters for n in parsed.find_all(jinja2.nodes.Filter)) or any(
        n.name not in env.tests for n in parsed.find_all(jinja2.nodes.Test))
    return None if unknown else templates.names_read(parsed) - set(env.globals)


def did_you_mean(name: str, options: Iterable[str]) -> list[str]:
    close = difflib.get_close_matches(name, sorted(set(options)), n=1, cutoff=0.6)
    return [diag.NOTES["did-you-mean"].format(name=close[0])] if close else []


def first_duplicates(items: Iterable[tuple[str, Any]]) -> Iterator[tuple[Any, Any]]:
    """(first, later) for every item whose key was seen before."""
    seen: dict[str, Any] = {}
    for key, item in items:
        if key in seen:
            yield seen[key], item
        else:
            seen[key] = item


def quoted_list(names: Iterable[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) or "none"
