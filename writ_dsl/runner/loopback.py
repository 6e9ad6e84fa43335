"""A loopback OpenAI-compatible endpoint that plays the oracle agent and the scripted user.

``POST /v1/chat/completions`` answers a request with tools as the oracle agent
and one without as the scripted user, for the task named by the
``X-Writ-Dialogue`` header. It can add latency and inject faults at a given
rate (HTTP 500/429, replies slower than the client's timeout, bodies that are
not JSON, unknown tool names, arguments that are not JSON, text together with
a tool call), which makes it a twin of a real endpoint for tests and
benchmarks. It listens on 127.0.0.1 only, a small HTTP/1.1 server (keep-alive,
requests parsed by ``httptools``) on an event loop of its own thread: latency
is a sleep on that loop, so hundreds of requests wait at once without a thread
each, and its own cost per request stays small beside the client's, as a
remote endpoint's does.
"""

from __future__ import annotations

import asyncio
import hashlib
import http
import json
import random
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httptools

from ..compiler.model import CompiledTask
from .endpoint import DIALOGUE_HEADER
from .guidance import GUIDANCE_TAG
from .http_pool import header_lines
from .messages import from_openai
from .oracle_agent import OracleAgent
from .scripted_user import ScriptedUser

TRANSPORT_FAULTS = ("http500", "http429", "slow", "bad_body")
CALL_FAULTS = ("bad_tool_name", "bad_arguments", "text_and_call")
FAULTS = TRANSPORT_FAULTS + CALL_FAULTS


@dataclass(frozen=True)
class FaultPlan:
    rate: float = 0.0
    kinds: tuple[str, ...] = FAULTS
    slow_seconds: float = 2.0
    retry_after_ms: int = 20
    seed: int = 0


def guided(body: Mapping[str, Any]) -> bool:
    messages = body.get("messages") or []
    return bool(messages) and f"<{GUIDANCE_TAG}>" in str(messages[0].get("content") or "")


def play(task: CompiledTask, body: Mapping[str, Any], weak_burden: int | None = None) -> dict[str, Any]:
    """The reply to one chat request: the oracle agent when tools are offered, else the scripted user.

    With ``weak_burden``, the agent is a weak model: unless the request carries private guidance, it gives up
    (and transfers) on tasks whose largest evidence burden is at least ``weak_burden``.
    """
    if body.get("tools"):
        if weak_burden is not None and not guided(body) and max(task.metrics.evidence_burden, default=0) >= weak_burden:
            return {"role": "assistant", "content": "I could not find that; let me transfer you to a human agent.",
                    "tool_calls": None}
        reply = OracleAgent(task).next_message([from_openai(m) for m in body["messages"]])
    else:
        flipped = {"assistant": "user", "user": "assistant"}
        conversation = [from_openai({"role": flipped[m["role"]], "content": m.get("content")})
                        for m in body["messages"] if m.get("role") in flipped]
        reply = ScriptedUser(task).next_message(conversation)
    calls = [call.to_openai() for call in reply.tool_calls]
    return {"role": "assistant", "content": reply.content, "tool_calls": calls or None}


def completion_body(model: str, message: dict[str, Any], prompt_bytes: int = 0) -> dict[str, Any]:
    """A chat completion; usage counts a token per four bytes of prompt and of reply."""
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    prompt, completion = prompt_bytes // 4, len(json.dumps(message)) // 4
    return {"id": "chatcmpl-loopback", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion}}


def spoil_call(message: dict[str, Any], fault: str) -> dict[str, Any]:
    """The reply with its first tool call broken in the given way."""
    call = json.loads(json.dumps(message["tool_calls"][0]))
    if fault == "bad_tool_name":
        call["function"]["name"] = call["function"]["name"] + "_lookup"
    elif fault == "bad_arguments":
        call["function"]["arguments"] = call["function"]["arguments"][:-1] + ",}"
    else:
        return {**message, "content": "Let me take care of that for you."}
    return {**message, "tool_calls": [call]}


class LoopbackServer:
    """``refuse_with``: answer every request with that HTTP status and an error body that echoes the request's
    Authorization header (as careless servers do); ``weak_burden``: see :func:`play`; ``keep_bodies``: keep every
    request body in ``bodies``; ``remember``: keep each reply by its request (dialogue and body) and answer the
    same request again without playing it, as a benchmark's warmed endpoint whose own CPU stays small; ``port``:
    the port to listen on (0: any free one)."""

    def __init__(self, tasks: Iterable[CompiledTask], faults: FaultPlan = FaultPlan(), latency: float = 0.0, *,
                 refuse_with: int | None = None, weak_burden: int | None = None, keep_bodies: bool = False,
                 remember: bool = False, port: int = 0) -> None:
        self.tasks = {task.id: task for task in tasks}
        self.faults, self.latency = faults, latency
        self.refuse_with, self.weak_burden, self.keep_bodies = refuse_with, weak_burden, keep_bodies
        self.remembered: dict[tuple[str, bytes], tuple[dict[str, Any], bytes]] | None = {} if remember else None
        self.bodies: list[dict[str, Any]] = []
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._random = random.Random(faults.seed)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._port = port  # 0: any free port
        self._open: set[_ServedConnection] = set()  # client connections, closed with the server

    @property
    def base_url(self) -> str:
        assert self._loop is not None, "the server is not running"
        return f"http://127.0.0.1:{self._port}/v1"

    def start(self) -> LoopbackServer:
        loop = asyncio.new_event_loop()
        try:  # hundreds of clients connect at once
            server = loop.run_until_complete(loop.create_server(lambda: _ServedConnection(self._answer, self._open),
                                                                "127.0.0.1", self._port, backlog=1024))
        except BaseException:  # a port in use or out of range: no loop is left open
            loop.close()
            raise
        self._port = server.sockets[0].getsockname()[1]
        self._loop, self._server = loop, server
        self._thread = threading.Thread(target=loop.run_forever, name="writ-loopback", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=30)
        loop.close()

    async def _close(self) -> None:
        self._server.close()
        for connection in list(self._open):  # a server's close() leaves the connections it accepted open
            if connection.transport is not None:
                connection.transport.close()
        for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]:
            task.cancel()
        await self._server.wait_closed()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def draw_fault(self, has_call: bool) -> str | None:
        kinds = [k for k in self.faults.kinds if has_call or k in TRANSPORT_FAULTS]
        with self._lock:
            self.counts["requests"] += 1
            if not kinds or self._random.random() >= self.faults.rate:
                return None
            fault = self._random.choice(kinds)
            self.counts[fault] += 1
            return fault

    async def _answer(self, request: _Request) -> _Reply:
        raw = request.body or b"{}"
        if self.keep_bodies:
            with self._lock:
                self.bodies.append(json.loads(raw))
        if self.refuse_with is not None:
            with self._lock:
                self.counts["requests"] += 1
            echoed = f"invalid credentials: Authorization: {request.headers.get('authorization')}"
            return _reply(self.refuse_with, {"error": {"message": echoed, "type": "auth"}})
        dialogue = request.headers.get(DIALOGUE_HEADER.lower(), "")
        task = self.tasks.get(dialogue)
        if request.method != "POST" or not request.path.rstrip("/").endswith("/chat/completions"):
            return _reply(400, {"error": {"message": "only POST .../chat/completions is served", "type": "invalid"}})
        if task is None:
            message = f"dialogue {dialogue!r} is not one of the tasks this endpoint serves ({DIALOGUE_HEADER})"
            return _reply(400, {"error": {"message": message, "type": "invalid"}})
        arrived = asyncio.get_running_loop().time()
        message, answer = self._played(task, raw)
        if self.latency:  # the answer leaves ``latency`` after the request came, however long it took to make
            await asyncio.sleep(self.latency - (asyncio.get_running_loop().time() - arrived))
        fault = self.draw_fault(bool(message.get("tool_calls")))
        if fault is None:
            return _Reply(200, answer)
        return await self._deliver(json.loads(raw), message, fault, len(raw))

    def _played(self, task: CompiledTask, raw: bytes) -> tuple[dict[str, Any], bytes]:
        """The reply message to a request body, and the completion that carries it."""
        key = (task.id, hashlib.sha256(raw).digest())
        if self.remembered is not None and key in self.remembered:
            return self.remembered[key]
        body = json.loads(raw)
        message = play(task, body, self.weak_burden)
        found = message, json.dumps(completion_body(str(body.get("model", "")), message, len(raw))).encode()
        if self.remembered is not None:
            self.remembered[key] = found
        return found

    async def _deliver(self, body: dict[str, Any], message: dict[str, Any], fault: str | None,
                       prompt_bytes: int) -> _Reply:
        plan = self.faults
        if fault in ("http500", "http429"):
            status = 500 if fault == "http500" else 429
            return _reply(status, {"error": {"message": f"injected {fault}", "type": "server_error"}},
                          {"retry-after-ms": str(plan.retry_after_ms)})
        if fault == "slow":
            await asyncio.sleep(plan.slow_seconds)
        if fault == "bad_body":
            return _Reply(200, b'{"id": "chatcmpl-broken", "choices": [{"index": 0, "mess')
        if fault in CALL_FAULTS:
            message = spoil_call(message, fault)
        return _reply(200, completion_body(str(body.get("model", "")), message, prompt_bytes))


def _reply(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, json.dumps(payload).encode(), headers or {})


_PHRASES = {status.value: status.phrase for status in http.HTTPStatus}


@dataclass
class _Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self, keep_alive: bool) -> bytes:
        headers = {"Content-Type": "application/json", "Content-Length": str(len(self.body)), **self.headers,
                   **({} if keep_alive else {"Connection": "close"})}
        status = f"HTTP/1.1 {self.status} {_PHRASES.get(self.status, 'Status')}\r\n".encode("latin-1")
        return status + header_lines(headers) + b"\r\n" + self.body


class _ServedConnection(asyncio.Protocol):
    """One client connection: requests parsed as they come, each answered in turn (keep-alive), by
    ``answer`` on the server's loop."""

    def __init__(self, answer: Callable[[_Request], Awaitable[_Reply]], open_now: set[_ServedConnection]) -> None:
        self.answer, self.open_now = answer, open_now
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.previous: asyncio.Task[None] | None = None  # the reply before this one, written first
        self._url = b""
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.open_now.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.open_now.discard(self)

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._write(_reply(400, {"error": {"message": "not an HTTP request", "type": "invalid"}}), False)

    # httptools callbacks
    def on_message_begin(self) -> None:
        self._url, self._headers, self._body = b"", {}, []

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        request = _Request(self.parser.get_method().decode(), httptools.parse_url(self._url).path.decode(),
                           self._headers, b"".join(self._body))
        self.previous = asyncio.ensure_future(self._serve(request, self.parser.should_keep_alive(), self.previous))

    async def _serve(self, request: _Request, keep_alive: bool, previous: asyncio.Task[None] | None) -> None:
        try:
            reply = await self.answer(request)
        except Exception as exc:  # noqa: BLE001 - a bug in playing the request: the client hears of it
            reply = _reply(500, {"error": {"message": f"the loopback endpoint failed: {exc!r}", "type": "server_error"}})
        if previous is not None:
            await previous
        self._write(reply, keep_alive)

    def _write(self, reply: _Reply, keep_alive: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return  # the client gave up (a timeout)
        self.transport.write(reply.encoded(keep_alive))
        if not keep_alive:
            self.transport.close()
