"""Dialogue messages: what each role says, in one record form shared by every stage.

A conversation is a sequence of :class:`Message`. The agent's turn is either a
text message to the user or tool calls; each tool call is answered by a tool
message carrying the same id. Messages convert to the OpenAI chat format (for
the LLM roles and ``trajectories.jsonl``) and to plain records (for the run
database).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .json_text import parse

Role = Literal["system", "user", "assistant", "tool"]

STOP = "###STOP###"
TRANSFER = "###TRANSFER###"
OUT_OF_SCOPE = "###OUT-OF-SCOPE###"
STOP_TOKENS = (STOP, TRANSFER, OUT_OF_SCOPE)


@dataclass(frozen=True)
class ToolCall:
    """One tool call; ``arguments`` is None when the model's arguments were not a JSON object."""

    id: str
    name: str
    arguments: dict[str, Any] | None
    raw_arguments: str | None = None

    def arguments_json(self) -> str:
        if self.arguments is None:
            return self.raw_arguments or ""
        return json.dumps(self.arguments, ensure_ascii=False)

    def to_openai(self) -> dict[str, Any]:
        return {"id": self.id, "type": "function",
                "function": {"name": self.name, "arguments": self.arguments_json()}}

    def to_record(self) -> dict[str, Any]:
        record = {"id": self.id, "name": self.name, "arguments": self.arguments}
        if self.arguments is None:
            record["raw_arguments"] = self.raw_arguments
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ToolCall:
        return cls(record["id"], record["name"], record["arguments"], record.get("raw_arguments"))


@dataclass(frozen=True)
class Message:
    role: Role
    content: str | None = None
    tool_calls: tuple[ToolCall, ...] = field(default=())
    tool_call_id: str | None = None
    error: bool = False  # tool messages: the call was rejected

    @property
    def is_text(self) -> bool:
        return bool(self.content) and not self.tool_calls

    @property
    def text(self) -> str:
        return self.content or ""

    def to_openai(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [call.to_openai() for call in self.tool_calls]
        if self.role == "tool":
            out["tool_call_id"] = self.tool_call_id
        return out

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            record["tool_calls"] = [call.to_record() for call in self.tool_calls]
        if self.role == "tool":
            record["tool_call_id"] = self.tool_call_id
            record["error"] = self.error
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Message:
        calls = tuple(ToolCall.from_record(c) for c in record.get("tool_calls") or ())
        return cls(record["role"], record.get("content"), calls, record.get("tool_call_id"),
                   bool(record.get("error", False)))


Conversation = Sequence[Message]


def stop_token(text: str | None) -> str | None:
    """The first stop token the text contains, if any."""
    for token in STOP_TOKENS:
        if token in (text or ""):
            return token
    return None


def texts(conversation: Conversation, role: Role) -> list[str]:
    """The text messages of one role, in order."""
    return [m.text for m in conversation if m.role == role and m.is_text]


def last_text(conversation: Conversation, role: Role) -> str | None:
    found = texts(conversation, role)
    return found[-1] if found else None


def tool_exchanges(conversation: Conversation) -> Iterable[tuple[int, ToolCall, Message | None]]:
    """Every tool call with its index in the conversation and the tool message answering it."""
    answers = {m.tool_call_id: m for m in conversation if m.role == "tool"}
    for index, message in enumerate(conversation):
        for call in message.tool_calls:
            yield index, call, answers.get(call.id)


def to_records(messages: Iterable[Message]) -> list[dict[str, Any]]:
    return [m.to_record() for m in messages]


def from_records(records: Iterable[dict[str, Any]]) -> list[Message]:
    return [Message.from_record(r) for r in records]


def parse_arguments(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A tool call's arguments as sent by a model: (the object, None) or (None, the raw text)."""
    if isinstance(raw, dict):
        return raw, None
    try:
        value = parse(raw) if isinstance(raw, str) and raw.strip() else {}
    except ValueError:  # not JSON, or a string that is not valid Unicode (half a surrogate pair)
        return None, str(raw)
    return (value, None) if isinstance(value, dict) else (None, str(raw))


def from_openai(message: dict[str, Any]) -> Message:
    """One OpenAI chat message as a :class:`Message`."""
    calls = []
    for call in message.get("tool_calls") or ():
        function = call.get("function") or {}
        arguments, raw = parse_arguments(function.get("arguments"))
        calls.append(ToolCall(str(call.get("id") or ""), str(function.get("name") or ""), arguments, raw))
    content = message.get("content")
    error = message["role"] == "tool" and str(content or "").startswith("Error:")
    return Message(message["role"], content, tuple(calls), message.get("tool_call_id"), error)
