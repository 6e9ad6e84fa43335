"""``writ fmt``: print a parsed file back in the one canonical layout, comments kept.

Layout: 4-space indentation, one statement per line, ``name = value`` with
spaces, a blank line between top-level items (consecutive one-line ``env`` /
``import`` or ``param`` / ``let`` declarations stay together unless the source
separated them), at most one blank line kept between statements of a block.
A tool call whose line would pass :data:`WIDTH` columns, or whose arguments
carry comments, gets one argument per line. Formatting works from the syntax
tree (:mod:`.fmt_expr` prints expressions) and never changes its meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import diagnostics as diag
from . import ast
from .fmt_comments import Attached, attach
from .fmt_expr import INDENT, Cat, Doc, Group, expr_doc, render, string_text
from .limits import DEFAULT, Limits
from .loader import not_utf8
from .parser import parse_text, too_deep

WIDTH = 100
_GROUPS = {ast.EnvDecl: "head", ast.ImportDecl: "head", ast.ParamStmt: "shared", ast.LetStmt: "shared"}


def format_source(text: str, path: str = "<text>",
                  limits: Limits = DEFAULT) -> tuple[str | None, list[diag.Diagnostic]]:
    """The canonical text of a file, or None and the syntax errors that prevent formatting; ``limits``: its
    library's (:func:`~writ_dsl.lang.limits.read_limits`), as ``writ check`` reads it with."""
    module, problems = parse_text(text, path, limits)
    if module is None:
        return None, problems
    try:
        return format_module(module, text), []
    except RecursionError:
        return None, [too_deep(path)]


def format_bytes(data: bytes, path: str = "<stdin>") -> tuple[str | None, list[diag.Diagnostic]]:
    """``format_source`` of raw bytes (standard input): text that is not UTF-8 is a located diagnostic."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [not_utf8(data, exc, path)]
    return format_source(text, path)


def format_module(module: ast.Module, source: str) -> str:
    return _Printer(module, source).run()


class _Printer:
    def __init__(self, module: ast.Module, source: str) -> None:
        self.module = module
        self.source = diag.source_lines(source)
        self.comments: Attached = attach(module, source)
        self.out: list[str] = []

    def run(self) -> str:
        previous = None
        for item in self.module.items:
            if previous is not None and self._separate(previous, item):
                self.out.append("")
            self.node(item, 0)
            previous = item
        self._comments_at_end()
        text = "\n".join(self.out).strip("\n")
        return text + "\n" if text else ""

    def _comments_at_end(self) -> None:
        for comment in self.comments.end:
            if self.out and self._blank_above(comment.span.line):
                self.out.append("")
            self.line(0, comment.text.rstrip())

    # ------------------------------------------------------------ lines and blank lines
    def line(self, level: int, text: str) -> None:
        self.out.append(INDENT * level + text)

    def _separate(self, previous: Any, item: Any) -> bool:
        group = _GROUPS.get(type(item))
        return group is None or group != _GROUPS.get(type(previous)) or self._blank_between(previous, item)

    def _blank_between(self, previous: Any, item: Any) -> bool:
        first = min([item.span.line, *(c.span.line for c in self.comments.leading.get(id(item), []))])
        return any(not text.strip() for text in self.source[previous.span.end_line:first - 1])

    def _blank_above(self, line: int) -> bool:
        return line >= 2 and not self.source[line - 2].strip()

    # ------------------------------------------------------------ nodes with their comments
    def node(self, node: Any, level: int) -> None:
        leading = self.comments.leading.get(id(node), [])
        for comment, following in zip(leading, [*leading[1:], node]):
            self.line(level, comment.text.rstrip())
            if any(not text.strip() for text in self.source[comment.span.line:following.span.line - 1]):
                self.out.append("")
        _PRINT[type(node)](self, node, level)
        trailing = self.comments.trailing.get(id(node))
        if trailing is not None:
            self.out[-1] += "  " + trailing.text.rstrip()

    def block(self, head: str, owner: Any, items: Sequence[Any], level: int) -> None:
        header = self.comments.header.get(id(owner))
        closing = self.comments.closing.get(id(owner), [])
        if not items and header is None and not closing:
            self.line(level, f"{head} {{}}")
            return
        self.line(level, f"{head} {{" + (f"  {header.text.rstrip()}" if header else ""))
        self._body(items, level + 1)
        self._closing(items, closing, level + 1)
        self.line(level, "}")

    def _body(self, items: Sequence[Any], level: int) -> None:
        previous = None
        for item in items:
            if previous is not None and self._blank_between(previous, item):
                self.out.append("")
            self.node(item, level)
            previous = item

    def _closing(self, items: Sequence[Any], closing: list[ast.Comment], level: int) -> None:
        for comment in closing:
            if items and self._blank_above(comment.span.line) and self.out[-1]:
                self.out.append("")
            self.line(level, comment.text.rstrip())

    # ------------------------------------------------------------ statements
    def emit(self, level: int, doc: Doc) -> None:
        indent = INDENT * level
        self.out.append(indent + render(doc, len(indent), level, WIDTH))

    def tool_call(self, stmt: ast.ReadStmt | ast.WriteStmt) -> Group:
        found = self.comments
        args = [Cat([f"{a.name.name} = ", expr_doc(a.value)]) for a in stmt.args]
        header = found.header.get(id(stmt))
        closing = [c.text.rstrip() for c in found.closing.get(id(stmt), [])]
        leading = [[c.text.rstrip() for c in found.leading.get(id(a), [])] for a in stmt.args]
        trailing = [found.trailing[id(a)].text.rstrip() if id(a) in found.trailing else None for a in stmt.args]
        force = bool(header or closing or any(leading) or any(trailing))
        return Group(f"{stmt.tool.name}(", args, ")", force, header.text.rstrip() if header else None,
                     leading, trailing, closing)


def _read(p: _Printer, stmt: ast.ReadStmt, level: int) -> None:
    p.emit(level, Cat([f"read {stmt.name.name} = ", p.tool_call(stmt), *_loops(stmt.loops)]))


def _loops(loops: list[ast.Loop]) -> list[Doc]:
    parts: list[Doc] = []
    for index, loop in enumerate(loops):
        parts += [" for " if index == 0 else ", ", f"{loop.var.name} in ", expr_doc(loop.source)]
    return parts


def _write(p: _Printer, stmt: ast.WriteStmt, level: int) -> None:
    guard: list[Doc] = [" if ", expr_doc(stmt.guard)] if stmt.guard is not None else []
    because: list[Doc] = [f" because {string_text(stmt.because.text)}"] if stmt.because is not None else []
    if stmt.passed_over is not None:
        because.append(f" else because {string_text(stmt.passed_over.text)}")
    head = f"write {stmt.name.name} = " if stmt.name else "write "
    p.emit(level, Cat([head, p.tool_call(stmt), *_loops(stmt.loops), *guard, *because]))


def _param(p: _Printer, stmt: ast.ParamStmt, level: int) -> None:
    count = "one" if stmt.count is None else str(stmt.count)
    p.emit(level, Cat([f"param {stmt.name.name} = {count} of ", expr_doc(stmt.source)]))


def _require(p: _Printer, stmt: ast.RequireStmt, level: int) -> None:
    reason = f" else {string_text(stmt.reason)}" if stmt.reason is not None else ""
    p.emit(level, Cat(["require ", expr_doc(stmt.condition), reason]))


def _doc(make: Callable[[Any], Doc]) -> Callable[[_Printer, Any, int], None]:
    return lambda p, node, level: p.emit(level, make(node))


_PRINT: dict[type, Callable[[_Printer, Any, int], None]] = {
    ast.EnvDecl: _doc(lambda n: f"env {n.name.name}"),
    ast.ImportDecl: _doc(lambda n: f"import {string_text(n.path.value)}"),
    ast.BehaviorDecl: lambda p, n, level: p.block(f"behavior {n.name.name}", n, n.settings, level),
    ast.TaskDecl: lambda p, n, level: p.block(f"task {n.name.name}", n, n.body, level),
    ast.Setting: _doc(lambda n: Cat([f"{n.name.name} = ", expr_doc(n.value)])),
    ast.TitleStmt: _doc(lambda n: f"title {string_text(n.text)}"),
    ast.TagsStmt: _doc(lambda n: Group("tags [", [string_text(t.value) for t in n.tags], "]")),
    ast.BehaviorsStmt: _doc(lambda n: Group("behaviors [", [i.name for i in n.names], "]")),
    ast.ParamStmt: _param,
    ast.LetStmt: _doc(lambda n: Cat([f"let {n.name.name} = ", expr_doc(n.value)])),
    ast.ReadStmt: _read,
    ast.WriteStmt: _write,
    ast.RequireStmt: _require,
    ast.TellStmt: _doc(lambda n: Cat(["tell ", expr_doc(n.value)]
                                      + ([f" as {string_text(n.label)}"] if n.label is not None else []))),
    ast.UserBlock: lambda p, n, level: p.block("user", n, n.fields, level),
    ast.TextField: _doc(lambda n: f"{n.field} {string_text(n.text)}"),
    ast.KnowsField: lambda p, n, level: p.block("knows", n, n.settings, level),
}
