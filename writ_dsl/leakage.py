"""Does synthesized data contain τ²-bench's own tasks? (``writ leakage``)

An instance leaks a τ²-bench task when it makes the same changes: the same
multiset of write calls, tool names and arguments alike (the arguments name
the user's orders, reservations and ids, so the same writes mean the same
user doing the same thing). Each match names the τ²-bench task and the
split it belongs to (``test`` above all matters). Needs the ``tau2`` extra.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .env import tau2
from .env.core import ToolKind
from .env.registry import load_domain


@dataclass(frozen=True)
class Leak:
    instance: str  # our task id
    tau2_task: str  # τ²-bench's task id
    domain: str
    splits: tuple[str, ...]  # the τ²-bench splits holding that task


@dataclass
class LeakageReport:
    checked: int = 0
    compared_with: dict[str, int] = field(default_factory=dict)  # domain -> τ²-bench tasks
    leaks: list[Leak] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        against = ", ".join(f"{n} {d}" for d, n in sorted(self.compared_with.items())) or "no"
        lines = [f"{self.checked} instances checked against {against} τ²-bench tasks: {len(self.leaks)} match"]
        lines += [f"  {leak.instance} = τ²-bench {leak.domain} task {leak.tau2_task} "
                  f"({', '.join(leak.splits) or 'no split'})" for leak in self.leaks]
        return lines


def _key(writes: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[str, ...]:
    return tuple(sorted(json.dumps([name, args], sort_keys=True) for name, args in writes))


def tau2_index(domain: str) -> dict[tuple[str, ...], list[str]]:
    """τ²-bench's tasks of a domain by their writes (tasks without a write are left out)."""
    writes = {name for name, tool in load_domain(domain).tools.items() if tool.kind is ToolKind.WRITE}
    index: dict[tuple[str, ...], list[str]] = {}
    for task in tau2.tasks(domain):
        actions = (task.get("evaluation_criteria") or {}).get("actions") or []
        key = _key((a["name"], a.get("arguments") or {}) for a in actions if a.get("name") in writes)
        if key:
            index.setdefault(key, []).append(str(task["id"]))
    return index


def check(tasks: Sequence[Mapping[str, Any]]) -> LeakageReport:
    """Compare compiled tasks (tasks.jsonl rows) with τ²-bench's tasks of their domains."""
    report = LeakageReport(checked=len(tasks))
    domains = Counter(str(t.get("env")) for t in tasks if t.get("env") in tau2.DOMAINS)
    for domain in sorted(domains):
        index = tau2_index(domain)
        report.compared_with[domain] = sum(len(v) for v in index.values())
        splits = tau2.task_splits(domain)
        for task in (t for t in tasks if t.get("env") == domain):
            key = _key((a["name"], a.get("arguments") or {}) for a in task.get("gold_actions", []))
            for match in index.get(key, []) if key else []:
                holding = tuple(name for name, ids in splits.items() if match in map(str, ids))
                report.leaks.append(Leak(str(task["id"]), match, domain, holding))
    return report


def lines_without(text: str, report: LeakageReport, kept: list[str]) -> Iterator[str]:
    """The lines of a tasks.jsonl text whose task ``report`` did not find in τ²-bench, unchanged; each
    yielded line is also appended to ``kept``."""
    leaked = {leak.instance for leak in report.leaks}
    for line in text.splitlines(keepends=True):
        if line.strip() and str(json.loads(line).get("id")) not in leaked:
            kept.append(line)
            yield line
