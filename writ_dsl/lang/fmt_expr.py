"""Expressions back to text: canonical spacing, only the parentheses the grammar needs, and line breaks.

An expression becomes a small layout document: text, concatenations, and
bracketed, comma-separated groups (lists, records, call arguments). A group
prints on one line when it fits in the width, else one item per line with a
trailing comma, the closing bracket back at the opening line's indentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import ast

INDENT = "    "
# Binding levels of the grammar, loosest first (see grammars/writ.lark).
COND, WHERE, OR, AND, NOT, COMPARE, RANGE, SUM, PRODUCT, NEG, POSTFIX, ATOM = range(12)
_BINARY = {"or": OR, "and": AND, "+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "%": PRODUCT}


# ---------------------------------------------------------------- layout documents
@dataclass
class Group:
    """``open item, item, ... close``; comments only occur on tool-call argument lists."""

    open: str
    items: list[Doc]
    close: str
    force: bool = False
    header: str | None = None
    leading: list[list[str]] = field(default_factory=list)
    trailing: list[str | None] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


@dataclass
class Cat:
    parts: list[Doc]


Doc = str | Group | Cat


def flat(doc: Doc) -> str:
    if isinstance(doc, str):
        return doc
    if isinstance(doc, Cat):
        return "".join(flat(part) for part in doc.parts)
    return doc.open + ", ".join(flat(item) for item in doc.items) + doc.close


def _head(doc: Doc) -> int:
    """How many characters a document puts on its first line at least."""
    if isinstance(doc, str):
        return len(doc.split("\n", 1)[0])
    if isinstance(doc, Group):
        return len(doc.open)
    total = 0
    for part in doc.parts:
        total += _head(part)
        if not isinstance(part, str) or "\n" in part:
            break
    return total


def _breaks(doc: Doc) -> bool:
    return isinstance(doc, Group) or (isinstance(doc, Cat) and any(_breaks(p) for p in doc.parts))


def render(doc: Doc, column: int, level: int, width: int, tail: int = 0) -> str:
    """``doc`` laid out from ``column`` at indentation ``level``; ``tail`` characters follow it."""
    if isinstance(doc, str):
        return doc
    if isinstance(doc, Cat):
        return _render_cat(doc, column, level, width, tail)
    text = flat(doc)
    if not doc.force and (not doc.items or column + len(text.split("\n", 1)[0]) + tail <= width):
        return text
    return _render_broken(doc, level, width)


def _render_cat(doc: Cat, column: int, level: int, width: int, tail: int) -> str:
    out = []
    for index, part in enumerate(doc.parts):
        rest = Cat(doc.parts[index + 1:])
        text = render(part, column, level, width, _head(rest) + (0 if _breaks(rest) else tail))
        out.append(text)
        column = len(text.rsplit("\n", 1)[-1]) if "\n" in text else column + len(text)
    return "".join(out)


def _render_broken(doc: Group, level: int, width: int) -> str:
    inner = INDENT * (level + 1)
    lines = [doc.open + (f"  {doc.header}" if doc.header else "")]
    for index, item in enumerate(doc.items):
        lines.extend(inner + c for c in (doc.leading[index] if doc.leading else []))
        note = doc.trailing[index] if doc.trailing else None
        text = render(item, len(inner), level + 1, width, 1)
        lines.append(inner + text + "," + (f"  {note}" if note else ""))
    lines.extend(inner + c for c in doc.closing)
    lines.append(INDENT * level + doc.close)
    return "\n".join(lines)


# ---------------------------------------------------------------- expressions
def level(expr: Any) -> int:
    if isinstance(expr, ast.Binary):
        return _BINARY.get(expr.op, COMPARE)
    if isinstance(expr, ast.Unary):
        return NOT if expr.op == "not" else NEG
    simple = {ast.Cond: COND, ast.Lambda: COND, ast.Where: WHERE, ast.Range: RANGE, ast.Attr: POSTFIX, ast.Index: POSTFIX,
              ast.Call: POSTFIX}
    return simple.get(type(expr), ATOM)


def expr_doc(expr: Any, at_least: int = COND) -> Doc:
    """``expr`` as a layout document, parenthesised if its level binds looser than ``at_least``."""
    doc = _DOCS[type(expr)](expr)
    return Cat(["(", doc, ")"]) if level(expr) < at_least else doc


def expr_text(expr: Any, at_least: int = COND) -> str:
    return flat(expr_doc(expr, at_least))


def _binary(expr: ast.Binary) -> Doc:
    own = level(expr)
    if own == COMPARE:
        return Cat([expr_doc(expr.left, RANGE), f" {expr.op} ", expr_doc(expr.right, RANGE)])
    return Cat([expr_doc(expr.left, own), f" {expr.op} ", expr_doc(expr.right, own + 1)])


def _unary(expr: ast.Unary) -> Doc:
    if expr.op == "not":
        return Cat(["not ", expr_doc(expr.operand, NOT)])
    return Cat(["-", expr_doc(expr.operand, NEG)])


def _call(expr: ast.Call) -> Doc:
    args = [expr_doc(a) for a in expr.args] + [Cat([f"{k.name} = ", expr_doc(k.value)]) for k in expr.kwargs]
    return Group(f"{expr.func.name}(", args, ")")


def _where_source(source: Any) -> Doc:
    """The list a `where` filters: an operator expression keeps its parentheses, since `a + b where p`
    reads as `a + (b where p)` although it means `(a + b) where p`; a chained `where` needs none."""
    return expr_doc(source, WHERE if isinstance(source, ast.Where) else POSTFIX)


def _binder(binder: ast.Ident | None) -> list[Doc]:
    return [f"{binder.name}: "] if binder is not None else []


def _record(expr: ast.RecordExpr) -> Doc:
    return Group("{", [Cat([f"{f.name}: ", expr_doc(f.value)]) for f in expr.fields], "}")


def number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else f"{text}.0"


def string_text(value: str) -> str:
    """A string literal whose value is ``value``: triple-quoted when it spans lines."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if "\n" in value:
        return f'"""{escaped}"""'
    return f'"{escaped}"'


_DOCS: dict[type, Any] = {
    ast.Number: lambda e: number_text(e.value),
    ast.String: lambda e: string_text(e.value),
    ast.DateLit: lambda e: e.value.isoformat(),
    ast.Bool: lambda e: "true" if e.value else "false",
    ast.Null: lambda e: "null",
    ast.Name: lambda e: e.id,
    ast.Attr: lambda e: Cat([expr_doc(e.obj, POSTFIX), f".{e.name}"]),
    ast.Index: lambda e: Cat([expr_doc(e.obj, POSTFIX), "[", expr_doc(e.index), "]"]),
    ast.Call: _call,
    ast.Unary: _unary,
    ast.Binary: _binary,
    ast.Where: lambda e: Cat([_where_source(e.source), " where ", *_binder(e.binder), expr_doc(e.predicate, OR)]),
    ast.Lambda: lambda e: Cat([*_binder(e.binder), expr_doc(e.body)]),
    ast.Cond: lambda e: Cat(["if ", expr_doc(e.test), " then ", expr_doc(e.then), " else ", expr_doc(e.otherwise)]),
    ast.ListExpr: lambda e: Group("[", [expr_doc(i) for i in e.items], "]"),
    ast.RecordExpr: _record,
    ast.Range: lambda e: Cat([expr_doc(e.start, SUM), " .. ", expr_doc(e.end, SUM)]),
}
