"""Diagnostics: problems as data, with stable codes and one place for their wording.

A diagnostic is reported as ``path:line:col: severity: message [code]``
followed by the source line and a caret, like mypy and compilers do.
Codes are stable kebab-case names; :data:`MESSAGES` holds every wording.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A 1-based source range: where a diagnostic or a syntax node sits in its file."""

    model_config = ConfigDict(frozen=True)

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# code -> message template (str.format fields). Add a code here, never inline a wording.
MESSAGES: dict[str, str] = {
    # syntax (writ_dsl.lang.lexer, writ_dsl.lang.parser)
    "syntax": "expected {expected}{after}",
    "unclosed": "unexpected {found}: {opener} on line {line} is not closed",
    "unclosed-block": "unexpected `}}`: {outer} ends here, but {inner} on line {line} is not closed",
    "unterminated-string": "unterminated string",
    "single-quoted-string": "strings are written in double quotes",
    "bad-character": "unexpected character `{text}`",
    "invalid-date": "`{text}` is not a valid date",
    "too-deep": "an expression of this file is nested too deeply to be processed",
    "too-many-errors": "too many syntax errors ({count}); the rest of the file is not checked",
    # limits (writ_dsl.lang.limits; each set in the `[limits]` table of writ.toml)
    "file-too-large": "this file has {size} bytes, over the limit of {limit} (`[limits] file_bytes`)",
    "nesting-too-deep": "this is nested more than {limit} levels deep (`[limits] depth`)",
    "literal-too-large": "this {what} has {size} {unit}, over the limit of {limit} (`[limits] {name}`)",
    "import-too-deep": "this import makes a chain of more than {limit} files (`[limits] import_depth`)",
    "limit-setting": "writ.toml `{setting}` {detail}",
    "compile-setting": "writ.toml `{setting}` {detail}",
    "bad-encoding": "this file is not UTF-8 text: byte 0x{byte} cannot be decoded",
    "io": "cannot read {what}: {detail}",
    "no-specs": "no .writ files under {what}",
    # semantic checks (writ_dsl.lang.checks): environment and tools
    "missing-env": "this file declares tasks but no `env`",
    "duplicate-env": "`env` is already declared on line {line}",
    "unknown-env": "{detail}",
    "env-mismatch": "imported file {path} declares env '{theirs}', but this file declares '{ours}'",
    "unknown-tool": "environment '{env}' has no tool '{tool}'",
    "tool-kind": "'{tool}' is a {kind} tool and cannot be used in a `{stmt}` statement",
    "missing-argument": "'{tool}' needs the argument(s) {names}",
    "unknown-argument": "'{tool}' has no argument `{name}`",
    "duplicate-argument": "argument `{name}` is already given on line {line}",
    "argument-type": "argument `{name}` of '{tool}' must be {expected}, not {actual}",
    "argument-enum": "argument `{name}` of '{tool}' must be one of {choices}, not {value}",
    # names, `it`, `db`, builtins, cycles
    "undefined-name": "'{name}' is not defined here (no param, let, read, write or shared definition of that name)",
    "duplicate-name": "'{name}' is already defined on line {line}",
    "duplicate-shared": "shared definition '{name}' is already defined {where}",
    "shadowed-name": "'{name}' hides the shared definition {where}",
    "duplicate-knows": "`knows` already has '{name}' (line {line})",
    "unused-read": "the result of read '{name}' is never used",
    "it-outside-items": "`it` is only defined in a `where` predicate or a per-item builtin argument",
    "misplaced-item-name": "`{name}: ...` names the item only in a per-item argument (the second argument of "
                           "map, all or any, or `by =` of argmin, argmax or sort)",
    "reserved-item-name": "'{name}' is built in and cannot name an item",
    "bare-db": "`db` is the database: write `db.TABLE` to get a table's records",
    "unknown-table": "environment '{env}' has no table '{table}' (tables: {tables})",
    "unknown-field": "records of table '{table}' have no field '{field}'",
    "unknown-result-field": "{owner} has no field '{field}' (fields: {fields})",
    "unknown-builtin": "unknown function '{name}'",
    "builtin-arity": "{name}() takes {expected}, not {got}",
    "builtin-keyword": "{name}() has no keyword argument `{keyword}` (keywords: {allowed})",
    "calls-argument": "calls() takes the name of a fanned-out read or write of this task "
                      "(`read x = tool(...) for v in xs`)",
    "dependency-cycle": "dependency cycle (each needs the next): {cycle}",
    "check-failed": "the check {check} failed on this file ({detail}); please report it",
    # declarations
    "duplicate-task": "task '{name}' is already defined on line {line}",
    "duplicate-statement": "a task has one `{stmt}`; the first is on line {line}",
    "missing-user-field": "task '{task}' has no user `{field}`",
    "duplicate-user-field": "user `{field}` is already given on line {line}",
    "wordings-differ": "this `{field}` wording leaves out {names}, which another wording of it uses",
    "param-count": "`param {name} = {count} of ...` must sample at least 2 items (write `one of` for one)",
    "unguarded-else-because": "`else because` says why the `if` guard leaves a call out, but this write has no guard",
    "template-syntax": "{field} template: {detail}",
    "alternation-syntax": "{field} text: {problem}",
    "alternatives-differ": "this alternative of a {field} text leaves out {names}, which another alternative "
                           "of the same group uses",
    "template-undefined": "{field} template uses '{name}', which is not defined in this task",
    "template-filter": "{field} template uses an unknown {what} '{name}'",
    "unknown-behavior": "no behavior named '{name}' is defined or imported",
    "duplicate-behavior-use": "behavior '{name}' is listed twice",
    "duplicate-behavior": "behavior '{name}' is already defined {where}",
    "unknown-setting": "behaviors have no setting '{name}'",
    "duplicate-setting": "setting '{name}' is already given on line {line}",
    "missing-description": "behavior '{name}' has no `description`",
    "setting-type": "behavior setting '{name}' must be {expected}",
    "setting-value": "behavior setting '{name}' must be one of {allowed}, not \"{value}\"",
    "import-outside-root": "import \"{path}\" leaves the spec library root {root}",
    "import-cycle": "import cycle: {cycle}",
    "import-not-found": "imported file \"{path}\" not found",
    # compiling instances (writ_dsl.compiler)
    "empty-parameter": "parameter '{name}' has nothing to sample: {detail}",
    "constant-error": "{detail}",
    "task-unsatisfiable": "task '{task}' produced no instance in {attempts} attempts; "
                          "most rejections were '{reason}': {detail}",
    "task-underproduced": "task '{task}' produced {produced} of {wanted} instances in {attempts} attempts; "
                          "most rejections were '{reason}'",
    "task-not-found": "no task named '{task}' in {path}",
    "no-tasks": "no task in {where}",
    "eval-error": "task '{task}': {detail} (rejected {count} attempt(s); a spec bug, not an ill-posed instance)",
    "small-parameter-pool": "task '{task}': parameter '{name}' took {distinct} distinct value(s) "
                            "in {produced} instances (fewer than half)",
}

# Wording of the notes that follow a diagnostic.
NOTES: dict[str, str] = {
    "did-you-mean": "did you mean '{name}'?",
    "loop-scope": "a read's loop variables are only in scope in that read's arguments",
    "tool-in-expression": "tools are called by `read` and `write` statements, not in expressions",
    "in-cycle": "'{name}' ({where}) is part of the cycle",
    "arguments": "the arguments of '{tool}' are {names}",
    "settings": "the settings are {names}",
    "no-library-root": "no {marker} was found above this file, so its own folder {folder} is the library root: "
                       "put a {marker} in the folder that holds every file it imports",
    "more-errors": "and {count} more error(s) in the files this import reads",
    "eval-error-bias": "the instances that avoid this error are a biased sample; `--strict` makes it an error",
}


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    path: str
    span: Span | None = None
    severity: Severity = Severity.ERROR
    notes: tuple[str, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[Any, ...]:
        line, col = (self.span.line, self.span.column) if self.span else (0, 0)
        return (self.path, line, col, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        span = self.span.model_dump() if self.span else None
        return {
            "path": self.path,
            "span": span,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "notes": list(self.notes),
        }


def make(code: str, path: str, span: Span | None, /, *, severity: Severity = Severity.ERROR,
         notes: Sequence[str] = (), **fields: Any) -> Diagnostic:
    """Build a diagnostic whose wording comes from :data:`MESSAGES`."""
    return Diagnostic(code, MESSAGES[code].format(**fields), path, span, severity, tuple(notes))


def as_typed(path: Path) -> str:
    """A file as the user would type it: relative to the working folder when inside it, else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def with_typed_paths(found: Iterable[Diagnostic], files: Mapping[str, Path]) -> list[Diagnostic]:
    """The diagnostics with each library display path (``files`` maps it to its file) shown :func:`as_typed`:
    their own file, and the files their messages and notes name (an import cycle's chain)."""
    return [replace(d, path=as_typed(files[d.path]) if d.path in files else d.path,
                    message=_typed_in(d.message, files), notes=tuple(_typed_in(note, files) for note in d.notes))
            for d in found]


def _typed_in(text: str, files: Mapping[str, Path]) -> str:
    """Each library display path named in ``text`` as the user would type it, in one pass (a name put in is
    never read again as another)."""
    named = sorted((name for name in files if name in text), key=len, reverse=True)
    if not named:
        return text
    pattern = re.compile(rf"(?<![\w./-])(?:{'|'.join(map(re.escape, named))})(?![\w./-])")
    return pattern.sub(lambda found: as_typed(files[found.group(0)]), text)


def location(d: Diagnostic) -> str:
    if d.span is None:
        return d.path
    return f"{d.path}:{d.span.line}:{d.span.column}"


def format_text(d: Diagnostic, source: str | None = None) -> str:
    """``path:line:col: error: message [code]``, then the source line and a caret."""
    lines = [f"{location(d)}: {d.severity}: {d.message} [{d.code}]"]
    if source is not None and d.span is not None:
        lines.extend(_excerpt(source, d.span))
    lines.extend(f"{location(d)}: note: {note}" for note in d.notes)
    return "\n".join(lines)


# Control characters print as one column each, so the caret stays under its token.
_VISIBLE = {code: "?" for code in (*range(0x20), 0x7F)} | {ord("\t"): " "}


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
EXCERPT_WIDTH = 160  # columns of a source line shown under a diagnostic; a longer line is cut around the span


def source_lines(text: str) -> list[str]:
    """A spec's lines as its positions count them: only line feeds, carriage returns and the two together
    end a line (not the other breaks :meth:`str.splitlines` knows, such as U+2028 inside a comment)."""
    return _LINE_BREAK.split(text)


def _excerpt(source: str, span: Span) -> list[str]:
    text_lines = source_lines(source)
    if not 1 <= span.line <= len(text_lines):
        return []
    line = text_lines[span.line - 1].translate(_VISIBLE)
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    first = 0 if len(line) <= EXCERPT_WIDTH else max(0, min(start - EXCERPT_WIDTH // 4, len(line) - EXCERPT_WIDTH))
    lead, tail = ("..." if first else ""), ("..." if first + EXCERPT_WIDTH < len(line) else "")
    width = max(1, min(end, first + EXCERPT_WIDTH) - start)
    caret = " " * (len(lead) + start - first) + "^" + "~" * (width - 1)
    return [f"    {lead}{line[first:first + EXCERPT_WIDTH]}{tail}", f"    {caret}"]


def format_github(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in a pull request."""
    level = "error" if d.is_error else ("warning" if d.severity is Severity.WARNING else "notice")
    props = [f"file={d.path}"]
    if d.span is not None:
        props += [f"line={d.span.line}", f"col={d.span.column}",
                  f"endLine={d.span.end_line}", f"endColumn={d.span.end_column}"]
    props.append(f"title={d.code}")
    message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {','.join(props)}::{message}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
