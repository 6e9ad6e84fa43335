"""docs/language.md stays true: its examples parse, and it lists every builtin and diagnostic code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from writ_dsl.diagnostics import MESSAGES
from writ_dsl.lang.builtins import BUILTINS
from writ_dsl.lang.parser import parse_text

DOC = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```writ\n(.*?)```", DOC, re.S)
CODE_ROWS = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", DOC, re.M))


def parses(text: str) -> bool:
    return parse_text(text, "doc.writ")[0] is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_every_example_parses(example: str) -> None:
    assert parses(example) or parses(f"task t {{\n{example}\n}}\n"), example


def test_every_diagnostic_code_is_documented_once() -> None:
    assert CODE_ROWS == set(MESSAGES)


def test_every_builtin_is_documented() -> None:
    assert all(f"`{name}(" in DOC for name in BUILTINS)


def test_every_builtin_example_is_an_expression() -> None:
    examples = re.findall(r"^\| `[a-z_]+\(.*?\)` \| `(.+?)` \|", DOC, re.M)
    assert len(examples) == len(BUILTINS)
    assert [e for e in examples if not parses(f"let x = {e}\n")] == []
