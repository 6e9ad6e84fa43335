"""Tools that neither read nor change the database, shared by environments: a calculator and the hand-off.

Environment authors add them to a domain with their own wording::

    TOOLS = [calculate_tool("Evaluate ..."), transfer_tool("Hand the conversation ...")]

The calculator accepts what τ²-bench's does (digits, ``+ - * /``, parentheses,
dots and spaces) but evaluates the syntax tree itself, never with ``eval``, and
refuses powers whose result would be too large to compute quickly.
"""

from __future__ import annotations

import ast
import operator
import warnings
from collections.abc import Callable
from typing import Any

from pydantic import Field

from .core import State, Tool, ToolArgs, ToolError, ToolKind
from .wording import Phrasing

ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")
MAX_POWER_BITS = 100_000
TRANSFER_RESULT = "Transfer successful"

INVALID_CHARACTERS = "Invalid characters in expression"
INVALID_EXPRESSION = "Invalid expression"
DIVISION_BY_ZERO = "Division by zero"
TOO_LARGE = "Result too large"
NOT_REAL = "Result is not a real number"

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class CalculateArgs(ToolArgs):
    expression: str = Field(
        description="An arithmetic expression such as '2 + 2': numbers, + - * /, parentheses and spaces."
    )


class TransferArgs(ToolArgs):
    summary: str = Field(description="A summary of the issue for the human agent.")


def evaluate_arithmetic(expression: str) -> float:
    """The value of an arithmetic expression; a ToolError says why there is none."""
    if not set(expression) <= ALLOWED_CHARACTERS:
        raise ToolError(INVALID_CHARACTERS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError):
        raise ToolError(INVALID_EXPRESSION) from None
    try:
        return float(_value(tree.body))
    except RecursionError:
        raise ToolError(INVALID_EXPRESSION) from None
    except ZeroDivisionError:
        raise ToolError(DIVISION_BY_ZERO) from None
    except OverflowError:
        raise ToolError(TOO_LARGE) from None


def _value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _binary(node)
    raise ToolError(INVALID_EXPRESSION)


def _binary(node: ast.BinOp) -> Any:
    left, right = _value(node.left), _value(node.right)
    if isinstance(node.op, ast.Pow) and _power_too_large(left, right):
        raise ToolError(TOO_LARGE)
    value = _BINARY[type(node.op)](left, right)
    if isinstance(value, complex):
        raise ToolError(NOT_REAL)
    return value


def _power_too_large(base: Any, exponent: Any) -> bool:
    """Whether an integer power would take too long to compute (a float one overflows at once instead)."""
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return False
    return abs(exponent) * max(abs(base).bit_length(), 1) > MAX_POWER_BITS


def calculate(state: State, args: CalculateArgs) -> str:
    return str(round(evaluate_arithmetic(args.expression), 2))


def transfer_to_human_agents(state: State, args: TransferArgs) -> str:
    return TRANSFER_RESULT


def calculate_tool(description: str) -> Tool:
    return Tool("calculate", ToolKind.GENERIC, description, CalculateArgs, calculate,
                phrasing=Phrasing(looked_up=lambda calls: "the totals"))


def transfer_tool(description: str) -> Tool:
    return Tool("transfer_to_human_agents", ToolKind.GENERIC, description, TransferArgs, transfer_to_human_agents,
                phrasing=Phrasing(proposal=lambda a, name: "transfer you to a human agent"))
