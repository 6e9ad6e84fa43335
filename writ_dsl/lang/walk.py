"""Walking the AST: every expression node with its parent and the list that `it` ranges over.

``it`` is bound inside a ``where`` predicate (to the items of the ``where``'s
source) and inside the per-item arguments of builtins such as ``map`` or
``sort(..., by = ...)`` (to the items of the first argument). The innermost
binding wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from . import ast
from .builtins import BUILTINS


@dataclass(frozen=True)
class Visit:
    node: ast.Node
    parent: ast.Node | None
    items: ast.Node | None  # the expression whose items `it` stands for here; None: no `it`


def children(node: BaseModel) -> Iterator[ast.Node]:
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.Node))


def walk(expr: ast.Node, items: ast.Node | None = None, parent: ast.Node | None = None) -> Iterator[Visit]:
    """Every node of ``expr`` (itself first), in source order."""
    yield Visit(expr, parent, items)
    if isinstance(expr, ast.Where):
        yield from walk(expr.source, items, expr)
        yield from walk(expr.predicate, expr.source, expr)
    elif isinstance(expr, ast.Call):
        yield from _call(expr, items)
    else:
        for child in children(expr):
            yield from walk(child, items, expr)


def _call(call: ast.Call, items: ast.Node | None) -> Iterator[Visit]:
    builtin = BUILTINS.get(call.func.name)
    per_item = builtin.per_item if builtin else ()
    source = call.args[0] if call.args else None
    for position, arg in enumerate(call.args):
        yield from walk(arg, source if position in per_item else items, call)
    for kwarg in call.kwargs:
        yield Visit(kwarg, call, items)
        yield from walk(kwarg.value, source if kwarg.name in per_item else items, kwarg)


def names(expr: ast.Node) -> Iterator[ast.Name]:
    """The names an expression reads, ``it`` and ``db`` included."""
    return (v.node for v in walk(expr) if isinstance(v.node, ast.Name))


def table_of(expr: ast.Node | None) -> str | None:
    """``T`` when ``expr`` is ``db.T``."""
    if isinstance(expr, ast.Attr) and isinstance(expr.obj, ast.Name) and expr.obj.id == "db":
        return expr.name
    return None
