"""Verification catches wrong writes, missing facts, wrong hashes; it measures evidence coverage."""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path

from writ_dsl import api
from writ_dsl.runner import verify as verify_module
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.messages import Message
from writ_dsl.runner.oracle_agent import OracleAgent
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl.runner.verify import communicated, verify

from .helpers import BUY_STEPS, desk_env, make_task

SPECS = Path(__file__).resolve().parents[2] / "specs"


def played(played_task, checked_task=None):  # type: ignore[no-untyped-def]
    """Play one task's dialogue and verify it against another (by default the same)."""
    env = desk_env()
    dialogue = run_dialogue(env, ScriptedUser(played_task), OracleAgent(played_task))
    return dialogue, verify(checked_task or played_task, env, dialogue)


def reasons(verdict) -> list[str]:  # type: ignore[no-untyped-def]
    return [p["reason"] for p in verdict.problems]


def test_a_faithful_dialogue_verifies_with_full_coverage() -> None:
    _, verdict = played(make_task())
    assert verdict.outcome == "verified" and verdict.problems == []
    assert verdict.final_hash == make_task().gold_state_hash
    assert verdict.coverage == [{"write": "write:3", "tool": "buy", "performed": True, "evidence": 3,
                                 "covered": 3, "missing": []}]
    assert verdict.communicate_checks == [{"info": "60", "met": True}]


def test_a_wrong_write_is_rejected_for_hash_and_missing_write() -> None:
    one_lamp = [*BUY_STEPS[:3], ("buy", {"user_id": "u0", "item_id": "i0", "quantity": 1})]
    _, verdict = played(make_task(one_lamp, facts=("30",)), make_task())
    assert verdict.outcome == "rejected" and verdict.reason == "missing-write"
    assert reasons(verdict) == ["missing-write", "hash-mismatch", "fact-not-communicated"]
    assert "write:3 (buy)" in verdict.detail
    assert verdict.coverage[0]["performed"] is False


def test_a_fact_never_told_is_rejected() -> None:
    _, verdict = played(make_task(facts=()), make_task(facts=("60",)))
    assert reasons(verdict) == ["fact-not-communicated"] and "'60'" in verdict.detail
    assert verdict.communicate_checks == [{"info": "60", "met": False}]


def test_a_wrong_gold_hash_is_rejected() -> None:
    _, verdict = played(make_task(), make_task(gold_state_hash="0" * 64))
    assert reasons(verdict) == ["hash-mismatch"]


def test_coverage_lists_the_evidence_reads_skipped() -> None:
    without_item = [BUY_STEPS[0], BUY_STEPS[1], BUY_STEPS[3]]
    _, verdict = played(make_task(without_item), make_task())
    assert verdict.outcome == "verified"
    assert verdict.coverage[0]["covered"] == 2 and verdict.coverage[0]["missing"] == ["read:2"]


def test_a_recorded_result_that_replay_does_not_reproduce_is_rejected() -> None:
    dialogue, _ = played(make_task())
    index = next(i for i, m in enumerate(dialogue.messages) if m.role == "tool")
    dialogue.messages[index] = replace(dialogue.messages[index], content='{"balance": 1000000}')
    given = replace(dialogue, state=None)  # messages from elsewhere: replayed, not trusted
    assert reasons(verify(make_task(), desk_env(), given)) == ["replay-mismatch"]


def test_a_dialogue_run_here_is_judged_by_its_own_state_without_running_its_calls_again(monkeypatch) -> None:
    dialogue, replayed = played(make_task())
    assert dialogue.state is not None

    def no_replay(*args: object) -> None:
        raise AssertionError("a tool call was run again")

    monkeypatch.setattr(verify_module, "tool_message", no_replay)
    assert verify(make_task(), desk_env(), dialogue).to_record() == replayed.to_record()


def test_a_state_and_a_replay_give_the_same_verdict_on_every_bundled_template() -> None:
    result = api.compile_paths([SPECS], api.compile_options(n=1, seed=3))
    assert result.ok and len({task.spec_path for task in result.tasks}) == len(result.tasks)
    for task in result.tasks:  # each verified, and judged against a gold state and writes it does not reach
        wrong = task.model_copy(update={"gold_state_hash": "0" * 64, "gold_actions": task.gold_actions[:-1]})
        env = environment_for(task)
        dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
        for judged, outcome in ((task, "verified"), (wrong, "rejected")):
            ran, replayed = verify(judged, env, dialogue), verify(judged, env, replace(dialogue, state=None))
            assert ran.to_record() == replayed.to_record() and ran.outcome == outcome, task.id


def test_communicated_ignores_case_and_thousands_separators() -> None:
    said = [Message("assistant", "The total comes to $1,250.00 and the status is Landed.")]
    assert communicated("1250.00", said) and communicated("landed", said)
    assert not communicated("1250.00", [Message("user", "1250.00")])


def test_a_dialogue_whose_calls_all_share_one_id_is_judged_call_by_call() -> None:
    """Each call is paired with the tool message right after it, not by id: a model may reuse one id."""
    dialogue, replayed = played(make_task())
    same = [replace(m, tool_calls=tuple(replace(c, id="call_1") for c in m.tool_calls),
                    tool_call_id="call_1" if m.tool_call_id else None) for m in dialogue.messages]
    assert sum(len(m.tool_calls) for m in same) > 1
    assert verify(make_task(), desk_env(), replace(dialogue, messages=same)).to_record() == replayed.to_record()
    first = next(i for i, m in enumerate(same) if m.role == "tool")  # the first read failed, the others did not
    same[first] = replace(same[first], error=True)
    coverage = verify(make_task(), desk_env(), replace(dialogue, messages=same)).coverage[0]
    assert coverage["covered"] == replayed.coverage[0]["covered"] - 1
