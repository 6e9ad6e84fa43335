"""A write's ``because`` template says in words why each call is the right one; the agent says it before
asking for a yes, in place of a generic "the one you described"."""

from __future__ import annotations

from pathlib import Path

from writ_dsl import api
from writ_dsl.lang.fmt import format_source
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.oracle_agent import OracleAgent
from writ_dsl.runner.scripted_user import ScriptedUser

SPEC = Path(__file__).resolve().parents[2] / "specs" / "airline" / "cancel_every_cancellable.writ"


def _tasks(n: int = 4):
    result = api.compile_paths([SPEC], api.compile_options(n=n, seed=0))
    assert result.ok, result.diagnostics
    return result.tasks


def test_each_call_of_a_fanned_out_write_gets_its_own_reason() -> None:
    for task in _tasks():
        cancels = [call for call in task.plan if call.tool == "cancel_reservation"]
        assert cancels
        for call in cancels:
            rid = call.arguments["reservation_id"]
            assert call.because.startswith(f"reservation {rid} ")
            assert ("business class" in call.because) or ("less than 24 hours ago" in call.because)
        reads = [call for call in task.plan if call.kind == "read"]
        assert all(call.because == "" for call in reads)


def test_the_agent_gives_the_reason_before_asking() -> None:
    for task in _tasks():
        dialogue = run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task))
        said = [m.text for m in dialogue.messages if m.role == "assistant" and m.text]
        for call in (c for c in task.plan if c.tool == "cancel_reservation"):
            proposal = next(t for t in said if call.arguments["reservation_id"] in t and "?" in t)
            assert call.because in proposal and "you described" not in proposal


def test_because_is_formatted_back_as_written() -> None:
    source = SPEC.read_text(encoding="utf-8")
    formatted, problems = format_source(source, str(SPEC))
    assert problems == [] and formatted == source


UPGRADE = SPEC.parent / "upgrade_trip_by_destination.writ"


def test_names_said_in_because_are_evaluated_first_but_are_no_evidence() -> None:
    result = api.compile_paths([UPGRADE], api.compile_options(n=3, seed=0))
    assert result.ok, result.diagnostics
    for task in result.tasks:
        step = {call.node: call for call in task.plan}
        write = next(call for call in task.plan if call.tool == "update_reservation_flights")
        assert "a person" in write.because  # it rendered new_fare, which only the fare reads give
        fares = [call.node for call in task.plan if call.tool == "search_direct_flight"]
        assert fares and all(step[node].step < write.step for node in fares)
        assert not set(fares) & set(write.evidence) and not set(fares) & set(write.depends_on)
        assert all(step[node].tool in ("get_user_details", "get_reservation_details") for node in write.evidence)
