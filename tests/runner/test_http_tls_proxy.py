"""The connection pool over TLS and through proxies, against raw asyncio servers."""

from __future__ import annotations

import asyncio
import base64
import ssl
from typing import Any

import pytest

from writ_dsl.runner.http_pool import ConnectionPool, Origin, Proxy, TransportError, environment_proxy

from .test_http_pool import Server, keep_alive, ok, run


def tls_authority() -> tuple[Any, ssl.SSLContext]:
    """A certificate authority (trustme) and a server context holding its certificate for 127.0.0.1."""
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(served)
    return authority, served


async def post_once(pool: ConnectionPool, body: bytes, *servers: asyncio.Server) -> Any:
    """One post: its reply, or the TransportError it raised; the pool and ``servers`` are closed after."""
    try:
        return await pool.post(body, {})
    except TransportError as exc:
        return exc
    finally:
        await pool.aclose()
        for server in servers:
            server.close()


def test_https_is_verified_against_the_trusted_certificates() -> None:
    authority, served = tls_authority()

    async def exchange(trusting: bool) -> Any:
        server = await asyncio.start_server(lambda r, w: keep_alive(r, w, Server(keep_alive)), "127.0.0.1", 0,
                                            ssl=served)
        client = ssl.create_default_context()
        if trusting:
            authority.configure_trust(client)
        pool = ConnectionPool(f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1", {}, 1, 3.0, tls=client)
        return await post_once(pool, b'{"tls":1}', server)

    assert run(exchange(True)).content == b'{"tls":1}'
    refused = run(exchange(False))
    assert isinstance(refused, TransportError) and "certificate" in str(refused).lower()


# ------------------------------------------------------------------------------------------------- proxies
def test_the_environment_names_the_proxy_unless_no_proxy_or_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "all_proxy",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert environment_proxy(Origin.of("https://api.example.com/v1")) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://ann:s%40fe@proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    found = environment_proxy(Origin.of("https://api.example.com/v1"))
    assert found is not None and (found.origin.host, found.origin.port) == ("proxy.corp", 3128)
    assert found.authorization == "Basic " + base64.b64encode(b"ann:s@fe").decode()
    assert environment_proxy(Origin.of("https://internal.example/v1")) is None
    assert environment_proxy(Origin.of("http://api.example.com/v1")) is None  # no HTTP_PROXY
    monkeypatch.setenv("ALL_PROXY", "proxy.corp:8080")
    assert environment_proxy(Origin.of("http://api.example.com/v1")).origin.port == 8080  # type: ignore[union-attr]
    for loopback in ("http://127.0.0.1:8000/v1", "http://localhost:8000/v1", "https://[::1]/v1"):
        assert environment_proxy(Origin.of(loopback)) is None
    monkeypatch.setenv("HTTPS_PROXY", "socks5://proxy.corp:1080")
    with pytest.raises(ValueError, match="not an http:// proxy"):
        environment_proxy(Origin.of("https://api.example.com/v1"))


def test_an_http_origin_is_asked_of_the_proxy_by_its_whole_url() -> None:
    seen: list[bytes] = []

    async def proxy_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server) -> None:
        while (request := await server.read_request(reader)) is not None:
            seen.append(request)
            writer.write(ok(b'{"via":"proxy"}'))

    async def scenario() -> Any:
        server = Server(proxy_answers)
        async with server as url:
            proxy = Proxy.of("http://ann:pw@" + url.split("//")[1].split("/")[0])
            pool = ConnectionPool("http://api.example.test/v1/chat/completions", {}, 1, 2.0, proxy=proxy)
            reply = await pool.post(b"{}", {})
            await pool.aclose()
        return reply

    assert run(scenario()).content == b'{"via":"proxy"}'
    head = seen[0].split(b"\r\n")
    assert head[0] == b"POST http://api.example.test/v1/chat/completions HTTP/1.1"
    assert b"Host: api.example.test" in head
    assert b"Proxy-Authorization: Basic " + base64.b64encode(b"ann:pw") in head


def test_an_https_origin_is_reached_through_a_connect_tunnel() -> None:
    authority, served = tls_authority()
    asked: list[bytes] = []

    async def tunnel(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        asked.append(head)
        if b"Proxy-Authorization: Basic" not in head:
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            writer.close()
            return
        host, port = head.split(b" ")[1].decode().rsplit(":", 1)
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer), return_exceptions=True)

    async def scenario(credentials: str) -> Any:
        origin = await asyncio.start_server(lambda r, w: keep_alive(r, w, Server(keep_alive)), "127.0.0.1", 0,
                                            ssl=served)
        proxy_server = await asyncio.start_server(tunnel, "127.0.0.1", 0)
        client = ssl.create_default_context()
        authority.configure_trust(client)
        proxy = Proxy.of(f"http://{credentials}127.0.0.1:{proxy_server.sockets[0].getsockname()[1]}")
        pool = ConnectionPool(f"https://127.0.0.1:{origin.sockets[0].getsockname()[1]}/v1", {}, 1, 3.0,
                              tls=client, proxy=proxy)
        return await post_once(pool, b'{"tunnelled":1}', proxy_server, origin)

    assert run(scenario("ann:pw@")).content == b'{"tunnelled":1}'
    assert asked[-1].startswith(b"CONNECT 127.0.0.1:")
    refused = run(scenario(""))
    assert isinstance(refused, TransportError) and "refused the tunnel: HTTP/1.1 407" in str(refused)
