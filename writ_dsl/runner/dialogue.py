"""The turn loop: an agent and a user take turns over one environment state, as in τ²-bench.

The agent speaks first. In its turn it either writes to the user or makes tool
calls; each call is answered by a tool message with the same id (``Error: ...``
and flagged when the environment rejects it), and the agent goes on. The user
answers text with text and ends the dialogue with a stop token. Limits end
runaway dialogues; a role's :class:`LLMError` ends it as failed.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field

from ..env import tau2
from ..env.core import Domain, Environment, State
from ..errors import LLMError, MalformedReply, UnreadableReply
from ..io import read_text
from .messages import Message, ToolCall, stop_token
from .roles import AgentRole, UserRole

AGENT_INSTRUCTIONS = """<instructions>
You are a customer-service agent. Help the user with their request according to the <policy> below.
In each turn, do exactly one of these:
- send a message to the user, or
- make one tool call.
Never do both in the same turn. Tool call arguments must be valid JSON.
Be helpful, be precise, and always follow the policy.
</instructions>"""


def agent_system_prompt(domain: Domain, policy: str | None = None) -> str:
    """The agent's system prompt: our instructions and the domain's policy by default; ``policy="tau2"``
    gives τ²-bench's own instruction and policy (read from the installed package), any other value is a file
    whose text replaces the domain's policy."""
    if policy == "tau2":
        return tau2.system_prompt(domain.name)
    text = read_text(policy) if policy else domain.policy
    return f"{AGENT_INSTRUCTIONS}\n<policy>\n{text.strip()}\n</policy>"


@dataclass(frozen=True)
class Limits:
    max_steps: int = 100  # messages after the system prompt
    max_errors: int = 10  # tool messages flagged as errors


@dataclass
class Dialogue:
    messages: list[Message]
    termination: str = "user_stop"  # user_stop | max_steps | too_many_errors | agent_error | user_error
    stop_token: str | None = None
    failure: str | None = None  # failed dialogues: endpoint-unavailable | unreadable-reply | malformed-reply
    failure_detail: str | None = None
    errors: int = 0
    state: State | None = field(default=None, repr=False, compare=False)  # what its tool calls ran on


class Interrupted(Exception):
    """The run is stopping; the unfinished dialogue is discarded."""


@dataclass
class _Loop:
    env: Environment
    state: State
    limits: Limits
    stop: threading.Event | None
    dialogue: Dialogue = field(default_factory=lambda: Dialogue([]))

    @property
    def steps(self) -> int:
        return len(self.dialogue.messages) - 1

    def check(self) -> bool:
        """False once a limit is reached (and the termination recorded)."""
        if self.stop is not None and self.stop.is_set():
            raise Interrupted
        if self.dialogue.errors >= self.limits.max_errors:
            self.dialogue.termination = "too_many_errors"
        elif self.steps >= self.limits.max_steps:
            self.dialogue.termination = "max_steps"
        else:
            return True
        return False


def run_dialogue(env: Environment, user: UserRole, agent: AgentRole, *, limits: Limits = Limits(),
                 stop: threading.Event | None = None, system_prompt: str | None = None) -> Dialogue:
    """One dialogue, each role answered by its plain ``next_message``; ``system_prompt`` defaults to the
    domain's (our instructions and its policy)."""
    loop = _start(env, limits, stop, system_prompt)
    turns = _turns(loop)
    try:
        ask = next(turns)
        while True:
            role = agent if ask == "agent" else user
            ask = turns.send(role.next_message(loop.dialogue.messages))
    except StopIteration:
        pass
    except LLMError as exc:
        _fail(loop.dialogue, exc)
    return loop.dialogue


async def arun_dialogue(env: Environment, user: UserRole, agent: AgentRole, *,
                        limits: Limits = Limits(), system_prompt: str | None = None) -> Dialogue:
    """The same dialogue on an event loop: a role with ``anext_message`` is awaited, any other is called."""
    loop = _start(env, limits, None, system_prompt)
    turns = _turns(loop)
    try:
        ask = next(turns)
        while True:
            role = agent if ask == "agent" else user
            answer = getattr(role, "anext_message", None)
            message = await answer(loop.dialogue.messages) if answer else role.next_message(loop.dialogue.messages)
            ask = turns.send(message)
    except StopIteration:
        pass
    except LLMError as exc:
        _fail(loop.dialogue, exc)
    return loop.dialogue


def _start(env: Environment, limits: Limits, stop: threading.Event | None, system_prompt: str | None) -> _Loop:
    loop = _Loop(env, env.new_state(), limits, stop)
    loop.dialogue.state = loop.state
    loop.dialogue.messages.append(Message("system", system_prompt or agent_system_prompt(env.domain)))
    return loop


def _turns(loop: _Loop) -> Generator[str, Message, None]:
    """The turn loop, free of I/O: it yields whose turn it is ("agent" or "user") and is sent their message."""
    messages = loop.dialogue.messages
    while loop.check():
        message = _checked((yield "agent"), "assistant", loop, "agent_error")
        messages.append(message)
        if message.tool_calls:
            _answer_calls(loop, message)
            continue
        if not loop.check():
            return
        reply = _checked((yield "user"), "user", loop, "user_error")
        messages.append(reply)
        token = stop_token(reply.content)
        if token is not None:
            loop.dialogue.stop_token = token
            return


def _checked(message: Message, role: str, loop: _Loop, termination: str) -> Message:
    if message.role != role or not (message.content or message.tool_calls):
        loop.dialogue.termination = termination
        raise MalformedReply(f"the {role} role returned an empty or misattributed message")
    return message


def _answer_calls(loop: _Loop, message: Message) -> None:
    for call in message.tool_calls:
        answer = tool_message(loop.env, loop.state, message, call)
        loop.dialogue.messages.append(answer)
        loop.dialogue.errors += answer.error


def not_runnable(message: Message, call: ToolCall) -> str | None:
    """Why a tool call is answered with an error without reaching the environment (None: it runs)."""
    if message.content and message.content.strip():
        return "a turn must either send a message to the user or make a tool call, not both; the call was not run"
    if call.arguments is None:
        return f"the arguments of {call.name} are not a valid JSON object"
    return None


def tool_message(env: Environment, state: State, message: Message, call: ToolCall) -> Message:
    """Run one call (or refuse it) and return the tool message that answers it."""
    problem = not_runnable(message, call)
    if problem is not None:
        return Message("tool", f"Error: {problem}", tool_call_id=call.id, error=True)
    outcome = env.call(state, call.name, call.arguments or {})
    return Message("tool", outcome.content(), tool_call_id=call.id, error=not outcome.ok)


def _fail(dialogue: Dialogue, exc: LLMError) -> None:
    dialogue.failure = ("unreadable-reply" if isinstance(exc, UnreadableReply) else
                        "malformed-reply" if isinstance(exc, MalformedReply) else "endpoint-unavailable")
    dialogue.failure_detail = str(exc) or type(exc).__name__
    if dialogue.termination == "user_stop":
        last = dialogue.messages[-1].role if dialogue.messages else "system"
        dialogue.termination = "user_error" if last == "assistant" else "agent_error"
