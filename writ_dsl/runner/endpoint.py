"""One OpenAI-compatible chat endpoint, spoken to over one asynchronous HTTP connection pool.

:class:`HttpBackend` sends ``POST {base_url}/chat/completions`` with a body it
assembles from pieces serialized once (the tool schemas of a domain are
serialized when the domain is first used, not per request), over one aiohttp
connection pool per event loop, sized to the run's concurrency. It retries 429,
5xx, timeouts and connection failures with backoff (honouring ``retry-after``),
never other 4xx; what is left becomes :class:`EndpointUnavailable`, whose
message says how many retries were really made and never holds a key.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import EndpointUnavailable, MalformedReply
from .secrets import Redactor

if TYPE_CHECKING:
    import aiohttp


def _aiohttp() -> Any:
    """aiohttp, imported when a run first talks to an endpoint (commands that never do stay light)."""
    import aiohttp

    return aiohttp

DIALOGUE_HEADER = "X-Writ-Dialogue"
ROLE_HEADER = "X-Writ-Role"
RETRIED_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600))
DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class Sampling:
    """Sampling options passed through to the endpoint (None: the endpoint's default)."""

    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    max_tokens: int | None = None

    def to_body(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class Endpoint:
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    max_retries: int = 4

    @property
    def url(self) -> str:
        return (self.base_url or DEFAULT_BASE_URL).rstrip("/")

    def describe(self) -> dict[str, Any]:
        """What a manifest may record about the endpoint: never its key."""
        return {"base_url": self.url, "timeout": self.timeout, "max_retries": self.max_retries}


@dataclass(frozen=True)
class Completion:
    message: dict[str, Any]  # an OpenAI assistant message: {"role", "content", "tool_calls"}
    usage: tuple[int, int] = (0, 0)  # (prompt tokens, completion tokens)
    cached: bool = False


def encode(value: Any) -> bytes:
    """Compact JSON, as every request body is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def request_body(model: str, messages: list[dict[str, Any]], tools_json: bytes | None, sampling: Sampling,
                 encoded: Sequence[bytes] | None = None) -> bytes:
    """The JSON body of one request; ``tools_json`` is spliced in as serialized once per domain, and
    ``encoded`` (each message already serialized, as a role keeps them) stands for ``messages``."""
    head = encode({"model": model, **sampling.to_body()})
    listed = b"[" + b",".join(encoded if encoded is not None else [encode(m) for m in messages]) + b"]"
    text = head[:-1] + b',"messages":' + listed
    return text + (b',"tools":' + tools_json + b"}" if tools_json else b"}")


class HttpBackend:
    """Completions from one endpoint; share one instance between all dialogues of a run."""

    def __init__(self, endpoint: Endpoint, pool_size: int, redactor: Redactor = Redactor()) -> None:
        self.endpoint, self.redactor, self.pool_size = endpoint, redactor, max(pool_size, 1)
        self.headers = {"Authorization": f"Bearer {endpoint.api_key or 'EMPTY'}",
                        "Content-Type": "application/json"}
        self.url = self.endpoint.url + "/chat/completions"
        self.requests = 0
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}

    def _session(self) -> aiohttp.ClientSession:
        """The running loop's connection pool (a pool belongs to the loop that opened it)."""
        aiohttp = _aiohttp()
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            for stale in [other for other in self._sessions if other.is_closed()]:
                del self._sessions[stale]
            timeout = aiohttp.ClientTimeout(total=self.endpoint.timeout)  # per request, one timer each
            connector = aiohttp.TCPConnector(limit=self.pool_size, ttl_dns_cache=300)
            session = self._sessions[loop] = aiohttp.ClientSession(
                connector=connector, timeout=timeout, headers=self.headers,
                cookie_jar=aiohttp.DummyCookieJar(), raise_for_status=False)
        return session

    async def acomplete(self, request: Any, body: bytes) -> Completion:
        """The reply to a :class:`~writ_dsl.runner.llm.ChatRequest` whose serialized form is ``body``."""
        return await self.send(body, request.dialogue_id, request.role)

    async def send(self, body: bytes, dialogue_id: str, role: str) -> Completion:
        headers = {DIALOGUE_HEADER: dialogue_id, ROLE_HEADER: role}
        retries, session = self.endpoint.max_retries, self._session()
        failures = (_aiohttp().ClientError, asyncio.TimeoutError)
        for attempt in range(retries + 1):
            self.requests += 1
            try:
                async with session.post(self.url, data=body, headers=headers) as response:
                    status, content, reply_headers = response.status, await response.read(), response.headers
            except failures as exc:
                if attempt == retries:
                    kind = "timed out" if isinstance(exc, asyncio.TimeoutError) else "connection failed"
                    raise EndpointUnavailable(f"{kind} after {_retries(retries)} ({self.endpoint.url})") from None
                await asyncio.sleep(_backoff(attempt, None))
                continue
            if status == 200:
                return _completion(content, self.redactor)
            if status not in RETRIED_STATUSES or attempt == retries:
                raise EndpointUnavailable(self._status_message(status, content, attempt))
            await asyncio.sleep(_backoff(attempt, reply_headers))
        raise AssertionError("unreachable")

    def _status_message(self, status: int, content: bytes, attempt: int) -> str:
        tried = f"after {_retries(attempt)}" if status in RETRIED_STATUSES else "not retried"
        return self.redactor(f"HTTP {status} ({tried}): {_error_text(content)}")

    async def aclose(self) -> None:
        """Close the running loop's pool (pools of loops that have ended went with them)."""
        session = self._sessions.pop(asyncio.get_running_loop(), None)
        if session is not None:
            await session.close()


def _retries(n: int) -> str:
    return "1 retry" if n == 1 else f"{n} retries"


def _backoff(attempt: int, headers: Any) -> float:
    if headers is not None:
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            try:
                if value is not None:
                    return min(max(float(value) * scale, 0.0), 60.0)
            except ValueError:
                pass
    return min(0.5 * 2 ** attempt, 8.0)


def _error_text(content: bytes, limit: int = 200) -> str:
    text = content.decode("utf-8", errors="replace")
    try:
        error = json.loads(text).get("error")
        text = str(error.get("message") if isinstance(error, dict) else error or text)
    except (ValueError, AttributeError):
        pass
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _completion(content: bytes, redactor: Redactor) -> Completion:
    try:
        data = json.loads(content)
        message = data["choices"][0]["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not an object")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise MalformedReply(redactor(f"unreadable response: {_error_text(content, 120)} ({exc})")) from None
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    calls = [{"id": c.get("id"), "function": {"name": c["function"].get("name"),
                                               "arguments": c["function"].get("arguments")}}
             for c in (message.get("tool_calls") or []) if isinstance(c, dict) and isinstance(c.get("function"), dict)]
    reply = {"role": "assistant", "content": message.get("content"), "tool_calls": calls}
    return Completion(reply, (_int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens"))))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
