"""``tau2-tasks``: compiled tasks as τ²-bench tasks (a JSON list), from a run folder or a tasks.jsonl file."""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..io import atomic_write
from .options import ExportOptions
from .source import Counted, RunSource, json_array

NAME = "tau2-tasks"
SUMMARY = "τ²-bench tasks JSON (evaluation criteria: gold actions, facts to communicate)"
OUTPUT = "file"


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    rows = Counted(to_tau2(task) for task in source.tasks())
    atomic_write(out, chain(json_array(iter(rows)), ["\n"]))
    return rows.count


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
