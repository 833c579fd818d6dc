"""A loopback HTTP server that answers every request one way and records what reached it: a redirect to
another host (to prove nothing follows it), or a plain status."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    record.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
