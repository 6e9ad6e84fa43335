"""``trl``: verified dialogues for TRL's SFTTrainer: ``messages`` (tool-call arguments as JSON objects) + ``tools``.

Chat templates that render tool calls (as TRL applies them) expect each call's
``arguments`` as a dict, not the JSON string of the OpenAI wire format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..runner.messages import Message, from_records
from .options import ExportOptions
from .source import RunSource, domain_tools, write_verified

NAME = "trl"
SUMMARY = "TRL conversational JSONL (messages with dict tool-call arguments + tools), verified dialogues"
OUTPUT = "file"


def write(source: RunSource, out: Path, options: ExportOptions) -> int:
    return write_verified(source, out, NAME, lambda record, meta: row(record, domain_tools(record, meta)))


def row(record: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any]:
    return {"messages": [message(m) for m in from_records(record["messages"])], "tools": tools,
            "task_id": record["task_id"], "domain": record["domain"],
            "trajectory_type": record["trajectory_type"], "behavior": record.get("behavior")}


def message(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.content or ""}
    if m.tool_calls:
        out["tool_calls"] = [{"id": c.id, "type": "function",
                              "function": {"name": c.name, "arguments": c.arguments or {}}} for c in m.tool_calls]
    if m.role == "tool":
        out["tool_call_id"] = m.tool_call_id
    return out
