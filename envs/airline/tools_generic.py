"""Tools that neither read nor change the database: arithmetic and hand-off to a human."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

from pydantic import Field

from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

ALLOWED_CHARACTERS = frozenset("0123456789+-*/(). ")
MAX_EXPONENT = 1000

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class CalculateArgs(ToolArgs):
    expression: str = Field(
        description="An arithmetic expression such as '2 + 2'; digits, + - * / ( ) . and spaces only."
    )


class TransferArgs(ToolArgs):
    summary: str = Field(description="A summary of the user's issue for the human agent.")


def _binary(node: ast.BinOp) -> float:
    apply = _BINARY.get(type(node.op))
    if apply is None:
        raise ToolError("Invalid expression")
    left, right = _evaluate(node.left), _evaluate(node.right)
    if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
        raise ToolError("Result too large")
    value = apply(left, right)
    if isinstance(value, complex):
        raise ToolError("Result is not a real number")
    return value


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp):
        return _binary(node)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    raise ToolError("Invalid expression")


def evaluate_expression(expression: str) -> float:
    """The value of an arithmetic expression, evaluated on its syntax tree (never with eval)."""
    if not set(expression) <= ALLOWED_CHARACTERS:
        raise ToolError("Invalid characters in expression")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise ToolError("Invalid expression") from None
    try:
        return float(_evaluate(tree.body))
    except ZeroDivisionError:
        raise ToolError("Division by zero") from None
    except OverflowError:
        raise ToolError("Result too large") from None


def calculate(state: State, params: CalculateArgs) -> str:
    return str(round(evaluate_expression(params.expression), 2))


def transfer_to_human_agents(state: State, params: TransferArgs) -> str:
    return "Transfer successful"


TOOLS = (
    Tool(
        "calculate",
        ToolKind.GENERIC,
        "Evaluate an arithmetic expression and return the result rounded to 2 decimals.",
        CalculateArgs,
        calculate,
    ),
    Tool(
        "transfer_to_human_agents",
        ToolKind.GENERIC,
        "Hand the conversation to a human agent with a summary of the issue. Only when the user explicitly asks "
        "for a human, or when the request cannot be handled with the policy and the available tools.",
        TransferArgs,
        transfer_to_human_agents,
    ),
)
