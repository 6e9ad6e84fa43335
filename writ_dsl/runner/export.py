"""The output files of a run, rewritten from ``run.sqlite`` in task-id order (same database, same bytes).

Each file is written row by row as the records are read from the database, so that memory stays flat in the
number of dialogues; only the summary keeps a slim copy of each record (its messages counted, not kept).

- ``trajectories.jsonl``: verified dialogues in the OpenAI chat training format;
- ``rejects.jsonl``: rejected and failed dialogues, each with its reason;
- ``simulations.json``: every finished dialogue in τ²-bench's simulation layout;
- ``summary.json``: counts, reasons, evidence coverage, options.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import atomic_write, json_array_rows
from .messages import Message, from_records
from .pass_rates import attempts_summary, blame_summary, by_task, representative, usage_summary
from .store import DB_NAME, RunStore
from .verify import VERIFIED

TRAJECTORIES, REJECTS, SIMULATIONS, SUMMARY = "trajectories.jsonl", "rejects.jsonl", "simulations.json", "summary.json"


def export_outputs(out_dir: str | Path) -> dict[str, Any]:
    """(Re)write every output file of the run in ``out_dir``; returns the summary."""
    out_dir = Path(out_dir)
    if not (out_dir / DB_NAME).is_file():
        raise InputError(f"{out_dir}: no run here ({DB_NAME} is missing)")
    with RunStore(out_dir) as store:
        meta = _meta(store)
        atomic_write(out_dir / TRAJECTORIES, (_line(trajectory(r, meta)) for r in kept(store.records(), meta)))
        atomic_write(out_dir / REJECTS, (_line(reject(r)) for r in store.records() if not _ok(r)))
        atomic_write(out_dir / SIMULATIONS, _pretty_rows(simulation(r, meta) for r in store.records()))
        summary = summarize((_slim(r) for r in store.records()), meta)
    atomic_write(out_dir / SUMMARY, _pretty(summary))
    return summary


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    """A record for the summary: its messages counted, not kept."""
    found = {key: value for key, value in record.items() if key != "messages"}
    found["message_count"] = len(record["messages"])
    return found


def _message_count(record: dict[str, Any]) -> int:
    return record["message_count"] if "message_count" in record else len(record["messages"])


def _meta(store: RunStore) -> dict[str, Any]:
    keys = ("fingerprint", "options", "tasks", "tools")
    return {key: store.get_meta(key) for key in keys}


def kept(records: Iterable[dict[str, Any]], meta: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The verified dialogues to export: a task's first, or (``keep all``) each distinct one; ``records``
    come grouped by task (the store's order), and are read one task at a time."""
    keep_all = (meta.get("options") or {}).get("keep") == "all"
    for _, attempts in groupby(records, key=lambda record: record["task_id"]):
        seen: set[str] = set()
        for record in attempts:
            if not _ok(record):
                continue
            text = json.dumps(record["messages"], sort_keys=True)
            if text not in seen:
                yield record
                seen.add(text)
                if not keep_all:
                    break


def _ok(record: dict[str, Any]) -> bool:
    return record["outcome"] == VERIFIED


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def _pretty_rows(values: Iterable[Any]) -> Iterator[str]:
    """``_pretty`` of a list, one item at a time (the same bytes)."""
    return json_array_rows(values, indent=1)


# ----------------------------------------------------------------------- formats
def _messages(record: dict[str, Any]) -> list[Message]:
    return from_records(record["messages"])


def trajectory(record: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "task_id": record["task_id"],
        "domain": record["domain"],
        "trajectory_type": record["trajectory_type"],
        "has_user_script": True,
        "behavior": record["behavior"],
        "messages": [m.to_openai() for m in _messages(record)],
        "tools": (meta.get("tools") or {}).get(record["domain"], []),
        **_optional(record, "attempt", "usage"),
    }


def _optional(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: record[key] for key in keys if key in record}


def reject(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "task_id": record["task_id"],
        "domain": record["domain"],
        "status": record["outcome"],  # rejected | failed
        "reason": record.get("reason"),
        "detail": record.get("detail"),
        "problems": record.get("problems") or [],
        "termination_reason": record.get("termination_reason"),
        "trajectory_type": record.get("trajectory_type"),
        "behavior": record.get("behavior"),
        "messages": [m.to_openai() for m in _messages(record)],
        **_optional(record, "attempt", "blame", "usage"),
    }


def simulation(record: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    messages = [m for m in _messages(record) if m.role != "system"]
    key = f"{meta.get('fingerprint')}\0{record['task_id']}" + (f"\0{record['attempt']}" if "attempt" in record else "")
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
        "task_id": record["task_id"],
        "trial": record.get("attempt", 0),
        "seed": record.get("seed"),
        "termination_reason": record["termination_reason"],
        "agent_cost": None,
        "user_cost": None,
        "reward_info": reward_info(record),
        "messages": [tau2_message(m, i) for i, m in enumerate(messages)],
        **NO_CLOCK,
    }


# τ²-bench's simulation model requires these; writ records no wall-clock time, so they are fixed values
# (empty times, zero duration) and the same run always gives the same bytes.
NO_CLOCK = {"timestamp": "", "start_time": "", "end_time": "", "duration": 0.0}


def tau2_message(message: Message, turn: int) -> dict[str, Any]:
    if message.role == "tool":
        return {"id": message.tool_call_id, "role": "tool", "content": message.content, "requestor": "assistant",
                "error": message.error, "turn_idx": turn}
    calls = [{"id": c.id, "name": c.name, "arguments": c.arguments if c.arguments is not None else {},
              "requestor": message.role} for c in message.tool_calls]
    return {"role": message.role, "content": message.content, "tool_calls": calls or None, "turn_idx": turn}


def reward_info(record: dict[str, Any]) -> dict[str, Any]:
    final, gold = record.get("final_hash"), record.get("gold_state_hash")
    db_match = final is not None and final == gold
    return {
        "reward": 1.0 if _ok(record) else 0.0,
        "reward_basis": ["DB", "COMMUNICATE"],
        "db_check": {"db_match": db_match, "db_reward": 1.0 if db_match else 0.0},
        "communicate_checks": record.get("communicate_checks") or [],
        "info": {"outcome": record["outcome"], "reason": record.get("reason")},
    }


# ----------------------------------------------------------------------- summary
def summarize(records: Iterable[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    every = list(records)
    records = [representative(attempts) for attempts in by_task(every).values()]
    outcomes = Counter(r["outcome"] for r in records)
    total = meta.get("tasks") or len(records)
    return {
        "tasks": total,
        "finished": len(records),
        "pending": max(total - len(records), 0),
        "verified": outcomes.get("verified", 0),
        "rejected": outcomes.get("rejected", 0),
        "failed": outcomes.get("failed", 0),
        "reasons": _reasons(records),
        "by_domain": _breakdown(records, "domain"),
        "by_trajectory_type": _breakdown(records, "trajectory_type"),
        "by_behavior": _breakdown(records, "behavior"),
        "evidence_coverage": coverage_summary(records),
        "mean_messages_verified": _mean([_message_count(r) for r in records if _ok(r)]),
        "options": meta.get("options"),
        "fingerprint": meta.get("fingerprint"),
        **_llm_summary(every, meta),
    }


def _llm_summary(records: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """Usage, blame and pass rates: present only in runs that have them (offline summaries stay as they were)."""
    found: dict[str, Any] = {}
    usage, blamed = usage_summary(records), blame_summary(records)
    if usage is not None:
        found["usage"] = usage
    if blamed is not None:
        found["blame"] = blamed
    options = meta.get("options") or {}
    if int(options.get("attempts") or 1) > 1:
        found["attempts"] = attempts_summary(records, options)
    return found


def _reasons(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if not _ok(r):
            found[r["outcome"]][r.get("reason") or "unknown"] += 1
    return {outcome: dict(sorted(counts.items())) for outcome, counts in sorted(found.items())}


def _breakdown(records: list[dict[str, Any]], field: str) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        table[str(r.get(field))][r["outcome"]] += 1
    return {name: {k: counts.get(k, 0) for k in ("verified", "rejected", "failed")}
            for name, counts in sorted(table.items())}


def coverage_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    writes = [w for r in records if _ok(r) for w in r.get("evidence_coverage") or []]
    ratios = [w["covered"] / w["evidence"] for w in writes if w["evidence"]]
    return {"writes": len(writes), "fully_covered": sum(1 for w in writes if not w["missing"]),
            "mean_ratio": _mean(ratios)}


def _mean(values: list[float] | list[int]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None
