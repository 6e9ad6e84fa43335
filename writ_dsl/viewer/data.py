"""What the report shows, as plain JSON-ready values: one entry per finished dialogue, one graph per task.

System prompts repeat across thousands of dialogues, so each distinct prompt
is stored once (``prompts``) and messages refer to it by index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..compiler.model import CompiledTask, PlannedCall
from ..exports.source import RunSource, template_name

NODE_WIDTH, NODE_HEIGHT, COLUMN, ROW = 200, 44, 250, 60


@dataclass
class Prompts:
    """Distinct system prompts, numbered in the order first seen."""

    texts: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def ref(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.texts)
            self.texts.append(text)
        return self._index[text]


def task_info(task: CompiledTask) -> dict[str, Any]:
    """The facts about a task the report shows beside its dialogue."""
    return {"template": template_name(task), "title": task.title or task.task, "tags": list(task.tags),
            "params": task.params, "tell": list(task.communicate_info),
            "metrics": task.metrics.model_dump(), "graph": evidence_graph(task.plan)}


def evidence_graph(plan: list[PlannedCall]) -> dict[str, Any]:
    """The task's calls laid out in columns by dependency depth: nodes with positions, and edges."""
    depth: dict[str, int] = {}
    for call in plan:  # plan order is execution order: dependencies come first
        depth[call.node] = 1 + max((depth[d] for d in call.depends_on if d in depth), default=-1)
    rows: dict[int, int] = {}
    nodes = []
    for call in plan:
        column = depth[call.node]
        row = rows.get(column, 0)
        rows[column] = row + 1
        nodes.append({"id": call.node, "tool": call.tool, "kind": call.kind, "x": 10 + column * COLUMN,
                      "y": 10 + row * ROW, "arguments": json.dumps(call.arguments, ensure_ascii=False),
                      "evidence": len(call.evidence)})
    edges = [[dep, call.node] for call in plan for dep in call.depends_on if dep in depth]
    width = 20 + NODE_WIDTH + COLUMN * max(depth.values(), default=0)
    height = 20 + NODE_HEIGHT + ROW * (max(rows.values(), default=1) - 1)
    return {"nodes": nodes, "edges": edges, "width": width, "height": height,
            "node_width": NODE_WIDTH, "node_height": NODE_HEIGHT}


def dialogues(source: RunSource, prompts: Prompts) -> Iterator[dict[str, Any]]:
    """Every finished dialogue (verified, rejected, failed), in task-id order."""
    for record in source.records():
        yield {
            "id": record["task_id"], "domain": record["domain"], "type": record.get("trajectory_type"),
            "template": source.template(record), "behavior": record.get("behavior") or "none",
            "verdict": record["outcome"], "reason": record.get("reason"), "detail": _text(record.get("detail")),
            "problems": [_text(p) for p in record.get("problems") or []],
            "termination": record.get("termination_reason"),
            "messages": [_message(m, prompts) for m in record["messages"]],
        }


def _message(message: dict[str, Any], prompts: Prompts) -> dict[str, Any]:
    if message["role"] == "system":
        return {"role": "system", "prompt": prompts.ref(message.get("content") or "")}
    out: dict[str, Any] = {"role": message["role"], "content": message.get("content")}
    if message.get("tool_calls"):
        out["calls"] = [{"id": c["id"], "name": c["name"],
                         "arguments": json.dumps(c.get("arguments"), ensure_ascii=False, indent=1)
                         if c.get("arguments") is not None else c.get("raw_arguments") or ""}
                        for c in message["tool_calls"]]
    if message["role"] == "tool":
        out["call_id"] = message.get("tool_call_id")
        out["error"] = bool(message.get("error"))
    return out


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
