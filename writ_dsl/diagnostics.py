"""Diagnostics: problems as data, with stable codes and one place for their wording.

A diagnostic is reported as ``path:line:col: severity: message [code]``
followed by the source line and a caret, like mypy and compilers do.
Codes are stable kebab-case names; :data:`MESSAGES` holds every wording.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .lang.ast import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# code -> message template (str.format fields). Add a code here, never inline a wording.
MESSAGES: dict[str, str] = {
    "syntax": "{detail}",
    "io": "cannot read {what}: {detail}",
    "import-outside-root": "import \"{path}\" leaves the spec library root {root}",
    "import-cycle": "import cycle: {cycle}",
    "import-not-found": "imported file \"{path}\" not found",
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


def _excerpt(source: str, span: Span) -> list[str]:
    text_lines = source.splitlines()
    if not 1 <= span.line <= len(text_lines):
        return []
    line = text_lines[span.line - 1]
    end = span.end_column if span.end_line == span.line else len(line) + 1
    width = max(1, end - span.column)
    caret = " " * (span.column - 1) + "^" + "~" * (width - 1)
    return [f"    {line}", f"    {caret}"]


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
