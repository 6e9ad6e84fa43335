"""Compensation for a flight the airline cancelled (specs/airline/compensate_cancelled_flight.writ), as the
policy has it: the user asks first, the agent confirms the facts with get_flight_status, states the amount in
its proposal, and sends $100 per passenger only after the user's yes."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from writ_dsl import api
from writ_dsl.env.wording import money
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.messages import Message
from writ_dsl.runner.oracle_agent import OracleAgent
from writ_dsl.runner.phrasing import asks_confirmation, is_affirmative
from writ_dsl.runner.scripted_user import ScriptedUser

SPEC = Path(__file__).resolve().parents[2] / "specs" / "airline" / "compensate_cancelled_flight.writ"
_COMPENSATION = re.compile(r"compensat|certificate", re.I)


@cache
def _dialogues() -> list[list[Message]]:
    result = api.compile_paths([SPEC], api.compile_options(n=18, seed=0))
    assert result.ok and len(result.tasks) == 18
    return [run_dialogue(environment_for(t), ScriptedUser(t), OracleAgent(t)).messages for t in result.tasks]


def _calls(messages: list[Message]) -> list[tuple[int, str, dict, str]]:
    """Every tool call with its place, arguments and result text."""
    results = {m.tool_call_id: m.text for m in messages if m.role == "tool"}
    return [(i, c.name, c.arguments or {}, results.get(c.id, "")) for i, m in enumerate(messages)
            for c in m.tool_calls]


def _certificate(messages: list[Message]) -> tuple[int, dict]:
    sent = [(i, args) for i, name, args, _ in _calls(messages) if name == "send_certificate"]
    assert len(sent) == 1, sent
    return sent[0]


def test_every_flight_of_the_reservation_is_checked_before_the_certificate_is_sent() -> None:
    for messages in _dialogues():
        at, _ = _certificate(messages)
        calls = _calls(messages)
        reservation = json.loads(next(r for _, name, _, r in calls if name == "get_reservation_details"))
        checked = [(i, args, r) for i, name, args, r in calls if name == "get_flight_status"]
        assert all(i < at for i, _, _ in checked)
        assert sorted((a["flight_number"], a["date"]) for _, a, _ in checked) == sorted(
            (f["flight_number"], f["date"]) for f in reservation["flights"])
        assert "cancelled" in [r for _, _, r in checked]


def test_the_certificate_is_100_per_passenger_of_the_reservation_and_goes_to_the_user() -> None:
    amounts = set()
    for messages in _dialogues():
        _, args = _certificate(messages)
        calls = _calls(messages)
        reservation = json.loads(next(r for _, name, _, r in calls if name == "get_reservation_details"))
        profile = json.loads(next(r for _, name, _, r in calls if name == "get_user_details"))
        assert args == {"user_id": profile["user_id"], "amount": 100 * len(reservation["passengers"])}
        assert profile["membership"] in ("silver", "gold") or reservation["insurance"] == "yes" \
            or reservation["cabin"] == "business"
        amounts.add(args["amount"])
    assert len(amounts) >= 2, amounts


def test_the_proposal_states_the_amount_and_the_user_says_yes_to_it() -> None:
    for messages in _dialogues():
        at, args = _certificate(messages)
        proposal, answer = messages[at - 2], messages[at - 1]
        assert proposal.role == "assistant" and asks_confirmation(proposal.text), proposal.text
        assert money(args["amount"]) in proposal.text, proposal.text
        assert answer.role == "user" and is_affirmative(answer.text), answer.text


def test_the_user_asks_for_compensation_before_the_agent_speaks_of_it() -> None:
    for messages in _dialogues():
        said = [(i, m.role) for i, m in enumerate(messages)
                if m.role in ("user", "assistant") and m.text and _COMPENSATION.search(m.text)]
        assert said and said[0][1] == "user", [messages[i].text for i, _ in said[:2]]
        assert said[0][0] < min(i for i, name, _, _ in _calls(messages) if name == "get_flight_status")
