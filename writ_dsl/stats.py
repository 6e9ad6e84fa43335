"""Statistics over compiled tasks or a synthesis output folder (``writ stats``).

Input is either a ``tasks.jsonl`` file of compiled tasks, or a folder holding
``tasks.jsonl`` and, after ``writ run``/``writ synth``, ``trajectories.jsonl``,
``rejects.jsonl`` and ``compile_summary.json``. When trajectories exist the
counts describe the verified trajectories; otherwise the compiled tasks.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .errors import InputError
from .stats_runs import run_side
from .tokens import count_messages, tokenizer_name
from .quality import Quality, measure
from .io import read_text

TYPES = ("normal", "write-intensive", "read-heavy", "read-heavy-write-intensive")


@dataclass
class Stats:
    TYPES: ClassVar[tuple[str, ...]] = TYPES  # trajectory types, in the order tables list them

    source: str
    unit: str  # "tasks" or "trajectories"
    by_domain_type: Counter[tuple[str, str]] = field(default_factory=Counter)
    writes_per_task: Counter[int] = field(default_factory=Counter)
    burden_per_write: Counter[int] = field(default_factory=Counter)
    dialogue_lengths: Counter[int] = field(default_factory=Counter)
    rejections: Counter[str] = field(default_factory=Counter)
    run: dict[str, Any] = field(default_factory=dict)  # pass rates, usage (stats_runs.run_side)
    by_template: Counter[str] = field(default_factory=Counter)  # "spec::task" -> count
    by_behavior: Counter[str] = field(default_factory=Counter)
    dialogue_tokens: list[int] = field(default_factory=list)  # tokens per dialogue, in file order
    tokenizer: str | None = None
    quality: Quality | None = None  # for a folder with trajectories

    @property
    def total(self) -> int:
        return sum(self.by_domain_type.values())

    def to_json(self) -> dict[str, Any]:
        def table(counter: Counter) -> dict[str, int]:
            return {str(k): v for k, v in sorted(counter.items())}

        return {
            "source": self.source,
            "unit": self.unit,
            "total": self.total,
            "by_domain_type": {f"{d}/{t}": n for (d, t), n in sorted(self.by_domain_type.items())},
            "writes_per_task": table(self.writes_per_task),
            "evidence_burden_per_write": table(self.burden_per_write),
            "dialogue_messages": table(self.dialogue_lengths),
            "rejections": dict(sorted(self.rejections.items())),
            "by_template": table(self.by_template),
            "by_behavior": table(self.by_behavior),
            "dialogue_tokens": token_summary(self.dialogue_tokens, self.tokenizer),
            **({"quality": self.quality.to_json()} if self.quality is not None else {}),
            **self.run,
        }


def token_summary(counts: list[int], tokenizer: str | None) -> dict[str, Any] | None:
    if not counts:
        return None
    ordered = sorted(counts)
    return {"tokenizer": tokenizer, "dialogues": len(ordered), "total": sum(ordered),
            "mean": round(sum(ordered) / len(ordered), 1), "median": ordered[len(ordered) // 2],
            "max": ordered[-1]}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file; unreadable, not UTF-8 or not JSON is an InputError naming file:line."""
    rows = []
    for number, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
        except RecursionError:
            raise InputError(f"{path}:{number}: not a line writ wrote (nested too deeply to read)") from None
        _require_shape(row, path, number)
        rows.append(row)
    return rows


_TASK_FIELDS = ("id", "env", "metrics")


def read_task_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a tasks.jsonl file; a file of anything else (trajectories, rejects) is an InputError."""
    rows = read_jsonl(path)
    for number, row in enumerate(rows, 1):
        missing = [name for name in _TASK_FIELDS if name not in row]
        if missing:
            hint = " (it holds trajectories: give its folder instead)" if "messages" in row else ""
            raise InputError(f"{path}: not a file of compiled tasks{hint}: its row {number} has no "
                             f"{', '.join(repr(m) for m in missing)}")
    return rows


_LIST_FIELDS = ("messages",)
_DICT_FIELDS = ("metrics",)


def _require_shape(row: Any, path: Path, number: int) -> None:
    """Rows are JSON objects whose known fields have the expected JSON types."""
    if not isinstance(row, dict):
        raise InputError(f"{path}:{number}: expected a JSON object, not {type(row).__name__}")
    for names, kind in ((_LIST_FIELDS, list), (_DICT_FIELDS, dict)):
        for name in names:
            if name in row and not isinstance(row[name], kind):
                raise InputError(f"{path}:{number}: field '{name}' must be a JSON {kind.__name__}")


def collect(path: Path) -> Stats:
    """Read a tasks file or an output folder and count what it holds."""
    if path.is_file():
        return _from_tasks(read_task_rows(path), str(path))
    tasks_file = path / "tasks.jsonl"
    if not tasks_file.is_file():
        raise InputError(f"{path}: no tasks.jsonl here (expected compiled tasks or a synthesis output)")
    tasks = read_task_rows(tasks_file)
    stats = _from_trajectories(path, tasks) if (path / "trajectories.jsonl").is_file() else _from_tasks(tasks, str(path))
    stats.rejections.update(_compile_rejections(path))
    return stats


def _from_tasks(tasks: list[dict[str, Any]], source: str) -> Stats:
    stats = Stats(source=source, unit="tasks")
    for task in tasks:
        _count_task(stats, task)
    return stats


def _count_task(stats: Stats, task: dict[str, Any]) -> None:
    metrics = task.get("metrics", {})
    stats.by_domain_type[(task.get("env", "?"), metrics.get("trajectory_type", "?"))] += 1
    stats.by_template[f"{task.get('spec_path', '?')}::{task.get('task', '?')}"] += 1
    stats.by_behavior[str((task.get("behavior") or {}).get("name") or "none")] += 1
    stats.writes_per_task[metrics.get("writes", 0)] += 1
    for burden in metrics.get("evidence_burden", []):
        stats.burden_per_write[burden] += 1


def _from_trajectories(folder: Path, tasks: list[dict[str, Any]]) -> Stats:
    by_id = {task["id"]: task for task in tasks}
    stats = Stats(source=str(folder), unit="trajectories", tokenizer=tokenizer_name())
    trajectories = read_jsonl(folder / "trajectories.jsonl")
    stats.quality = measure(tasks, trajectories)
    verified, tried = set(), set()
    for row in trajectories:
        task = by_id.get(row.get("task_id"))
        if task is not None:
            _count_task(stats, task)
        stats.dialogue_lengths[len(row.get("messages", []))] += 1
        verified.add(row.get("task_id"))
        stats.dialogue_tokens.append(count_messages([m for m in row.get("messages", []) if isinstance(m, dict)]))
    rejects = folder / "rejects.jsonl"
    if rejects.is_file():
        for row in read_jsonl(rejects):
            stats.rejections[f"run: {row.get('status', 'rejected')}: {_reason_label(row)}"] += 1
            tried.add(row.get("task_id"))
    stats.run = run_side(folder, tasks, verified, tried | verified)
    return stats


def _reason_label(row: dict[str, Any]) -> str:
    reason = str(row.get("reason", "unknown"))
    return reason.split(":", 1)[0].strip() or "unknown"


def _compile_rejections(folder: Path) -> Counter[str]:
    summary = folder / "compile_summary.json"
    counts: Counter[str] = Counter()
    if summary.is_file():
        try:
            data = json.loads(read_text(summary))
            for reason, n in data.get("rejections", {}).items():
                counts[f"compile: {reason}"] += int(n)
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            raise InputError(f"{summary}: not a compile summary") from None
    return counts
