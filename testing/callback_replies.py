"""Answers a callback server may give a pushed message that the platform cannot read as a passive reply (a
200 with JSON, a plain reply in compatible or safe mode, an encrypted one with a field missing, a signature that
does not hold, bad base64 or padding, another account's AppID, a decrypted body that is not XML). Shared by the
simulator's tests (tests/gateway) and the emulator's push tests (tests/emulator): the follower sees the
platform's error for each, and what the push reports names the reason, never the reply's text.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from oa_spec.gateway.config import aes_key_bytes
from oa_spec.gateway.protocol import WXCrypt, cdata, signature

TOKEN = "callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx00000000000f2f2f"
# In every answer below: a reply's text (a balance, an OpenID) that the push's report must not carry.
SECRET_TEXT = "余额 8,888.88 元 oSecretOpenId0000000000"
PLAIN_REPLY = (f"<xml><ToUserName>{cdata('oSecretOpenId0000000000')}</ToUserName><FromUserName>{cdata('gh_1')}"
               f"</FromUserName><CreateTime>1</CreateTime><MsgType>{cdata('text')}</MsgType>"
               f"<Content>{cdata(SECRET_TEXT)}</Content></xml>")

Answer = Callable[[Mapping[str, str]], bytes]  # the push's query -> the server's 200 body


@dataclass(frozen=True)
class Unreadable:
    name: str
    mode: str  # the account's callback_mode: plain, compatible or safe
    answer: Answer
    reason: str  # in the push's errors


def envelope(query: Mapping[str, str], encrypted: str, *, drop: str = "", nonce: str | None = None,
             msg_signature: str | None = None) -> bytes:
    """An encrypted reply to the push whose query is `query`, signed over `encrypted` (without `drop`)."""
    timestamp, nonce = query["timestamp"], query["nonce"] if nonce is None else nonce
    fields = {"Encrypt": encrypted, "MsgSignature": msg_signature or signature(TOKEN, timestamp, nonce, encrypted),
              "TimeStamp": timestamp, "Nonce": nonce}
    return ("<xml>" + "".join(f"<{name}>{cdata(value)}</{name}>" for name, value in fields.items()
                              if name != drop) + "</xml>").encode()


def sealed(xml: str, appid: str = APPID) -> str:
    return WXCrypt(AES_KEY, appid).encrypt(xml)


def badly_padded() -> str:
    """AES-CBC with the account's key over two blocks whose last byte, the pad length, is 0."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = aes_key_bytes(AES_KEY)
    assert key is not None
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    plain = SECRET_TEXT.encode().ljust(31, b"x")[:31] + b"\x00"
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


UNREADABLE = (
    Unreadable("json", "plain", lambda q: f'{{"text": "{SECRET_TEXT}"}}'.encode(), "bad_xml"),
    Unreadable("plain-reply-in-compatible-mode", "compatible", lambda q: PLAIN_REPLY.encode(), "no Encrypt"),
    Unreadable("plain-reply-in-safe-mode", "safe", lambda q: PLAIN_REPLY.encode(), "no Encrypt"),
    Unreadable("no-msg-signature", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY), drop="MsgSignature"),
               "no MsgSignature"),
    Unreadable("no-nonce", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY), drop="Nonce"), "no Nonce"),
    Unreadable("no-timestamp", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY), drop="TimeStamp"),
               "no TimeStamp"),
    Unreadable("wrong-signature", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY), msg_signature="0" * 40),
               "MsgSignature does not verify"),
    Unreadable("another-nonce", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY), nonce="12345"), "Nonce is not"),
    Unreadable("bad-base64", "safe", lambda q: envelope(q, f"not base64 {SECRET_TEXT}"), "bad_base64"),
    Unreadable("bad-padding", "safe", lambda q: envelope(q, badly_padded()), "bad_padding"),
    Unreadable("another-appid", "safe", lambda q: envelope(q, sealed(PLAIN_REPLY, "wx11111111111f2f2f")),
               "wrong_app_id"),
    Unreadable("decrypted-not-xml", "compatible", lambda q: envelope(q, sealed(f"not xml: {SECRET_TEXT}")),
               "bad_xml"),
)
