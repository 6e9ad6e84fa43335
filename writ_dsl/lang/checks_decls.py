"""Checks of declarations: tasks, user blocks and their templates, params, behaviors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jinja2

from .. import diagnostics as diag, variants
from . import ast
from .check_context import CheckContext, did_you_mean, first_duplicates, quoted_list
from .checks_names import IMPLICIT, task_scope
from .templates import template_names, template_source

REQUIRED_USER_FIELDS = ("reason", "wants")
REPEATABLE_USER_FIELDS = ("wants",)  # several are equivalent wordings, one picked per instance
# setting -> (JSON type, allowed values or None)
BEHAVIOR_SETTINGS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "description": ("string", None),
    "disclosure": ("string", ("upfront", "on_request", "gradual")),
    "opening": ("string", ("direct", "vague")),
    "changes_mind": ("boolean", None),
    "impatient": ("boolean", None),
    "policy_probe": ("string", None),
    "verbosity": ("string", ("terse", "normal", "chatty")),
}
_LITERAL_TYPES = {ast.String: "string", ast.Bool: "boolean"}
_TYPE_WORDS = {"string": "a string", "boolean": "true or false"}


# ---------------------------------------------------------------- tasks and user blocks
def duplicate_tasks(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for first, later in first_duplicates((t.name.name, t) for t in ctx.module.tasks):
        yield ctx.make("duplicate-task", later.name.span, name=later.name.name, line=first.name.span.line)


def task_statements(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """A task has at most one `title` and one `user` block."""
    for task in ctx.module.tasks:
        for kind, word in ((ast.TitleStmt, "title"), (ast.UserBlock, "user")):
            found = task.of_kind(kind)
            for later in found[1:]:
                yield ctx.make("duplicate-statement", later.span, stmt=word, line=found[0].span.line)


def user_fields(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        user = task.user
        fields = [f for f in (user.fields if user else []) if isinstance(f, ast.TextField)]
        for first, later in first_duplicates((f.field, f) for f in fields if f.field not in REPEATABLE_USER_FIELDS):
            yield ctx.make("duplicate-user-field", later.span, field=later.field, line=first.span.line)
        yield from _wordings_agree([f for f in fields if f.field in REPEATABLE_USER_FIELDS], ctx)
        knows = [f for f in (user.fields if user else []) if isinstance(f, ast.KnowsField)]
        for later in knows[1:]:
            yield ctx.make("duplicate-user-field", later.span, field="knows", line=knows[0].span.line)
        present = {f.field for f in fields}
        for name in REQUIRED_USER_FIELDS:
            if name not in present:
                where = user.span if user else task.name.span
                yield ctx.make("missing-user-field", where, field=name, task=task.name.name)


def param_counts(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    params = [*ctx.module.of_kind(ast.ParamStmt), *(p for t in ctx.module.tasks for p in t.of_kind(ast.ParamStmt))]
    for param in params:
        if param.count is not None and param.count < 2:
            yield ctx.make("param-count", param.span, name=param.name.name, count=param.count)


def guarded_reasons(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """An ``else because`` belongs to a guarded write: without a guard no call is ever left out."""
    for task in ctx.module.tasks:
        for write in task.of_kind(ast.WriteStmt):
            if write.passed_over is not None and write.guard is None:
                yield ctx.make("unguarded-else-because", write.passed_over.span)


# ---------------------------------------------------------------- templates
def templates(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        for write in task.of_kind(ast.WriteStmt):
            loop_vars = {loop.var.name for loop in write.loops}
            for text in write.reasons:
                yield from _template(ctx, text, _text_scope(ctx, task) | loop_vars)
        user = task.user
        if user is None:
            continue
        scope = _text_scope(ctx, task) | {s.name.name for s in user.knows}
        for text in (f for f in user.fields if isinstance(f, ast.TextField)):
            yield from _template(ctx, text, scope)


def _text_scope(ctx: CheckContext, task: ast.TaskDecl) -> set[str]:
    """What a template may name: the task's and the shared names; ``it`` and ``db`` are the language's."""
    return task_scope(ctx, task) - IMPLICIT


def _template_field(text: ast.TextField) -> str:
    """How a diagnostic names the text: "user reason", "write because", "write else because"."""
    return f"write {text.field}" if text.field in ("because", "else because") else f"user {text.field}"


def _template(ctx: CheckContext, text: ast.TextField, scope: set[str]) -> Iterator[diag.Diagnostic]:
    source = template_source(text.text)
    parsed = ctx.template(source)
    if isinstance(parsed, jinja2.TemplateSyntaxError):
        where = f" (line {parsed.lineno} of the template)" if parsed.lineno and parsed.lineno > 1 else ""
        yield ctx.make("template-syntax", text.span, field=_template_field(text), detail=f"{parsed.message}{where}")
        return
    for name in sorted(ctx.template_names(source) or ()):
        if name not in scope:
            yield ctx.make("template-undefined", text.span, notes=did_you_mean(name, scope), field=_template_field(text),
                           name=name)
    filters, tests = ctx.filters_and_tests(source, parsed)
    for what, used, known in (("filter", filters, ctx.template_env.filters), ("test", tests, ctx.template_env.tests)):
        for name in sorted(name for name in used if name not in known):
            yield ctx.make("template-filter", text.span, notes=did_you_mean(name, known), field=_template_field(text),
                           what=what, name=name)


# ---------------------------------------------------------------- alternations
def alternations(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """Each text's ``[a|b]`` groups parse, and the alternatives of a group read the same template names
    (an instance that took one which leaves a value out would lose it)."""
    for task in ctx.module.tasks:
        reasons = [text for s in task.of_kind(ast.WriteStmt) for text in s.reasons]
        for text in reasons + [f for f in (task.user.fields if task.user else []) if isinstance(f, ast.TextField)]:
            try:
                found = variants.groups(text.text)
            except variants.AlternationError as exc:
                yield ctx.make("alternation-syntax", text_position(ctx, text, exc.offset), field=_template_field(text),
                               problem=exc.problem)
                continue
            for group in found:
                yield from _alternatives_agree(ctx, text, group)


def _alternatives_agree(ctx: CheckContext, text: ast.TextField, group: variants.Group) -> Iterator[diag.Diagnostic]:
    names = [_names_in(source) for source in group.sources]
    for start, found in zip(group.starts, names):
        if found is None:
            yield ctx.make("alternation-syntax", text_position(ctx, text, start), field=_template_field(text),
                           problem="an alternative must hold whole jinja2 tags and blocks")
    if any(n is None for n in names):
        return
    every = set().union(*names)
    for start, found in zip(group.starts, names):
        missing = sorted(every - found)  # type: ignore[operator]
        if missing:
            yield ctx.make("alternatives-differ", text_position(ctx, text, start), field=_template_field(text),
                           names=", ".join(f"`{m}`" for m in missing))


def text_position(ctx: CheckContext, text: ast.TextField, offset: int) -> ast.Span:
    """Where the ``offset``-th character of a text field's value sits in its file (escapes undone)."""
    source = ctx.spec.source
    lines = source.split("\n")
    start = sum(len(line) + 1 for line in lines[:text.span.line - 1]) + text.span.column - 1
    quote = source.find('"', start)
    if quote < 0:
        return text.span
    at = quote + (3 if source.startswith('"""', quote) else 1)
    for _ in range(offset):
        if source[at:at + 1] == "\\" and source[at + 1:at + 2] in _ESCAPED:
            at += 1
        at += 1
    line = source.count("\n", 0, at) + 1
    column = at - (source.rfind("\n", 0, at) + 1) + 1
    return ast.Span(line=line, column=column, end_line=line, end_column=column + 1)


_ESCAPED = frozenset('nt"\\')


# ---------------------------------------------------------------- behaviors
def behaviors_known(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for task in ctx.module.tasks:
        for ident in task.behavior_names:
            if ident.name not in ctx.behaviors:
                notes = did_you_mean(ident.name, ctx.behaviors)
                yield ctx.make("unknown-behavior", ident.span, notes=notes, name=ident.name)
        for _, later in first_duplicates((i.name, i) for i in task.behavior_names):
            yield ctx.make("duplicate-behavior-use", later.span, name=later.name)


def behavior_duplicates(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for decl in ctx.module.behaviors:
        first = ctx.behaviors[decl.name.name][0]
        if first.node is not decl:
            yield ctx.make("duplicate-behavior", decl.name.span, name=decl.name.name, where=first.where(ctx.path))


def behavior_settings(ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    for decl in ctx.module.behaviors:
        for setting in decl.settings:
            yield from _setting(ctx, setting)
        for first, later in first_duplicates((s.name.name, s) for s in decl.settings):
            yield ctx.make("duplicate-setting", later.name.span, name=later.name.name, line=first.span.line)
        if "description" not in {s.name.name for s in decl.settings}:
            yield ctx.make("missing-description", decl.name.span, name=decl.name.name)


def _setting(ctx: CheckContext, setting: ast.Setting) -> Iterator[diag.Diagnostic]:
    name = setting.name.name
    if name not in BEHAVIOR_SETTINGS:
        notes = did_you_mean(name, BEHAVIOR_SETTINGS) or [
            diag.NOTES["settings"].format(names=quoted_list(BEHAVIOR_SETTINGS))]
        yield ctx.make("unknown-setting", setting.name.span, notes=notes, name=name)
        return
    kind, allowed = BEHAVIOR_SETTINGS[name]
    value: Any = setting.value
    if _LITERAL_TYPES.get(type(value)) != kind:
        yield ctx.make("setting-type", value.span, name=name, expected=_TYPE_WORDS[kind])
    elif allowed is not None and value.value not in allowed:
        yield ctx.make("setting-value", value.span, name=name, value=value.value,
                       allowed=", ".join(f'"{a}"' for a in allowed))


def _wordings_agree(fields: list[ast.TextField], ctx: CheckContext) -> Iterator[diag.Diagnostic]:
    """Equivalent wordings of a field name the same values: a wording that leaves one out would let an
    instance lose it."""
    if len(fields) < 2:
        return
    names = [_names_in(f.text) for f in fields]
    if any(n is None for n in names):
        return  # a template that does not parse is reported by the template checks
    every = set().union(*names)
    for text_field, found in zip(fields, names):
        missing = sorted(every - found)
        if missing:
            yield ctx.make("wordings-differ", text_field.span, field=text_field.field,
                           names=", ".join(f"`{m}`" for m in missing))


def _names_in(text: str) -> set[str] | None:
    try:
        return template_names(template_source(text))
    except jinja2.TemplateError:  # reported by the template checks
        return None
