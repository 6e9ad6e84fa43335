"""How a told fact is written down, so that τ²-bench's substring matcher cannot accept a wrong answer.

- An amount has cents ("50.00", "172.70"): a short figure is never found by accident inside another one.
- A labelled count is a phrase with a word on each side of the number, built from its label:
  ``tell count(gone) as "number of cancelled reservations"`` with 1 gives "cancelled 1 reservation", which
  "cancelled 11 reservations" or "cancelled 2 reservations" do not contain. An unlabelled count has cents.
- A signed amount (its label names a "difference") is told without its sign, with the direction it goes:
  positive is what the user pays, negative what the user gets back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ..lang import ast
from .values import is_number, to_text

Kind = Literal["amount", "count", "text"]
Direction = Literal["pay", "refund"]


@dataclass(frozen=True)
class Told:
    position: tuple[int, int]
    text: str
    label: str | None
    kind: Kind = "text"
    direction: Direction | None = None


def told(stmt: ast.TellStmt, value: Any) -> Told:
    """The fact a ``tell`` statement makes of its value."""
    position = (stmt.span.line, stmt.span.column)
    if not is_number(value):
        return Told(position, to_text(value), stmt.label)
    if is_count(stmt.value) and stmt.label and float(value).is_integer():
        return Told(position, count_text(int(value), stmt.label), stmt.label, "count")
    direction: Direction | None = None
    value = value if value else abs(value)  # never "-0.00"
    if stmt.label and "difference" in stmt.label.lower() and value:
        direction = "pay" if value > 0 else "refund"
    return Told(position, fact_text(abs(value) if direction else value), stmt.label, "amount", direction)


def fact_text(value: Any) -> str:
    """A fact as the agent must say it: numbers with cents, anything else as text."""
    return f"{value:.2f}" if is_number(value) else to_text(value)


def is_count(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Call) and expr.func.name == "count"


_LABEL_HEAD = re.compile(r"^(?:the\s+)?(?:number|count|total number)\s+of\s+", re.I)


def count_text(n: int, label: str) -> str:
    """ "cancelled 2 reservations" from "number of cancelled reservations"; "a total of 2 orders" when the
    label has no participle to lead with."""
    words = _LABEL_HEAD.sub("", label.strip()).split()
    if len(words) >= 2 and words[0].lower().endswith("ed"):
        lead, noun = words[0], words[1:]
    else:
        lead, noun = "a total of", words
    if n == 1 and noun:
        noun = [*noun[:-1], singular(noun[-1])]
    return " ".join([lead, str(n), *noun])


def singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
