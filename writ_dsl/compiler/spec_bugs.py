"""Spec bugs found while drawing instances: eval errors and small parameter pools.

An eval error (a field of null, a date of null, text plus a number...) is not
an ill-posed instance but a bug of the spec: the instances that survive it are
a biased sample. :class:`DrawWatch` remembers the first eval error of every
source location of a task and how often it happened, and the distinct values
each parameter took, so that the compile reports them as diagnostics
(``eval-error``, ``small-parameter-pool``) whether or not the quota was met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import diagnostics as diag
from ..diagnostics import Diagnostic, Severity
from ..lang import ast, walk
from .plan import Plan
from .values import Rejection, hashable


@dataclass
class EvalErrorSite:
    path: str
    rejection: Rejection
    count: int = 0

    def to_json(self) -> dict[str, Any]:
        span = self.rejection.span
        return {"path": self.path, "line": span.line if span else None, "column": span.column if span else None,
                "message": self.rejection.detail, "count": self.count}


@dataclass
class DrawWatch:
    """What one task's draw noticed beyond accepted and rejected instances."""

    default_path: str
    eval_errors: dict[tuple[str, int, int], EvalErrorSite] = field(default_factory=dict)
    param_values: dict[str, set[Any]] = field(default_factory=dict)

    def rejected(self, rejection: Rejection) -> None:
        if rejection.reason != "eval-error":
            return
        path = rejection.path or self.default_path
        span = rejection.span
        key = (path, span.line if span else 0, span.column if span else 0)
        site = self.eval_errors.setdefault(key, EvalErrorSite(path, rejection))
        site.count += 1

    def absorb(self, later: DrawWatch) -> None:
        """Add what a later draw of the same task noticed (the first rejection of each site is kept)."""
        for key, site in later.eval_errors.items():
            if key in self.eval_errors:
                self.eval_errors[key].count += site.count
            else:
                self.eval_errors[key] = site
        for name, values in later.param_values.items():
            self.param_values.setdefault(name, set()).update(values)

    def forget(self, rejection: Rejection) -> None:
        """Report no warning for this rejection (another diagnostic already shows it)."""
        self.eval_errors = {k: s for k, s in self.eval_errors.items() if s.rejection is not rejection}

    def accepted(self, params: dict[str, Any]) -> None:
        for name, value in params.items():
            self.param_values.setdefault(name, set()).add(hashable(value))

    def diagnostics(self, plan: Plan, task: str, produced: int, strict: bool) -> list[Diagnostic]:
        return self.eval_error_diagnostics(task, strict) + self.pool_diagnostics(plan, task, produced)

    def eval_error_diagnostics(self, task: str, strict: bool) -> list[Diagnostic]:
        severity = Severity.ERROR if strict else Severity.WARNING
        return [diag.make("eval-error", site.path, site.rejection.span, severity=severity, task=task,
                          detail=site.rejection.detail, count=site.count,
                          notes=[diag.NOTES["eval-error-bias"]])
                for _, site in sorted(self.eval_errors.items())]

    def pool_diagnostics(self, plan: Plan, task: str, produced: int) -> list[Diagnostic]:
        found = []
        for name, values in sorted(self.param_values.items()):
            node = plan.nodes.get(plan.names.get(name, ""))
            if node is None or len(values) * 2 >= produced or not draws_on_database(plan, node.id):
                continue
            found.append(diag.make("small-parameter-pool", node.path, node.span, severity=Severity.WARNING,
                                   task=task, name=name, distinct=len(values), produced=produced))
        return found


def draws_on_database(plan: Plan, node_id: str, seen: set[str] | None = None) -> bool:
    """Whether the node's value comes (through lets, params and reads) from the database.

    A parameter over a list the author wrote out (``one of ["a", "b"]``, ``1 .. 3``) is a small
    choice by design; one over database records is a pool that should grow with the instances.
    """
    seen = seen if seen is not None else set()
    if node_id in seen:
        return False
    seen.add(node_id)
    node = plan.nodes[node_id]
    if node.kind == "read":
        return True
    expr = node.stmt.source if node.kind == "param" else getattr(node.stmt, "value", None)
    while isinstance(expr, ast.Where):
        expr = expr.source
    if isinstance(expr, (ast.ListExpr, ast.Range)):
        return False
    if expr is not None and any(name.id == "db" for name in walk.free_names(expr)):
        return True
    return any(draws_on_database(plan, dep, seen) for dep in plan.deps(node_id))
