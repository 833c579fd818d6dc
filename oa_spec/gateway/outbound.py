"""Calls the gateway makes: a module's webhook (signed), and the customer-service message API.

Webhook signature: hex HMAC-SHA256 with the module's secret over `body + timestamp` (timestamp as decimal
text), sent as `X-Oaspec-Signature` with `X-Oaspec-Timestamp`; the bank's service should reject a
timestamp older than a few minutes. The request carries the OpenID the module needs to answer, never to logs.
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

from oa_spec.gateway.config import AccountGateway, Article, ModuleConfig, Reply

SendCustomerMessage = Callable[[AccountGateway, str, Reply], None]
DEFAULT_API_BASE = "https://api.weixin.qq.com"


class WebhookError(Exception):
    """The module's service failed or answered something unusable; the message names the module only."""


def sign_webhook(secret: str, body: bytes, timestamp: str) -> str:
    return hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def call_webhook(module: ModuleConfig, payload: Mapping[str, Any], timeout_s: float,
                 environ: Mapping[str, str] | None = None) -> Reply:
    """POST the payload to the module's webhook and turn its JSON answer ({"text": ...} or {"articles": [...]})
    into a reply."""
    if module.webhook is None:
        raise WebhookError(f"module {module.id} has no webhook")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "X-Oaspec-Timestamp": timestamp}
    if module.webhook.secret_env:
        secret = (os.environ if environ is None else environ).get(module.webhook.secret_env, "")
        if not secret:
            raise WebhookError(f"module {module.id}: environment variable {module.webhook.secret_env} is not set")
        headers["X-Oaspec-Signature"] = sign_webhook(secret, body, timestamp)
    timeout = max(0.05, min(module.webhook.timeout_s, timeout_s))
    try:
        # Never followed: a redirect would carry the follower's OpenID, text and a valid signature to an address
        # (plain http, another host) the spec never named and validate never checked.
        answer = requests.post(module.webhook.url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
        if answer.is_redirect:
            raise WebhookError(f"module {module.id}: webhook answered a redirect ({answer.status_code}); it is called "
                               "only at the address the spec names")
        answer.raise_for_status()
        data = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise WebhookError(f"module {module.id}: webhook failed ({type(exc).__name__})") from exc
    if isinstance(data, dict) and isinstance(data.get("text"), str) and data["text"]:
        return Reply(text=data["text"])
    if isinstance(data, dict) and isinstance(data.get("articles"), list) and data["articles"]:
        try:
            return Reply(articles=tuple(Article(**item) for item in data["articles"]))
        except TypeError as exc:
            raise WebhookError(f"module {module.id}: webhook answered malformed articles") from exc
    raise WebhookError(f"module {module.id}: webhook answer has neither text nor articles")


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
