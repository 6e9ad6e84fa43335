"""One OpenAI-compatible chat endpoint, spoken to over one keep-alive connection pool per event loop.

:class:`HttpBackend` sends ``POST {base_url}/chat/completions`` with a body it
assembles from pieces serialized once (the tool schemas of a domain are
serialized when the domain is first used, not per request), over a
:class:`~writ_dsl.runner.http_pool.ConnectionPool` sized to the run's
concurrency. It retries 429, 5xx, timeouts and connection failures with
backoff (honouring ``retry-after``), never other 4xx; what is left becomes
:class:`EndpointUnavailable`, whose message says how many retries were really
made and never holds a key.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import EndpointUnavailable, MalformedReply, UnreadableReply
from .json_text import compact, parse
from .secrets import MASK, Redactor

if TYPE_CHECKING:
    from .http_pool import ConnectionPool

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

    def route(self, path: str) -> str:
        """The URL of ``path`` under the base URL, the base URL's query kept after it (as Azure's
        ``?api-version=`` must be) and its fragment, which is never sent, left out."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=parts.path.rstrip("/") + path, fragment=""))

    def problem(self) -> str | None:
        """Why no request could be sent to this endpoint (a URL that is not http(s) or holds a password, a
        proxy that is not http://, a key with a line break), or None."""
        from .http_pool import Origin, environment_proxy, header_lines

        try:
            if urlsplit(self.url).username is not None:
                return ("the base URL holds a user name or password, which writ does not send; give the key as "
                        "the role's API key instead (--api-key, --user-api-key)")
            environment_proxy(Origin.of(self.url))
            header_lines({"Authorization": f"Bearer {self.api_key or ''}"})
        except ValueError as exc:
            return str(exc)  # names the header, never its value
        return None

    def describe(self) -> dict[str, Any]:
        """What a manifest may record about the endpoint: never its key, nor a credential in its URL."""
        return {"base_url": public_url(self.url), "timeout": self.timeout, "max_retries": self.max_retries}


_SECRET_PARAMETER = re.compile(r"(?i)key|token|secret|sig|pass|auth|code|credential")


def public_url(url: str) -> str:
    """``url`` without a user name or password, and with the values of query parameters that look like
    credentials (``key``, ``token``, ``sig``, …) masked."""
    parts = urlsplit(url)
    query = [(name, MASK if _SECRET_PARAMETER.search(name) else value)
             for name, value in parse_qsl(parts.query, keep_blank_values=True)]
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="[]"), fragment=""))


@dataclass(frozen=True)
class Completion:
    message: dict[str, Any]  # an OpenAI assistant message: {"role", "content", "tool_calls"}
    usage: tuple[int, int] = (0, 0)  # (prompt tokens, completion tokens)
    cached: bool = False


def request_body(model: str, messages: list[dict[str, Any]], tools_json: bytes | None, sampling: Sampling,
                 encoded: Sequence[bytes] | None = None) -> bytes:
    """The JSON body of one request; ``tools_json`` is spliced in as serialized once per domain, and
    ``encoded`` (each message already serialized, as a role keeps them) stands for ``messages``."""
    head = _body_head(model, sampling)
    listed = b"[" + b",".join(encoded if encoded is not None else [compact(m) for m in messages]) + b"]"
    text = head[:-1] + b',"messages":' + listed
    return text + (b',"tools":' + tools_json + b"}" if tools_json else b"}")


@functools.lru_cache(maxsize=64)
def _body_head(model: str, sampling: Sampling) -> bytes:
    """``{"model":…,<sampling>}``: the same for every request of a role, so serialized once."""
    return compact({"model": model, **sampling.to_body()})


class HttpBackend:
    """Completions from one endpoint; share one instance between all dialogues of a run."""

    def __init__(self, endpoint: Endpoint, pool_size: int, redactor: Redactor = Redactor()) -> None:
        self.endpoint, self.redactor, self.pool_size = endpoint, redactor, max(pool_size, 1)
        self.headers = {"Authorization": f"Bearer {endpoint.api_key or 'EMPTY'}",
                        "Content-Type": "application/json"}
        self.url = self.endpoint.route("/chat/completions")
        self.requests = 0
        self._pools: dict[asyncio.AbstractEventLoop, ConnectionPool] = {}

    def _pool(self) -> ConnectionPool:
        """The running loop's connection pool (a pool belongs to the loop that opened it); imported when a
        run first talks to an endpoint, so that commands that never do stay light."""
        from .http_pool import ConnectionPool

        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is None:
            for stale in [other for other in self._pools if other.is_closed()]:
                del self._pools[stale]
            try:
                pool = self._pools[loop] = ConnectionPool(self.url, self.headers, self.pool_size,
                                                          self.endpoint.timeout)
            except ValueError as exc:
                raise EndpointUnavailable(self.redactor(f"unusable endpoint: {exc}")) from None
        return pool

    async def acomplete(self, request: Any, body: bytes) -> Completion:
        """The reply to a :class:`~writ_dsl.runner.llm.ChatRequest` whose serialized form is ``body``."""
        return await self.send(body, request.dialogue_id, request.role)

    async def send(self, body: bytes, dialogue_id: str, role: str) -> Completion:
        from .http_pool import ReplyTooLarge, TransportError

        retries, pool = self.endpoint.max_retries, self._pool()
        headers = {DIALOGUE_HEADER: dialogue_id, ROLE_HEADER: role}
        for attempt in range(retries + 1):
            self.requests += 1
            try:
                reply = await pool.post(body, headers)
            except (TransportError, TimeoutError) as exc:
                if attempt == retries or isinstance(exc, ReplyTooLarge):
                    raise EndpointUnavailable(self._transport_message(exc, attempt)) from None
                await asyncio.sleep(_backoff(attempt, None))
                continue
            except ValueError as exc:  # a header that can't be sent (a line break in an id)
                raise EndpointUnavailable(self.redactor(f"unusable request: {exc}")) from None
            if reply.status == 200:
                return _completion(reply.content, self.redactor)
            if reply.status not in RETRIED_STATUSES or attempt == retries:
                raise EndpointUnavailable(self._status_message(reply.status, reply.content, attempt))
            await asyncio.sleep(_backoff(attempt, reply.headers))
        raise AssertionError("unreachable")

    def _transport_message(self, exc: Exception, attempt: int) -> str:
        from .http_pool import ReplyTooLarge

        where = public_url(self.endpoint.url)
        if isinstance(exc, TimeoutError):
            return f"timed out after {_retries(attempt)} ({where}; no reply within {self.endpoint.timeout:g} s)"
        if isinstance(exc, ReplyTooLarge):
            return f"reply too large, not retried ({where}): {exc}"
        return self.redactor(f"connection failed after {_retries(attempt)} ({where}): {exc}")

    def _status_message(self, status: int, content: bytes, attempt: int) -> str:
        tried = f"after {_retries(attempt)}" if status in RETRIED_STATUSES else "not retried"
        return self.redactor(f"HTTP {status} ({tried}): {_error_text(content)}")

    async def aclose(self) -> None:
        """Close the running loop's pool (pools of loops that have ended went with them)."""
        pool = self._pools.pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.aclose()


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
    """The reply in a body: UnreadableReply when the body is no chat completion at all (the endpoint's fault,
    or a proxy's), MalformedReply when its message breaks the protocol (the model's)."""
    try:
        data = parse(content.removeprefix(b"\xef\xbb\xbf"))  # a byte order mark some servers put first
        message = data["choices"][0]["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not an object")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise UnreadableReply(redactor(f"unreadable response: {_error_text(content, 120)} ({exc})")) from None
    try:
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        calls = [{"id": c.get("id"), "function": {"name": c["function"].get("name"),
                                                   "arguments": _arguments(c["function"].get("arguments"))}}
                 for c in (message.get("tool_calls") or [])
                 if isinstance(c, dict) and isinstance(c.get("function"), dict)]
        text = message.get("content")
        if text is not None and not isinstance(text, str):
            raise TypeError(f"the message's content is a JSON {type(text).__name__}, not text")
        reply = {"role": "assistant", "content": text, "tool_calls": calls}
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise MalformedReply(redactor(f"malformed message: {_error_text(content, 120)} ({exc})")) from None
    return Completion(reply, (_int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens"))))


MAX_ARGUMENT_DEPTH = 64  # nesting of a tool call's arguments sent as a JSON object rather than as text


def _arguments(value: Any) -> Any:
    """A tool call's arguments as the reply gives them (text, as OpenAI sends them, or JSON: the dialogue
    answers what is not an object with an error); TypeError when they are nested deeper than
    ``MAX_ARGUMENT_DEPTH``."""
    if not isinstance(value, (dict, list)):
        return value
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > MAX_ARGUMENT_DEPTH:
            raise TypeError("a tool call's arguments are nested too deeply")
        level = [item for node in level for item in (node.values() if isinstance(node, dict) else node)
                 if isinstance(item, (dict, list))]
    return value


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
