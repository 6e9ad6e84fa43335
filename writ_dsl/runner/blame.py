"""Whose fault is a dialogue that did not verify: the agent's, the user simulator's, or the endpoint's?

Each rule is a small function over the task, the dialogue and its record that
returns a fault code or None; the first user-simulator rule that fires wins,
else the failure is the endpoint's (it never answered) or the agent's. The
simulator's faults are the ones τ²-bench users report: ending the dialogue at
the agent's confirmation question (or any question of the agent, with writes still to make), claiming information the scenario does not
give, empty turns, and breaking the protocol.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..compiler.model import CompiledTask
from .dialogue import Dialogue
from .messages import STOP
from .phrasing import asks_confirmation

USER, AGENT, ENDPOINT = "user", "agent", "endpoint"
_IDENTIFIER = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\b(?=[\w-]*\d)[A-Za-z0-9_-]{4,}\b")


def _protocol_break(task: CompiledTask, dialogue: Dialogue, record: dict[str, Any]) -> str | None:
    if dialogue.termination == "user_error" and dialogue.failure == "malformed-reply":
        return "protocol-break"
    return None


def _empty_turn(task: CompiledTask, dialogue: Dialogue, record: dict[str, Any]) -> str | None:
    users = [m for m in dialogue.messages if m.role == "user"]
    return "empty-turn" if any(not (m.content or "").strip() for m in users) else None


def _stopped_at_confirmation(task: CompiledTask, dialogue: Dialogue, record: dict[str, Any]) -> str | None:
    if dialogue.stop_token != STOP or len(dialogue.messages) < 2:
        return None
    asked = dialogue.messages[-2]
    if asked.role != "assistant":
        return None
    if asks_confirmation(asked.content or ""):
        return "stopped-at-confirmation"
    if (asked.content or "").rstrip().endswith("?") and record.get("reason") == "missing-write":
        return "stopped-at-a-question"
    return None


def _invented_information(task: CompiledTask, dialogue: Dialogue, record: dict[str, Any]) -> str | None:
    s = task.user_scenario
    given = " ".join([s.persona or "", s.reason_for_call, s.known_info, s.unknown_info or "", s.task_instructions,
                      json.dumps(s.known, ensure_ascii=False)]).lower()
    seen = given
    for message in dialogue.messages:
        text = message.content or ""
        if message.role == "user":
            for token in _IDENTIFIER.findall(text):
                if token.lower() not in seen:
                    return "invented-information"
        seen += " " + text.lower()
    return None


USER_FAULTS: tuple[Callable[[CompiledTask, Dialogue, dict[str, Any]], str | None], ...] = (
    _protocol_break, _empty_turn, _stopped_at_confirmation, _invented_information)


def blame(task: CompiledTask, dialogue: Dialogue, record: dict[str, Any]) -> dict[str, str]:
    """``{"party": user|agent|endpoint, "fault": code}`` for a dialogue that did not verify."""
    if dialogue.failure in ("endpoint-unavailable", "unreadable-reply") or record.get("reason") == "internal-error":
        return {"party": ENDPOINT, "fault": record.get("reason") or "endpoint-unavailable"}
    for rule in USER_FAULTS:
        fault = rule(task, dialogue, record)
        if fault:
            return {"party": USER, "fault": fault}
    return {"party": AGENT, "fault": record.get("reason") or "unknown"}


def spoiled_by_user(record: dict[str, Any]) -> bool:
    return (record.get("blame") or {}).get("party") == USER

