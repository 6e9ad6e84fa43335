"""The loopback endpoint's own HTTP/1.1 server, spoken to over raw sockets: keep-alive, routes, bad requests."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

import httptools

from writ_dsl.runner.endpoint import DIALOGUE_HEADER
from writ_dsl.runner.loopback import LoopbackServer

from .helpers import make_task, many_tasks


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


class Replies:
    """The replies read off one connection, in order (one read may hold the end of one and the next)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.done: list[Reply] = []
        self.parser = httptools.HttpResponseParser(self)
        self.headers: dict[str, str] = {}
        self.body = b""

    def on_message_begin(self) -> None:
        self.headers, self.body = {}, b""

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode().lower()] = value.decode()

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.done.append(Reply(self.parser.get_status_code(), self.headers, self.body))

    def next(self) -> Reply:
        while not self.done:
            data = self.sock.recv(65536)
            assert data, "the server closed the connection before replying"
            self.parser.feed_data(data)
        return self.done.pop(0)


def post(path: str, body: dict[str, object], dialogue: str, *, close: bool = False) -> bytes:
    raw = json.dumps(body).encode()
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             f"{DIALOGUE_HEADER}: {dialogue}", f"Content-Length: {len(raw)}", *(["Connection: close"] if close else [])]
    return "\r\n".join([*lines, "", ""]).encode() + raw


def user_turn() -> dict[str, object]:
    return {"model": "m", "messages": [{"role": "system", "content": "You are the user."},
                                       {"role": "user", "content": "Hi! How can I help you today?"}]}


def connect(server: LoopbackServer) -> socket.socket:
    port = int(server.base_url.split(":")[2].split("/")[0])
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def test_two_requests_on_one_connection_are_answered_in_turn_and_it_stays_open() -> None:
    task = make_task()
    with LoopbackServer([task]) as server, connect(server) as sock:
        sock.sendall(post("/v1/chat/completions", user_turn(), task.id) * 2)  # the second before the first's reply
        replies = Replies(sock)
        first, second = replies.next(), replies.next()
        sock.sendall(post("/v1/chat/completions", user_turn(), task.id))
        third = replies.next()
    for reply in (first, second, third):
        assert reply.status == 200 and reply.headers["content-type"] == "application/json"
        assert "connection" not in reply.headers
        assert json.loads(reply.body)["choices"][0]["message"]["content"]
    assert first.body == second.body == third.body
    assert server.counts["requests"] == 3


def test_an_unknown_route_method_or_dialogue_is_a_400_with_a_json_error() -> None:
    task = make_task()
    with LoopbackServer([task]) as server, connect(server) as sock:
        replies = Replies(sock)
        sock.sendall(post("/v1/embeddings", user_turn(), task.id))
        route = replies.next()
        sock.sendall(post("/v1/chat/completions", user_turn(), "no-such-dialogue"))
        dialogue = replies.next()
        sock.sendall(b"GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + DIALOGUE_HEADER.encode()
                     + b": " + task.id.encode() + b"\r\n\r\n")
        method = replies.next()
    for reply in (route, dialogue, method):
        assert reply.status == 400 and json.loads(reply.body)["error"]["type"] == "invalid"


def test_bytes_that_are_not_http_get_a_400_and_the_connection_closed() -> None:
    with LoopbackServer([make_task()]) as server, connect(server) as sock:
        sock.sendall(b"\x16\x03\x01 hello, this is not HTTP\r\n\r\n")
        reply = Replies(sock).next()
        assert reply.status == 400 and reply.headers["connection"] == "close"
        assert sock.recv(100) == b""


def test_connection_close_is_honoured_and_refusals_carry_their_status() -> None:
    task = make_task()
    with LoopbackServer([task], refuse_with=499) as server, connect(server) as sock:
        sock.sendall(post("/v1/chat/completions", user_turn(), task.id, close=True))
        reply = Replies(sock).next()
        assert reply.status == 499 and reply.headers["connection"] == "close"
        assert "invalid credentials" in json.loads(reply.body)["error"]["message"]
        assert sock.recv(100) == b""


def test_stopping_the_endpoint_closes_the_connections_clients_still_hold() -> None:
    import socket

    from writ_dsl.runner.loopback import LoopbackServer

    server = LoopbackServer(many_tasks(1)).start()
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        assert client.recv(65536).startswith(b"HTTP/1.1 400")  # kept alive: the connection stays open
        server.stop()
        assert client.recv(65536) == b"", "the server's end of the connection is closed with it"
