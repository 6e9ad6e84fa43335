"""What the language server knows about one open file, as plain functions of its text.

Positions are 0-based (line, character) with the character counted in code points
(the server converts to the client's position encoding); writ's spans are 1-based.
"""

from __future__ import annotations

import os
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
from ..lang.loader import LoadedSpec, LoadResult, display_path, import_target, library_root, load_source

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Location:
    path: Path
    span: Span
    source: str  # the text of the file at ``path``, which the span's columns count in


def check_text(path: Path, text: str, env_path: Sequence[str | Path] = ()) -> list[diag.Diagnostic]:
    """The diagnostics of this file's text (syntax, imports, semantic checks).

    Errors in files this one imports, directly or not, are shown as one error on each import that leads
    to them; those in a file no import leads to (writ.toml) as one error at the top.
    """
    path = path.resolve()
    spec, problems = load_source(path, text)
    found = set(problems)
    if spec is not None:
        found.update(api.check(LoadResult(specs=[spec]), env_path=env_path).diagnostics)
    own = display_path(path, library_root(path).resolve())
    mine = [d for d in found if d.path == own]
    elsewhere = sorted((d for d in found if d.path != own and d.is_error), key=diag.Diagnostic.sort_key)
    return sorted(mine + list(_on_imports(spec, own, path.parent, elsewhere)), key=diag.Diagnostic.sort_key)


def _on_imports(spec: LoadedSpec | None, own: str, folder: Path,
                errors: list[diag.Diagnostic]) -> Iterator[diag.Diagnostic]:
    """One error on each import that leads to some of ``errors``, and one at the top for the rest."""
    reached: set[str] = set()
    for decl in spec.module.imports if spec is not None else ():
        files = _files_through(spec, decl)
        found = [d for d in errors if d.path in files]
        if found:
            yield _summary(own, decl.span, found, files, folder)
        reached.update(files)
    left = [d for d in errors if d.path not in reached]
    if left:
        yield _summary(own, Span(line=1, column=1, end_line=1, end_column=1), left, {}, folder)


def _files_through(spec: LoadedSpec, decl: ast.ImportDecl) -> dict[str, Path]:
    """The files an import of ``spec`` reads, directly or through theirs, by display path."""
    loaded = {each.path: each for each in spec.closure() if each is not spec}
    files: dict[str, Path] = {}
    todo = [import_target(spec.path, decl)]
    while todo:
        target = todo.pop()
        shown = display_path(target, spec.root) if target is not None else None
        if shown is None or shown in files:
            continue
        files[shown] = target
        if target in loaded:
            todo.extend(import_target(target, each) for each in loaded[target].module.imports)
    return files


def _summary(own: str, span: Span, errors: list[diag.Diagnostic], files: dict[str, Path],
             folder: Path) -> diag.Diagnostic:
    """The first of ``errors`` as an error of this file at ``span``, its place named from ``folder``."""
    first = errors[0]
    file = files.get(first.path) or Path(first.path)
    where = _relative(file, folder) if file.is_absolute() else first.path
    where = where if first.span is None else f"{where}:{first.span}"
    notes = list(first.notes)
    if len(errors) > 1:
        notes.append(diag.NOTES["more-errors"].format(count=len(errors) - 1))
    return diag.Diagnostic(first.code, f"in {where}: {first.message}", own, span, diag.Severity.ERROR, tuple(notes))


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive
        return path.as_posix()


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
            return Location(owner.path, name.span, owner.source)
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
