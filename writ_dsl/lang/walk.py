"""Walking the AST: every expression node with its parent, the list that `it` ranges over, and the item names in scope.

``it`` is bound inside a ``where`` predicate (to the items of the ``where``'s
source) and inside the per-item arguments of builtins such as ``map`` or
``sort(..., by = ...)`` (to the items of the first argument). The innermost
binding wins. A named item (``xs where u: ...``, ``map(xs, x: ...)``) is bound
as well as ``it`` in the same body; unlike ``it``, an outer item's name stays
visible in nested bodies, so a nested filter can refer to the outer item.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import NamedTuple

from pydantic import BaseModel

from . import ast
from .builtins import BUILTINS


@dataclass(frozen=True)
class Bound:
    """A named item in scope: where it is named, and the expression whose items it stands for."""

    ident: ast.Ident
    items: ast.Node | None  # None: a binder outside a per-item argument (an error the checks report)


_NOTHING: Mapping[str, Bound] = MappingProxyType({})


class Visit(NamedTuple):
    node: ast.Node
    parent: ast.Node | None
    items: ast.Node | None  # the expression whose items `it` stands for here; None: no `it`
    bound: Mapping[str, Bound] = _NOTHING  # the item names in scope here


def children(node: BaseModel) -> Iterator[ast.Node]:
    return iter(_children(node))


def _children(node: BaseModel) -> list[ast.Node]:
    found = []
    fields = node.__dict__
    for name in _child_fields(type(node)):
        value = fields[name]
        if isinstance(value, ast.Node):
            found.append(value)
        elif type(value) is list:
            found += [v for v in value if isinstance(v, ast.Node)]
    return found


@cache
def _child_fields(kind: type[BaseModel]) -> tuple[str, ...]:
    """The fields that may hold nodes: all but the span and the ``kind`` tag."""
    return tuple(name for name in kind.model_fields if name not in ("span", "kind"))


# A node still to visit: (node, items, parent, bound, whether its children are visited too).
_Pending = tuple[ast.Node, "ast.Node | None", "ast.Node | None", Mapping[str, Bound], bool]


def walk(expr: ast.Node, items: ast.Node | None = None, parent: ast.Node | None = None,
         bound: Mapping[str, Bound] = _NOTHING) -> Iterator[Visit]:
    """Every node of ``expr`` (itself first), in source order."""
    return iter(visits(expr, items, parent, bound))


def visits(expr: ast.Node, items: ast.Node | None = None, parent: ast.Node | None = None,
           bound: Mapping[str, Bound] = _NOTHING) -> list[Visit]:
    """:func:`walk` as a list, made without recursion: a stack of the nodes still to visit."""
    found: list[Visit] = []
    stack: list[_Pending] = [(expr, items, parent, bound, True)]
    while stack:
        node, items, parent, bound, inside = stack.pop()
        found.append(Visit(node, parent, items, bound))
        if inside:
            stack.extend(reversed(_inner(node, items, bound)))
    return found


def _inner(node: ast.Node, items: ast.Node | None, bound: Mapping[str, Bound]) -> list[_Pending]:
    """What to visit inside ``node``, in source order."""
    kind = type(node)
    if kind is ast.Name:
        return []
    if kind is ast.Where:
        return [(node.source, items, node, bound, True),
                (node.predicate, node.source, node, _bind(bound, node.binder, node.source), True)]
    if kind is ast.Lambda:  # not in a per-item position: the name is bound, `it` is not
        return [(node.body, items, node, _bind(bound, node.binder, None), True)]
    if kind is ast.Call:
        return _call(node, items, bound)
    return [(child, items, node, bound, True) for child in _children(node)]


def _bind(bound: Mapping[str, Bound], binder: ast.Ident | None, source: ast.Node | None) -> Mapping[str, Bound]:
    if binder is None:
        return bound
    inner = {name: b for name, b in bound.items() if name != binder.name}
    inner[binder.name] = Bound(binder, source)
    return MappingProxyType(inner)


def _argument(expr: ast.Node, per_item: bool, source: ast.Node | None, items: ast.Node | None,
              parent: ast.Node, bound: Mapping[str, Bound]) -> list[_Pending]:
    """A builtin's argument; in a per-item position ``it`` (and a lambda's name) is an item of ``source``."""
    if per_item and isinstance(expr, ast.Lambda):
        body_items = source if source is not None else items
        return [(expr, items, parent, bound, False),
                (expr.body, body_items, expr, _bind(bound, expr.binder, source), True)]
    return [(expr, source if per_item else items, parent, bound, True)]


def _call(call: ast.Call, items: ast.Node | None, bound: Mapping[str, Bound]) -> list[_Pending]:
    builtin = BUILTINS.get(call.func.name)
    per_item = builtin.per_item if builtin else ()
    source = call.args[0] if call.args else None
    found: list[_Pending] = []
    for position, arg in enumerate(call.args):
        found += _argument(arg, position in per_item, source, items, call, bound)
    for kwarg in call.kwargs:
        found.append((kwarg, items, call, bound, False))
        found += _argument(kwarg.value, kwarg.name in per_item, source, items, kwarg, bound)
    return found


def names(expr: ast.Node) -> Iterator[ast.Name]:
    """The names an expression reads, ``it``, ``db`` and item names included."""
    return (v.node for v in walk(expr) if isinstance(v.node, ast.Name))


def free_names(expr: ast.Node) -> Iterator[ast.Name]:
    """The names an expression reads that no item name binds (``it`` and ``db`` included)."""
    return (v.node for v in walk(expr) if isinstance(v.node, ast.Name) and v.node.id not in v.bound)


def table_of(expr: ast.Node | None) -> str | None:
    """``T`` when ``expr`` is ``db.T``."""
    if isinstance(expr, ast.Attr) and isinstance(expr.obj, ast.Name) and expr.obj.id == "db":
        return expr.name
    return None
