"""The gateway under a real WSGI server: gunicorn in a subprocess on a random loopback port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec.gateway.simulator import PlatformSimulator, event_message, text_message
from tests.gateway.helpers import ENV_HOOK, OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
from tests.gateway.servers import FakeWebhook, free_port

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = """
import json, sys
from oa_spec.gateway.server import serve
from oa_spec.gateway.config import AccountGateway
serve([AccountGateway.from_mapping(m) for m in json.load(open(sys.argv[1]))], "127.0.0.1", int(sys.argv[2]),
      int(sys.argv[5]), threads=int(sys.argv[3]), **json.loads(sys.argv[4]))
"""
ACCOUNTS = [{"account_id": "citybank", "app_id": OFFICIAL_APPID, "token_env": "T_TOKEN", "aes_key_env": "T_AES",
             "mode": "safe", "subscribe_reply": "欢迎", "default_reply": "您好，这里是城市银行"}]


@contextmanager
def gunicorn(tmp_path: Path, threads: int = 16, accounts: list[dict[str, Any]] | None = None, workers: int = 1,
             **options: float) -> Iterator[tuple[int, list[str]]]:
    """The gateway under gunicorn (one worker unless told) on a free loopback port, once /healthz answers; yields
    the port and, once it stopped, its output. `options` go to the app (e.g. budget_s)."""
    (tmp_path / "accounts.json").write_text(json.dumps(accounts or ACCOUNTS, ensure_ascii=False))
    port = free_port()
    env = {**os.environ, **ENV_HOOK, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", LAUNCH, str(tmp_path / "accounts.json"), str(port), str(threads),
                               json.dumps(options), str(workers)],
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
        output.append(server.communicate(timeout=75)[0].decode())


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


def _with_slow_module(hook_url: str) -> list[dict[str, Any]]:
    """ACCOUNTS' account with a click key answered by a module's webhook and a keyword reply."""
    return [{**ACCOUNTS[0], "click_actions": {"BALANCE": {"module": "balance"}},
             "modules": [{"id": "balance", "webhook": {"url": hook_url, "timeout_s": 3.0, "secret_env": "T_HOOK"}}],
             "keyword_rules": [{"name": "hours", "keywords": [{"match": "contains", "keyword": "营业时间"}],
                                "replies": ["工作日 9:00-17:00"]}]}]


def _simulator(port: int, deadline_s: float) -> PlatformSimulator:
    return PlatformSimulator(f"http://127.0.0.1:{port}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID,
                             aes_key=OFFICIAL_KEY, deadline_s=deadline_s, attempts=1)


def _timed_click(port: int, openid: str) -> tuple[float, bool]:
    """A follower's click on BALANCE: seconds until answered, and whether it was answered in time."""
    began = time.monotonic()
    result = _simulator(port, 5.0).push(event_message("CLICK", "BALANCE", openid=openid))
    return time.monotonic() - began, result.status == 200


def _access(output: str, outcome: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith('{"account"')]
    return [line for line in lines if line["outcome"] == outcome]


def test_followers_waiting_on_a_slow_webhook_never_hold_every_thread(tmp_path: Path) -> None:
    """Attack review 55 F1: each module message held a gunicorn thread for the whole budget, so a burst of them
    (threads / budget a second) queued every other follower's reply, a keyword's included, past the platform's
    deadline. At most half the threads wait on webhooks; past that a module's message is answered `success` at
    once (its reply goes through customer service), and a keyword reply is answered at once."""
    hook = FakeWebhook(delay_s=2.5)
    try:
        with (gunicorn(tmp_path, threads=4, accounts=_with_slow_module(hook.url), budget_s=1.0) as (port, output),
              ThreadPoolExecutor(max_workers=8) as clicks):
            burst = [clicks.submit(_timed_click, port, f"oFollower{n:018d}") for n in range(8)]
            time.sleep(0.3)  # the burst is in: every thread would be waiting on the webhook
            began = time.monotonic()
            hours = _simulator(port, 1.0).push(text_message("营业时间是几点", openid="oAsksHours00000000000000000"))
            took = time.monotonic() - began
            answered = [click.result() for click in burst]
    finally:
        hook.close()
    assert hours.reply is not None and hours.reply["Content"] == "工作日 9:00-17:00" and took < 0.5, (hours, took)
    assert all(ok for _, ok in answered) and max(seconds for seconds, _ in answered) < 1.5, answered
    # four threads: two waiting slots, one of them for one module (a quarter, at least one)
    assert len(_access(output[0], "deferred")) == 1 and len(_access(output[0], "deferred_busy")) == 7, output[0]


def _timed_post(port: int, request: tuple[dict[str, str], bytes]) -> float:
    """One signed request (a message, or the platform's retry of it) posted as is: seconds until answered."""
    began = time.monotonic()
    requests.post(f"http://127.0.0.1:{port}/wx/citybank", params=request[0], data=request[1], timeout=5)
    return time.monotonic() - began


def test_the_time_a_message_waited_for_a_thread_counts_against_the_budget_and_in_the_log(tmp_path: Path) -> None:
    """Attack review 55 F1: the budget started when a thread took the request up, so a message queued behind a
    slow one was answered its whole budget later still, and the access log said it took half a millisecond.
    Two threads: one waits on the webhook, the other on that message's retry; a third message queues."""
    hook = FakeWebhook(delay_s=2.5)
    try:
        with (gunicorn(tmp_path, threads=2, accounts=_with_slow_module(hook.url), budget_s=1.0) as (port, output),
              ThreadPoolExecutor(max_workers=3) as platform):
            sim = _simulator(port, 5.0)
            first = sim.signed_request(event_message("CLICK", "BALANCE", openid="oFirstFollower0000000000000"))
            posts = [platform.submit(_timed_post, port, first)]
            time.sleep(0.05)
            posts.append(platform.submit(_timed_post, port, first))  # its retry waits for its reply
            time.sleep(0.25)
            third = sim.signed_request(event_message("CLICK", "BALANCE", openid="oThirdFollower0000000000000"))
            posts.append(platform.submit(_timed_post, port, third))  # no thread free: it queues
            seconds = [post.result() for post in posts]
    finally:
        hook.close()
    assert seconds[2] < 1.2, seconds  # within its budget of arriving, not 0.7 s queued and a whole budget more
    queued = max(_access(output[0], "deferred"), key=lambda line: line["queued_ms"])
    assert queued["queued_ms"] > 500 and queued["ms"] >= queued["queued_ms"], queued


def test_with_one_thread_no_follower_waits_on_a_webhook(tmp_path: Path) -> None:
    """Attack review 56 F2: `--threads 1` gave its one thread a waiting slot, so a keyword reply waited out a
    module's whole budget. One thread has none: a module's message is answered `success` at once, its reply
    through customer service."""
    hook = FakeWebhook(delay_s=2.5)
    try:
        with (gunicorn(tmp_path, threads=1, accounts=_with_slow_module(hook.url), budget_s=1.0) as (port, output),
              ThreadPoolExecutor(max_workers=1) as clicks):
            click = clicks.submit(_timed_click, port, "oClickingFollower00000000000")
            time.sleep(0.2)
            began = time.monotonic()
            hours = _simulator(port, 1.0).push(text_message("营业时间是几点", openid="oAsksHours00000000000000000"))
            took = time.monotonic() - began
            clicked = click.result()
    finally:
        hook.close()
    assert hours.reply is not None and took < 0.5, (hours, took)
    assert clicked[1] and clicked[0] < 0.5, clicked
    assert len(_access(output[0], "deferred_busy")) == 1, output[0]


@pytest.mark.long
def test_a_reply_deferred_past_the_budget_is_still_sent_when_serve_is_stopped_for_a_deploy(tmp_path: Path) -> None:
    """Attack review 77 F2: a module's reply deferred past the budget is sent when its webhook answers, up to the end
    of the customer-service window (about 50 s), and a retry of the message is answered `success` from its record.
    Stopping serve (a rolling deploy's SIGTERM) killed each worker 10 s later (gunicorn's graceful_timeout), and a
    reload (kill -HUP) 30 s later (its worker timeout), so a reply its webhook gave later never went out, nor anything
    else: the follower got no answer at all. Workers are now given the whole window to finish."""
    hook = FakeWebhook(delay_s=12.0)
    accounts = _with_slow_module(hook.url)
    accounts[0]["modules"][0]["webhook"]["timeout_s"] = 20.0
    try:
        with gunicorn(tmp_path, threads=4, accounts=accounts, budget_s=1.0) as (port, output):
            clicked = _timed_click(port, "oClickingFollower00000000000")
            assert clicked[1] and len(hook.calls) == 1  # answered `success`; the webhook is still working on it
    finally:
        hook.close()
    assert "a reply could not be delivered (no customer-service sender)" in output[0], output[0]


def _counted(port: int) -> tuple[float, ...]:
    """What /metrics says of requests to accounts the spec does not serve, and of degraded parts."""
    text = requests.get(f"http://127.0.0.1:{port}/metrics", headers={"Connection": "close"}, timeout=5).text
    found = [re.search(r'^oaspec_gateway_requests_total\{account="-",outcome="unknown_account"\} (\S+)$', text, re.M),
             re.search(r"^oaspec_gateway_degraded(?:\{[^}]*\})? (\S+)$", text, re.M)]
    return tuple(float(match.group(1)) if match else -1.0 for match in found)


def test_metrics_count_every_workers_requests_whichever_worker_is_scraped(tmp_path: Path) -> None:
    """Attack review 77 F5: each gunicorn worker kept its own counters, and a scrape reached one of them, so with
    `--workers 2` /metrics said 13 requests at one scrape and 7 at the next for 20: Prometheus read every switch
    as a counter reset, and a rate or an alert on the requests or the degraded gauge showed one worker at random."""
    with gunicorn(tmp_path, threads=2, workers=2) as (port, _):
        for number in range(20):
            requests.get(f"http://127.0.0.1:{port}/wx/nobody{number}", headers={"Connection": "close"}, timeout=5)
        deadline = time.monotonic() + 5  # a worker counts a request as its answer goes out: the last may lag a little
        while _counted(port)[0] < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        scraped = {_counted(port) for _ in range(8)}
    assert scraped == {(20.0, 0.0)}, scraped
