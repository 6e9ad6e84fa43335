"""Retail generic tools: the calculator and the hand-off to a human agent."""

from __future__ import annotations

import builtins
import time

import pytest

from writ_dsl.env.core import ToolKind

from .retail_helpers import Retail


@pytest.fixture
def retail() -> Retail:
    return Retail()


@pytest.mark.parametrize(
    ("expression", "result"),
    [
        ("2 + 2", "4.0"),
        ("10 / 4", "2.5"),
        ("1 / 3", "0.33"),
        ("(1 + 2) * 3.5", "10.5"),
        ("  2+2", "4.0"),
        ("-(3 - 5) * .5", "1.0"),
        ("100 - 33.333", "66.67"),
        ("7 // 2", "3.0"),
        ("2 ** 10", "1024.0"),
        ("1249.99 + 310.05 - 99.5", "1460.54"),
    ],
)
def test_calculate(retail: Retail, expression: str, result: str) -> None:
    assert retail.ok("calculate", expression=expression) == result


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("2 ^ 3", "Invalid characters in expression"),
        ("__import__('os')", "Invalid characters in expression"),
        ("1e3", "Invalid characters in expression"),
        ("1 / 0", "Division by zero"),
        ("1.0 / 0", "Division by zero"),
        ("2 +", "Invalid expression"),
        ("()", "Invalid expression"),
        ("2 (3)", "Invalid expression"),
        ("9 ** 9 ** 9", "Result too large"),
    ],
)
def test_calculate_errors(retail: Retail, expression: str, message: str) -> None:
    started = time.perf_counter()
    assert retail.error("calculate", expression=expression) == message
    assert time.perf_counter() - started < 1.0


def test_calculate_never_uses_eval(retail: Retail, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    assert retail.ok("calculate", expression="6 * 7") == "42.0"


def test_transfer_to_human_agents(retail: Retail) -> None:
    assert retail.ok("transfer_to_human_agents", summary="wants a refund in cash") == "Transfer successful"
    assert retail.state.changed_keys == []


def test_generic_tools_are_generic(retail: Retail) -> None:
    kinds = {name: tool.kind for name, tool in retail.env.tools.items()}
    assert kinds["calculate"] is kinds["transfer_to_human_agents"] is ToolKind.GENERIC
