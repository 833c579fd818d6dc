"""Calls the gateway makes: a module's webhook (signed), and the customer-service message API.

Webhook signature: hex HMAC-SHA256 with the module's secret over `body + timestamp` (timestamp as decimal
text), sent as `X-Oaspec-Signature` with `X-Oaspec-Timestamp`; the bank's service should reject a
timestamp older than a few minutes. The request carries the OpenID the module needs to answer, never to logs.

A webhook call has one deadline, the shorter of its timeout_seconds and the time the caller has left, for all of
it (connecting, the status line, headers and body): `requests`' timeout bounds each socket read only, so a service
that sends its answer a byte at a time would hold the call for as long as it liked. At the deadline the call's
socket is shut and the call fails, so the reply's own text answers. The answer is read up to
MAX_WEBHOOK_ANSWER_BYTES.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import requests
import urllib3

from oa_spec.gateway.config import AccountGateway, ModuleConfig, Reply
from oa_spec.gateway.webhook_answer import UnusableAnswer, read_answer
from oa_spec.util.http_deadline import CallDeadline, deadline_session

SendCustomerMessage = Callable[[AccountGateway, str, Reply], None]
DEFAULT_API_BASE = "https://api.weixin.qq.com"
MAX_WEBHOOK_ANSWER_BYTES = 64 * 1024
MIN_CALL_S = 0.05  # a call is given at least this long  # a text reply is at most 2,048 bytes, a news reply 8 articles


class WebhookError(Exception):
    """The module's service failed or answered something unusable; the message names the module only."""


def sign_webhook(secret: str, body: bytes, timestamp: str) -> str:
    return hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def call_webhook(module: ModuleConfig, payload: Mapping[str, Any], timeout_s: float,
                 environ: Mapping[str, str] | None = None) -> Reply:
    """POST the payload to the module's webhook and turn its JSON answer ({"text": ...} or {"articles": [...]})
    into a reply, all within the shorter of the webhook's timeout_seconds and `timeout_s` (the time the caller
    has left)."""
    if module.webhook is None:
        raise WebhookError(f"module {module.id} has no webhook")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Oaspec-Timestamp": timestamp,
               "Accept-Encoding": "identity"}  # the size cap is on what the service sends, not what it inflates to
    if not module.webhook.secret_env:  # validate refuses one; a revision applied before that may still hold it
        raise WebhookError(f"module {module.id}: its webhook has no signing_secret, and followers' OpenIDs are sent "
                           "signed only: add signing_secret to the module and apply")
    secret = (os.environ if environ is None else environ).get(module.webhook.secret_env, "")
    if not secret:
        raise WebhookError(f"module {module.id}: environment variable {module.webhook.secret_env} is not set")
    headers["X-Oaspec-Signature"] = sign_webhook(secret, body, timestamp)
    seconds = max(MIN_CALL_S, min(module.webhook.timeout_s, timeout_s))
    with CallDeadline(seconds) as deadline:
        try:
            raw = _post(module, module.webhook.url, body, headers, deadline)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            if deadline.expired or isinstance(exc, requests.Timeout):  # its own timeout is what was left of it
                raise WebhookError(f"module {module.id}: webhook did not answer within {seconds:.1f} s") from exc
            raise WebhookError(f"module {module.id}: webhook failed ({type(exc).__name__})") from exc
    try:
        return read_answer(raw)
    except UnusableAnswer as exc:
        raise WebhookError(f"module {module.id}: webhook answer is unusable: {exc}") from None


def _post(module: ModuleConfig, url: str, body: bytes, headers: Mapping[str, str], deadline: CallDeadline) -> bytes:
    """The answer's body, read whole (never past MAX_WEBHOOK_ANSWER_BYTES) before the deadline."""
    # The bank's proxy, if it has one, but never for a loopback service. Never followed: a redirect would carry the
    # follower's OpenID, text and a valid signature to an address (plain http, another host) the spec never named
    # and validate never checked.
    with (deadline_session(url) as session,
          session.post(url, data=body, headers=headers, timeout=deadline.left(), allow_redirects=False,
                       stream=True) as answer):
        if answer.is_redirect:
            raise WebhookError(f"module {module.id}: webhook answered a redirect ({answer.status_code}); it "
                               "is called only at the address the spec names")
        answer.raise_for_status()
        too_large = WebhookError(f"module {module.id}: webhook answer is over {MAX_WEBHOOK_ANSWER_BYTES} "
                                 "bytes; answer a text or a few articles")
        if int(answer.headers.get("Content-Length", "0") or "0") > MAX_WEBHOOK_ANSWER_BYTES:
            raise too_large
        raw = b""
        for chunk in answer.iter_content(8192):
            raw += chunk
            if len(raw) > MAX_WEBHOOK_ANSWER_BYTES:
                raise too_large
            if deadline.expired:
                raise TimeoutError
        if deadline.expired:  # a body cut short by the deadline is not an answer
            raise TimeoutError
        return raw


class AccessTokenProvider(Protocol):
    def __call__(self, account: AccountGateway) -> str: ...


def customer_message_body(openid: str, reply: Reply) -> dict[str, Any]:
    if reply.text is not None:
        return {"touser": openid, "msgtype": "text", "text": {"content": reply.text}}
    articles = [{"title": a.title, "description": a.description, "url": a.url, "picurl": a.pic_url}
                for a in reply.articles[:1]]  # the customer-service news message carries one article
    return {"touser": openid, "msgtype": "news", "news": {"articles": articles}}


class CustomerServiceSender:
    """`send_customer_message` over requests to /cgi-bin/message/custom/send."""

    def __init__(self, tokens: AccessTokenProvider, api_base: str = DEFAULT_API_BASE, timeout_s: float = 5.0,
                 session: requests.Session | None = None) -> None:
        self._tokens, self._base, self._timeout = tokens, api_base.rstrip("/"), timeout_s
        self._session = session or requests.Session()

    def __call__(self, account: AccountGateway, openid: str, reply: Reply) -> None:
        body = json.dumps(customer_message_body(openid, reply), ensure_ascii=False).encode()
        answer = self._session.post(f"{self._base}/cgi-bin/message/custom/send",
                                    params={"access_token": self._tokens(account)}, data=body,
                                    headers={"Content-Type": "application/json; charset=utf-8"},
                                    timeout=self._timeout, allow_redirects=False)  # the token stays here
        if answer.status_code != 200:  # a redirect too: its Location is not where the bank said
            raise RuntimeError(f"customer-service send for account {account.account_id} failed: "
                               f"HTTP {answer.status_code}")
        data = answer.json()
        if data.get("errcode", 0) != 0:
            # errcode only: errmsg can echo request details
            raise RuntimeError(f"customer-service send for account {account.account_id} failed: "
                               f"errcode {data.get('errcode')}")
