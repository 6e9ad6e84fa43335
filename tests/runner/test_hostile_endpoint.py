"""Endpoints that misbehave below the chat protocol: runaway replies, interim replies, pages that are no chat
completion, base URLs with more in them than a path. Every task is accounted for, with a reason that names the
real cause, and memory stays bounded."""

from __future__ import annotations

import asyncio
import json
import threading
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from writ_dsl.errors import InputError
from writ_dsl.runner.endpoint import Endpoint, public_url
from writ_dsl.runner.http_pool import MAX_REPLY_BYTES, ReplyTooLarge

from .helpers import many_tasks
from .test_http_pool import Server, ok, posts, run
from .test_llm import llm_options, records

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Server], Awaitable[None]]


class Endpoint127:
    """A raw endpoint in a thread of its own, answering every request with ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.answer, self.ready, self.targets = answer, threading.Event(), []
        self.loop = asyncio.new_event_loop()

    def __enter__(self) -> str:
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        server = Server(self._answer)
        self.url = asyncio.run_coroutine_threadsafe(server.__aenter__(), self.loop).result(5)
        return self.url.removesuffix("/chat/completions")

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while (request := await server.read_request(reader)) is not None:
            self.targets.append(request.split(b"\r\n", 1)[0].decode())
            await self.answer(reader, writer, server)

    def __exit__(self, *exc: Any) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


async def endless_chunks(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"100000\r\n" + b" " * 0x100000 + b"\r\n"
    while not writer.is_closing():
        writer.write(chunk)
        await writer.drain()


async def endless_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\n")
    while not writer.is_closing():
        writer.write(b"X-Filler: " + b"a" * 8000 + b"\r\n")
        await writer.drain()


async def endless_header_value(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nX-Filler: ")
    while not writer.is_closing():
        writer.write(b"a" * 8000)
        await writer.drain()


@pytest.mark.parametrize("answer, part", [(endless_chunks, "body"), (endless_headers, "head"),
                                          (endless_header_value, "head")])
def test_a_runaway_reply_fails_at_its_limit_and_is_not_asked_again(tmp_path: Path, answer: Answer,
                                                                   part: str) -> None:
    tracemalloc.start()
    try:
        with Endpoint127(answer) as base_url:
            summary = run_tasks_with(tmp_path, base_url, timeout=30, workers=1)  # in this process: measured
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.failed == 2 and summary.pending == 0
    for row in records(tmp_path):
        assert row["reason"] == "endpoint-unavailable"
        assert "reply too large, not retried" in row["detail"] and f"reply's {part} is over" in row["detail"]
    assert peak < 6 * MAX_REPLY_BYTES, f"the reply must not be kept beyond its limit: {peak / 2**20:.0f} MiB"


def run_tasks_with(out: Path, base_url: str, **changes: Any) -> Any:
    from writ_dsl.runner.run import run_tasks

    settings = {"user": "scripted", "base_url": base_url, "max_retries": 2, "concurrency": 2, **changes}
    return run_tasks(many_tasks(2), out, llm_options(**settings))


def test_a_reply_just_under_the_limit_is_read_and_one_over_it_is_not() -> None:
    async def sized(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while await server.read_request(reader) is not None:
            writer.write(ok(b" " * (MAX_REPLY_BYTES + server.requests - 1)))
            await writer.drain()

    _, _, replies = run(posts(sized, count=2))
    assert len(replies[0].content) == MAX_REPLY_BYTES and isinstance(replies[1], ReplyTooLarge)


def test_interim_replies_are_skipped() -> None:
    async def early_hints(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while await server.read_request(reader) is not None:
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")
            writer.write(ok(server.bodies[-1]))
            await writer.drain()

    _, pool, replies = run(posts(early_hints, count=3))
    assert [r.status for r in replies] == [200, 200, 200] and replies[2].content == b'{"n":2}'
    assert pool.connections == 1


async def html_page(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    writer.write(ok(b"<html><body>502 Bad Gateway</body></html>"))
    await writer.drain()


async def not_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")
    await writer.drain()


def test_a_page_that_is_no_chat_completion_is_the_endpoints_fault(tmp_path: Path) -> None:
    with Endpoint127(html_page) as base_url:
        summary = run_tasks_with(tmp_path, base_url, user="llm")
    assert summary.failed == 2
    for row in records(tmp_path):
        assert row["reason"] == "unreadable-reply" and "502 Bad Gateway" in row["detail"]
        assert row["blame"] == {"party": "endpoint", "fault": "unreadable-reply"}


def test_a_transport_failure_says_what_went_wrong(tmp_path: Path) -> None:
    with Endpoint127(not_http) as base_url:
        run_tasks_with(tmp_path, base_url, max_retries=1)
    for row in records(tmp_path):
        assert "connection failed after 1 retry" in row["detail"] and "the reply is not HTTP/1.1" in row["detail"]


def test_a_base_url_keeps_its_query_after_the_path_and_never_sends_its_fragment(tmp_path: Path) -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        writer.write(ok(json.dumps({"choices": [{"message": {"role": "assistant", "content": "Done."}}]}).encode()))
        await writer.drain()

    endpoint = Endpoint127(answer)
    with endpoint as base_url:
        run_tasks_with(tmp_path, f"{base_url.removesuffix('/v1')}/deployments/x/?api-version=2024-02-01#top")
    assert set(endpoint.targets) == {"POST /deployments/x/chat/completions?api-version=2024-02-01 HTTP/1.1"}


def test_credentials_in_a_base_url_are_refused_and_never_recorded(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds a user name or password") as raised:
        run_tasks_with(tmp_path, "http://ann:s3cretpw@127.0.0.1:9/v1")
    assert "s3cretpw" not in str(raised.value)
    assert not (tmp_path / "manifest.json").exists() or "s3cretpw" not in (tmp_path / "manifest.json").read_text()
    shown = public_url("https://ann:pw@h.example/v1?api-version=2024-02-01&key=s3cret&sig=abc#x")
    assert shown == "https://h.example/v1?api-version=2024-02-01&key=[REDACTED]&sig=[REDACTED]"
    described = Endpoint("https://h.example/v1?code=s3cret", api_key="sk-abcdefghijk").describe()
    assert "s3cret" not in json.dumps(described) and "sk-abc" not in json.dumps(described)


def test_a_malformed_base_url_stops_the_run_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Invalid IPv6 URL"):
        run_tasks_with(tmp_path, "http://[::1/v1")
