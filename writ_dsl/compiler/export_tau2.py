"""Compiled tasks (JSONL) -> τ²-bench's task format (a JSON list)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from .model import CompiledTask


def read_tasks(path: str | Path) -> list[CompiledTask]:
    """Every task of a tasks.jsonl file; a malformed line is an InputError naming file:line."""
    return list(iter_tasks(path))


def iter_tasks(path: str | Path) -> Iterator[CompiledTask]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _parse_line(path, number, line)


def _parse_line(path: str | Path, number: int, line: str) -> CompiledTask:
    try:
        return CompiledTask.model_validate_json(line)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        detail = first["msg"] if first["type"] == "json_invalid" else f"{where}: {first['msg']}"
        raise InputError(f"{path}:{number}: not a compiled task ({detail})") from None


def to_tau2(task: CompiledTask) -> dict[str, Any]:
    scenario = task.user_scenario
    instructions = scenario.task_instructions
    if task.behavior is not None and task.behavior.settings.get("description"):
        instructions = f"{instructions}\n\nHow you behave: {task.behavior.settings['description']}"
    return {
        "id": task.id,
        "description": {
            "purpose": task.title or task.task,
            "relevant_policies": None,
            "notes": _notes(task),
        },
        "user_scenario": {
            "persona": scenario.persona,
            "instructions": {
                "domain": scenario.domain,
                "reason_for_call": scenario.reason_for_call,
                "known_info": scenario.known_info,
                "unknown_info": scenario.unknown_info,
                "task_instructions": instructions,
            },
        },
        "evaluation_criteria": {
            "actions": [
                {"action_id": a.action_id, "name": a.name, "arguments": a.arguments, "requestor": "assistant"}
                for a in task.gold_actions
            ],
            "env_assertions": [],
            "communicate_info": list(task.communicate_info),
            "nl_assertions": [],
            "reward_basis": ["DB", "COMMUNICATE"] if task.communicate_info else ["DB"],
        },
    }


def _notes(task: CompiledTask) -> str:
    parts = [f"writ-dsl {task.spec_path}::{task.task}", f"seed {task.seed}",
             f"trajectory {task.metrics.trajectory_type}",
             f"evidence burden {task.metrics.evidence_burden}"]
    if task.behavior is not None:
        parts.append(f"behavior {task.behavior.name}")
    return "; ".join(parts)


def export_tau2(source: str | Path, target: str | Path) -> int:
    """Write the τ²-bench tasks of ``source`` (JSONL) to ``target`` (JSON); returns the task count."""
    tasks = [to_tau2(task) for task in iter_tasks(source)]
    text = json.dumps(tasks, indent=2, ensure_ascii=False) + "\n"
    Path(target).write_text(text, encoding="utf-8")
    return len(tasks)
