"""A keep-alive HTTP/1.1 connection pool to one origin: the endpoint client's transport.

A teacher run sends one POST per completion and waits for one whole JSON reply. A general-purpose client's
per-request machinery (header multidicts, URL objects, tracing hooks, payload registries, cookie handling)
costs more CPU than the rest of a dialogue turn, and most of all at low concurrency, where every reply wakes
a process whose caches have gone cold. This pool does that one exchange and nothing else:

- the request head is written once per pool and completed per request with its own headers;
- the reply is parsed by httptools (llhttp), whatever its framing: ``Content-Length``, chunked, or until the
  server closes the connection;
- at most ``limit`` exchanges at once, each on a connection of its own, reused while the server keeps it
  alive (an idle connection that receives anything, such as a 408 before the server closes it, is dropped);
- TLS for ``https`` URLs, verified against the system's certificates;
- a reply's head is at most ``MAX_HEAD_BYTES`` and its body at most ``MAX_REPLY_BYTES`` (a chat completion is
  far smaller; an endless or runaway reply fails with :class:`ReplyTooLarge` instead of filling memory);
- interim ``1xx`` replies are skipped, as HTTP/1.1 asks of a client;
- a request sent on a reused connection that the server had closed meanwhile is sent once more on a new
  connection, as long as no byte of a reply came back;
- one timeout for the whole exchange: waiting for a free slot, connecting, sending and reading (the reply is
  watched by one timer per pool, armed for the oldest exchange in flight, rather than a timer per request: a
  client that wakes from an idle wait for every reply pays for each piece of machinery it runs then);
- the proxy the environment names (``$HTTPS_PROXY``, ``$HTTP_PROXY``, ``$ALL_PROXY``, less ``$NO_PROXY``, as
  the standard library reads them; never for a loopback host): an ``https`` origin through a ``CONNECT``
  tunnel, an ``http`` one by asking the proxy for the absolute URL; ``user:password@`` in the proxy URL is
  sent as ``Proxy-Authorization``.

Errors: :class:`TransportError` (refused, reset or closed connections, TLS failures, replies that are not
HTTP; :class:`ReplyTooLarge`, a reply over the limits) and :class:`TimeoutError`. The caller decides what to
retry.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import ssl
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httptools


EARLY = 0.001  # seconds before its deadline that an exchange may be timed out (a timer may fire that early)
MAX_HEAD_BYTES = 64 * 1024  # a reply's status line and headers
MAX_REPLY_BYTES = 16 * 1024 * 1024  # a reply's body


class TransportError(Exception):
    """The exchange failed below HTTP: no usable reply came back."""


class ReplyTooLarge(TransportError):
    """The reply's head or body is over its limit (asking again would bring the same)."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]  # names in lower case
    content: bytes


@dataclass(frozen=True)
class Origin:
    """Where requests go: scheme, host and port to connect to, and the request target."""

    scheme: str
    host: str
    port: int
    target: str
    authority: str  # the Host header

    @classmethod
    def of(cls, url: str) -> Origin:
        """Raises ValueError for what is not an absolute http(s) URL."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)  # .port raises ValueError if malformed
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(parts.scheme, parts.hostname, port, target, parts.netloc.rpartition("@")[2])


@dataclass(frozen=True)
class Proxy:
    origin: Origin
    authorization: str | None = None  # the Proxy-Authorization value, from the URL's user:password

    @classmethod
    def of(cls, url: str) -> Proxy:
        """Raises ValueError for what is not an http:// proxy URL."""
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the proxy {parts.scheme}://{parts.hostname or ''} is not an http:// proxy")
        credentials = None
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            credentials = "Basic " + base64.b64encode(pair).decode()
        return cls(Origin.of(parts.geturl()), credentials)


def environment_proxy(origin: Origin) -> Proxy | None:
    """The proxy the environment names for ``origin``, or None (none named, ``$NO_PROXY`` lists the host, or
    the host is this machine's loopback)."""
    proxies = urllib.request.getproxies_environment()
    url = proxies.get(origin.scheme) or proxies.get("all")
    if not url or _loopback(origin.host) or urllib.request.proxy_bypass_environment(origin.host, proxies):
        return None
    return Proxy.of(url)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost")


def header_lines(headers: Mapping[str, str]) -> bytes:
    """``Name: value`` lines; ValueError for a name or value that would break the request."""
    for name, value in headers.items():
        if ":" in name or any(c in text for c in "\r\n" for text in (name, value)):
            raise ValueError(f"header {name!r} holds a line break or a colon where it may not")
    return "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode("latin-1")


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection, one exchange at a time; the httptools callbacks build its reply."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Reply] | None = None
        self.closed = False
        self.replied = False  # a byte of the current reply has come
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._sizes = [0, 0]  # bytes of the reply's head and body so far
        self._in_head = False  # a reply has begun and its headers are not complete yet
        self._until_close: bool | None = None  # None until the headers are complete

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def exchange(self, data: Sequence[bytes]) -> asyncio.Future[Reply]:
        assert self.transport is not None
        self.replied = False
        if self.closed or self.transport.is_closing():
            raise TransportError("the server closed the connection")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.writelines(data)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        if self.waiter is None:  # nothing was asked: the server is closing or confused
            self.abort()
            return
        self.replied = True
        try:
            self.parser.feed_data(data)
            if self._in_head:  # the parser keeps a header it has not seen the end of: count what it holds
                self._count(0, len(data))
        except (httptools.HttpParserError, ReplyTooLarge) as exc:
            cause = exc if isinstance(exc, ReplyTooLarge) else exc.__context__ or exc.__cause__
            self._fail(cause if isinstance(cause, ReplyTooLarge) else
                       TransportError(f"the reply is not HTTP/1.1 ({exc})"))
            self.abort()

    def on_message_begin(self) -> None:
        self._in_head, self._sizes[0] = True, 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def _count(self, part: int, size: int) -> None:
        self._sizes[part] += size
        limit = (MAX_HEAD_BYTES, MAX_REPLY_BYTES)[part]
        if self._sizes[part] > limit:
            raise ReplyTooLarge(f"the reply's {('head', 'body')[part]} is over {limit // 1024:,} KiB")

    def on_headers_complete(self) -> None:
        self._in_head = False
        chunked = "chunked" in self._headers.get("transfer-encoding", "").lower()
        self._until_close = not chunked and "content-length" not in self._headers

    def on_body(self, body: bytes) -> None:
        self._count(1, len(body))
        self._body.append(body)

    def on_message_complete(self) -> None:
        if 100 <= self.parser.get_status_code() < 200:  # an interim reply: the real one follows
            self._headers, self._body, self._sizes, self._until_close = {}, [], [0, 0], None
            return
        if not self.parser.should_keep_alive():
            self.abort()
        self._complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._until_close and exc is None:  # a reply without a length ends when the connection closes
            self._complete()
        reason = f" ({exc})" if exc else ""
        self._fail(TransportError(f"the server closed the connection{reason}"))

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _complete(self) -> None:
        reply = Reply(self.parser.get_status_code(), self._headers, b"".join(self._body))
        self._headers, self._body, self._sizes, self._until_close = {}, [], [0, 0], None
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(reply)

    def time_out(self) -> None:
        """The exchange took too long: it fails, and the connection closes (a late reply can't be told apart)."""
        self._fail(TimeoutError("no reply in time"))
        self.abort()

    def _fail(self, error: Exception) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)


class _Tunnel(asyncio.Protocol):
    """The proxy's reply to ``CONNECT``, read up to the blank line that ends its head."""

    def __init__(self) -> None:
        self.head = bytearray()
        self.done: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self.head += data
        if self.done.done():
            return
        if b"\r\n\r\n" in self.head:
            self.done.set_result(bytes(self.head))
        elif len(self.head) > MAX_HEAD_BYTES:
            self.done.set_exception(ReplyTooLarge(f"the proxy's reply head is over {MAX_HEAD_BYTES // 1024} KiB"))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_exception(TransportError("the proxy closed the connection"))


class ConnectionPool:
    """POSTs to one URL from the running event loop; ``headers`` go with every request. ``tls`` replaces the
    default verifying context for ``https`` URLs; ``proxy`` the one the environment names (``False``: none)."""

    def __init__(self, url: str, headers: Mapping[str, str], limit: int, timeout: float,
                 tls: ssl.SSLContext | None = None, proxy: Proxy | None | bool = True) -> None:
        self.origin = Origin.of(url)
        self.timeout = timeout
        self.proxy = environment_proxy(self.origin) if proxy is True else proxy or None
        fixed = {"Host": self.origin.authority, **headers}
        target = self.origin.target
        if self.proxy is not None and self.origin.scheme == "http":  # the proxy is asked for the whole URL
            target = f"http://{self.origin.authority}{target}"
            if self.proxy.authorization:
                fixed["Proxy-Authorization"] = self.proxy.authorization
        self._head = f"POST {target} HTTP/1.1\r\n".encode("latin-1") + header_lines(fixed)
        self._slots = asyncio.Semaphore(max(limit, 1))
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()
        self._tls = (tls or ssl.create_default_context()) if self.origin.scheme == "https" else None
        self._lines: dict[tuple[tuple[str, str], ...], bytes] = {}  # per-request headers, encoded once each
        self._deadlines: dict[_Connection, float] = {}  # exchanges in flight -> when they time out (loop time)
        self._watch: asyncio.TimerHandle | None = None  # fires at or before the earliest of those deadlines
        self.connections = 0  # opened so far

    async def post(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        key = tuple(headers.items())
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= 4096:
                self._lines.clear()
            lines = self._lines[key] = header_lines(headers)
        head = self._head + lines + b"Content-Length: %d\r\n\r\n" % len(body)
        deadline = asyncio.get_running_loop().time() + self.timeout
        if self._slots.locked():
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        else:
            await self._slots.acquire()  # at once
        try:
            connection = self._reused()
            if connection is not None:
                try:
                    return await self._exchange(connection, (head, body), deadline)
                except TransportError:
                    if connection.replied:
                        raise
            async with asyncio.timeout_at(deadline):
                connection = await self._connect()
            return await self._exchange(connection, (head, body), deadline)
        finally:
            self._slots.release()

    async def aclose(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        for connection in list(self._open):
            connection.abort()
        self._idle.clear()
        await asyncio.sleep(0)  # let the transports close their sockets before the loop ends

    def _reused(self) -> _Connection | None:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return None

    async def _exchange(self, connection: _Connection, data: Sequence[bytes], deadline: float) -> Reply:
        self._deadlines[connection] = deadline
        if self._watch is None or deadline < self._watch.when():  # the rarer case: a shorter timeout set since
            if self._watch is not None:
                self._watch.cancel()
            self._watch = asyncio.get_running_loop().call_at(deadline, self._expire)
        try:
            reply = await connection.exchange(data)
        except BaseException:  # a failure, a timeout or a cancellation: its reply can't be trusted now
            connection.abort()
            self._open.discard(connection)
            raise
        finally:
            del self._deadlines[connection]
        if connection.closed:
            self._open.discard(connection)
        else:
            self._idle.append(connection)
        return reply

    def _expire(self) -> None:
        """Time out the exchanges whose deadline has come, and watch for the earliest of the others."""
        loop, self._watch = asyncio.get_running_loop(), None
        due = loop.time() + EARLY
        for connection in [c for c, deadline in self._deadlines.items() if deadline <= due]:
            connection.time_out()
        if later := [deadline for deadline in self._deadlines.values() if deadline > due]:
            self._watch = loop.call_at(min(later), self._expire)

    async def _connect(self) -> _Connection:
        origin, loop = self.origin, asyncio.get_running_loop()
        try:
            if self.proxy is not None and self._tls is not None:
                connection = await self._tunnel()
            else:
                to = self.proxy.origin if self.proxy is not None else origin
                _, connection = await loop.create_connection(
                    _Connection, to.host, to.port, ssl=self._tls,
                    server_hostname=to.host if self._tls else None, happy_eyeballs_delay=0.25)
        except OSError as exc:  # refused, unreachable, unknown host, TLS (ssl.SSLError is an OSError)
            via = f" through the proxy {self.proxy.origin.authority}" if self.proxy is not None else ""
            raise TransportError(f"cannot connect to {origin.host}:{origin.port}{via}: "
                                 f"{exc.strerror or exc}") from None
        self.connections += 1
        self._open.add(connection)
        return connection

    async def _tunnel(self) -> _Connection:
        """A TLS connection to the origin inside a ``CONNECT`` tunnel through the proxy."""
        assert self.proxy is not None and self._tls is not None
        origin, proxy, loop = self.origin, self.proxy, asyncio.get_running_loop()
        transport, tunnel = await loop.create_connection(_Tunnel, proxy.origin.host, proxy.origin.port,
                                                         happy_eyeballs_delay=0.25)
        try:
            asked = {"Host": f"{origin.host}:{origin.port}"}
            if proxy.authorization:
                asked["Proxy-Authorization"] = proxy.authorization
            transport.write(f"CONNECT {origin.host}:{origin.port} HTTP/1.1\r\n".encode() + header_lines(asked)
                            + b"\r\n")
            status = (await tunnel.done).split(b"\r\n", 1)[0].decode("latin-1")
            if status.split()[1:2] != ["200"]:
                raise TransportError(f"the proxy {proxy.origin.authority} refused the tunnel: {status}")
            connection = _Connection()
            secured = await loop.start_tls(transport, connection, self._tls, server_hostname=origin.host)
        except BaseException:
            transport.abort()
            raise
        connection.connection_made(secured)
        return connection
