"""The run side of ``writ stats``: verified rate against the two WRIT axes, pass^k, and token usage.

For a run folder, every task of ``tasks.jsonl`` that was run counts once per
axis value: its largest evidence burden, and its number of writes; it passes
when a verified trajectory of it exists. Runs made with ``--attempts K``
add the pass^1 / pass^k tables of ``summary.json``; LLM runs add token usage.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

Rates = dict[int, list[int]]  # axis value -> [passed, tried]


def _rate_table(table: Rates) -> dict[str, dict[str, Any]]:
    return {str(k): {"passed": p, "tried": n, "rate": round(p / n, 4) if n else None}
            for k, (p, n) in sorted(table.items())}


def run_side(folder: Path, tasks: list[dict[str, Any]], verified_ids: set[str],
             tried_ids: set[str]) -> dict[str, Any]:
    by_burden: Rates = defaultdict(lambda: [0, 0])
    by_writes: Rates = defaultdict(lambda: [0, 0])
    for task in tasks:
        if task.get("id") not in tried_ids:
            continue
        metrics = task.get("metrics") or {}
        passed = int(task["id"] in verified_ids)
        for table, key in ((by_burden, max(metrics.get("evidence_burden") or [0])),
                           (by_writes, int(metrics.get("writes") or 0))):
            table[key][0] += passed
            table[key][1] += 1
    found: dict[str, Any] = {"verified_rate_by_evidence_burden": _rate_table(by_burden),
                             "verified_rate_by_writes": _rate_table(by_writes)}
    summary = _summary(folder)
    for key in ("usage", "attempts", "blame"):
        if key in summary:
            found[key] = summary[key]
    return found


def _summary(folder: Path) -> dict[str, Any]:
    path = folder / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
