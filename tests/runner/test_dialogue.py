"""The turn loop: protocol, limits, malformed tool calls, failures."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from writ_dsl.errors import EndpointUnavailable, MalformedReply
from writ_dsl.runner.dialogue import AGENT_INSTRUCTIONS, Limits, run_dialogue
from writ_dsl.runner.messages import STOP, TRANSFER, Conversation, Message, ToolCall
from writ_dsl.runner.oracle_agent import OracleAgent
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl.runner.verify import verify

from .helpers import BEHAVIORS, BUY_AND_REFUND_STEPS, BUY_STEPS, desk_env, make_task


class Canned:
    """A role that replays fixed messages, then repeats the last one."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages, self.calls = list(messages), 0

    def next_message(self, conversation: Conversation) -> Message:
        self.calls += 1
        return self.messages[min(self.calls - 1, len(self.messages) - 1)]


class Broken:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def next_message(self, conversation: Conversation) -> Message:
        raise self.exc


def call(name: str, arguments: dict | None, ident: str, raw: str | None = None, text: str | None = None) -> Message:
    return Message("assistant", text, (ToolCall(ident, name, arguments, raw),))


@pytest.mark.parametrize("steps", [BUY_STEPS, BUY_AND_REFUND_STEPS], ids=["one-write", "two-writes"])
@pytest.mark.parametrize("behavior", [*BEHAVIORS, None])
def test_oracle_and_scripted_user_verify_for_every_behavior(behavior: str | None, steps: list) -> None:
    task = make_task(steps, behavior=behavior, facts=("60",))
    env = desk_env()
    dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
    verdict = verify(task, env, dialogue)
    assert (verdict.outcome, verdict.reason) == ("verified", None), verdict.problems
    assert dialogue.termination == "user_stop" and dialogue.stop_token == STOP
    assert dialogue.messages[-1].role == "user" and dialogue.messages[-1].text.endswith(STOP)
    assert all(w["covered"] == w["evidence"] for w in verdict.coverage)


def test_system_prompt_is_instructions_plus_policy_and_tool_messages_answer_by_id() -> None:
    task = make_task()
    dialogue = run_dialogue(desk_env(), ScriptedUser(task), OracleAgent(task))
    system = dialogue.messages[0]
    assert system.role == "system" and system.text.startswith(AGENT_INSTRUCTIONS) and "# Desk policy" in system.text
    for index, message in enumerate(dialogue.messages):
        for tool_call in message.tool_calls:
            answer = dialogue.messages[index + 1]
            assert answer.role == "tool" and answer.tool_call_id == tool_call.id and not answer.error


def test_malformed_tool_calls_get_error_tool_messages() -> None:
    agent = Canned([
        call("get_user", {"user_id": "u0"}, "c1", text="Let me check."),
        call("get_user", None, "c2", raw='{"user_id": "u0",}'),
        call("get_usr", {"user_id": "u0"}, "c3"),
        call("buy", {"user_id": "u0"}, "c4"),
        call("buy", {"user_id": "u0", "item_id": "i1", "quantity": 5}, "c5"),
        Message("assistant", "Sorry, I could not do it. Anything else?"),
    ])
    env = desk_env()
    dialogue = run_dialogue(env, Canned([Message("user", f"ok {STOP}")]), agent)
    tools = {m.tool_call_id: m for m in dialogue.messages if m.role == "tool"}
    assert all(m.error and m.text.startswith("Error: ") for m in tools.values())
    assert "not both" in tools["c1"].text
    assert "not a valid JSON object" in tools["c2"].text
    assert "Tool 'get_usr' not found" in tools["c3"].text
    assert "Invalid arguments for buy" in tools["c4"].text and "item_id" in tools["c4"].text
    assert "not enough stock" in tools["c5"].text
    assert dialogue.errors == 5
    assert verify(make_task(), env, dialogue).final_hash == env.db.state_hash()


def test_several_calls_in_one_turn_are_each_answered() -> None:
    agent = Canned([Message("assistant", None, (ToolCall("a", "get_user", {"user_id": "u0"}),
                                                ToolCall("b", "get_item", {"item_id": "i0"}))),
                    Message("assistant", "Done. Anything else?")])
    dialogue = run_dialogue(desk_env(), Canned([Message("user", STOP)]), agent)
    assert [m.tool_call_id for m in dialogue.messages if m.role == "tool"] == ["a", "b"]


def test_step_limit_ends_a_runaway_dialogue() -> None:
    task = make_task()
    chatter = Canned([Message("assistant", "Could you tell me more?")])
    dialogue = run_dialogue(desk_env(), Canned([Message("user", "Sure.")]), chatter, limits=Limits(max_steps=9))
    assert dialogue.termination == "max_steps" and len(dialogue.messages) - 1 == 9
    verdict = verify(task, desk_env(), dialogue)
    assert verdict.outcome == "rejected" and verdict.reason == "max-steps"


def test_error_limit_ends_a_dialogue_of_failing_calls() -> None:
    agent = Canned([call("nope", {}, f"c{i}") for i in range(30)])
    dialogue = run_dialogue(desk_env(), Canned([Message("user", "hm")]), agent, limits=Limits(max_errors=4))
    assert dialogue.termination == "too_many_errors" and dialogue.errors == 4
    assert verify(make_task(), desk_env(), dialogue).reason == "too-many-errors"


@pytest.mark.parametrize(("role", "exc", "termination", "reason"), [
    ("agent", EndpointUnavailable("HTTP 503 after 4 retries"), "agent_error", "endpoint-unavailable"),
    ("user", MalformedReply("the user's reply is not a text message"), "user_error", "malformed-reply"),
])
def test_an_llm_error_ends_the_dialogue_as_failed(role: str, exc: Exception, termination: str, reason: str) -> None:
    task = make_task()
    agent = Broken(exc) if role == "agent" else OracleAgent(task)
    user = Broken(exc) if role == "user" else ScriptedUser(task)
    dialogue = run_dialogue(desk_env(), user, agent)
    assert dialogue.termination == termination and dialogue.failure == reason
    verdict = verify(task, desk_env(), dialogue)
    assert (verdict.outcome, verdict.reason, verdict.detail) == ("failed", reason, str(exc))


def test_an_empty_agent_message_is_a_malformed_reply() -> None:
    dialogue = run_dialogue(desk_env(), Canned([Message("user", "hi")]), Canned([Message("assistant", "")]))
    assert dialogue.failure == "malformed-reply" and dialogue.termination == "agent_error"


def test_a_hand_over_ends_with_the_transfer_token() -> None:
    steps = [*BUY_STEPS, ("transfer_to_human_agents", {"text": "wants a discount"})]
    task = make_task(steps)
    env = desk_env()
    dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
    assert dialogue.stop_token == TRANSFER and "TRANSFERRED TO A HUMAN AGENT" in dialogue.messages[-2].text
    assert verify(task, env, dialogue).outcome == "verified"
