"""The generic tools environments share: the arithmetic calculator and the hand-off to a human agent."""

from __future__ import annotations

import builtins
import time

import pytest

from writ_dsl.env.core import Database, Domain, ToolError, ToolKind
from writ_dsl.env.generic import (
    CalculateArgs,
    TransferArgs,
    calculate_tool,
    evaluate_arithmetic,
    transfer_tool,
)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("2 + 2", 4.0),
        ("10 / 4", 2.5),
        ("7 // 2", 3.0),
        ("2 ** 10", 1024.0),
        ("2 ** -1", 0.5),
        ("-(3 - 5) * .5", 1.0),
        ("+4", 4.0),
        ("  (1 + 2) * 3.5  ", 10.5),
        ("2 - 3 - 4", -5.0),
        ("2 ** 3 ** 2", 512.0),
        ("4 ** 0.5", 2.0),
        ("10 ** 300", 1e300),
    ],
)
def test_evaluate_arithmetic(expression: str, value: float) -> None:
    result = evaluate_arithmetic(expression)
    assert type(result) is float and result == value


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("2 + x", "Invalid characters in expression"),
        ("2 ^ 3", "Invalid characters in expression"),
        ("1e3", "Invalid characters in expression"),
        ("__import__('os')", "Invalid characters in expression"),
        ("2 % 3", "Invalid characters in expression"),
        ("", "Invalid expression"),
        ("   ", "Invalid expression"),
        ("2 +", "Invalid expression"),
        ("...", "Invalid expression"),
        ("()", "Invalid expression"),
        ("2 (3)", "Invalid expression"),
        ("1 / 0", "Division by zero"),
        ("1.0 / 0", "Division by zero"),
        ("1 // 0", "Division by zero"),
        ("0 ** -1", "Division by zero"),
        ("9 ** 9 ** 9", "Result too large"),
        ("2 ** 100001", "Result too large"),
        ("1.5 ** 100000", "Result too large"),
        ("10 ** 400", "Result too large"),
        ("(0 - 8) ** 0.5", "Result is not a real number"),
    ],
)
def test_evaluate_arithmetic_errors(expression: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ToolError) as caught:
        evaluate_arithmetic(expression)
    assert caught.value.message == message
    assert time.perf_counter() - started < 1.0


def test_small_base_large_exponent_is_computed() -> None:
    assert evaluate_arithmetic("1 ** 5000") == 1.0
    assert evaluate_arithmetic("2 ** 1001") == float(2**1001)


def test_evaluate_arithmetic_never_uses_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    assert evaluate_arithmetic("6 * 7") == 42.0


def _environment(*tools):
    domain = Domain("toy", "toy", "", {tool.name: tool for tool in tools}, {}, lambda seed, size: {})
    return domain.environment(Database({}))


def test_calculate_tool_rounds_to_two_decimals_and_reports_errors() -> None:
    tool = calculate_tool("Do sums.")
    assert (tool.name, tool.kind, tool.params) == ("calculate", ToolKind.GENERIC, CalculateArgs)
    assert tool.description == "Do sums."
    env = _environment(tool)
    state = env.new_state()
    assert env.call(state, "calculate", {"expression": "1 / 3"}).value == "0.33"
    assert env.call(state, "calculate", {"expression": "100 - 0.005"}).value == "100.0"
    assert env.call(state, "calculate", {"expression": "1 / 0"}).content() == "Error: Division by zero"
    assert tool.arg_names == ["expression"]


def test_transfer_tool_changes_nothing() -> None:
    tool = transfer_tool("Hand over.")
    assert (tool.name, tool.kind, tool.description, tool.params) == (
        "transfer_to_human_agents", ToolKind.GENERIC, "Hand over.", TransferArgs
    )
    env = _environment(tool)
    state = env.new_state()
    outcome = env.call(state, "transfer_to_human_agents", {"summary": "wants a refund"})
    assert outcome.value == "Transfer successful" and state.changed_keys == []
    assert tool.required_args == ["summary"]


def test_factories_give_each_domain_its_own_description() -> None:
    assert calculate_tool("a").description != calculate_tool("b").description
    assert calculate_tool("a").func is calculate_tool("b").func
