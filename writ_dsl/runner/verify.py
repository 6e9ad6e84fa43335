"""Verification: does a dialogue do what the task's reference solution does?

A dialogue run here carries the state its tool calls ran on, and is judged by
it; any other (messages from elsewhere) has its tool calls replayed on a fresh
state of the task's database, and the replay must reproduce every recorded
tool message. Either way the calls must end in the gold state hash and contain
every gold write; every fact to communicate must appear in an
assistant message. Per gold write, the evidence coverage records which of its
evidence reads (same tool, same arguments) the agent made before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from .dialogue import Dialogue, tool_message
from .messages import Message

VERIFIED, REJECTED, FAILED = "verified", "rejected", "failed"
_LIMIT_REASONS = {"max_steps": "max-steps", "too_many_errors": "too-many-errors"}


@dataclass
class Verdict:
    outcome: str  # verified | rejected | failed
    reason: str | None = None  # stable code of the first problem
    detail: str | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    final_hash: str | None = None
    coverage: list[dict[str, Any]] = field(default_factory=list)
    communicate_checks: list[dict[str, Any]] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reason": self.reason, "detail": self.detail, "problems": self.problems,
                "final_hash": self.final_hash, "evidence_coverage": self.coverage,
                "communicate_checks": self.communicate_checks}


@dataclass(frozen=True)
class _Executed:
    index: int  # position of the calling message in the conversation
    tool: str
    key: str  # canonical (tool, normalized arguments)


@dataclass
class _Replay:
    executed: list[_Executed]
    final_hash: str
    mismatches: list[str]


def call_key(env: Environment, tool: str, arguments: dict[str, Any]) -> str:
    """Tool name + arguments with defaults filled in, as one canonical string."""
    spec = env.tools.get(tool)
    try:
        args = spec.params.model_validate(arguments).model_dump(mode="json") if spec else arguments
    except ValueError:
        args = arguments
    return canonical_json([tool, args])


def verify(task: CompiledTask, env: Environment, dialogue: Dialogue) -> Verdict:
    if dialogue.failure is not None:
        return Verdict(FAILED, dialogue.failure, dialogue.failure_detail)
    replay = _replay(env, dialogue.messages) if dialogue.state is None else _ran(env, dialogue)
    problems = _problems(task, env, dialogue, replay)
    checks = [{"info": fact, "met": communicated(fact, dialogue.messages)} for fact in task.communicate_info]
    verdict = Verdict(VERIFIED, final_hash=replay.final_hash, coverage=_coverage(task, env, replay.executed),
                      communicate_checks=checks)
    if problems:
        verdict.outcome, verdict.problems = REJECTED, problems
        verdict.reason, verdict.detail = problems[0]["reason"], problems[0]["detail"]
    return verdict


def _replay(env: Environment, messages: Sequence[Message]) -> _Replay:
    state, executed, mismatches = env.new_state(), [], []
    answers = {m.tool_call_id: m for m in messages if m.role == "tool"}
    for index, message in enumerate(messages):
        for call in message.tool_calls:
            again, recorded = tool_message(env, state, message, call), answers.get(call.id)
            if recorded is None or (recorded.content, recorded.error) != (again.content, again.error):
                mismatches.append(call.id)
            if not again.error:
                executed.append(_Executed(index, call.name, call_key(env, call.name, call.arguments or {})))
    return _Replay(executed, state.state_hash(), mismatches)


def _ran(env: Environment, dialogue: Dialogue) -> _Replay:
    """What the dialogue's calls did, from its own state: the same calls on the same environment, so a replay
    would only do them again. A message's calls are answered by the tool messages right after it, in order
    (ids are not trusted to be unique: a model may give every call the same one)."""
    assert dialogue.state is not None
    messages, executed = dialogue.messages, []
    for index, message in enumerate(messages):
        answers = messages[index + 1: index + 1 + len(message.tool_calls)]
        executed += [_Executed(index, call.name, call_key(env, call.name, call.arguments or {}))
                     for call, answer in zip(message.tool_calls, answers) if not answer.error]
    return _Replay(executed, dialogue.state.state_hash(), [])


def _problems(task: CompiledTask, env: Environment, dialogue: Dialogue, replay: _Replay) -> list[dict[str, str]]:
    found = []
    if dialogue.termination in _LIMIT_REASONS:
        found.append((_LIMIT_REASONS[dialogue.termination], f"the dialogue ended by {dialogue.termination}"))
    if replay.mismatches:
        found.append(("replay-mismatch", f"replaying gives other tool results for {', '.join(replay.mismatches)}"))
    missing = _missing_writes(task, env, replay.executed)
    if missing:
        found.append(("missing-write", "gold writes not made: " + ", ".join(missing)))
    if replay.final_hash != task.gold_state_hash:
        found.append(("hash-mismatch", f"final state {replay.final_hash[:12]}… is not the gold state "
                                       f"{task.gold_state_hash[:12]}…"))
    untold = [fact for fact in task.communicate_info if not communicated(fact, dialogue.messages)]
    if untold:
        found.append(("fact-not-communicated", "facts never told: " + ", ".join(map(repr, untold))))
    return [{"reason": reason, "detail": detail} for reason, detail in found]


def _missing_writes(task: CompiledTask, env: Environment, executed: list[_Executed]) -> list[str]:
    available = [e.key for e in executed]
    missing = []
    for action in task.gold_actions:
        key = call_key(env, action.name, action.arguments)
        if key in available:
            available.remove(key)
        else:
            missing.append(f"{action.action_id} ({action.name})")
    return missing


def communicated(fact: str, messages: Sequence[Message]) -> bool:
    """Whether an assistant message states the fact (case-insensitive, thousands separators ignored)."""
    return any(states(m.text, fact) for m in messages if m.role == "assistant")


def states(text: str, fact: str) -> bool:
    """Whether ``text`` states the fact, read as τ²-bench reads it: case and thousands separators aside."""
    return fact.lower().replace(",", "") in text.lower().replace(",", "")


def _coverage(task: CompiledTask, env: Environment, executed: list[_Executed]) -> list[dict[str, Any]]:
    nodes = {call.node: call for call in task.plan}
    used: set[int] = set()
    report = []
    for write in (call for call in task.plan if call.kind == "write"):
        key = call_key(env, write.tool, write.arguments)
        at = next((i for i, e in enumerate(executed) if e.key == key and i not in used), None)
        if at is not None:
            used.add(at)
        before = {e.key for e in executed[: at if at is not None else len(executed)]}
        covered = [n for n in write.evidence if n in nodes
                   and call_key(env, nodes[n].tool, nodes[n].arguments) in before]
        report.append({"write": write.node, "tool": write.tool, "performed": at is not None,
                       "evidence": len(write.evidence), "covered": len(covered),
                       "missing": [n for n in write.evidence if n not in covered]})
    return report
