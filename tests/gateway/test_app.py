"""The WSGI app end to end through the platform simulator: replies, webhooks, retries, deadline, logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.config import AccountGateway, KeywordRule, Reply
from oa_spec.gateway.dedup import FileIdempotency, message_key
from oa_spec.gateway.outbound import sign_webhook
from oa_spec.gateway.router import BUSY_TEXT
from oa_spec.gateway.simulator import PlatformSimulator, event_message, text_message
from testing.http import trickling
from tests.gateway.helpers import ENV_HOOK, OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN, account
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_outbound import FakeApi

OPENID = "oSecretOpenId1234567890abcd"


def config(webhook_url: str = "http://127.0.0.1:9/none", mode: str = "safe", timeout_s: float = 3.0) -> AccountGateway:
    return account(
        mode,
        subscribe_reply="欢迎关注",
        click_actions={"BALANCE": {"module": "balance"}},
        modules=[{"id": "balance", "webhook": {"url": webhook_url, "timeout_s": timeout_s, "secret_env": "T_HOOK"}}],
        keyword_rules=[{"name": "hours", "keywords": [{"match": "contains", "keyword": "营业时间"}],
                        "replies": ["工作日 9:00-17:00 ]]> 周末休息", "第二条"], "reply_mode": "reply_all"}],
        default_reply="您好",
    )


class Sent:
    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str | None]] = []

    def __call__(self, account: AccountGateway, openid: str, reply: Reply) -> None:
        self.messages.append((account.account_id, openid, reply.text))


def simulator(url: str, **options: Any) -> PlatformSimulator:
    return PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY,
                             **options)


@pytest.fixture()
def hook() -> Iterator[FakeWebhook]:
    server = FakeWebhook()
    yield server
    server.close()


def test_encrypted_text_gets_the_configured_reply_and_extra_replies_go_to_customer_service() -> None:
    sent = Sent()
    app = GatewayApp([config()], environ=ENV_HOOK, send_customer_message=sent)
    with running(app) as url:
        sim = simulator(url)
        assert sim.verify_url()
        result = sim.push(text_message("请问营业时间", openid=OPENID))
        assert result.reply is not None and result.reply["Content"] == "工作日 9:00-17:00 ]]> 周末休息"
        assert result.reply["ToUserName"] == OPENID and result.attempts == 1
        deadline = time.monotonic() + 2
        while not sent.messages and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sent.messages == [("citybank", OPENID, "第二条")]
        assert b"<Encrypt>" in result.body and "工作日".encode() not in result.body


def test_plaintext_to_a_safe_account_is_refused_without_detail() -> None:
    app = GatewayApp([config()], environ=ENV_HOOK)
    with running(app) as url:
        plain = PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID)
        result = plain.push(text_message("营业时间"))
        assert (result.status, result.body) == (403, b"forbidden")
        wrong = PlatformSimulator(f"{url}/wx/citybank", "wrong-token", app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY)
        assert (wrong.push(text_message("x")).status, wrong.verify_url()) == (403, False)
        assert b'reason="downgrade"' in app.metrics.render()


def test_click_module_calls_the_signed_webhook_and_renders_its_answer(hook: FakeWebhook) -> None:
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK)
    with running(app) as url:
        result = simulator(url).push(event_message("CLICK", "BALANCE", openid=OPENID))
    assert result.reply is not None and result.reply["Content"] == hook.text
    (headers, body), = hook.calls
    assert headers["X-Oaspec-Signature"] == sign_webhook("hook-secret-value", body, headers["X-Oaspec-Timestamp"])
    assert json.loads(body)["openid"] == OPENID


def test_slow_webhook_platform_retries_customer_gets_one_reply_webhook_runs_once() -> None:
    hook = FakeWebhook(delay_s=0.7)
    sent = Sent()
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, send_customer_message=sent, budget_s=1.0)
    try:
        with running(app) as url:
            result = simulator(url, deadline_s=0.3).push(event_message("CLICK", "BALANCE", openid=OPENID))
    finally:
        hook.close()
    assert result.attempts == 3  # two timeouts, the third attempt is answered from the record
    assert result.reply is not None and result.reply["Content"] == hook.text
    assert len(hook.calls) == 1 and sent.messages == []


def test_the_idempotency_records_keep_no_openid_and_a_retry_gets_it_back(tmp_path: Path) -> None:
    hook = FakeWebhook(delay_s=0.7)
    records = tmp_path / "idempotency"
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, budget_s=1.0, idempotency=FileIdempotency(records))
    try:
        with running(app) as url:
            result = simulator(url, deadline_s=0.3).push(event_message("CLICK", "BALANCE", openid=OPENID))
    finally:
        hook.close()
    assert result.attempts == 3 and result.reply is not None and result.reply["ToUserName"] == OPENID
    kept = [path.read_bytes() for path in records.rglob("*") if path.is_file()]
    assert any(hook.text.encode() in body for body in kept) and not any(OPENID.encode() in body for body in kept)


@pytest.mark.parametrize(("kind", "expected"), [("click", BUSY_TEXT), ("text", "工作日 9:00-17:00 ]]> 周末休息")],
                         ids=["click", "text"])
def test_a_message_whose_first_attempt_stopped_mid_message_is_answered_by_a_retry_and_no_webhook_called_again(
        tmp_path: Path, hook: FakeWebhook, kind: str, expected: str) -> None:
    # attack review 77's note: a worker killed after it claimed a message left every retry answering `success`
    message = event_message("CLICK", "BALANCE", openid=OPENID) if kind == "click" else text_message("营业时间?", OPENID)
    records = FileIdempotency(tmp_path / "idempotency")
    assert records.claim(message_key("citybank", message))  # the worker that took the first attempt, then died
    claim = next((tmp_path / "idempotency").glob("*.claim"))
    os.utime(claim, (time.time() - 30, time.time() - 30))
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, budget_s=1.0, idempotency=records)
    with running(app) as url:
        first = simulator(url, deadline_s=3.0).push(message)
        again = simulator(url, deadline_s=3.0).push(message)  # a later retry gets the same reply
    assert first.attempts == 1 and first.reply is not None and first.reply["Content"] == expected
    assert again.reply == first.reply
    assert hook.calls == []  # the stopped attempt may have called it: not called twice


def test_past_the_budget_success_now_and_the_reply_through_customer_service() -> None:
    hook = FakeWebhook(delay_s=0.6)
    sent = Sent()
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, send_customer_message=sent, budget_s=0.2)
    try:
        with running(app) as url:
            sim = simulator(url, deadline_s=2.0)
            fields = event_message("CLICK", "BALANCE", openid=OPENID)
            started = time.monotonic()
            result = sim.push(fields)
            assert time.monotonic() - started < 0.5
            again = sim.push(fields)  # a late retry with a new nonce: answered from the record, no second call
            deadline = time.monotonic() + 3
            while not sent.messages and time.monotonic() < deadline:
                time.sleep(0.01)
    finally:
        hook.close()
    assert (result.body, result.reply, again.body) == (b"success", None, b"success")
    assert sent.messages == [("citybank", OPENID, hook.text)] and len(hook.calls) == 1


def test_internal_errors_answer_success_and_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    app = GatewayApp([config("http://127.0.0.1:9/refused")], environ=ENV_HOOK)
    with running(app) as url, caplog.at_level(logging.ERROR):
        result = simulator(url).push(event_message("CLICK", "BALANCE"))
    assert (result.status, result.body) == (200, b"success")
    assert "computing a reply failed" in caplog.text


def test_job_finish_is_acknowledged_and_recorded_once() -> None:
    recorded: list[tuple[str, str]] = []
    app = GatewayApp([config()], environ=ENV_HOOK, recorder=lambda acc, f: recorded.append((acc, f["Event"])))
    with running(app) as url:
        sim = simulator(url)
        fields = event_message("TEMPLATESENDJOBFINISH", openid="mphelper")
        query, body = sim.signed_request(fields)
        for _ in range(2):  # the same request twice (a retry) is acknowledged but recorded once
            answer = sim._session.post(sim.url, params=query, data=body, timeout=2)
            assert answer.content == b"success"
    time.sleep(0.1)
    assert recorded == [("citybank", "TEMPLATESENDJOBFINISH")]


def wsgi(app: GatewayApp, path: str, method: str = "GET", query: str = "") -> tuple[str, bytes]:
    status: list[str] = []
    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    body = b"".join(app(environ, lambda s, h: status.append(s)))
    return status[0], body


def test_healthz_metrics_unknown_account_and_access_log_without_identities(
        caplog: pytest.LogCaptureFixture) -> None:
    app = GatewayApp([config()], environ=ENV_HOOK)
    assert wsgi(app, "/healthz") == ("200 OK", b"ok")
    assert wsgi(app, "/wx/nobody")[0].startswith("404")
    with running(app) as url, caplog.at_level(logging.INFO, logger="oa_spec.gateway.access"):
        simulator(url).push(text_message("我的卡号 6222020200001234567 营业时间", openid=OPENID))
    status, metrics = wsgi(app, "/metrics")
    assert status == "200 OK" and b"oaspec_gateway_requests_total" in metrics
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "oa_spec.gateway.access"]
    assert lines and lines[-1]["path"] == "/wx/citybank" and lines[-1]["outcome"] == "keyword"
    assert OPENID not in caplog.text and "6222020200001234567" not in caplog.text


def test_healthz_says_what_is_degraded_and_metrics_count_it() -> None:
    # a replica whose shared records are unreachable still answers every message (from its own), so the load
    # balancer must keep it: 200, with what is wrong in the body and a gauge to alert on
    problems: list[str | None] = ["the shared records (PostgreSQL) cannot be reached", None]
    app = GatewayApp([config()], environ=ENV_HOOK, health=[lambda: problems[0], lambda: problems[1]])
    assert wsgi(app, "/healthz") == ("200 OK", b"degraded: the shared records (PostgreSQL) cannot be reached")
    assert b"oaspec_gateway_degraded 1.0" in wsgi(app, "/metrics")[1]
    problems[0] = None
    assert wsgi(app, "/healthz") == ("200 OK", b"ok")
    assert b"oaspec_gateway_degraded 0.0" in wsgi(app, "/metrics")[1]


def test_a_switch_to_a_stricter_mode_that_cannot_be_served_stops_the_weaker_one_too() -> None:
    # an attack review: the applied revision switched to safe mode with an EncodingAESKey variable this replica
    # lacked; the replica kept the plain configuration in place and went on taking cleartext the bank had forbidden
    app = GatewayApp([account("plain", default_reply="您好")], environ=ENV_HOOK)
    stricter = replace(account("safe", default_reply="您好"), aes_key_env="T_AES_NEW")
    assert app.replace_accounts([stricter]) == [
        "account citybank: environment variable T_AES_NEW must hold the 43-character EncodingAESKey (letters, "
        "digits, + and /, as the platform's server configuration page shows it): its new applied configuration is "
        "not served, and this worker serves none for it"]
    # none, and never the platform's error (attack review 44, F3): a 404 made followers see 暂时无法提供服务
    assert wsgi(app, "/wx/citybank", method="POST", query="signature=x&timestamp=1&nonce=2") == ("200 OK", b"success")
    assert wsgi(app, "/wx/citybank")[0] == "403 Forbidden"
    assert b'account="citybank",outcome="unserved"' in wsgi(app, "/metrics")[1]
    looser = replace(account("plain", default_reply="新的"), token_env="T_TOKEN_NEW")  # a weaker switch: kept
    app.replace_accounts([account("safe", default_reply="您好")])
    assert app.replace_accounts([looser])[0].endswith("its new applied configuration is not served")
    assert wsgi(app, "/wx/citybank")[0] == "403 Forbidden"  # served (the safe one in place): it wants a signature


def test_an_account_whose_applied_revisions_were_never_read_accepts_nothing_and_records_nothing() -> None:
    # an attack review: a worker that could not read the newest applied revision fell back on the spec's settings:
    # with the spec edited to a weaker mode (not applied), it took a forged plaintext job-finish event and recorded it
    recorded: list[str] = []
    unread = replace(account("plain", default_reply="您好"), unread=True)
    app = GatewayApp([unread], environ=ENV_HOOK, recorder=lambda acc, f: recorded.append(f["Event"]))
    with running(app) as url:
        sim = PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID)  # plaintext, signed
        for fields in (event_message("MASSSENDJOBFINISH", openid="mphelper"), text_message("随便")):
            result = sim.push(fields)
            assert (result.status, result.body) == (200, b"success")  # never the platform's error, never a reply
        assert simulator(url).push(text_message("随便")).body == b"success"  # nor for an encrypted one
    time.sleep(0.1)
    assert recorded == []
    assert wsgi(app, "/wx/citybank", query="signature=x&timestamp=1&nonce=2&echostr=hello")[0] == "403 Forbidden"


def test_a_new_applied_configuration_takes_effect_on_the_next_message() -> None:
    app = GatewayApp([config()], environ=ENV_HOOK)
    with running(app) as url:
        sim = simulator(url)
        first = sim.push(text_message("随便"))
        app.replace_accounts([account("safe", default_reply="新的默认回复")])
        second = sim.push(text_message("随便"))
    assert first.reply is not None and first.reply["Content"] == "您好"
    assert second.reply is not None and second.reply["Content"] == "新的默认回复"


def test_other_methods_and_paths_are_refused() -> None:
    app = GatewayApp([config()], environ=ENV_HOOK)
    assert wsgi(app, "/wx/citybank", method="PUT")[0].startswith("405")
    assert wsgi(app, "/wx/citybank/../other")[0].startswith("404")
    assert wsgi(app, "/wx/citybank", query="signature=x&timestamp=1&nonce=2&echostr=leak") == ("403 Forbidden",
                                                                                           b"forbidden")


def test_a_webhook_slower_than_the_customer_service_window_is_cut_before_it_closes(
        caplog: pytest.LogCaptureFixture) -> None:
    # the call ends before the window does (the window's end is kept for sending), so nothing is sent into
    # a closed window: a click, which has no text of its own, gets nothing, and the log says why
    hook = FakeWebhook(delay_s=0.5)
    sent = Sent()
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, send_customer_message=sent, budget_s=0.1,
                     late_delivery_max_s=0.3)
    try:
        with running(app) as url, caplog.at_level(logging.WARNING):
            started = time.monotonic()
            assert simulator(url).push(event_message("CLICK", "BALANCE")).body == b"success"
            while "late reply failed" not in caplog.text and time.monotonic() - started < 3:
                time.sleep(0.02)
            took = time.monotonic() - started
    finally:
        hook.close()
    assert sent.messages == [] and re.search(r"did not answer within 0\.\d s", caplog.text) and took < 0.5, took


@pytest.mark.parametrize(("clicked_s_ago", "sent_late"), [(0, True), (5, False)], ids=["first-attempt", "a-retry"])
def test_the_customer_service_window_is_counted_from_the_click_not_from_a_retry(clicked_s_ago: int,
                                                                                sent_late: bool) -> None:
    # attack review 77's note: when the first attempt never reached a worker, the retry computing the reply came
    # seconds after the click, and a late reply was sent as late after it, past the window the click opened
    hook = FakeWebhook(delay_s=1.0)
    sent = Sent()
    app = GatewayApp([config(hook.url)], environ=ENV_HOOK, send_customer_message=sent, budget_s=0.1,
                     late_delivery_max_s=3.0)
    try:
        with running(app) as url:
            click = event_message("CLICK", "BALANCE", openid=OPENID, create_time=int(time.time()) - clicked_s_ago)
            answered = simulator(url).push(click)
            # the webhook answers 1 s after the attempt: within 3 s of a click then, not of one 5 s before
            deadline = time.monotonic() + (4.0 if sent_late else 2.0)
            while not sent.messages and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        hook.close()
    if sent_late:  # `success` now, the webhook's reply in the window
        assert answered.body == b"success" and sent.messages == [("citybank", OPENID, hook.text)]
    else:  # too little of the window is left for the call: the click's own text at once, nothing sent after it
        assert answered.reply is not None and answered.reply["Content"] == BUSY_TEXT and sent.messages == []


FALLBACK = "余额查询请点击菜单“我的账户”。"


def balance_rule_answered_by(hook_url: str, timeout_s: float) -> AccountGateway:
    """config() with a first keyword rule 余额 that the balance module's webhook answers, FALLBACK when it fails."""
    base = config(hook_url, timeout_s=timeout_s)
    rule = KeywordRule("余额", (("contains", "余额"),), (Reply(FALLBACK),), module="balance")
    return replace(base, keyword_rules=(rule, *base.keyword_rules))


def test_a_webhook_that_trickles_is_cut_at_its_timeout_and_the_follower_gets_the_fallback_text_at_once() -> None:
    # attack review 27, F8: with timeout_seconds 3 the follower got `success` (nothing) at the budget, the
    # fallback text never went, and the call went on for as long as the service trickled
    sent = Sent()
    with trickling(b'{"text": "balance 1000"}' + b" " * 30, every_s=0.1) as hook_url:  # 5.4 s for the answer
        app = GatewayApp([balance_rule_answered_by(f"{hook_url}/hook", 0.5)], environ=ENV_HOOK,
                         send_customer_message=sent, budget_s=2.0)
        with running(app) as url:
            started = time.monotonic()
            result = simulator(url).push(text_message("查余额", openid=OPENID))
            took = time.monotonic() - started
    assert result.attempts == 1 and result.reply is not None and result.reply["Content"] == FALLBACK, result.body
    assert took < 1.5 and sent.messages == []


def test_a_webhook_is_not_waited_on_past_the_time_a_late_reply_could_still_be_sent(
        caplog: pytest.LogCaptureFixture) -> None:
    # its timeout_seconds (3) is longer than what is left of the customer-service window (0.6 s): the call
    # ends with the window, not holding a worker thread while the service trickles on
    with trickling(b'{"text": "balance 1000"}' + b" " * 30, every_s=0.1) as hook_url:
        app = GatewayApp([balance_rule_answered_by(f"{hook_url}/hook", 3.0)], environ=ENV_HOOK,
                         send_customer_message=Sent(), budget_s=0.2, late_delivery_max_s=0.6)
        with running(app) as url, caplog.at_level(logging.WARNING):
            started = time.monotonic()
            assert simulator(url).push(text_message("查余额", openid=OPENID)).body == b"success"
            while "did not answer within" not in caplog.text and time.monotonic() - started < 5:
                time.sleep(0.02)
            took = time.monotonic() - started
    assert re.search(r"did not answer within 0\.\d s", caplog.text), caplog.text  # what was left of 0.6 s, not 3
    assert took < 1.5


@pytest.mark.parametrize("answer", [
    b'{"articles": [{"title": 5}]}', b'{"articles": [{"title": null}]}',
    b'{"articles": [{"title": "t", "url": ["x"]}]}', pytest.param(b"[" * 60000, id="nested-60000-deep")])
def test_a_webhook_answer_of_the_wrong_shape_gets_the_follower_the_fallback_text_and_a_retry_the_same(
        answer: bytes, caplog: pytest.LogCaptureFixture) -> None:
    # attack review 43 F1: the follower got `success` (nothing), not the configured text
    _answered_the_fallback_once(answer, caplog)
    assert "webhook" in caplog.text and "answered with the configured text" in caplog.text


@pytest.mark.parametrize("text", ["a\u0000b", "a\u0008b\ufffeb", "a\ufffeb", "\u001b[2J您的余额", "余额\u202e"])
def test_a_webhook_text_the_spec_would_refuse_gets_the_follower_the_fallback_text(
        text: str, caplog: pytest.LogCaptureFixture) -> None:
    # attack review 43 F2: the text went into the passive reply, which was then not well-formed XML
    _answered_the_fallback_once(json.dumps({"text": text}).encode(), caplog)
    assert "webhook answer is unusable: text contains U+" in caplog.text


def _answered_the_fallback_once(answer: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """A follower's message and the platform's retry of it, with the webhook answering `answer`: both get the
    configured text, the webhook is called once, and the log holds neither the OpenID nor the message."""
    api = FakeApi(answer)
    try:
        app = GatewayApp([balance_rule_answered_by(f"{api.url}/hook", 2.0)], environ=ENV_HOOK)
        message = text_message("查余额", openid=OPENID)
        with running(app) as url, caplog.at_level(logging.WARNING):
            first, retry = simulator(url).push(message), simulator(url).push(message)
    finally:
        api.close()
    for result in (first, retry):
        assert result.reply is not None and result.reply["Content"] == FALLBACK, result.body
    assert len(api.calls) == 1
    assert OPENID not in caplog.text and "查余额" not in caplog.text
