"""A domain's policy as code: small rules over the sequence of changes a task makes.

A rule takes the task's gold writes (in order) and the database they start
from, and returns the violations it finds, worded for a person. A domain lists
its rules in ``Domain.policy_rules``; the compiler rejects every instance whose
gold writes break one, so a spec cannot teach what the policy forbids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .core import Database


@dataclass(frozen=True)
class Action:
    """One change the task makes: a write tool and its arguments."""

    name: str
    arguments: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.arguments.get(key, default)


PolicyRule = Callable[[Sequence[Action], Database], Iterable[str]]


def policy_violations(rules: Iterable[PolicyRule], actions: Sequence[Action], db: Database) -> list[str]:
    """Every violation of every rule, rule by rule, in the rules' order."""
    return [problem for rule in rules for problem in rule(actions, db)]
