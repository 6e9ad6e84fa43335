"""Tools that neither read nor change the store: a calculator and the hand-off to a human."""

from __future__ import annotations

import ast
import operator
import warnings
from collections.abc import Callable
from typing import Any

from pydantic import Field

from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")
MAX_POWER_BITS = 100_000

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class CalculateArgs(ToolArgs):
    expression: str = Field(
        description="An arithmetic expression such as '2 + 2': numbers, + - * /, parentheses and spaces."
    )


class TransferArgs(ToolArgs):
    summary: str = Field(description="A short summary of the customer's issue for the human agent.")


def evaluate(expression: str) -> float:
    """The value of an arithmetic expression, computed from its syntax tree (never ``eval``)."""
    if not set(expression) <= ALLOWED_CHARACTERS:
        raise ToolError("Invalid characters in expression")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(expression.lstrip(" "), filename="<string>", mode="eval")
        return float(_value(tree.body))
    except SyntaxError as exc:
        raise ToolError(str(exc)) from None
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ToolError(str(exc)) from None


def _value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and _power_too_large(left, right):
            raise ToolError("Exponent too large")
        return _BINARY[type(node.op)](left, right)
    raise ToolError("Invalid expression")


def _power_too_large(base: Any, exponent: Any) -> bool:
    return abs(exponent) * max(abs(int(base)).bit_length(), 1) > MAX_POWER_BITS


def calculate(state: State, args: CalculateArgs) -> str:
    return str(round(evaluate(args.expression), 2))


def transfer_to_human_agents(state: State, args: TransferArgs) -> str:
    return "Transfer successful"


TOOLS = [
    Tool(
        "calculate",
        ToolKind.GENERIC,
        "Compute an arithmetic expression (numbers, + - * /, parentheses, spaces) and return the result "
        "rounded to 2 decimals.",
        CalculateArgs,
        calculate,
    ),
    Tool(
        "transfer_to_human_agents",
        ToolKind.GENERIC,
        "Hand the customer over to a human agent with a summary of the issue. Do this only when the "
        "customer explicitly asks for a human, or when the policy and the tools cannot resolve the issue.",
        TransferArgs,
        transfer_to_human_agents,
    ),
]
