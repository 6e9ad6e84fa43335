"""What a run's records say beyond verified/rejected: attempts and pass rates, blame, token usage.

pass^k follows τ²-bench: for a task tried n times with c successes, the chance
that k trials drawn without replacement all succeed, C(c, k) / C(n, k),
averaged over tasks; pass^1 is the mean success rate. With ``--keep first`` a
task stops at its first success, so only the share solved within K attempts
is reported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from math import comb
from typing import Any

from .verify import VERIFIED

Record = dict[str, Any]


def by_task(records: Iterable[Record]) -> dict[str, list[Record]]:
    found: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        found[record["task_id"]].append(record)
    return found


def representative(attempts: list[Record]) -> Record:
    """The record that stands for a task: its first verified attempt, else its last one."""
    return next((r for r in attempts if r["outcome"] == VERIFIED), attempts[-1])


def pass_hat(trials: int, successes: int, k: int) -> float | None:
    return comb(successes, k) / comb(trials, k) if trials >= k else None


def _rates(groups: dict[str, list[list[Record]]], k: int, keep: str) -> dict[str, dict[str, Any]]:
    table = {}
    for name, tasks in sorted(groups.items()):
        table[name] = _rate(tasks, k, keep)
    return table


def _rate(tasks: list[list[Record]], k: int, keep: str) -> dict[str, Any]:
    trials = [(len(a), sum(r["outcome"] == VERIFIED for r in a)) for a in tasks]
    row: dict[str, Any] = {"tasks": len(tasks), "dialogues": sum(n for n, _ in trials),
                           "solved": sum(c > 0 for _, c in trials)}
    if keep == "all":
        for j in sorted({1, k}):
            values = [pass_hat(n, c, j) for n, c in trials]
            known = [v for v in values if v is not None]
            row[f"pass^{j}"] = round(sum(known) / len(known), 4) if known else None
    return row


def attempts_summary(records: list[Record], options: dict[str, Any]) -> dict[str, Any]:
    """Pass rates in all, per task name (template) and per evidence burden / number of writes."""
    k, keep = int(options.get("attempts") or 1), str(options.get("keep") or "first")
    tasks = list(by_task(records).values())
    per_template: dict[str, list[list[Record]]] = defaultdict(list)
    for attempts in tasks:
        per_template[str(attempts[0].get("task"))].append(attempts)
    by_writes: dict[str, list[list[Record]]] = defaultdict(list)
    by_evidence: dict[str, list[list[Record]]] = defaultdict(list)
    for attempts in tasks:
        by_writes[f"{attempts[0].get('writes', 0):03d}"].append(attempts)
        by_evidence[f"{attempts[0].get('evidence', 0):03d}"].append(attempts)
    return {"k": k, "keep": keep, **_rate(tasks, k, keep),
            "by_writes": _rates(by_writes, k, keep), "by_evidence_burden": _rates(by_evidence, k, keep),
            "by_template": _rates(per_template, k, keep),
            "by_task": {task_id: _rate([a], k, keep) for task_id, a in sorted(by_task(records).items())}}


def blame_summary(records: list[Record]) -> dict[str, Any] | None:
    blamed = [r["blame"] for r in records if r.get("blame")]
    if not blamed:
        return None
    parties = Counter(b["party"] for b in blamed)
    faults = Counter(f"{b['party']}:{b['fault']}" for b in blamed)
    return {"user": parties.get("user", 0), "agent": parties.get("agent", 0),
            "endpoint": parties.get("endpoint", 0), "faults": dict(sorted(faults.items()))}


def usage_of(record: Record) -> dict[str, int]:
    total: Counter[str] = Counter()
    for used in (record.get("usage") or {}).values():
        total.update(used)
    return dict(total)


def usage_summary(records: list[Record]) -> dict[str, Any] | None:
    with_usage = [r for r in records if r.get("usage")]
    if not with_usage:
        return None
    total: Counter[str] = Counter()
    by_role: dict[str, Counter[str]] = defaultdict(Counter)
    for record in with_usage:
        for role, used in record["usage"].items():
            by_role[role].update(used)
            total.update(used)
    keys = ("prompt_tokens", "completion_tokens", "completions")
    return {**{key: total.get(key, 0) for key in keys},
            "by_role": {role: {key: c.get(key, 0) for key in keys} for role, c in sorted(by_role.items())},
            "per_dialogue": {key: round(total.get(key, 0) / len(with_usage), 1) for key in keys}}
