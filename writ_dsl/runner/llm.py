"""LLM roles over any OpenAI-compatible endpoint, behind a small :class:`ChatBackend` interface.

A role asks its :class:`Channel` (a backend, a model, sampling options and an
optional response cache) for completions. :class:`~writ_dsl.runner.endpoint.HttpBackend`
talks to a real endpoint; :class:`FunctionBackend` answers in memory (tests, dry
runs). A reply that breaks the protocol (no choices, an empty message, a user
reply with tool calls) is :class:`MalformedReply` and is asked again a few
times. Tool calls with bad JSON arguments or unknown tools are not errors here:
the dialogue answers them as the environment would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..compiler.model import CompiledTask
from ..errors import MalformedReply
from .cache import ResponseCache, cache_key
from .endpoint import DIALOGUE_HEADER, ROLE_HEADER, Completion, Sampling, request_body
from .json_text import compact, parse
from .messages import Conversation, Message, ToolCall, from_openai
from .phrasing import stable_int

__all__ = ["DIALOGUE_HEADER", "ROLE_HEADER", "AGENT_GREETING", "ChatRequest", "ChatBackend", "Channel",
           "FunctionBackend", "LLMAgent", "LLMUser", "ToolSet", "Usage"]
AGENT_GREETING = "Hi! How can I help you today?"


@dataclass(frozen=True)
class ToolSet:
    """A domain's tool schemas, serialized once for every request that offers them."""

    schemas: list[dict[str, Any]]
    json: bytes

    @classmethod
    def of(cls, schemas: Sequence[dict[str, Any]]) -> ToolSet:
        schemas = list(schemas)
        return cls(schemas, compact(schemas))


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None
    dialogue_id: str
    role: str  # "agent" | "user"
    tools_json: bytes | None = None
    attempt: int = 0
    encoded: Sequence[bytes] | None = None  # ``messages``, each serialized (the body is built from these)


class ChatBackend(Protocol):
    async def acomplete(self, request: ChatRequest, body: bytes) -> Completion:
        """The reply to one request (``body`` is its serialized JSON)."""
        ...


class FunctionBackend:
    """An in-memory backend: a function from request to reply message (tests, dry runs)."""

    def __init__(self, reply: Callable[[ChatRequest], dict[str, Any]]) -> None:
        self.reply = reply

    def complete(self, request: ChatRequest) -> dict[str, Any]:
        return self.reply(request)

    async def acomplete(self, request: ChatRequest, body: bytes) -> Completion:
        try:  # a reply crosses no wire here, but must be what one could carry
            message = parse(compact(self.reply(request)))
        except ValueError as exc:
            raise MalformedReply(f"unreadable response: {exc}") from None
        usage = message.pop("usage", None) or {}
        return Completion(message, (int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))))


@dataclass
class Usage:
    """Tokens a role's completions cost, as the endpoint reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    completions: int = 0

    def add(self, completion: Completion) -> None:
        self.prompt_tokens += completion.usage[0]
        self.completion_tokens += completion.usage[1]
        self.completions += 1

    def to_record(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "completions": self.completions}


@dataclass
class Channel:
    """How one role reaches its model: a backend, the model name, sampling options, and a cache."""

    backend: ChatBackend
    model: str
    sampling: Sampling = field(default_factory=Sampling)
    cache: ResponseCache | None = None

    async def ask(self, request: ChatRequest, ask: int) -> Completion:
        tools_json = request.tools_json
        if tools_json is None and request.tools:
            tools_json = ToolSet.of(request.tools).json
        body = request_body(request.model, request.messages, tools_json, self.sampling, request.encoded)
        if self.cache is None:
            return await self.backend.acomplete(request, body)
        key = cache_key(body, request.dialogue_id, request.attempt, ask)
        found = self.cache.get(key)
        if found is not None:
            return found
        completion = await self.backend.acomplete(request, body)
        self.cache.put(key, completion)
        return completion


async def complete(channel: Channel, request: ChatRequest, accept: Callable[[dict[str, Any]], Message],
                   retries: int, usage: Usage) -> Message:
    """Ask until a reply passes ``accept`` (which raises MalformedReply otherwise), at most 1 + retries times."""
    for ask in range(retries + 1):
        try:
            completion = await channel.ask(request, ask)
            usage.add(completion)
            return accept(completion.message)
        except MalformedReply:
            if ask == retries:
                raise
    raise AssertionError("unreachable")


class History:
    """A role's view of a conversation as OpenAI messages, each converted and serialized once.

    A conversation only grows, so each turn converts just the messages added since the last; a shorter
    conversation than seen (a new one) starts over."""

    def __init__(self, convert: Callable[[Message], dict[str, Any] | None]) -> None:
        self.convert = convert
        self.seen = 0
        self.messages: list[dict[str, Any]] = []
        self.encoded: list[bytes] = []

    def update(self, conversation: Conversation) -> None:
        if len(conversation) < self.seen:
            self.seen, self.messages, self.encoded = 0, [], []
        for message in conversation[self.seen:]:
            converted = self.convert(message)
            if converted is not None:
                self.messages.append(converted)
                self.encoded.append(compact(converted))
        self.seen = len(conversation)

    def replace_first(self, message: dict[str, Any]) -> None:
        self.messages[0] = message
        self.encoded[0] = compact(message)


class _Role:
    usage: Usage
    channel: Channel

    def next_message(self, conversation: Conversation) -> Message:
        """The plain (blocking) form of :meth:`anext_message`, for use outside an event loop."""
        return asyncio.run(self._once(conversation))

    async def _once(self, conversation: Conversation) -> Message:
        try:
            return await self.anext_message(conversation)  # type: ignore[attr-defined]
        finally:  # the loop ends with this call: so does its connection pool
            close = getattr(self.channel.backend, "aclose", None)
            if close is not None:
                await close()


# -------------------------------------------------------------------------- the agent
class LLMAgent(_Role):
    def __init__(self, channel: Channel, tools: ToolSet, dialogue_id: str, retries: int = 2, attempt: int = 0,
                 guidance: str | None = None) -> None:
        self.channel, self.tools = channel, tools
        self.dialogue_id, self.retries, self.attempt = dialogue_id, retries, attempt
        self.guidance = guidance  # private: added to the request, never to the conversation
        self.usage = Usage()
        self.history = History(Message.to_openai)

    async def anext_message(self, conversation: Conversation) -> Message:
        if not any(m.role == "assistant" for m in conversation):
            return Message("assistant", AGENT_GREETING)
        history, fresh = self.history, self.history.seen == 0 or len(conversation) < self.history.seen
        history.update(conversation)
        first = history.messages[0] if history.messages else None
        if fresh and self.guidance and first is not None and first["role"] == "system":
            history.replace_first({**first, "content": f"{first['content']}\n{self.guidance}"})
        request = ChatRequest(self.channel.model, list(history.messages), self.tools.schemas, self.dialogue_id,
                              "agent", self.tools.json, self.attempt, tuple(history.encoded))
        return await complete(self.channel, request, lambda reply: self._accept(reply, len(conversation)),
                              self.retries, self.usage)

    def _accept(self, reply: dict[str, Any], position: int) -> Message:
        message = from_openai({**reply, "role": "assistant"})
        if not (message.content or "").strip() and not message.tool_calls:
            raise MalformedReply("the agent's reply is empty")
        calls = tuple(call if call.id else _with_id(call, self.dialogue_id, position, n)
                      for n, call in enumerate(message.tool_calls))
        content = message.content if (message.content or "").strip() else None
        return Message("assistant", content, calls)


def _with_id(call: ToolCall, dialogue_id: str, position: int, n: int) -> ToolCall:
    return replace(call, id=f"call_{stable_int(dialogue_id, position, n):016x}")


# --------------------------------------------------------------------------- the user
USER_GUIDELINES = """You are playing a customer who contacts a customer-service agent. Stay in that role.
# How to play
- Write one message at a time, the way a real customer would in a chat.
- Follow the scenario below. Never invent information the scenario does not give you; if the agent asks for
  something you do not know, say that you do not have it.
- Use your own words: paraphrase the scenario, do not copy its sentences.
- Give information only when the agent asks for it, unless your behavior below says otherwise.
- When everything you came for is done, end with a message that contains ###STOP###.
- If you are transferred to a human agent, reply with ###TRANSFER### only.
- If the scenario does not say how to go on, reply with ###OUT-OF-SCOPE###."""

_DISCLOSURE = {
    "upfront": "Give everything you know that the agent needs in your first message.",
    "on_request": "Give each piece of information only when the agent asks for it.",
    "gradual": "Give at most one piece of information per message.",
}
_VERBOSITY = {"terse": "Write very short messages.", "normal": "Write messages of normal length.",
              "chatty": "Be friendly and talkative; you may mention unrelated details of your life."}


def behavior_lines(settings: dict[str, Any]) -> list[str]:
    lines = [str(settings["description"])] if settings.get("description") else []
    lines.append(_DISCLOSURE.get(str(settings.get("disclosure")), ""))
    if settings.get("opening") == "vague":
        lines.append("Open with a vague request; give the details when the agent asks.")
    if settings.get("changes_mind"):
        lines.append("After the agent's first proposal, ask it to double-check or consider an alternative; "
                     "then accept.")
    if settings.get("impatient"):
        lines.append("You are impatient: keep it short and push to get things done quickly.")
    if settings.get("policy_probe"):
        lines.append(f"Before anything else: {settings['policy_probe']} When the agent refuses, accept it "
                     "and go on.")
    lines.append(_VERBOSITY.get(str(settings.get("verbosity")), ""))
    return [line for line in lines if line]


def user_system_prompt(task: CompiledTask) -> str:
    s = task.user_scenario
    parts = [USER_GUIDELINES, "# Scenario"]
    parts += [f"Persona: {s.persona}"] if s.persona else []
    parts += [f"Reason for contacting: {s.reason_for_call}", f"What you know: {s.known_info}"]
    parts += [f"What you do not know: {s.unknown_info}"] if s.unknown_info else []
    parts.append(f"Instructions: {s.task_instructions}")
    if task.behavior is not None:
        parts += ["# Behavior", *("- " + line for line in behavior_lines(task.behavior.settings))]
    return "\n".join(parts)


_FLIPPED = {"assistant": "user", "user": "assistant"}


def user_message(message: Message) -> dict[str, Any] | None:
    """A message as the user sees it: the agent's texts as "user", its own as "assistant", nothing else."""
    role = _FLIPPED.get(message.role)
    return {"role": role, "content": message.text} if role is not None and message.is_text else None


def user_view(conversation: Conversation) -> list[dict[str, Any]]:
    """The conversation as the user sees it."""
    return [seen for seen in map(user_message, conversation) if seen is not None]


class LLMUser(_Role):
    def __init__(self, channel: Channel, task: CompiledTask, retries: int = 2, attempt: int = 0) -> None:
        self.channel, self.task, self.retries, self.attempt = channel, task, retries, attempt
        self.prompt = user_system_prompt(task)
        self.system = {"role": "system", "content": self.prompt}
        self.system_json = compact(self.system)
        self.usage = Usage()
        self.history = History(user_message)

    async def anext_message(self, conversation: Conversation) -> Message:
        self.history.update(conversation)
        request = ChatRequest(self.channel.model, [self.system, *self.history.messages], None, self.task.id,
                              "user", None, self.attempt, (self.system_json, *self.history.encoded))
        return await complete(self.channel, request, self._accept, self.retries, self.usage)

    @staticmethod
    def _accept(reply: dict[str, Any]) -> Message:
        if reply.get("tool_calls") or not (reply.get("content") or "").strip():
            raise MalformedReply("the user's reply is not a text message")
        return Message("user", str(reply["content"]).strip())
