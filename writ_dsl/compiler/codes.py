"""The compiler's diagnostic codes and their wording (one place, like :data:`writ_dsl.diagnostics.MESSAGES`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..lang.ast import Span

MESSAGES: dict[str, str] = {
    "undefined-name": "'{name}' is not defined here (no param, let, read, write or shared definition of that name)",
    "dependency-cycle": "dependency cycle (each needs the next): {cycle}",
    "template-syntax": "user {field} template: {detail}",
    "unknown-tool": "environment '{env}' has no tool '{tool}'",
    "tool-kind": "'{tool}' is a {kind} tool and cannot be used in a `{stmt}` statement",
    "unknown-behavior": "no behavior named '{name}' is defined or imported",
    "missing-env": "this file declares tasks but no `env`",
    "unknown-env": "{detail}",
    "empty-parameter": "parameter '{name}' has nothing to sample: {detail}",
    "constant-error": "{detail}",
    "task-unsatisfiable": "task '{task}' produced no instance in {attempts} attempts; "
                          "most rejections were '{reason}': {detail}",
    "task-underproduced": "task '{task}' produced {produced} of {wanted} instances in {attempts} attempts; "
                          "most rejections were '{reason}'",
    "task-not-found": "no task named '{task}' in {path}",
}


def make(code: str, path: str, span: Span | None, /, *, severity: Severity = Severity.ERROR,
         notes: Sequence[str] = (), **fields: Any) -> Diagnostic:
    return Diagnostic(code, MESSAGES[code].format(**fields), path, span, severity, tuple(notes))
