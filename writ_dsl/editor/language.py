"""What the language server knows about one open file, as plain functions of its text.

Positions are 0-based (line, character), as in the Language Server Protocol;
writ's spans are 1-based.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import api
from .. import diagnostics as diag
from ..diagnostics import Span
from ..env.core import Tool
from ..env.registry import find_domain
from ..lang import ast
from ..lang.fmt import format_source
from ..lang.loader import LoadedSpec, LoadResult, load_source

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Location:
    path: Path
    span: Span


def check_text(path: Path, text: str, env_path: Sequence[str | Path] = ()) -> list[diag.Diagnostic]:
    """The diagnostics of this file's text (syntax, imports, semantic checks), the file's own only."""
    spec, problems = load_source(path, text)
    found = set(problems)
    if spec is not None:
        found.update(api.check(LoadResult(specs=[spec]), env_path=env_path).diagnostics)
        own = spec.display_path
    else:
        own = None
    return sorted((d for d in found if own is None or d.path == own), key=diag.Diagnostic.sort_key)


def formatted(text: str) -> str | None:
    """The canonical layout of the text (``writ fmt``), or None when it does not parse."""
    result, _ = format_source(text)
    return result


def word_at(text: str, line: int, character: int) -> str | None:
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    for match in _WORD.finditer(lines[line]):
        if match.start() <= character <= match.end():
            return match.group()
    return None


def _declarations(spec: LoadedSpec, line: int) -> Iterator[tuple[LoadedSpec, ast.Ident]]:
    """Names declared by param, let, read and write, innermost first: the task around ``line``, then shared."""
    for task in spec.module.tasks:
        if task.span.line <= line + 1 <= task.span.end_line:
            for stmt in task.body:
                name = getattr(stmt, "name", None)
                if isinstance(stmt, (ast.ParamStmt, ast.LetStmt, ast.ReadStmt, ast.WriteStmt)) and name is not None:
                    yield spec, name
    for each in spec.closure()[::-1]:
        for stmt in each.module.shared:
            yield each, stmt.name


def definition(path: Path, text: str, line: int, character: int) -> Location | None:
    """Where the let, read, param or write named at the position is declared."""
    word = word_at(text, line, character)
    spec, _ = load_source(path, text)
    if word is None or spec is None:
        return None
    for owner, name in _declarations(spec, line):
        if name.name == word:
            return Location(owner.path, name.span)
    return None


def hover(path: Path, text: str, line: int, character: int,
          env_path: Sequence[str | Path] = ()) -> str | None:
    """Markdown for the tool named at the position: its signature, kind and description."""
    word = word_at(text, line, character)
    spec, _ = load_source(path, text)
    if word is None or spec is None or spec.env_name is None:
        return None
    domain, _ = find_domain(spec.env_name, env_path)
    tool = domain.tools.get(word) if domain is not None else None
    return None if tool is None else tool_markdown(tool)


def tool_markdown(tool: Tool) -> str:
    return f"```\n{signature(tool)}\n```\n\n{tool.kind.value} tool. {tool.description}"


def signature(tool: Tool) -> str:
    params = []
    for name, info in tool.params.model_fields.items():
        shown = f"{name}: {_type_name(info.annotation)}"
        params.append(shown if info.is_required() else f"{shown} = {info.default!r}")
    return f"{tool.name}({', '.join(params)})"


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")
