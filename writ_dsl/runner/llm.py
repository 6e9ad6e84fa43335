"""LLM roles over any OpenAI-compatible endpoint, behind a small :class:`ChatBackend` interface.

:class:`OpenAIBackend` uses the official ``openai`` client, whose own
``max_retries`` and ``timeout`` handle 429/5xx/timeouts with backoff; what is
left after them becomes :class:`EndpointUnavailable`. A reply that breaks the
protocol (no choices, an empty message, a user reply with tool calls) is
:class:`MalformedReply` and is asked again a few times. Tool calls with bad
JSON arguments or unknown tools are not errors here: the dialogue answers them
as the environment would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from ..compiler.model import CompiledTask
from ..errors import EndpointUnavailable, MalformedReply
from .messages import Conversation, Message, ToolCall, from_openai
from .phrasing import stable_int

DIALOGUE_HEADER = "X-Writ-Dialogue"
ROLE_HEADER = "X-Writ-Role"
AGENT_GREETING = "Hi! How can I help you today?"


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] | None
    dialogue_id: str
    role: str  # "agent" | "user"


class ChatBackend(Protocol):
    def complete(self, request: ChatRequest) -> dict[str, Any]:
        """The reply as an OpenAI assistant message: {"content": ..., "tool_calls": [...]}."""
        ...


@dataclass(frozen=True)
class Endpoint:
    base_url: str | None = None
    api_key: str | None = None
    timeout: float = 60.0
    max_retries: int = 4


class OpenAIBackend:
    def __init__(self, endpoint: Endpoint) -> None:
        import openai

        from openai.types.chat import ChatCompletion

        self._openai, self._completion_type = openai, ChatCompletion
        self.endpoint = endpoint
        self.client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key or "EMPTY",
                                    timeout=endpoint.timeout, max_retries=endpoint.max_retries)

    def complete(self, request: ChatRequest) -> dict[str, Any]:
        openai = self._openai
        body: dict[str, Any] = {"model": request.model, "messages": request.messages}
        if request.tools:
            body["tools"] = request.tools
        headers = {DIALOGUE_HEADER: request.dialogue_id, ROLE_HEADER: request.role}
        try:
            # The client's plain ``post`` (its documented way to send a raw body) keeps its retries and timeout
            # but skips re-validating the large, unchanging tool schemas on every request.
            response = self.client.post("/chat/completions", cast_to=self._completion_type, body=body,
                                        options={"headers": headers})
        except openai.APIStatusError as exc:
            raise EndpointUnavailable(f"HTTP {exc.status_code} after {self.endpoint.max_retries} retries: "
                                      f"{_short(exc.message)}") from None
        except openai.APIConnectionError as exc:
            kind = "timed out" if isinstance(exc, openai.APITimeoutError) else "connection failed"
            raise EndpointUnavailable(f"{kind} after {self.endpoint.max_retries} retries "
                                      f"({self.client.base_url})") from None
        except (openai.APIError, ValueError, TypeError) as exc:
            raise MalformedReply(f"unreadable response: {_short(str(exc))}") from None
        return _assistant_message(response)


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _assistant_message(response: Any) -> dict[str, Any]:
    choices = getattr(response, "choices", None)
    if not choices or getattr(choices[0], "message", None) is None:
        raise MalformedReply("the response has no message")
    message = choices[0].message
    calls = [{"id": getattr(c, "id", None), "function": {"name": getattr(c.function, "name", None),
                                                          "arguments": getattr(c.function, "arguments", None)}}
             for c in (getattr(message, "tool_calls", None) or []) if getattr(c, "function", None) is not None]
    return {"role": "assistant", "content": getattr(message, "content", None), "tool_calls": calls}


class FunctionBackend:
    """An in-memory backend: a function from request to reply (tests, dry runs)."""

    def __init__(self, reply: Callable[[ChatRequest], dict[str, Any]]) -> None:
        self.reply = reply

    def complete(self, request: ChatRequest) -> dict[str, Any]:
        return self.reply(request)


def complete(backend: ChatBackend, request: ChatRequest, accept: Callable[[dict[str, Any]], Message],
             retries: int) -> Message:
    """Ask until a reply passes ``accept`` (which raises MalformedReply otherwise), at most 1 + retries times."""
    for attempt in range(retries + 1):
        try:
            return accept(backend.complete(request))
        except MalformedReply:
            if attempt == retries:
                raise
    raise AssertionError("unreachable")


# -------------------------------------------------------------------------- the agent
class LLMAgent:
    def __init__(self, backend: ChatBackend, model: str, tools: Sequence[dict[str, Any]], dialogue_id: str,
                 retries: int = 2) -> None:
        self.backend, self.model, self.tools = backend, model, list(tools)
        self.dialogue_id, self.retries = dialogue_id, retries

    def next_message(self, conversation: Conversation) -> Message:
        if not any(m.role == "assistant" for m in conversation):
            return Message("assistant", AGENT_GREETING)
        request = ChatRequest(self.model, [m.to_openai() for m in conversation], self.tools, self.dialogue_id,
                              "agent")
        return complete(self.backend, request, lambda reply: self._accept(reply, len(conversation)), self.retries)

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


def user_view(conversation: Conversation) -> list[dict[str, Any]]:
    """The conversation as the user sees it: the agent's texts as "user", its own as "assistant"."""
    flipped = {"assistant": "user", "user": "assistant"}
    return [{"role": flipped[m.role], "content": m.text} for m in conversation
            if m.role in flipped and m.is_text]


class LLMUser:
    def __init__(self, backend: ChatBackend, model: str, task: CompiledTask, retries: int = 2) -> None:
        self.backend, self.model, self.task, self.retries = backend, model, task, retries
        self.prompt = user_system_prompt(task)

    def next_message(self, conversation: Conversation) -> Message:
        messages = [{"role": "system", "content": self.prompt}, *user_view(conversation)]
        request = ChatRequest(self.model, messages, None, self.task.id, "user")
        return complete(self.backend, request, self._accept, self.retries)

    @staticmethod
    def _accept(reply: dict[str, Any]) -> Message:
        if reply.get("tool_calls") or not (reply.get("content") or "").strip():
            raise MalformedReply("the user's reply is not a text message")
        return Message("user", str(reply["content"]).strip())
