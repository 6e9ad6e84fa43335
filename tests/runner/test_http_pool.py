"""The endpoint client's connection pool, against raw asyncio servers that misbehave on purpose."""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from writ_dsl.runner.http_pool import (ConnectionPool, Origin, TransportError, header_lines)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, "Server"], Awaitable[None]]


class Server:
    """A raw server on 127.0.0.1: counts connections and requests, and lets ``handler`` answer."""

    def __init__(self, handler: Handler) -> None:
        self.handler, self.connections, self.requests, self.bodies = handler, 0, 0, []
        self.open_now = self.most_open = 0

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/v1/chat/completions"

    async def __aexit__(self, *exc: Any) -> None:
        self.server.close()

    async def read_request(self, reader: asyncio.StreamReader) -> bytes | None:
        head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
        if not head:
            return None
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        self.requests += 1
        body = await reader.readexactly(length)
        self.bodies.append(body)
        return head + body

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            await self.handler(reader, writer, self)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.open_now -= 1
            writer.close()


def ok(body: bytes = b'{"ok":1}', extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


async def keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    while await server.read_request(reader) is not None:
        writer.write(ok(server.bodies[-1]))
        await writer.drain()


def run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


async def posts(handler: Handler, count: int = 2, timeout: float = 2.0, limit: int = 4
                ) -> tuple[Server, ConnectionPool, list[Any]]:
    """``count`` posts one after another; each result is a reply or the exception raised."""
    server = Server(handler)
    async with server as url:
        pool = ConnectionPool(url, {"Authorization": "Bearer k"}, limit, timeout)
        results: list[Any] = []
        for i in range(count):
            try:
                results.append(await pool.post(b'{"n":%d}' % i, {"X-Writ-Dialogue": f"d{i}"}))
            except (TransportError, TimeoutError) as exc:
                results.append(exc)
        await pool.aclose()
    return server, pool, results


def test_a_kept_alive_connection_carries_every_request() -> None:
    server, pool, replies = run(posts(keep_alive, count=3))
    assert [r.content for r in replies] == [b'{"n":0}', b'{"n":1}', b'{"n":2}']
    assert server.connections == 1 == pool.connections and server.requests == 3


def test_the_request_carries_the_fixed_and_the_per_request_headers() -> None:
    seen: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while (request := await server.read_request(reader)) is not None:
            seen.append(request)
            writer.write(ok())

    run(posts(record, count=1))
    head = seen[0].split(b"\r\n\r\n")[0].split(b"\r\n")
    assert head[0] == b"POST /v1/chat/completions HTTP/1.1"
    assert b"Authorization: Bearer k" in head and b"X-Writ-Dialogue: d0" in head and b"Content-Length: 7" in head
    assert any(line.startswith(b"Host: 127.0.0.1:") for line in head)


def test_chunked_and_until_close_replies_are_read_whole() -> None:
    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while await server.read_request(reader) is not None:
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n")

    async def until_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b'{"b":2}')
        await writer.drain()

    server, _, replies = run(posts(chunked))
    assert [r.content for r in replies] == [b'{"a":1}', b'{"a":1}'] and server.connections == 1
    server, _, replies = run(posts(until_close))
    assert [r.content for r in replies] == [b'{"b":2}', b'{"b":2}'] and server.connections == 2


def test_a_reply_without_a_length_cut_by_a_reset_fails() -> None:
    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b'{"part')
        await writer.drain()
        await asyncio.sleep(0.05)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        writer.transport.abort()

    _, _, results = run(posts(reset, count=1))
    assert isinstance(results[0], TransportError) and "closed the connection" in str(results[0])


def test_a_connection_the_server_says_it_closes_is_not_reused() -> None:
    """The server says ``Connection: close`` but leaves the socket open (and would answer on it)."""
    async def say_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while await server.read_request(reader) is not None:
            writer.write(ok(extra=b"Connection: close\r\n"))
            await writer.drain()

    server, pool, replies = run(posts(say_close, count=3))
    assert all(r.status == 200 for r in replies) and server.connections == 3 == pool.connections
    assert server.requests == 3


def test_a_request_on_an_idle_connection_the_server_dropped_is_sent_again_on_a_new_one() -> None:
    """The server closes the kept-alive connection without saying so; the next request must not fail."""
    async def drop_after_reply(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(ok())
        await writer.drain()
        await reader.read(1)  # the next request's first byte, or end of file: close without answering

    server, pool, replies = run(posts(drop_after_reply, count=3))
    assert all(r.status == 200 for r in replies)
    assert pool.connections == server.connections == 3


def test_an_idle_connection_the_server_closed_is_not_used_again() -> None:
    async def close_after_reply(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(ok())
        await writer.drain()

    async def scenario() -> tuple[Server, ConnectionPool, list[Any]]:
        server = Server(close_after_reply)
        async with server as url:
            pool = ConnectionPool(url, {}, 1, 2.0)
            replies = []
            for _ in range(3):
                replies.append(await pool.post(b"{}", {}))
                await asyncio.sleep(0.05)  # the server's close arrives while the connection is idle
            await pool.aclose()
        return server, pool, replies

    server, pool, replies = run(scenario())
    assert all(r.status == 200 for r in replies) and server.connections == pool.connections == 3
    assert server.requests == 3


def test_a_connection_closing_when_it_is_taken_from_the_pool_is_replaced() -> None:
    """The transport is closing but the loop has not yet said the connection is lost."""
    async def scenario() -> tuple[Server, ConnectionPool, Any]:
        server = Server(keep_alive)
        async with server as url:
            pool = ConnectionPool(url, {}, 1, 2.0)
            await pool.post(b"{}", {})
            pool._idle[0].transport.close()  # connection_lost comes on a later turn of the loop
            reply = await pool.post(b"{}", {})
            await pool.aclose()
        return server, pool, reply

    server, pool, reply = run(scenario())
    assert reply.status == 200 and server.connections == pool.connections == 2


def test_a_reply_cut_short_fails_and_is_not_sent_again() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial")
        await writer.drain()

    server, _, results = run(posts(cut, count=1))
    assert isinstance(results[0], TransportError) and "closed the connection" in str(results[0])
    assert server.requests == 1


def test_a_reply_that_is_not_http_fails_with_a_transport_error() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
        await writer.drain()
        await reader.read()

    _, _, results = run(posts(garbage, count=1))
    assert isinstance(results[0], TransportError) and "not HTTP/1.1" in str(results[0])


def test_a_silent_server_times_out_and_its_connection_is_closed_at_once() -> None:
    async def silent_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        await server.read_request(reader)
        if server.connections == 1:
            await reader.read()  # never answers the first connection; returns when the client closes it
            return
        writer.write(ok())
        await writer.drain()
        await reader.read()

    async def scenario() -> tuple[Any, int, Any, int]:
        server = Server(silent_once)
        async with server as url:
            pool = ConnectionPool(url, {}, 1, 0.3)
            with pytest.raises(TimeoutError):
                await pool.post(b"{}", {})
            await asyncio.sleep(0.05)
            open_after_timeout = server.open_now
            reply = await pool.post(b"{}", {})
            await pool.aclose()
        return open_after_timeout, pool.connections, reply, server.connections

    open_after_timeout, opened, reply, served = run(scenario())
    assert open_after_timeout == 0 and reply.status == 200 and opened == served == 2


async def answer_when_told(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
    """Answers a request only if its body is ``{"answer":true}``; others wait until the client gives up."""
    while (request := await server.read_request(reader)) is not None:
        if not request.endswith(b'{"answer":true}'):
            await reader.read()
            return
        writer.write(ok())
        await writer.drain()


def test_an_exchange_times_out_at_its_own_deadline_not_at_an_earlier_exchanges() -> None:
    """The pool's one timer was set for the first exchange's deadline; when it fires, the second exchange,
    started 0.2 s later, still has time left and must get all of it."""
    async def scenario() -> tuple[Any, float]:
        server = Server(answer_when_told)
        async with server as url:
            pool = ConnectionPool(url, {}, 2, 0.4)
            first = await pool.post(b'{"answer":true}', {})
            await asyncio.sleep(0.2)
            started = asyncio.get_running_loop().time()
            with pytest.raises(TimeoutError):
                await pool.post(b"{}", {})
            waited = asyncio.get_running_loop().time() - started
            await pool.aclose()
        return first, waited

    first, waited = run(scenario())
    assert first.status == 200 and 0.39 <= waited < 1.0


def test_a_timed_out_exchange_leaves_the_others_in_flight_alone() -> None:
    async def scenario() -> tuple[Any, Any, int]:
        server = Server(answer_when_told)
        async with server as url:
            pool = ConnectionPool(url, {}, 2, 0.3)

            async def late_answered() -> Any:
                await asyncio.sleep(0.2)  # in flight when the silent one times out, and answered after
                return await pool.post(b'{"answer":true}', {})

            silent, answered = await asyncio.gather(pool.post(b"{}", {}), late_answered(), return_exceptions=True)
            await pool.aclose()
        return silent, answered, server.connections

    silent, answered, connections = run(scenario())
    assert isinstance(silent, TimeoutError) and answered.status == 200 and connections == 2


def test_a_shorter_timeout_set_while_an_exchange_waits_is_kept() -> None:
    async def scenario() -> tuple[Any, float]:
        server = Server(answer_when_told)
        async with server as url:
            pool = ConnectionPool(url, {}, 2, 5.0)
            slow = asyncio.ensure_future(pool.post(b"{}", {}))  # its deadline is 5 s away
            await asyncio.sleep(0.05)
            pool.timeout = 0.3
            started = asyncio.get_running_loop().time()
            with pytest.raises(TimeoutError):
                await pool.post(b"{}", {})
            waited = asyncio.get_running_loop().time() - started
            slow.cancel()
            await pool.aclose()
        return slow, waited

    _, waited = run(scenario())
    assert 0.29 <= waited < 1.0


def test_waiting_for_a_free_connection_counts_toward_the_timeout() -> None:
    async def scenario() -> tuple[list[Any], float]:
        server = Server(answer_when_told)
        async with server as url:
            pool = ConnectionPool(url, {}, 1, 0.3)
            started = asyncio.get_running_loop().time()
            results = await asyncio.gather(pool.post(b"{}", {}), pool.post(b'{"answer":true}', {}),
                                           return_exceptions=True)
            waited = asyncio.get_running_loop().time() - started
            await pool.aclose()
        return results, waited

    results, waited = run(scenario())
    assert all(isinstance(result, TimeoutError) for result in results) and waited < 0.6


def test_a_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def post() -> None:
        await ConnectionPool(f"http://127.0.0.1:{port}/v1", {}, 1, 2.0).post(b"{}", {})

    with pytest.raises(TransportError, match=f"cannot connect to 127.0.0.1:{port}"):
        run(post())


def test_no_more_connections_are_open_at_once_than_the_limit() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while await server.read_request(reader) is not None:
            await asyncio.sleep(0.05)
            writer.write(ok())

    async def many() -> tuple[Server, ConnectionPool, list[Any]]:
        server = Server(slow)
        async with server as url:
            pool = ConnectionPool(url, {}, 2, 5.0)
            replies = await asyncio.gather(*(pool.post(b"{}", {}) for _ in range(7)))
            await pool.aclose()
        return server, pool, replies

    server, pool, replies = run(many())
    assert len(replies) == 7 and server.most_open == 2 == pool.connections


def test_header_values_that_would_split_the_request_are_refused() -> None:
    assert header_lines({"X-A": "b"}) == b"X-A: b\r\n"
    for bad in ({"X-A": "b\r\nX-Evil: 1"}, {"X-A\n": "b"}, {"X:A": "b"}):
        with pytest.raises(ValueError, match="line break or a colon"):
            header_lines(bad)


@pytest.mark.parametrize("url, expected", [
    ("http://h/v1/chat/completions", ("http", "h", 80, "/v1/chat/completions", "h")),
    ("https://api.example.com/v1/x?api-version=2", ("https", "api.example.com", 443, "/v1/x?api-version=2",
                                                    "api.example.com")),
    ("http://user:pw@[::1]:8080", ("http", "::1", 8080, "/", "[::1]:8080")),
])
def test_an_origin_is_read_from_the_url(url: str, expected: tuple[Any, ...]) -> None:
    origin = Origin.of(url)
    assert (origin.scheme, origin.host, origin.port, origin.target, origin.authority) == expected


@pytest.mark.parametrize("url", ["localhost:8000/v1", "ftp://h/v1", "http:///v1", "http://h:port/v1"])
def test_what_is_not_an_http_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        Origin.of(url)
