"""The platform's side of the callback, for tests and demos: sign, optionally encrypt, POST with the
platform's 5-second deadline and 3 attempts, then check and decrypt the answer as the platform would.

An answer the platform cannot read as a passive reply (not XML, a plain reply in compatible or safe mode, an
encrypted one missing Encrypt, MsgSignature, TimeStamp or Nonce, a signature that does not hold, bad base64 or
padding, another AppID, a decrypted body that is not XML) is what the follower sees as
"该公众号暂时无法提供服务": no reply, and the reason (never the answer's text) in the push's errors.

Each attempt has one deadline for all of it (connecting, the status line, headers and body), as the platform
drops a connection at 5 s: `requests`' timeout bounds each socket read only, so a server sending its answer a
few bytes at a time would hold an attempt for as long as it liked. An attempt cut at the deadline is a timeout,
and retried.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests

from oa_spec.gateway.protocol import ProtocolError, WXCrypt, cdata, parse_xml, signature
from oa_spec.util.http_deadline import NoWholeAnswer, deadline_session, whole_answer

PLATFORM_DEADLINE_S = 5.0
PLATFORM_ATTEMPTS = 3
_ENVELOPE = ("Encrypt", "MsgSignature", "TimeStamp", "Nonce")  # an encrypted passive reply's fields


class UnreadableReply(Exception):
    """A 200 whose body the platform cannot read as a passive reply; the message is the reason only."""


def message_xml(fields: Mapping[str, str]) -> str:
    parts = "".join(f"<{name}>{value}</{name}>" if name in ("CreateTime", "MsgId")
                    else f"<{name}>{cdata(value)}</{name}>" for name, value in fields.items())
    return f"<xml>{parts}</xml>"


def text_message(content: str, openid: str = "oUserOpenId0000000000000000", to: str = "gh_0123456789ab",
                 msg_id: str | None = None, create_time: int | None = None) -> dict[str, str]:
    return {"ToUserName": to, "FromUserName": openid, "CreateTime": str(create_time or int(time.time())),
            "MsgType": "text", "Content": content, "MsgId": msg_id or str(secrets.randbits(63))}


def event_message(event: str, key: str = "", openid: str = "oUserOpenId0000000000000000",
                  to: str = "gh_0123456789ab", create_time: int | None = None) -> dict[str, str]:
    fields = {"ToUserName": to, "FromUserName": openid, "CreateTime": str(create_time or int(time.time())),
              "MsgType": "event", "Event": event}
    if key:
        fields["EventKey"] = key
    return fields


@dataclass
class PushResult:
    attempts: int
    status: int | None  # HTTP status of the last attempt; None when every attempt timed out
    body: bytes = b""
    reply: dict[str, str] | None = None  # the decrypted passive reply, None for success / empty
    errors: list[str] = field(default_factory=list)

    @property
    def customer_sees_error(self) -> bool:
        """What the platform shows as "该公众号暂时无法提供服务": no usable answer after all attempts."""
        return self.status != 200 or (self.reply is None and self.body.strip() not in (b"", b"success"))


class PlatformSimulator:
    def __init__(self, url: str, token: str, *, app_id: str, aes_key: str | None = None, encrypt: bool = True,
                 deadline_s: float = PLATFORM_DEADLINE_S, attempts: int = PLATFORM_ATTEMPTS) -> None:
        self.url, self.token, self.app_id = url, token, app_id
        self._crypt = WXCrypt(aes_key, app_id) if aes_key and encrypt else None
        self.deadline_s, self.attempts = deadline_s, attempts
        self._session = deadline_session()

    def close(self) -> None:
        self._session.close()

    def verify_url(self) -> bool:
        timestamp, nonce, echo = str(int(time.time())), secrets.token_hex(5), secrets.token_hex(8)
        query = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "echostr": echo}
        try:
            answer = self._attempt("GET", query)
        except NoWholeAnswer:
            return False
        return answer.status_code == 200 and answer.text == echo

    def _attempt(self, method: str, query: Mapping[str, str], body: bytes | None = None) -> requests.Response:
        """One request with its whole answer read within deadline_s; NoWholeAnswer otherwise."""
        return whole_answer(self._session, self.deadline_s, method, self.url, params=query, data=body,
                            headers=None if body is None else {"Content-Type": "text/xml"})

    def signed_request(self, fields: Mapping[str, str]) -> tuple[dict[str, str], bytes]:
        """The query and body the platform sends for one message (one nonce, reused on its retries)."""
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
        query = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "openid": fields.get("FromUserName", "")}
        xml = message_xml(fields)
        if self._crypt is None:
            return query, xml.encode()
        token = self._crypt.encrypt(xml)
        query.update(encrypt_type="aes", msg_signature=signature(self.token, timestamp, nonce, token))
        to_user = cdata(fields.get("ToUserName", ""))
        body = f"<xml><ToUserName>{to_user}</ToUserName><Encrypt>{cdata(token)}</Encrypt></xml>"
        return query, body.encode()

    def push(self, fields: Mapping[str, str]) -> PushResult:
        query, body = self.signed_request(fields)
        result = PushResult(attempts=0, status=None)
        for _ in range(self.attempts):
            result.attempts += 1
            try:
                answer = self._attempt("POST", query, body)
            except NoWholeAnswer as exc:  # the platform drops the connection and tries again
                result.errors.append(str(exc))
                continue
            result.status, result.body = answer.status_code, answer.content
            if answer.status_code == 200:
                try:
                    result.reply = self.open_reply(answer.content, query)
                except UnreadableReply as exc:  # the follower sees the platform's error (customer_sees_error)
                    result.errors.append(str(exc))
            return result
        return result

    def open_reply(self, body: bytes, query: Mapping[str, str]) -> dict[str, str] | None:
        """The passive reply in `body` (None for `success` or empty), checked and decrypted as the platform does;
        UnreadableReply when the platform could not use it."""
        if body.strip() in (b"", b"success"):
            return None
        fields = _read_xml(body, "the reply")
        if self._crypt is None:
            return fields
        missing = [name for name in _ENVELOPE if not fields.get(name)]
        if missing:
            raise UnreadableReply(f"the reply has no {', '.join(missing)}: an encrypted account's reply is "
                                  "<xml> with Encrypt, MsgSignature, TimeStamp and Nonce")
        encrypted, nonce = fields["Encrypt"], fields["Nonce"]
        if not hmac.compare_digest(signature(self.token, fields["TimeStamp"], nonce, encrypted),
                                   fields["MsgSignature"]):
            raise UnreadableReply("the reply's MsgSignature does not verify")
        if nonce != query["nonce"]:
            raise UnreadableReply("the reply's Nonce is not the pushed message's nonce")
        try:
            plain = self._crypt.decrypt(encrypted)
        except ProtocolError as exc:
            raise UnreadableReply(f"the reply's Encrypt does not decrypt ({exc.reason})") from None
        return _read_xml(plain.encode(), "the decrypted reply")


def _read_xml(body: bytes, what: str) -> dict[str, str]:
    try:
        return parse_xml(body)
    except ProtocolError as exc:
        raise UnreadableReply(f"{what} is not a passive reply's XML ({exc.reason})") from None
