"""What makes a write's winner the winner, read from the evidence graph rather than from the wording.

A ranking is a ``min``/``max`` over ``map(items, key)`` or an ``argmin``/``argmax`` ``by = key`` in a let
that a write depends on (through lets and params). The key's fields say what is ranked:

- ``price`` (also a ``sum`` of prices) -> ``price``; ``stops`` -> ``stops``;
- ``arrive - depart`` -> ``duration``; ``arrive`` -> ``arrival``; ``depart`` -> ``departure``.

A write's criteria are its rankings in execution order, e.g. ``["min:stops", "min:price", "min:departure"]``
for "fewest stops, then cheapest, then the first to leave"; the first is the decisive one.
"""

from __future__ import annotations

from ..lang import ast
from ..lang.depgraph import GraphNode
from .plan import Plan

_RANKERS = {"min": "min", "max": "max", "argmin": "min", "argmax": "max"}
_FIELDS = (("price", "price"), ("fare", "price"), ("total", "price"), ("stops", "stops"), ("arrive", "arrival"),
           ("depart", "departure"), ("duration", "duration"))


def write_criteria(plan: Plan) -> dict[str, list[str]]:
    """Each write statement's rankings, by statement id (writes with none left out)."""
    found = {}
    for node in plan.of_kind("write"):
        upstream = _upstream_lets(plan, node.id)
        rankings = [r for n in plan.order if n in upstream for r in rankings_in(plan.nodes[n].stmt.value)]
        if rankings:
            found[node.id] = rankings
    return found


def _upstream_lets(plan: Plan, node_id: str) -> set[str]:
    """The lets a node depends on, through lets and params; a let named only to be excluded
    (``it.order_id != drop.order_id``, in a value or in a write's guard) passes on nothing: the kept
    order is not the ranked one."""
    seen: set[str] = set()
    stack = [node_id]
    while stack:
        current = stack.pop()
        excluded = _excluded_names(_expressions(plan.nodes[current]))
        for dep in plan.deps(current):
            if dep not in seen and plan.nodes[dep].kind in ("let", "param") and plan.nodes[dep].name not in excluded:
                seen.add(dep)
                stack.append(dep)
    return {n for n in seen if plan.nodes[n].kind == "let"}


def _expressions(node: GraphNode) -> list[ast.Node]:
    stmt = node.stmt
    if node.kind == "let":
        return [stmt.value]
    if node.kind == "write":  # (reads rank nothing: only lets and params are followed)
        guard = [stmt.guard] if stmt.guard is not None else []
        return [a.value for a in stmt.args] + guard + [loop.source for loop in stmt.loops]
    return []


_NEGATIONS = ("!=", "not in")


def _excluded_names(exprs: list[ast.Node]) -> set[str]:
    """Names that appear only under a negation (``!=``, ``not in``, ``not``) in the expressions."""
    negated: set[str] = set()
    plain: set[str] = set()
    for expr in exprs:
        _names_by_polarity(expr, False, negated, plain)
    return negated - plain


def _names_by_polarity(expr: ast.Node, under_not: bool, negated: set[str], plain: set[str]) -> None:
    if isinstance(expr, ast.Name):
        (negated if under_not else plain).add(expr.id)
        return
    for child in _children(expr):
        _names_by_polarity(child, under_not != _negates(expr), negated, plain)


def _negates(expr: ast.Node) -> bool:
    return (isinstance(expr, ast.Binary) and expr.op in _NEGATIONS) or (
        isinstance(expr, ast.Unary) and expr.op == "not")


def write_pools(plan: Plan) -> dict[str, str]:
    """Each write's decisive ranking's candidates, when they are a named let: ``pending`` for
    ``argmax(pending, by = ...)``, ``options`` for ``min(map(options, it.arrive))``."""
    found = {}
    for node in plan.of_kind("write"):
        upstream = _upstream_lets(plan, node.id)
        pools = [pool for n in plan.order if n in upstream for _, pool in _rankings(plan.nodes[n].stmt.value)]
        if pools and pools[0] is not None:
            found[node.id] = pools[0]
    return found


def rankings_in(expr: ast.Node) -> list[str]:
    """The rankings of one expression, innermost first: "min:price"."""
    return [ranking for ranking, _ in _rankings(expr)]


def _rankings(expr: ast.Node, negated: bool = False) -> list[tuple[str, str | None]]:
    """Each ranking of an expression, innermost first, with the name of the collection it ranks (None when
    that is not a name); a ranking under a negation (``it.id != argmax(...).id``) ranks what is left out."""
    found: list[tuple[str, str | None]] = []
    for child in _children(expr):
        found += _rankings(child, negated != _negates(expr))
    if negated:
        return found
    if isinstance(expr, ast.Call) and expr.func.name in _RANKERS and (key := _key(expr)) is not None:
        what = _ranked(key)
        if what is not None:
            source = expr.args[0] if expr.args else None
            if isinstance(source, ast.Call) and source.func.name == "map" and source.args:
                source = source.args[0]
            found.append((f"{_RANKERS[expr.func.name]}:{what}", source.id if isinstance(source, ast.Name) else None))
    return found


def _key(call: ast.Call) -> ast.Node | None:
    by = next((kw.value for kw in call.kwargs if kw.name == "by"), None)
    if by is not None:
        return by
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Call) and first.func.name == "map" and len(first.args) >= 2:
        return first.args[1]
    return None


def _ranked(key: ast.Node) -> str | None:
    names = _attr_names(key)
    if isinstance(key, ast.Binary) and key.op == "-" and {"arrive", "depart"} <= names:
        return "duration"
    return next((what for word, what in _FIELDS if any(word in name for name in names)), None)


def _attr_names(expr: ast.Node) -> set[str]:
    names = {expr.name.lower()} if isinstance(expr, ast.Attr) else set()
    for child in _children(expr):
        names |= _attr_names(child)
    return names


def _children(expr: ast.Node) -> list[ast.Node]:
    out: list[ast.Node] = []
    for value in expr.__dict__.values():
        items = value if isinstance(value, list) else [value]
        out += [item for item in items if isinstance(item, ast.Node)]
    return out
