"""The emulator on HTTP: a threaded server on 127.0.0.1 speaking the platform's wire format."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qsl

from oa_spec.emulator.api import UPLOAD_PATHS, Emulator
from oa_spec.emulator.base import Call, Outcome
from oa_spec.emulator.client import EmulatorAdmin
from oa_spec.emulator.state import HOST, MAX_BODY_BYTES, UPLOAD_MAX_BODY_BYTES, Json
from oa_spec.util.redact import redact_query
from oa_spec.util.urls import split_url

log = logging.getLogger("oa_spec.emulator")

# --- HTTP ------------------------------------------------------------------------------------------
class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connects when many accounts run in parallel
    emulator: Emulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the client gave up (a timeout): expected here
            log.debug("emulator: client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so that clients can reuse connections
    disable_nagle_algorithm = True  # else headers and body, sent apart, stall ~40 ms on delayed ACKs
    timeout = 60  # idle keep-alive connections are closed after this many seconds

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        emulator = cast(_HTTPServer, self.server).emulator
        url = split_url(self.path)
        query = dict(parse_qsl(url.query)) if url is not None else {}
        uploading = url is not None and url.path.removeprefix("/cgi-bin/") in UPLOAD_PATHS
        raw = self._body(UPLOAD_MAX_BODY_BYTES if uploading else MAX_BODY_BYTES)
        if url is None:
            outcome = Outcome(400, {"error": "malformed request path"})
        elif url.path.startswith("/cgi-bin/"):
            call = Call(url.path.removeprefix("/cgi-bin/"), method, query, raw, self.client_address[0],
                        content_type=self.headers.get("Content-Type") or "")
            outcome = emulator.api(call)
        elif url.path.startswith("/_admin/"):
            outcome = emulator.admin(method, url.path, query, _json_or_none(raw))
        else:
            outcome = Outcome(404, {"error": "not found"})
        if outcome.payload is None:
            self._drop()
        else:
            self._send(outcome.status, outcome.payload, outcome.partial, outcome.raw, outcome.byte_ms)

    def _body(self, max_bytes: int) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > max_bytes:
            self.close_connection = True
            return b"{"  # malformed on purpose: answered with 47001
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Json, partial: bool = False, raw: bytes | None = None,
              byte_ms: int = 0) -> None:
        """The answer (`raw` as it is, else the payload; a byte every `byte_ms`); with `partial`, its headers and
        the first half of its body, then the connection is closed: a network path that breaks mid-answer."""
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if raw is None else raw
        self.send_response(status)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if byte_ms:
            self._trickle(data, byte_ms)
            return
        if not partial:
            self.wfile.write(data)
            return
        with contextlib.suppress(OSError):
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
        self._drop()

    def _trickle(self, data: bytes, byte_ms: int) -> None:
        with contextlib.suppress(OSError):  # the client gave up
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(byte_ms / 1000)

    def _drop(self) -> None:
        """Close the socket without a byte of answer, as a broken network path does."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: %s", redact_query(format % args))  # request lines carry tokens


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except ValueError:
        return None


class EmulatorServer:
    """The emulator on 127.0.0.1, served from a background thread. A context manager."""

    def __init__(self, emulator: Emulator, port: int = 0) -> None:
        self.emulator = emulator
        self._httpd = _HTTPServer((HOST, port), _RequestHandler)
        self._httpd.emulator = emulator
        # A short poll interval makes stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oaspec-emulator", daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def admin(self) -> EmulatorAdmin:
        return EmulatorAdmin(self.base_url)

    def start(self) -> EmulatorServer:
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (for `oaspec emulator` in the foreground)."""
        self._thread.join()

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits for serve_forever, which must be running
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def run_emulator(port: int = 0, latency_ms: int = 0, state_file: Path | str | None = None,
                 matchrule_echo: str = "tag_id") -> EmulatorServer:
    """Start an emulator in a background thread; port 0 picks a free port (see `.base_url`)."""
    emulator = Emulator(latency_ms=latency_ms, state_file=Path(state_file) if state_file else None,
                        matchrule_echo=matchrule_echo)
    return EmulatorServer(emulator, port).start()
