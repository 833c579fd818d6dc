"""A publishing client of the emulator over loopback HTTP, and a callback server that records pushes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from oa_spec.emulator import EmulatorServer

APPID = "wx00000000000000aa"
SECRET = "publishing-test-secret"
TIMEOUT = 5
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 64
GIF = b"GIF89a" + b"\x00" * 64


class Platform:
    """Calls with a token, as any client makes them; answers are the JSON bodies."""

    def __init__(self, server: EmulatorServer) -> None:
        self.base = f"{server.base_url}/cgi-bin/"
        self.http = requests.Session()
        self.http.trust_env = False
        body = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
        self.token = self.http.post(self.base + "stable_token", json=body, timeout=TIMEOUT).json()["access_token"]

    def post(self, path: str, body: Any) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.http.post(self.base + path, params={"access_token": self.token}, data=data,
                              timeout=TIMEOUT).json()

    def upload(self, path: str, data: bytes, **query: str) -> Any:
        return self.http.post(self.base + path, params={"access_token": self.token, **query},
                              files={"media": ("image.png", data, "image/png")}, timeout=TIMEOUT).json()

    def cover(self, data: bytes = JPEG) -> str:
        return str(self.upload("material/add_material", data, type="image")["media_id"])

    def draft(self, cover: str, title: str = "五分钟看懂存款保险", content: str = "<p>存款保险</p>") -> str:
        article = {"title": title, "author": "示例城市银行", "digest": "一文说清", "content": content,
                   "thumb_media_id": cover}
        return str(self.post("draft/add", {"articles": [article]})["media_id"])

    def sendall(self, media_id: str, tag_id: int, clientmsgid: str = "") -> Any:
        body = {"filter": {"is_to_all": False, "tag_id": tag_id}, "mpnews": {"media_id": media_id},
                "msgtype": "mpnews", "send_ignore_reprint": 0, "clientmsgid": clientmsgid}
        return self.post("message/mass/sendall", body)


class Receiver:
    """What a callback server saw: (query, body) per request; it answers the queued statuses, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        self.statuses: list[int] = []
        self.arrived = threading.Condition()

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[dict[str, str], str]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout=timeout)
            return list(self.requests)


@contextmanager
def callback_server() -> Iterator[tuple[str, Receiver]]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            with receiver.arrived:
                receiver.requests.append((dict(parse_qsl(urlsplit(self.path).query)), body))
                receiver.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "7")
            self.end_headers()
            self.wfile.write(b"success")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/wechat", receiver
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
