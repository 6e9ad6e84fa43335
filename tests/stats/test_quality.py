"""The quality section: masked distinct-n, distinct first messages, tool-order variety and the lints."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.quality import distinct_n, has_independent_reads, mask, measure

REPO = Path(__file__).resolve().parents[2]


def _call(name: str, args: dict) -> dict:
    return {"role": "assistant", "content": None,
            "tool_calls": [{"id": "c", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]}


def _task(task_id: str, facts: list[dict] | None = None, persona: str = "You are Ann Lee.") -> dict:
    plan = [{"node": "read:a", "tool": "get_a", "kind": "read", "arguments": {"x": 1}, "depends_on": []},
            {"node": "read:b", "tool": "get_b", "kind": "read", "arguments": {"y": 2}, "depends_on": []},
            {"node": "write:1", "tool": "buy", "kind": "write", "arguments": {}, "depends_on": ["read:a"]}]
    return {"id": task_id, "task": "buy", "plan": plan, "gold_actions": [{"name": "buy", "arguments": {}}],
            "facts": facts or [], "user_scenario": {"persona": persona}}


def _dialogue(task_id: str, first: str, said: str, reads: tuple[str, str] = ("get_a", "get_b")) -> dict:
    args = {"get_a": {"x": 1}, "get_b": {"y": 2}}
    return {"task_id": task_id, "messages": [
        {"role": "user", "content": first}, _call(reads[0], args[reads[0]]), {"role": "tool", "content": "{}"},
        _call(reads[1], args[reads[1]]), {"role": "tool", "content": "{}"},
        {"role": "assistant", "content": said}, {"role": "user", "content": "Yes."}, _call("buy", {}),
        {"role": "tool", "content": "{}"}]}


def test_masking_hides_ids_numbers_and_emails() -> None:
    assert mask("Order #W123 costs $45.10, ann@x.com") == ["order", "<num>", "costs", "$", "<num>", ",", "<email>"]
    assert distinct_n(["a b a b"], 2) == 2 / 3 and distinct_n([], 2) == 0.0


def test_independent_reads_are_found_from_the_plan() -> None:
    plan = _task("t")["plan"]
    assert has_independent_reads(plan)
    plan[1]["depends_on"] = ["read:a"]
    assert not has_independent_reads(plan)


def test_measures_first_messages_tool_orders_and_the_lints() -> None:
    tasks = [_task("t1", [{"text": "45.00", "write": 0}]), _task("t2"), _task("t3")]
    rows = [_dialogue("t1", "I want a lamp.", "It is $45.00. Shall I buy it?"),
            _dialogue("t2", "I want a chair.", "Shall I buy it?", ("get_b", "get_a")),
            _dialogue("t3", "I want a chair.", "Shall I buy it?", ("get_b", "get_a"))]
    quality = measure(tasks, rows)
    assert quality.distinct_first_share == 2 / 3
    assert quality.tool_orders == {"buy": 2} and quality.single_order_templates == []
    assert quality.lints["duplicate-dialogue"] == ["t2 = t3"]
    assert not quality.lints["write-without-figures"]
    late = measure([_task("t1", [{"text": "45.00", "write": 0}])], [_dialogue("t1", "Hi", "Shall I buy it?")])
    assert late.lints["write-without-figures"] == ["t1"]
    assert not quality.lints["write-without-confirmation"]


def test_lints_a_change_made_without_a_yes_to_the_last_request_for_confirmation() -> None:
    unasked = _dialogue("t1", "I want a lamp.", "It is $45.00.")  # no confirmation asked
    refused = _dialogue("t2", "I want a lamp.", "It is $45.00. Shall I buy it?")
    refused["messages"][6]["content"] = "Hmm, could you check again?"
    quality = measure([_task("t1"), _task("t2")], [unasked, refused])
    assert quality.lints["write-without-confirmation"] == ["t1", "t2"]


def test_lints_a_refusal_nobody_asked_for_and_a_persona_the_profile_contradicts() -> None:
    row = _dialogue("t1", "Hello.", "Unfortunately, I'm not able to offer a refund: our policy does not allow it.")
    row["messages"][2]["content"] = json.dumps({"user_id": "u", "address": {"city": "Dallas"}})
    quality = measure([_task("t1", persona="You are Ann Lee, who lives in New York.")], [row])
    assert quality.lints["unasked-refusal"] == ["t1"] and quality.lints["persona-contradiction"] == ["t1"]
    fine = measure([_task("t1", persona="You are Ann Lee, who lives in Dallas.")], [row])
    assert fine.lints["persona-contradiction"] == []


def test_writ_stats_prints_the_quality_of_a_synthesized_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = REPO / "specs" / "retail" / "cancel_pending_order.writ"
    synth = CliRunner().invoke(main, ["synth", str(spec), "-n", "6", "--seed", "0", "-o", str(out)])
    assert synth.exit_code == 0, synth.output
    result = CliRunner().invoke(main, ["stats", str(out), "--no-plots", "--json"])
    assert result.exit_code == 0, result.output
    quality = json.loads(result.output)["quality"]
    assert quality["dialogues"] == 6 and set(quality["lints"]) >= {"unasked-refusal", "duplicate-dialogue"}
    assert all(count == 0 for count in quality["lints"].values())
