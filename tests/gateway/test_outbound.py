"""Outbound calls: the customer-service message API client and the webhook's failure modes; config loading."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from oa_spec.gateway.config import AccountGateway, Article, GatewayConfigError, ModuleConfig, Reply, Webhook
from oa_spec.gateway.outbound import MAX_WEBHOOK_ANSWER_BYTES, CustomerServiceSender, WebhookError, call_webhook
from testing.cli import child_env
from testing.http import answering, trickling
from tests.gateway.helpers import account
from tests.gateway.servers import POLL_S, FakeWebhook


class FakeApi:
    def __init__(self, answer: bytes) -> None:
        self.answer, self.calls = answer, []  # type: ignore[var-annotated]
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                api.calls.append((self.path, body))
                self.send_response(200)
                self.send_header("Content-Length", str(len(api.answer)))
                self.end_headers()
                self.wfile.write(api.answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def api() -> Iterator[FakeApi]:
    server = FakeApi(b'{"errcode": 0, "errmsg": "ok"}')
    yield server
    server.close()


def test_customer_service_sender_posts_text_and_one_article(api: FakeApi) -> None:
    sender = CustomerServiceSender(lambda acc: f"token-for-{acc.account_id}", api_base=api.url, timeout_s=2)
    sender(account(), "oOpenId", Reply(text="您好"))
    sender(account(), "oOpenId", Reply(articles=(Article("a", url="u"), Article("b"))))
    (path, body), (_, news) = api.calls
    assert path == "/cgi-bin/message/custom/send?access_token=token-for-citybank"
    assert json.loads(body) == {"touser": "oOpenId", "msgtype": "text", "text": {"content": "您好"}}
    assert [a["title"] for a in json.loads(news)["news"]["articles"]] == ["a"]


def test_customer_service_error_names_the_code_not_the_message() -> None:
    api = FakeApi(b'{"errcode": 45015, "errmsg": "response out of time limit, openid oSecret"}')
    try:
        sender = CustomerServiceSender(lambda acc: "t", api_base=api.url, timeout_s=2)
        with pytest.raises(RuntimeError, match="errcode 45015") as info:
            sender(account(), "oSecret", Reply(text="x"))
        assert "oSecret" not in str(info.value)
    finally:
        api.close()


@pytest.mark.parametrize("answer", [
    b"not json", b'{"nothing": 1}', b'{"articles": [{"bogus": 1}]}',
    # attack review 43 F1: fields of the wrong type, or JSON nested deeper than Python's recursion allows
    b'{"articles": [{"title": 5}]}', b'{"articles": [{"title": null}]}',
    b'{"articles": [{"title": "t", "url": ["x"]}]}', b'{"articles": ["just a string"]}',
    b'{"articles": [{"title": ""}]}', b'{"text": 5}', b'{"text": ["x"]}',
    b'{"text": "a", "articles": [{"title": "t"}]}',
    b'{"text": "a", "text": "b"}', pytest.param(b"[" * 60000, id="nested-60000-deep"), b"\xff\xfe"])
def test_webhook_answers_that_cannot_be_rendered_are_errors(answer: bytes) -> None:
    api = FakeApi(answer)
    try:
        module = ModuleConfig("balance", webhook=Webhook(url=api.url + "/hook", timeout_s=2, secret_env="HOOK_SECRET"))
        with pytest.raises(WebhookError, match="module balance: webhook"):
            call_webhook(module, {"x": 1}, 2.0, environ={"HOOK_SECRET": "s3cret"})
        assert len(api.calls) == 1
    finally:
        api.close()


def test_a_webhook_without_a_signing_secret_is_never_called() -> None:
    """Validate refuses one (attack review 27 F7); a revision applied before that may still hold one, and
    followers' OpenIDs are sent signed only."""
    api = FakeApi(b'{"text": "ok"}')
    try:
        module = ModuleConfig("balance", webhook=Webhook(url=api.url + "/hook", timeout_s=2))
        with pytest.raises(WebhookError, match="no signing_secret"):
            call_webhook(module, {"openid": "oFollower"}, 2.0, environ={})
        assert api.calls == []
    finally:
        api.close()


def test_webhook_secret_must_be_set() -> None:
    module = ModuleConfig("balance", webhook=Webhook(url="http://127.0.0.1:9/x", secret_env="NOPE_SECRET"))
    with pytest.raises(WebhookError, match="NOPE_SECRET"):
        call_webhook(module, {}, 1.0, environ={})


def test_config_from_mapping_rejects_what_it_cannot_serve() -> None:
    with pytest.raises(GatewayConfigError, match="unknown gateway field"):
        account(tokn="x")
    with pytest.raises(GatewayConfigError, match="needs encoding_aes_key"):
        AccountGateway(account_id="a", app_id="wx", token_env="T", mode="safe")
    with pytest.raises(GatewayConfigError, match="unknown module nope"):
        account(click_actions={"K": {"module": "nope"}})
    with pytest.raises(GatewayConfigError, match="match 'fuzzy'"):
        account(keyword_rules=[{"keywords": [{"match": "fuzzy", "keyword": "x"}], "replies": ["y"]}])
    with pytest.raises(GatewayConfigError, match="either text or articles"):
        Reply()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_webhook_that_redirects_is_a_failed_webhook_and_nothing_is_sent_on(status: int) -> None:
    collector = FakeWebhook("您的余额为 0.01 元")
    try:
        with answering(status, collector.url) as redirect:
            hook = Webhook(url=f"{redirect.url}/hook", timeout_s=2, secret_env="HOOK_SECRET")
            with pytest.raises(WebhookError, match="redirect"):
                call_webhook(ModuleConfig("balance", webhook=hook), {"openid": "oUser1", "content": "余额"}, 2.0,
                             environ={"HOOK_SECRET": "s"})
        assert collector.calls == []
    finally:
        collector.close()


@pytest.mark.parametrize("status", [302, 307])
def test_a_customer_service_send_that_is_redirected_fails_and_takes_no_token_elsewhere(status: int) -> None:
    with answering(404) as elsewhere, answering(status, elsewhere.url) as api:
        sender = CustomerServiceSender(lambda acc: "token-5ecret", api_base=api.url, timeout_s=2)
        with pytest.raises(RuntimeError, match=f"HTTP {status}") as info:
            sender(account(), "oOpenId", Reply(text="您好"))
        assert api.seen and elsewhere.seen == [] and "5ecret" not in str(info.value)


# Attack review 27, F8: requests' timeout bounds each socket read, not the call: a 35-byte answer sent a byte a
# second took 23 s with timeout_seconds 3, holding a pool thread, and the follower got neither the answer nor the
# fallback text in time.
TRICKLED = b'{"text": "\\u4f59\\u989d 1,000.00"}' + b" " * 30  # JSON's escapes, as bytes


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "status line, headers and body"])
def test_a_webhook_that_trickles_its_answer_is_cut_at_its_timeout_seconds(head_too: bool) -> None:
    with trickling(TRICKLED, every_s=0.05, head_too=head_too) as url:  # 2.5 s or more for the whole answer
        hook = Webhook(url=f"{url}/hook", timeout_s=0.5, secret_env="HOOK_SECRET")
        started = time.monotonic()
        with pytest.raises(WebhookError, match=r"module balance: webhook did not answer within 0\.5 s"):
            call_webhook(ModuleConfig("balance", webhook=hook), {"openid": "oUser1"}, 30.0,
                         environ={"HOOK_SECRET": "s"})
        assert time.monotonic() - started < 1.2


def test_a_host_with_several_silent_addresses_is_given_the_timeout_once_not_once_each(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 60: urllib3 gives each address a host resolves to the whole timeout, so a bank host with three
    addresses that never answer held a call with timeout_seconds 1 for 3 s, past its place in the schedule."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):  # the accept queue is full: later connects hang
            silent = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))] * 3
            resolve = socket.getaddrinfo
            monkeypatch.setattr(socket, "getaddrinfo", lambda host, *rest, **kw: silent if host == "hooks.bank.test"
                                else resolve(host, *rest, **kw))
            hook = Webhook(url=f"http://hooks.bank.test:{port}/hook", timeout_s=1.0, secret_env="HOOK_SECRET")
            started = time.monotonic()
            with pytest.raises(WebhookError, match=r"within 1\.0 s"):
                call_webhook(ModuleConfig("balance", webhook=hook), {}, 30.0, environ={"HOOK_SECRET": "s"})
            assert time.monotonic() - started < 1.5


def test_a_name_lookup_that_never_answers_is_given_up_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 61: the lookup ran before the deadline could cut anything: a resolver that did not answer held
    a call with timeout_seconds 1 for 6 s (10 s a lookup with the default resolver settings)."""
    resolve = socket.getaddrinfo

    def silent(host: str, *rest: Any, **kw: Any) -> Any:
        if host == "hooks.bank.test":
            time.sleep(3)
        return resolve(host, *rest, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", silent)
    hook = Webhook(url="https://hooks.bank.test/hook", timeout_s=1.0, secret_env="HOOK_SECRET")
    started = time.monotonic()
    with pytest.raises(WebhookError, match=r"within 1\.0 s"):
        call_webhook(ModuleConfig("balance", webhook=hook), {}, 30.0, environ={"HOOK_SECRET": "s"})
    assert time.monotonic() - started < 1.5


def test_a_host_whose_lookups_hang_delays_no_other_hosts_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lookups first ran on four shared threads: five calls to a bank host whose resolver hung took them all,
    and another module's host, answering at once, waited out its deadline behind them."""
    resolve = socket.getaddrinfo

    def silent(host: str, *rest: Any, **kw: Any) -> Any:
        if host.startswith("stuck"):
            time.sleep(2)
        return resolve(host, *rest, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", silent)
    hook = FakeWebhook("今日利率 1.5%")
    try:
        with ThreadPoolExecutor(max_workers=5) as calls:
            for n in range(5):  # five hosts of one bank, each lookup hanging
                stuck = Webhook(url=f"https://stuck{n}.bank.test/hook", timeout_s=1.0, secret_env="HOOK_SECRET")
                calls.submit(call_webhook, ModuleConfig("balance", webhook=stuck), {}, 30.0, {"HOOK_SECRET": "s"})
            time.sleep(0.1)
            fine = Webhook(url=hook.url.replace("127.0.0.1", "localhost"), timeout_s=1.0, secret_env="HOOK_SECRET")
            began = time.monotonic()
            reply = call_webhook(ModuleConfig("rates", webhook=fine), {}, 30.0, environ={"HOOK_SECRET": "s"})
            took = time.monotonic() - began
    finally:
        hook.close()
    assert reply.text == "今日利率 1.5%" and took < 0.5, took


HUNG_LOOKUP = """
import socket, sys, time
from oa_spec.gateway.config import ModuleConfig, Webhook
from oa_spec.gateway.outbound import WebhookError, call_webhook
socket.getaddrinfo = lambda *args, **kw: time.sleep(30)  # a resolver that never answers
try:
    call_webhook(ModuleConfig("loans", webhook=Webhook("https://stuck.bank.test/wx", 0.5, "S")), {}, 5.0, {"S": "s"})
except WebhookError as exc:
    print("refused:", exc)
"""


def test_a_process_whose_lookup_hangs_exits_when_its_call_gives_up() -> None:
    """Attack review 62: a lookup given up at the deadline kept a thread the interpreter joined at exit, so `plan`,
    `apply` or a gateway worker could not exit until the resolver's own timeout (a minute and more)."""
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-c", HUNG_LOOKUP], capture_output=True, text=True, timeout=25,
                          env=child_env(), check=False)
    assert "did not answer within 0.5 s" in done.stdout, done.stdout + done.stderr
    assert time.monotonic() - began < 8, time.monotonic() - began


def test_a_loopback_webhook_is_never_called_through_a_proxy_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 61: with HTTP_PROXY set, a loopback webhook's OpenID and signed body went to the proxy in plain
    text, and the proxy's answer was taken as the webhook's."""
    hook = FakeWebhook("余额 1,234.56 元")
    try:
        with answering(200) as proxy:
            monkeypatch.setenv("HTTP_PROXY", proxy.url)
            monkeypatch.setenv("http_proxy", proxy.url)
            reply = call_webhook(ModuleConfig("balance", webhook=Webhook(url=hook.url, timeout_s=2.0,
                                                                          secret_env="HOOK_SECRET")),
                                 {"openid": "oSecret"}, 3.0, environ={"HOOK_SECRET": "s"})
    finally:
        hook.close()
    assert reply.text == "余额 1,234.56 元" and len(hook.calls) == 1 and not proxy.seen


def test_a_refused_connection_is_said_to_be_one_not_a_timeout() -> None:
    """Attack review 61: a port that refused at once was logged as 'did not answer within 3.0 s'."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        hook = Webhook(url=f"http://127.0.0.1:{port}/hook", timeout_s=3.0, secret_env="HOOK_SECRET")
        with pytest.raises(WebhookError, match=r"webhook failed \(ConnectionError\)"):
            call_webhook(ModuleConfig("balance", webhook=hook), {}, 30.0, environ={"HOOK_SECRET": "s"})


def test_the_time_the_caller_has_left_cuts_a_webhook_sooner_than_its_timeout_seconds() -> None:
    with trickling(TRICKLED, every_s=0.05) as url:
        hook = Webhook(url=f"{url}/hook", timeout_s=3.0, secret_env="HOOK_SECRET")
        started = time.monotonic()
        with pytest.raises(WebhookError, match=r"within 0\.3 s"):
            call_webhook(ModuleConfig("balance", webhook=hook), {}, 0.3, environ={"HOOK_SECRET": "s"})
        assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("declare_length", [True, False], ids=["Content-Length", "until close"])
def test_a_webhook_answer_over_the_size_cap_is_refused_unread(declare_length: bool) -> None:
    big = json.dumps({"text": "余额" * MAX_WEBHOOK_ANSWER_BYTES}).encode()
    with trickling(big, every_s=0, declare_length=declare_length) as url:
        hook = Webhook(url=f"{url}/hook", timeout_s=2.0, secret_env="HOOK_SECRET")
        with pytest.raises(WebhookError, match=f"module balance: webhook answer is over {MAX_WEBHOOK_ANSWER_BYTES} "
                                               "bytes"):
            call_webhook(ModuleConfig("balance", webhook=hook), {}, 2.0, environ={"HOOK_SECRET": "s"})


def test_a_webhook_answer_within_its_time_and_size_is_the_reply() -> None:
    with trickling(TRICKLED, every_s=0.005) as url:  # about 0.3 s, a byte at a time
        hook = Webhook(url=f"{url}/hook", timeout_s=2.0, secret_env="HOOK_SECRET")
        reply = call_webhook(ModuleConfig("balance", webhook=hook), {}, 3.0, environ={"HOOK_SECRET": "s"})
    assert reply == Reply(text="余额 1,000.00")
