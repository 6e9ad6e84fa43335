"""ToAst's own bottom-up driver builds exactly the AST that Lark's Transformer.transform builds."""

from __future__ import annotations

from pathlib import Path

from lark import Transformer

from writ_dsl.lang.parser import parse_tree
from writ_dsl.lang.transformer import ToAst

REPO = Path(__file__).resolve().parents[2]


def test_the_fast_driver_equals_larks_transform():
    files = sorted((REPO / "specs").rglob("*.writ")) + sorted((REPO / "tests").rglob("*.writ"))
    compared = 0
    for path in files:
        outcome = parse_tree(path.read_text(encoding="utf-8"))
        if outcome.tree is None:
            continue
        expected = Transformer.transform(ToAst("f.writ"), outcome.tree)
        built = ToAst("f.writ").transform(outcome.tree)
        assert built == expected and built.model_dump() == expected.model_dump(), path
        compared += 1
    assert compared > 40
