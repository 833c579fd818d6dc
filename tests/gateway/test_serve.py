"""The gateway under a real WSGI server: gunicorn in a subprocess on a random loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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
serve([AccountGateway.from_mapping(m) for m in json.load(open(sys.argv[1]))], "127.0.0.1", int(sys.argv[2]), 1)
"""


def test_gunicorn_serves_encrypted_messages(tmp_path: Path) -> None:
    accounts = [{"account_id": "citybank", "app_id": OFFICIAL_APPID, "token_env": "T_TOKEN", "aes_key_env": "T_AES",
                 "mode": "safe", "subscribe_reply": "欢迎", "default_reply": "您好，这里是城市银行"}]
    (tmp_path / "accounts.json").write_text(json.dumps(accounts, ensure_ascii=False))
    port = free_port()
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", LAUNCH, str(tmp_path / "accounts.json"), str(port)], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/healthz", timeout=0.5).text == "ok":
                    break
            except requests.RequestException:
                time.sleep(0.1)
        sim = PlatformSimulator(f"{base}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY)
        assert sim.verify_url()
        reply = sim.push(text_message("随便问问")).reply
        assert reply is not None and reply["Content"] == "您好，这里是城市银行"
        welcome = sim.push(event_message("subscribe")).reply
        assert welcome is not None and welcome["Content"] == "欢迎"
    finally:
        server.terminate()
        output = server.communicate(timeout=15)[0].decode()
    assert OFFICIAL_TOKEN not in output and OFFICIAL_KEY not in output
    assert '"path": "/wx/citybank"' in output  # the JSON access log reaches the server's output
