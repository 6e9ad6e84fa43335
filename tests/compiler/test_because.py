"""A write's ``because`` template says in words why each call is the right one; the agent says it before
asking for a yes, in place of a generic "the one you described". Its ``else because`` says why each
combination the guard leaves out gets no call; the agent says that too."""

from __future__ import annotations

import re
from pathlib import Path

from writ_dsl import api
from writ_dsl.lang.fmt import format_source
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.guidance import guidance_text
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


def test_every_reservation_read_is_either_cancelled_or_given_a_reason_to_stay() -> None:
    for task in _tasks(6):
        read = [c.arguments["reservation_id"] for c in task.plan if c.tool == "get_reservation_details"]
        cancelled = [c.arguments["reservation_id"] for c in task.plan if c.tool == "cancel_reservation"]
        stays = [re.match(r"reservation (\w+) ", p.reason).group(1) for p in task.passed_over]  # type: ignore[union-attr]
        assert sorted(cancelled + stays) == sorted(read) and not set(cancelled) & set(stays)
        assert {p.statement for p in task.passed_over} == {c.node.split("[")[0] for c in task.plan
                                                           if c.tool == "cancel_reservation"}
        assert all(p.reason in guidance_text(task) for p in task.passed_over)


def test_the_agent_says_why_the_others_stay_with_its_first_proposal_only() -> None:
    for task in _tasks():
        dialogue = run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task))
        said = [m.text for m in dialogue.messages if m.role == "assistant" and m.text]
        first = next(c for c in task.plan if c.tool == "cancel_reservation").arguments["reservation_id"]
        proposal = next(t for t in said if first in t and "?" in t)
        for reason in (p.reason for p in task.passed_over):
            assert " ".join(reason.split()) in proposal
            assert sum(" ".join(reason.split()) in t for t in said) == 1


NONE_LEFT = """env airline
task t {
    param owner = one of db.users where count(it.reservations) >= 2
    read profile = get_user_details(user_id = owner.user_id)
    write send_certificate(user_id = owner.user_id, amount = 100) if false else because "no certificate is due to {{ owner.user_id }}"
    write cancel_reservation(reservation_id = r) for r in profile.reservations if false else because \"\"\"
{%- if r == profile.reservations[0] %}reservation {{ r }} stays as it is{% endif %}\"\"\"
    user {
        reason "You want to know where you stand."
        knows { user_id = owner.user_id }
        wants "Ask whether anything can be done for you."
    }
}
"""


def test_a_guard_that_leaves_everything_out_is_explained_before_closing(tmp_path: Path) -> None:
    spec = tmp_path / "none_left.writ"
    spec.write_text(NONE_LEFT, encoding="utf-8")
    result = api.compile_paths([spec], api.compile_options(n=2, seed=0))
    assert result.ok, result.diagnostics
    for task in result.tasks:
        owner = task.params["owner"]
        assert [(p.statement, p.reason) for p in task.passed_over] == [
            ("write:1", f"no certificate is due to {owner['user_id']}"),
            ("write:2", f"reservation {owner['reservations'][0]} stays as it is"),  # empty texts say nothing
        ]
        dialogue = run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task))
        closing = [m.text for m in dialogue.messages if m.role == "assistant" and m.text][-1]
        assert all(p.reason in closing for p in task.passed_over), closing
