"""Where each comment goes when a file is reformatted.

Every comment is attached, by its line, to one node of the syntax tree:
leading (own lines before the node), trailing (after the node's last line),
``header`` (after the ``{`` or ``(`` that opens a block or an argument list),
or ``closing`` (own lines before the ``}`` or ``)`` that closes it). Comments
after the last item of the file are kept at its end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import diagnostics as diag
from . import ast


@dataclass
class Attached:
    leading: dict[int, list[ast.Comment]] = field(default_factory=lambda: defaultdict(list))
    trailing: dict[int, ast.Comment] = field(default_factory=dict)
    header: dict[int, ast.Comment] = field(default_factory=dict)
    closing: dict[int, list[ast.Comment]] = field(default_factory=lambda: defaultdict(list))
    end: list[ast.Comment] = field(default_factory=list)
    module: Any = None

    def has_any(self, node: Any) -> bool:
        key = id(node)
        return bool(self.leading.get(key) or key in self.trailing or key in self.header or self.closing.get(key))


def children(node: Any) -> Sequence[Any] | None:
    """The nodes a block or argument list holds; None for a node without inner comments' anchors."""
    if isinstance(node, ast.Module):
        return node.items
    if isinstance(node, ast.TaskDecl):
        return node.body
    if isinstance(node, (ast.BehaviorDecl, ast.KnowsField)):
        return node.settings
    if isinstance(node, ast.UserBlock):
        return node.fields
    if isinstance(node, (ast.ReadStmt, ast.WriteStmt)):
        return node.args
    return None


def attach(module: ast.Module, source: str) -> Attached:
    lines = diag.source_lines(source)
    found = Attached(module=module)
    for comment in module.comments:
        own_line = not lines[comment.span.line - 1][: comment.span.column - 1].strip()
        _place(found, module, comment, own_line)
    return found


def _place(found: Attached, container: Any, comment: ast.Comment, own_line: bool) -> None:
    line = comment.span.line
    items = children(container) or []
    inside = next((c for c in reversed(items) if c.span.line <= line <= c.span.end_line), None)
    if inside is None and not own_line and line == container.span.line and container is not found.module:
        found.header[id(container)] = comment
    elif inside is None:
        _between(found, container, items, comment, own_line)
    elif not own_line and line == inside.span.end_line:
        found.trailing[id(inside)] = comment
    elif children(inside) is None:
        found.leading[id(inside)].append(comment)
    else:
        _place(found, inside, comment, own_line)


def _between(found: Attached, container: Any, items: Sequence[Any], comment: ast.Comment, own_line: bool) -> None:
    line = comment.span.line
    after = next((c for c in items if c.span.line > line), None)
    before = [c for c in items if c.span.end_line < line]
    if not own_line and before and before[-1].span.end_line == line:
        found.trailing[id(before[-1])] = comment
    elif after is not None:
        found.leading[id(after)].append(comment)
    elif isinstance(container, ast.Module):
        found.end.append(comment)
    elif isinstance(container, (ast.ReadStmt, ast.WriteStmt)) and not _in_arguments(container, line):
        found.leading[id(container)].append(comment)
    else:
        found.closing[id(container)].append(comment)


def _in_arguments(stmt: ast.ReadStmt | ast.WriteStmt, line: int) -> bool:
    return not stmt.loops or line < stmt.loops[0].span.line
