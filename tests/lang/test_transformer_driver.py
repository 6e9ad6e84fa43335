"""The AST the parser builds while it reduces is the AST of Lark's own parse tree (same nodes, same spans),
and the nodes it builds without validating them are the nodes pydantic validates."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.lang import ast
from writ_dsl.lang.limits import Limits
from writ_dsl.lang.parser import parse_text, parse_tree
from writ_dsl.lang.transformer import tree_to_ast

REPO = Path(__file__).resolve().parents[2]
# Spans that come from brackets and inlined rules: a node starts at its first child's brackets.
SNIPPETS = [
    "let x = (a + b) * c\nlet y = -(1)\nlet z = ((p.q))[0].r where (it.s > 1)\n",
    "param p = 2 of [1, 2, 3,]\nlet r = {a: (1), b: [(2)],}\nlet f = map(xs, x: (x.y), by = (z))\n",
    "task t {\n    tags []\n    behaviors [a, b,]\n    write w(a = 1,) for i in (xs), j in ys if (i)\n}\n",
    "",
    "# only a comment\n",
]


def _same(text: str) -> None:
    direct, problems = parse_text(text, "f.writ")
    assert problems == [] and direct is not None
    outcome = parse_tree(text)
    from_tree = tree_to_ast(outcome.tree, "f.writ", direct.comments)
    assert direct == from_tree and direct.model_dump() == from_tree.model_dump()
    validated = ast.Module.model_validate(direct.model_dump())
    assert validated == direct and validated.model_dump_json() == direct.model_dump_json()


def test_the_parsers_ast_equals_the_ast_of_larks_tree() -> None:
    files = sorted((REPO / "specs").rglob("*.writ")) + sorted((REPO / "tests").rglob("*.writ"))
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if parse_tree(text).tree is None:
            continue
        _same(text)
        compared += 1
    assert compared > 40
    for text in SNIPPETS:
        _same(text)


def test_a_parenthesised_operand_widens_its_parent_to_the_brackets() -> None:
    module, _ = parse_text("let x = (a + b) * c\n", "f.writ")
    product = module.shared[0].value
    assert (product.span.column, product.left.span.column) == (9, 10)


def test_a_node_that_cannot_be_built_is_a_located_diagnostic() -> None:
    digits = "9" * 5000  # past what Python turns into an int; only a limit set in code lets it through
    module, problems = parse_text(f"env airline\nlet x = {digits}\n", "f.writ", Limits(literal_digits=10_000))
    assert module is None and [d.code for d in problems] == ["check-failed"]
    assert (problems[0].span.line, problems[0].span.column) == (2, 9)


def test_a_trusted_node_is_the_validated_node() -> None:
    span = ast.span_at(1, 2, 3, 4)
    assert span == ast.Span(line=1, column=2, end_line=3, end_column=4) and hash(span) == hash(ast.Span(**span.model_dump()))
    where = ast.trusted(ast.Where, source=ast.trusted(ast.Name, id="xs", span=span),
                        predicate=ast.trusted(ast.Bool, value=True, span=span), span=span)
    assert where == ast.Where(source=ast.Name(id="xs", span=span), predicate=ast.Bool(value=True, span=span), span=span)
    assert list(where.model_dump()) == ["span", "kind", "source", "predicate", "binder"]
    call = ast.trusted(ast.Call, func=ast.trusted(ast.Ident, name="f", span=span), span=span)
    assert call.args == [] and call.args is not ast.trusted(ast.Call, func=call.func, span=span).args
    assert call.model_copy(update={"span": span}) == call
    other = ast.trusted(ast.Call, func=call.func, span=span)
    copied = call.model_copy(update={"args": [where]})
    assert copied.model_fields_set == {"func", "span", "args"} and other.model_fields_set == {"func", "span"}


def test_nesting_past_the_limit_is_located_at_the_node_that_goes_past_it() -> None:
    # Locations as the parser gave them when it built Lark's tree for every file (pinned when that changed).
    cases = [("let x = -(-(-(-(-(-1)))))", (1, 17, 1, 22)),
             ("let y = 1\nlet x = [[[[1, [2]]]], [[[[[3]]]]]]", (2, 27, 2, 32)),
             ("task t {\n  let a = f(g(h(i(j(k(1))))))\n}", (3, 1, 3, 2))]
    for text, where in cases:
        module, problems = parse_text(text, "f.writ", Limits(depth=6))
        assert module is None and [d.code for d in problems] == ["nesting-too-deep"]
        span = problems[0].span
        assert (span.line, span.column, span.end_line, span.end_column) == where
