"""Replays and forgeries against workers that share their records (an attack review's findings): a captured
request is recognised by whichever worker it reaches, and by a worker started after a reload; the GET echo and
/metrics give an attacker nothing to build on."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

import requests

from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.dedup import FileIdempotency
from oa_spec.gateway.protocol import signature
from oa_spec.gateway.runner import shared_records
from oa_spec.gateway.simulator import PlatformSimulator, event_message, message_xml, text_message
from oa_spec.history.state import open_state
from tests.gateway.helpers import ENV_HOOK, OFFICIAL_APPID, OFFICIAL_TOKEN, account
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_app import OPENID, config, simulator


def plain_simulator(url: str) -> PlatformSimulator:
    return PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, encrypt=False)


FORGED_CLICK = message_xml(event_message("CLICK", "BALANCE", openid="oSomeoneElse0000000000000000")).encode()


def forged_after_genuine(taken_at: str, query: Mapping[str, str], body: bytes, forged_at: str,
                         forged_query: Mapping[str, str]) -> requests.Response:
    """A genuine message posted on `query` (and taken), then a click with another follower's OpenID posted on
    `forged_query`: what an attacker holding the captured query sends."""
    assert requests.post(taken_at, params=query, data=body, timeout=5).status_code == 200
    return requests.post(forged_at, params=forged_query, data=FORGED_CLICK, timeout=5)


def test_a_forged_body_on_a_captured_query_is_refused_by_another_worker(tmp_path: Path) -> None:
    # plain mode signs the query, not the body: only the nonce memory binds them, and it was per worker
    hook = FakeWebhook()
    records = tmp_path / "records"
    workers = [GatewayApp([config(hook.url, mode="plain")], environ=ENV_HOOK, idempotency=FileIdempotency(records))
               for _ in range(2)]
    try:
        with running(workers[0]) as first, running(workers[1]) as second:
            query, body = plain_simulator(first).signed_request(text_message("你好", openid=OPENID))
            answer = forged_after_genuine(f"{first}/wx/citybank", query, body, f"{second}/wx/citybank", query)
    finally:
        hook.close()
    assert answer.status_code == 403 and answer.content == b"forbidden"
    assert hook.calls == []


def test_a_replay_after_a_reload_is_not_answered_again_and_the_webhook_runs_once(tmp_path: Path) -> None:
    # a replay two minutes on, inside the 300 s window, reaching a worker started since: the records were
    # dropped after 60 s and the nonces lived in the old worker's memory, so the webhook ran again
    hook = FakeWebhook()
    records = tmp_path / "records"
    try:
        before = GatewayApp([config(hook.url)], environ=ENV_HOOK, idempotency=FileIdempotency(records))
        with running(before) as url:
            sim = simulator(url)
            query, body = sim.signed_request(event_message("CLICK", "BALANCE", openid=OPENID))
            assert requests.post(f"{url}/wx/citybank", params=query, data=body, timeout=5).status_code == 200
        two_minutes_ago = time.time() - 120
        for record in records.iterdir():
            os.utime(record, (two_minutes_ago, two_minutes_ago))
        after = GatewayApp([config(hook.url)], environ=ENV_HOOK, idempotency=FileIdempotency(records))  # new worker
        with running(after) as url:
            replayed = requests.post(f"{url}/wx/citybank", params=query, data=body, timeout=5)
    finally:
        hook.close()
    assert replayed.status_code == 200 and len(hook.calls) == 1


def call(app: GatewayApp, path: str, query: str = "") -> tuple[str, dict[str, str], bytes]:
    got: list[tuple[str, dict[str, str]]] = []
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, lambda status, headers: got.append((status, dict(headers)))))
    return got[0][0], got[0][1], body


def test_one_worker_keeps_its_records_where_the_next_worker_finds_them(tmp_path: Path) -> None:
    # `oaspec serve` with one worker kept them in memory: a reload (kill -HUP) forgot every nonce and reply
    records = shared_records(None, open_state(None, tmp_path), tmp_path)
    assert isinstance(records, FileIdempotency)
    assert records.remember("k", "a") is None and FileIdempotency(tmp_path / "gateway" / "idempotency").remember(
        "k", "b") == "a"


def test_the_url_verification_echo_is_plain_text_a_browser_does_not_run() -> None:
    app = GatewayApp([account("safe")], environ=ENV_HOOK)
    timestamp, nonce = str(int(time.time())), "4242"
    echo = '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
    query = urlencode({"signature": signature(OFFICIAL_TOKEN, timestamp, nonce), "timestamp": timestamp,
                       "nonce": nonce, "echostr": echo})
    status, headers, body = call(app, "/wx/citybank", query)
    assert status == "200 OK" and body == echo.encode()
    assert headers["Content-Type"].startswith("text/plain") and headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_accounts_share_one_metrics_label() -> None:
    app = GatewayApp([account("safe")], environ=ENV_HOOK)
    for n in range(200):
        assert call(app, f"/wx/attacker-{n:04d}")[0].startswith("404")
    metrics = call(app, "/metrics")[2]
    assert b"attacker-" not in metrics and b'account="-"' in metrics
