"""Hand-built compiled tasks on the fake ``desk`` domain, and small helpers for the runner's tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from writ_dsl.compiler.model import (BehaviorProfile, CompiledTask, DatabaseRef, GoldAction, Metrics, PlannedCall,
                                     UserScenario)
from writ_dsl.env.core import Environment
from writ_dsl.env.registry import load_domain
from writ_dsl.diagnostics import Span
from writ_dsl.runner.messages import Conversation, Message

FAKE_ENVS = Path(__file__).resolve().parents[1] / "fake_envs"
SPAN = Span(line=1, column=1, end_line=1, end_column=1)

BEHAVIORS: dict[str, dict[str, Any]] = {
    "straightforward": {"description": "Plain.", "disclosure": "upfront", "opening": "direct", "verbosity": "normal"},
    "reserved": {"description": "Asked only.", "disclosure": "on_request", "opening": "direct", "verbosity": "terse"},
    "vague_opener": {"description": "Vague.", "disclosure": "gradual", "opening": "vague", "verbosity": "normal"},
    "second_guesser": {"description": "Doubts.", "disclosure": "on_request", "opening": "direct",
                       "changes_mind": True, "verbosity": "normal"},
    "in_a_hurry": {"description": "Hurried.", "disclosure": "upfront", "opening": "direct", "impatient": True,
                   "verbosity": "terse"},
    "chatty": {"description": "Chatty.", "disclosure": "gradual", "opening": "vague", "verbosity": "chatty"},
    "rule_tester": {"description": "Probes.", "disclosure": "on_request", "opening": "direct",
                    "policy_probe": "Asks for a free upgrade or a waived fee before going on with the request.",
                    "verbosity": "normal"},
    "anxious": {"description": "Anxious.", "disclosure": "on_request", "opening": "vague", "changes_mind": True,
                "verbosity": "chatty"},
}

BUY_STEPS = [("find_user", {"email": "ann@example.com"}), ("get_user", {"user_id": "u0"}),
             ("get_item", {"item_id": "i0"}), ("buy", {"user_id": "u0", "item_id": "i0", "quantity": 2})]
BUY_AND_REFUND_STEPS = [*BUY_STEPS, ("note", {"text": "refund requested"}), ("refund", {"order_id": "O001"})]


def desk_env() -> Environment:
    return load_domain("desk", [FAKE_ENVS]).environment(seed=0, size=1)


def make_task(steps: Sequence[tuple[str, dict[str, Any]]] = BUY_STEPS, *, task_id: str = "desk-0001",
              behavior: str | None = "straightforward", known: dict[str, Any] | None = None,
              facts: Sequence[str] = ("60",), instructions: str | None = None,
              gold_state_hash: str | None = None) -> CompiledTask:
    """A compiled task whose plan, gold actions and gold hash come from really running the steps."""
    env = desk_env()
    state, plan, reads = env.new_state(), [], []
    for index, (tool, args) in enumerate(steps):
        outcome = env.call(state, tool, args)
        assert outcome.ok, outcome.error
        kind = env.tools[tool].kind.value
        node = f"{kind}:{index}"
        plan.append(PlannedCall(step=index, node=node, tool=tool, kind=kind, arguments=args, span=SPAN,
                                evidence=list(reads) if kind == "write" else []))
        reads += [node] if kind == "read" else []
    writes = [call for call in plan if call.kind == "write"]
    scenario = UserScenario(
        domain="desk", persona="You are Ann.", reason_for_call="You want to buy two lamps.",
        known_info="Your email is ann@example.com.",
        task_instructions=instructions or "Buy two lamps (item i0) with your account balance. Ask what it costs.",
        known=known if known is not None else {"email": "ann@example.com"})
    profile = BehaviorProfile(name=behavior, settings=BEHAVIORS[behavior]) if behavior else None
    return CompiledTask(
        id=task_id, spec_path="desk.writ", spec_hash="0" * 16, task="buy_lamps", span=SPAN, seed=7, env="desk",
        db=DatabaseRef(source="generated", seed=0, size=1, state_hash=env.db.state_hash()), params={},
        user_scenario=scenario, behavior=profile, plan=plan,
        gold_actions=[GoldAction(action_id=w.node, name=w.tool, arguments=w.arguments) for w in writes],
        communicate_info=list(facts), gold_state_hash=gold_state_hash or state.state_hash(),
        metrics=Metrics(writes=len(writes), evidence_burden=[len(w.evidence) for w in writes],
                        total_reads=len(reads), depth=len(plan), trajectory_type="normal"))


def many_tasks(n: int, behaviors: Sequence[str] = tuple(BEHAVIORS)) -> list[CompiledTask]:
    """n tasks cycling through the behaviors and two plans."""
    tasks = []
    for i in range(n):
        steps = BUY_AND_REFUND_STEPS if i % 2 else BUY_STEPS
        facts = ("60", "noted") if i % 2 else ("60",)
        tasks.append(make_task(steps, task_id=f"desk-{i:04d}", behavior=behaviors[i % len(behaviors)],
                               facts=facts))
    return tasks


def write_tasks(tasks: Sequence[CompiledTask], path: Path) -> Path:
    path.write_text("".join(task.to_json_line() for task in tasks), encoding="utf-8")
    return path


def agent_says(text: str, history: Conversation = ()) -> list[Message]:
    return [*history, Message("assistant", text)]


def transcript(messages: Conversation) -> str:
    lines = []
    for m in messages:
        if m.tool_calls:
            lines.append("CALL " + ", ".join(f"{c.name}({c.arguments})" for c in m.tool_calls))
        else:
            lines.append(f"{m.role.upper()}: {m.content}")
    return "\n".join(lines)
