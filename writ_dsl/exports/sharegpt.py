"""``sharegpt``: verified dialogues in the ShareGPT layout with tool calls, as LLaMA-Factory reads it.

Each row has ``conversations`` (``human`` / ``gpt`` / ``function_call`` /
``observation`` turns), the system prompt in ``system`` and the tool schemas as
a JSON string in ``tools``. An assistant turn with tool calls becomes one
``function_call`` turn (a JSON object, or a list when it made several calls);
the tool answers that follow become one ``observation`` turn. The layout
starts with a ``human`` turn, so the agent's opening greeting (before the
user's first message) is left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..runner.messages import Message, from_records
from .options import ExportOptions
from .source import RunSource, domain_tools, write_verified

NAME = "sharegpt"
SUMMARY = "ShareGPT JSONL with function_call/observation turns (LLaMA-Factory), verified dialogues"
OUTPUT = "file"


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    return write_verified(source, out, NAME, lambda record, meta: row(record, domain_tools(record, meta)))


def row(record: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any]:
    messages = from_records(record["messages"])
    system = "\n\n".join(m.text for m in messages if m.role == "system")
    functions = [tool.get("function", tool) for tool in tools]
    dialogue = [m for m in messages if m.role != "system"]
    while dialogue and dialogue[0].role == "assistant" and not dialogue[0].tool_calls:
        dialogue = dialogue[1:]
    return {"conversations": conversations(dialogue), "system": system,
            "tools": json.dumps(functions, ensure_ascii=False), "task_id": record["task_id"],
            "domain": record["domain"], "trajectory_type": record["trajectory_type"]}


def conversations(messages: list[Message]) -> list[dict[str, str]]:
    turns: list[dict[str, str]] = []
    pending: list[str] = []  # tool answers waiting to become one observation turn
    for m in messages:
        if m.role == "tool":
            pending.append(m.text)
            continue
        if pending:
            turns.append(_observation(pending))
            pending = []
        turns.append(_turn(m))
    if pending:
        turns.append(_observation(pending))
    return turns


def _turn(m: Message) -> dict[str, str]:
    if m.tool_calls:
        calls = [{"name": c.name, "arguments": c.arguments or {}} for c in m.tool_calls]
        value = calls[0] if len(calls) == 1 else calls
        return {"from": "function_call", "value": json.dumps(value, ensure_ascii=False)}
    return {"from": "human" if m.role == "user" else "gpt", "value": m.text}


def _observation(answers: list[str]) -> dict[str, str]:
    return {"from": "observation", "value": answers[0] if len(answers) == 1 else json.dumps(answers)}
