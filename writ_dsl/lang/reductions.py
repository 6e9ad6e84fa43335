"""What the parser does when it reduces a grammar rule.

For each rule of the LALR table, a :data:`Reduction` says how many stack
entries the rule takes, which nonterminal it makes, and how its value is
built. :func:`ast_reductions` builds the typed AST node at once, from the
children as Lark would shape them (anonymous tokens left out, ``_rules``
inlined, ``None`` for an absent ``[optional]``, a ``?rule`` with one child
left standing for that child), so no parse tree is ever made.
:func:`tree_reductions` builds Lark's own parse tree instead (with its
positions), for the rare input whose deepest node must be found, and to test
one against the other.

A build function gets the first and the last token the rule covers (each
``None`` when it covers none) and the rule's matched values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lark import Token
from lark.grammar import Rule
from lark.parsers.lalr_analysis import Shift

from . import ast
from .transformer import BUILDERS

Build = Callable[[Token | None, Token | None, list[Any]], Any]
# (stack entries taken, nonterminal made, build or None when the one child stands for the rule,
#  whether the node is a level of nesting, whether the value may be one of the children)
Reduction = tuple[int, str, Build | None, bool, bool]


def table_rules(states: Mapping[Any, Mapping[str, tuple[Any, Any]]]) -> list[Rule]:
    """The rule objects of an LALR table, each once (the very objects its reduce actions hold)."""
    found: dict[int, Rule] = {}
    for actions in states.values():
        for action, arg in actions.values():
            if action is not Shift:
                found.setdefault(id(arg), arg)
    return list(found.values())


def ast_reductions(rules: Iterable[Rule]) -> dict[Rule, Reduction]:
    return {rule: _reduction(rule, None if _stands_for_child(rule) else _ast_build(rule)) for rule in rules}


def tree_reductions(rules: Iterable[Rule], callbacks: Mapping[Rule, Callable[[list[Any]], Any]]) -> dict[Rule, Reduction]:
    """Reductions that call Lark's tree-building ``callbacks`` (keyed by equal rules)."""
    return {rule: _reduction(rule, None if _stands_for_child(rule) else _tree_build(callbacks[rule]))
            for rule in rules}


def _reduction(rule: Rule, build: Build | None) -> Reduction:
    return (len(rule.expansion), rule.origin.name, build, not _name(rule).startswith("_"), _expands(rule))


def _name(rule: Rule) -> str:
    return str(rule.alias or rule.options.template_source or rule.origin.name)


def _expands(rule: Rule) -> bool:
    """A ``?rule`` alternative without an alias: with one child left, that child stands for the rule."""
    return bool(rule.options.expand1) and not rule.alias


def _inlined(symbol: Any) -> bool:
    return not symbol.is_term and symbol.name.startswith("_")


def _stands_for_child(rule: Rule) -> bool:
    """``?rule: other``: nothing to build, nothing moves; only the parser state changes."""
    if not _expands(rule) or len(rule.expansion) != 1:
        return False
    symbol = rule.expansion[0]
    return not symbol.is_term and not _inlined(symbol) and not rule.options.empty_indices


def _tree_build(callback: Callable[[list[Any]], Any]) -> Build:
    return lambda first, last, children: callback(children)


def _ast_build(rule: Rule) -> Build:
    shape = _shape(rule)
    if _name(rule).startswith("_"):  # inlined into the parent: the children, as a list
        return lambda first, last, children: shape(children)
    if _expands(rule):
        builder = BUILDERS.get(_name(rule), _no_builder(_name(rule)))

        def build_or_pass(first: Token | None, last: Token | None, children: list[Any]) -> Any:
            shaped = shape(children)
            return shaped[0] if len(shaped) == 1 else builder(_span(first, last), shaped)
        return build_or_pass
    builder = BUILDERS[_name(rule)]
    return lambda first, last, children: builder(_span(first, last), shape(children))


def _no_builder(name: str) -> Any:
    """For a ``?rule`` that always has one child left (``"(" expr ")"``): there is nothing else to build."""

    def missing(span: ast.Span | None, children: list[Any]) -> Any:
        raise LookupError(f"no AST node for rule {name!r} with {len(children)} children")

    return missing


def _span(first: Token | None, last: Token | None) -> ast.Span | None:
    if first is None or last is None:
        return None
    return ast.span_at(first.line, first.column, last.end_line, last.end_column)


def _shape(rule: Rule) -> Callable[[list[Any]], list[Any]]:
    """The children a rule's builder sees, as Lark's tree builder shapes them (with ``maybe_placeholders``)."""
    expansion = rule.expansion
    empty = rule.options.empty_indices
    nones = [len(ones) for ones in "".join(str(int(b)) for b in empty).split("0")] if empty else [0] * (
        len(expansion) + 1)
    keep: list[tuple[int, bool, int]] = []
    pending = 0
    for i, symbol in enumerate(expansion):
        pending += nones[i]
        if not (symbol.is_term and symbol.filter_out):
            keep.append((i, _inlined(symbol), pending))
            pending = 0
    trailing = pending + nones[len(expansion)]
    if not empty and len(keep) == len(expansion) and not any(inline for _, inline, _ in keep):
        return _as_is
    plan = tuple(keep)

    def shape(children: list[Any]) -> list[Any]:
        shaped: list[Any] = []
        for i, inline, before in plan:
            if before:
                shaped += [None] * before
            if not inline:
                shaped.append(children[i])
            elif shaped:
                shaped += children[i]
            else:  # left recursion (`xs: xs x`): keep growing the same list
                shaped = children[i]
        if trailing:
            shaped += [None] * trailing
        return shaped

    return shape


def _as_is(children: list[Any]) -> list[Any]:
    return children
