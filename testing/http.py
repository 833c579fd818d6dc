"""Loopback HTTP servers: one that answers every request one way and records what reached it (a redirect to
another host, to prove nothing follows it, or a plain status); one that answers 200 with a body made from each
request's query; one that refuses every call with the request echoed in its errmsg; one that sends its answer a
byte at a time."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    url: str
    seen: list[str] = field(default_factory=list)  # "METHOD /path body" of each request


@contextmanager
def answering(status: int, location: str = "") -> Iterator[Recorded]:
    """A server answering `status` to everything; with `location`, a redirect there (the path appended)."""
    record = Recorded("")

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace")
            record.seen.append(f"{self.command} {self.path} {body}")
            self.send_response(status)
            if location:
                self.send_header("Location", location + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _any

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _serving(Handler) as record.url:
        yield record


@contextmanager
def replying(answer: Callable[[Mapping[str, str]], bytes]) -> Iterator[str]:
    """A server answering every POST 200 with `answer(query)` at once (a callback server's reply, made from the
    push's timestamp and nonce). Yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = answer(dict(parse_qsl(urlsplit(self.path).query)))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url


@contextmanager
def echoing(first: int | None = None, encode: Callable[[str], str] = str) -> Iterator[str]:
    """A server refusing every call as a platform or proxy might, with errcode 49999 and the request it got (path,
    query and body, as sent) in the errmsg; with `first`, only its first `first` characters (a proxy quoting the
    start of what it got); with `encode`, as `encode` gives it (a gateway quoting it base64-encoded). Yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace")
            request = encode(f"{self.path} {body}"[:first])
            answer = json.dumps({"errcode": 49999, "errmsg": f"bad request: {request}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = _any

        def log_message(self, format: str, *args: object) -> None:
            pass

    with _serving(Handler) as url:
        yield url


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a loopback port by threads that never hold the process open; yields the server's URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def trickling(body: bytes, every_s: float, head_too: bool = False, declare_length: bool = True) -> Iterator[str]:
    """A server that answers every request 200 with `body` (JSON), one byte every `every_s` seconds (all at once
    when 0), and with `head_too` its status line and headers too: each read gets a byte well within any
    per-read timeout. Without `declare_length` the body ends when the connection closes. Yields its URL."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def answer(conn: socket.socket) -> None:
        with conn:
            received = b""
            while b"\r\n\r\n" not in received and (chunk := conn.recv(65536)):
                received += chunk
            head_in, _, body_in = received.partition(b"\r\n\r\n")
            sent = next((int(line.split(b":")[1]) for line in head_in.lower().split(b"\r\n")
                         if line.startswith(b"content-length:")), 0)
            while len(body_in) < sent and (chunk := conn.recv(65536)):  # all of it: unread bytes make close() a reset
                body_in += chunk
            length = f"Content-Length: {len(body)}\r\n" if declare_length else ""
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
            try:
                if not head_too:
                    conn.sendall(head.encode())
                if every_s == 0:
                    conn.sendall(body)
                    return
                for byte in (head.encode() if head_too else b"") + body:
                    if stop.wait(every_s):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:  # the client gave up
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress
        listener.close()
