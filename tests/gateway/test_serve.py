"""The gateway under a real WSGI server: gunicorn in a subprocess on a random loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from oa_spec.gateway.simulator import PlatformSimulator, event_message, text_message
from tests.gateway.helpers import ENV, OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
from tests.gateway.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = """
import json, sys
from oa_spec.gateway.app import serve
from oa_spec.gateway.config import AccountGateway
serve([AccountGateway.from_mapping(m) for m in json.load(open(sys.argv[1]))], "127.0.0.1", int(sys.argv[2]), 1,
      threads=int(sys.argv[3]))
"""
ACCOUNTS = [{"account_id": "citybank", "app_id": OFFICIAL_APPID, "token_env": "T_TOKEN", "aes_key_env": "T_AES",
             "mode": "safe", "subscribe_reply": "欢迎", "default_reply": "您好，这里是城市银行"}]


@contextmanager
def gunicorn(tmp_path: Path, threads: int = 16) -> Iterator[tuple[int, list[str]]]:
    """The gateway under gunicorn (one worker) on a free loopback port, once /healthz answers; yields the port
    and, once it stopped, its output."""
    (tmp_path / "accounts.json").write_text(json.dumps(ACCOUNTS, ensure_ascii=False))
    port = free_port()
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", LAUNCH, str(tmp_path / "accounts.json"), str(port), str(threads)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).text == "ok":
                    break
            except requests.RequestException:
                time.sleep(0.1)
        yield port, output
    finally:
        server.terminate()
        output.append(server.communicate(timeout=15)[0].decode())


def test_gunicorn_serves_encrypted_messages(tmp_path: Path) -> None:
    with gunicorn(tmp_path) as (port, output):
        sim = PlatformSimulator(f"http://127.0.0.1:{port}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID,
                                aes_key=OFFICIAL_KEY)
        assert sim.verify_url()
        reply = sim.push(text_message("随便问问")).reply
        assert reply is not None and reply["Content"] == "您好，这里是城市银行"
        welcome = sim.push(event_message("subscribe")).reply
        assert welcome is not None and welcome["Content"] == "欢迎"
    assert OFFICIAL_TOKEN not in output[0] and OFFICIAL_KEY not in output[0]
    assert '"path": "/wx/citybank"' in output[0]  # the JSON access log reaches the server's output


def _status_line(sock: socket.socket) -> bytes:
    try:
        return sock.recv(4096).split(b"\r\n", 1)[0]
    except TimeoutError:
        return b"(no answer)"


def test_a_request_without_the_platforms_signature_is_refused_before_its_body_is_waited_for(tmp_path: Path) -> None:
    # attack review 44, F5: POSTs with a wrong signature that declare a 60,000-byte body and send none each held
    # a gunicorn thread while the app waited for the body, so 2 x 16 of them silenced every follower
    head = (b"POST /wx/citybank?signature=forged&timestamp=1&nonce=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: text/xml\r\nContent-Length: 60000\r\n\r\n")
    with gunicorn(tmp_path, threads=2) as (port, _):
        slow = [socket.create_connection(("127.0.0.1", port), timeout=3) for _ in range(2)]  # one per thread
        try:
            for sock in slow:
                sock.sendall(head)
            answers = [_status_line(sock) for sock in slow]
        finally:
            for sock in slow:
                sock.close()
        sim = PlatformSimulator(f"http://127.0.0.1:{port}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID,
                                aes_key=OFFICIAL_KEY)
        reply = sim.push(text_message("随便问问")).reply
    assert answers == [b"HTTP/1.1 403 Forbidden"] * 2  # at once, no byte of the body sent
    assert reply is not None and reply["Content"] == "您好，这里是城市银行"
