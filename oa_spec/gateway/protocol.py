"""The callback protocol (wechat-api.md §7): signatures, WXBizMsgCrypt AES, XML in and out.

Every check fails closed with a `ProtocolError` whose `reason` is a short fixed code for logs and metrics;
the HTTP answer to a rejected request never echoes what was wrong with it beyond a generic status.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import parse_qsl

from oa_spec.gateway.config import AccountGateway, GatewaySecrets, Reply, aes_key_bytes
from oa_spec.gateway.dedup import UNVOUCHED, MemoryIdempotency

MAX_BODY_BYTES = 64 * 1024  # platform messages are a few KB; anything larger is not from the platform
TIMESTAMP_WINDOW_S = 300
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

_AES_BLOCK = 32  # WXBizMsgCrypt pads PKCS#7 to 32 bytes, not AES's 16


class ProtocolError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def signature(*parts: str) -> str:
    """sha1 of the lexicographically sorted parts, concatenated (plain signature and msg_signature alike)."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _check(expected: str, given: str | None, reason: str) -> None:
    if not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise ProtocolError(reason)


def verify_url(token: str, query: Mapping[str, str], now: float | None = None) -> str:
    """GET URL verification: the echostr, only when the plain signature holds (also in safe mode) and its
    timestamp is in the window: any POST's query carries a valid (timestamp, nonce, signature), which must
    not verify a GET forever."""
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    _check(signature(token, timestamp, nonce), query.get("signature"), "bad_signature")
    _in_window(timestamp, time.time() if now is None else now, TIMESTAMP_WINDOW_S)
    echostr = query.get("echostr")
    if echostr is None:
        raise ProtocolError("no_echostr")
    return echostr


class WXCrypt:
    """AES-256-CBC as the platform does it: IV = first 16 key bytes, random(16) | len(4) | xml | appid."""

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        key = aes_key_bytes(encoding_aes_key)
        if key is None:
            raise ValueError("EncodingAESKey must be 43 base64 characters that decode to 32 bytes")
        self._key, self._app_id = key, app_id.encode()
        self._cached: Cipher[modes.CBC] | None = None

    def _cipher(self) -> Cipher[modes.CBC]:
        # One Cipher per key: it hands out a fresh encryptor/decryptor per message.
        if self._cached is None:
            from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

            self._cached = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))
        return self._cached

    def decrypt_ready(self) -> None:
        self._cipher()

    def encrypt(self, xml: str, random_prefix: bytes | None = None) -> str:
        body = xml.encode()
        prefix = secrets.token_bytes(16) if random_prefix is None else random_prefix
        plain = prefix + struct.pack(">I", len(body)) + body + self._app_id
        pad = _AES_BLOCK - len(plain) % _AES_BLOCK
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain + bytes([pad]) * pad) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except ValueError as exc:
            raise ProtocolError("bad_base64") from exc
        if not raw or len(raw) % 16:
            raise ProtocolError("bad_ciphertext")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(raw) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= _AES_BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise ProtocolError("bad_padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise ProtocolError("bad_length")
        length = int(struct.unpack(">I", content[:4])[0])
        if length > len(content) - 4:
            raise ProtocolError("bad_length")
        # Compared in constant time too: the AppID is not secret, but it costs nothing.
        if not hmac.compare_digest(content[4 + length:], self._app_id):
            raise ProtocolError("wrong_app_id")
        try:
            return content[4:4 + length].decode()
        except UnicodeDecodeError as exc:
            raise ProtocolError("bad_utf8") from exc


_FLAT_ELEMENT = re.compile(rb"\s*<([A-Za-z][A-Za-z0-9_]*)>(?:<!\[CDATA\[(.*?)\]\]>|([^<&]*))</\1>", re.DOTALL)
_FLAT_OPEN, _FLAT_CLOSE = re.compile(rb"\s*<xml>"), re.compile(rb"\s*</xml>\s*")


def _parse_flat(body: bytes) -> dict[str, str] | None:
    """The platform's usual shape, <xml> with flat elements of CDATA or plain text, read without an XML
    parser; anything else (nesting, entities, a DTD, split CDATA) returns None for the full parser."""
    opened = _FLAT_OPEN.match(body)
    if opened is None:
        return None
    fields: dict[str, str] = {}
    position = opened.end()
    while (element := _FLAT_ELEMENT.match(body, position)) is not None:
        value = element.group(2) if element.group(2) is not None else element.group(3)
        if b"]]>" in value:
            return None
        fields[element.group(1).decode()] = value.decode()
        position = element.end()
    if _FLAT_CLOSE.fullmatch(body, position) is None:
        return None
    return fields


@lru_cache(maxsize=256)
def crypt_for(encoding_aes_key: str, app_id: str) -> WXCrypt:
    """One WXCrypt per account key (decoding the key and building the cipher once)."""
    return WXCrypt(encoding_aes_key, app_id)


def parse_xml(body: bytes) -> dict[str, str]:
    """The fields of a platform XML body; no DTD, no entities, no external anything."""
    if len(body) > MAX_BODY_BYTES:
        raise ProtocolError("too_large")
    try:
        flat = _parse_flat(body)
    except UnicodeDecodeError as exc:
        raise ProtocolError("bad_utf8") from exc
    if flat is not None:
        return flat
    return _parse_full(body)


def _parse_full(body: bytes) -> dict[str, str]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(body, forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError) as exc:
        raise ProtocolError("bad_xml") from exc
    if root.tag != "xml":
        raise ProtocolError("bad_xml")
    fields = {child.tag: (child.text or "") for child in root if len(child) == 0}
    for child in root:  # nested blocks (ScanCodeInfo, PublishEventInfo...) flattened one level with a prefix
        for grandchild in child:
            fields[f"{child.tag}.{grandchild.tag}"] = grandchild.text or ""
    return fields


_TIMESTAMP = re.compile(r"[1-9][0-9]{0,11}")


def _in_window(timestamp: str, now: float, window_s: int) -> None:
    # Only the platform's own form, ASCII digits without a leading zero: int() also reads 01700000000, +1700000000,
    # " 1700000000", 17_0000_0000 and full-width digits, and the signature, over the parts joined with nothing
    # between, lets a captured query's characters move between its timestamp and its nonce (attack review 73).
    if _TIMESTAMP.fullmatch(timestamp) is None:
        raise ProtocolError("bad_timestamp")
    sent = int(timestamp)
    if abs(now - sent) > window_s:
        raise ProtocolError("stale_timestamp")


class ReplayGuard:
    """Timestamp window and nonce memory. The same (timestamp, nonce) with the same body is a retry
    (the platform's, or a replay: either way it may only be answered from the idempotency record);
    with a different body it is a forgery and rejected. The memory is the idempotency store's, so that
    every worker and replica (and a worker after a restart) knows the nonces any of them accepted."""

    def __init__(self, store: Remembers | None = None, window_s: int = TIMESTAMP_WINDOW_S) -> None:
        self._store: Remembers = store if store is not None else MemoryIdempotency()
        self._window = window_s

    def check(self, account_id: str, timestamp: str, nonce: str, body: bytes, now: float | None = None,
              signed: str | None = None) -> Seen:
        """"repeat" for a repeat of an accepted request, "new", or "unvouched": new to this machine while the
        memory the replicas share is unreachable. Raises when stale or forged. `signed`, the request's verified
        signature, is what the nonce is remembered by: every (timestamp, nonce) that signs the same is one request
        (the parts are joined with nothing between, so 1700000000 with 0123450 signs as 01700000000 with 012345),
        on whichever account's path it comes."""
        _in_window(timestamp, time.time() if now is None else now, self._window)
        if not nonce:
            raise ProtocolError("no_nonce")
        digest = hashlib.sha256(body).hexdigest()
        # Not per account: accounts sharing a Token share signatures, and a query captured on one path would carry
        # another body to the other's (attack review 73 F3). Different Tokens never sign alike.
        key = f"|n|s|{signed}" if signed else f"{account_id}|n|{timestamp}|{nonce}"
        known = self._store.remember(key, digest)
        if known is None or known == UNVOUCHED:
            return "new" if known is None else "unvouched"
        if not hmac.compare_digest(known, digest):
            raise ProtocolError("nonce_reused")
        return "repeat"


Seen = Literal["new", "repeat", "unvouched"]


class Remembers(Protocol):
    def remember(self, key: str, value: str) -> str | None: ...


@dataclass(frozen=True)
class Incoming:
    fields: dict[str, str]
    encrypted: bool
    retry: bool
    timestamp: str
    nonce: str
    vouched: bool = True  # False: no replica-wide memory vouched that this is not a replay (see Seen)


def open_request(config: AccountGateway, keys: GatewaySecrets, query: Mapping[str, str],
                 body: bytes | Callable[[], bytes], guard: ReplayGuard, now: float | None = None) -> Incoming:
    """Verify and, when encrypted, decrypt one POST. A safe-mode account never takes plaintext. The signature is
    all in the query (timestamp, nonce), so a `body` still to be read is read only once it holds: a request
    from anyone but the platform is refused before its body is waited for (attack review 44)."""
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    signed = signature(keys.token, timestamp, nonce)
    _check(signed, query.get("signature"), "bad_signature")
    if callable(body):
        body = body()
    envelope = parse_xml(body)
    encrypted = query.get("encrypt_type", "raw") == "aes"
    if config.mode == "safe" and not encrypted:
        raise ProtocolError("downgrade")
    if encrypted:
        if config.mode == "plain" or keys.aes_key is None:
            raise ProtocolError("unexpected_encryption")
        token = envelope.get("Encrypt", "")
        _check(signature(keys.token, timestamp, nonce, token), query.get("msg_signature"), "bad_msg_signature")
        fields = parse_xml(crypt_for(keys.aes_key, config.app_id).decrypt(token).encode())
    else:
        fields = envelope
    seen = guard.check(config.account_id, timestamp, nonce, body, now, signed=signed)
    if seen == "unvouched" and not encrypted:  # an unsigned body is trusted on a nonce every replica knows
        raise ProtocolError("state_unavailable")
    if not fields.get("MsgType") or not fields.get("FromUserName"):
        raise ProtocolError("missing_fields")
    return Incoming(fields=fields, encrypted=encrypted, retry=seen == "repeat", timestamp=timestamp, nonce=nonce,
                    vouched=seen != "unvouched")


def cdata(value: str) -> str:
    """A CDATA section that `]]>` in the value cannot close early (split across two sections)."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def reply_xml(incoming: Mapping[str, str], reply: Reply, create_time: int, to_message: bool) -> str:
    """The passive reply, To/From swapped. Answering a user message allows one article, an event eight."""
    head = (f"<xml><ToUserName>{cdata(incoming.get('FromUserName', ''))}</ToUserName>"
            f"<FromUserName>{cdata(incoming.get('ToUserName', ''))}</FromUserName>"
            f"<CreateTime>{create_time}</CreateTime>")
    if reply.text is not None:
        return head + f"<MsgType>{cdata('text')}</MsgType><Content>{cdata(reply.text)}</Content></xml>"
    articles = reply.articles[: 1 if to_message else 8]
    items = "".join(f"<item><Title>{cdata(a.title)}</Title><Description>{cdata(a.description)}</Description>"
                    f"<PicUrl>{cdata(a.pic_url)}</PicUrl><Url>{cdata(a.url)}</Url></item>" for a in articles)
    return head + (f"<MsgType>{cdata('news')}</MsgType><ArticleCount>{len(articles)}</ArticleCount>"
                   f"<Articles>{items}</Articles></xml>")


def transfer_xml(incoming: Mapping[str, str], create_time: int) -> str:
    return (f"<xml><ToUserName>{cdata(incoming.get('FromUserName', ''))}</ToUserName>"
            f"<FromUserName>{cdata(incoming.get('ToUserName', ''))}</FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType>{cdata('transfer_customer_service')}</MsgType></xml>")


def seal(xml: str, keys: GatewaySecrets, app_id: str, timestamp: str, nonce: str,
         random_prefix: bytes | None = None) -> str:
    """The encrypted reply envelope; its MsgSignature is over its own Encrypt with the request's timestamp/nonce."""
    assert keys.aes_key is not None
    token = crypt_for(keys.aes_key, app_id).encrypt(xml, random_prefix)
    sig = signature(keys.token, timestamp, nonce, token)
    return (f"<xml><Encrypt>{cdata(token)}</Encrypt><MsgSignature>{cdata(sig)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>")


def callback_query(text: str) -> dict[str, str]:
    """The callback's query string; the platform's values are plain ASCII, so percent-decoding (the slow
    part of parse_qsl) only runs when a value needs it."""
    if "%" in text or "+" in text:
        return dict(parse_qsl(text, keep_blank_values=True))
    return dict(pair.partition("=")[::2] for pair in text.split("&") if pair)


def read_body(environ: Mapping[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise ProtocolError("bad_length") from exc
    if length > MAX_BODY_BYTES or length < 0:
        raise ProtocolError("too_large")
    stream = environ["wsgi.input"]
    return bytes(stream.read(length)) if length else b""


# The idempotency record keeps a reply without the follower's OpenID (its ToUserName): a retry carries the
# same FromUserName, which is put back. The records are kept for minutes, in files or in the database.
_TO_NOBODY = "<xml><ToUserName><![CDATA[]]></ToUserName>"


def _to_user(fields: Mapping[str, str]) -> str:
    return f"<xml><ToUserName>{cdata(fields.get('FromUserName', ''))}</ToUserName>"


def without_follower(answer: str, fields: Mapping[str, str]) -> str:
    return _TO_NOBODY + answer.removeprefix(_to_user(fields)) if answer.startswith(_to_user(fields)) else answer


def with_follower(found: str, fields: Mapping[str, str]) -> str:
    return _to_user(fields) + found.removeprefix(_TO_NOBODY) if found.startswith(_TO_NOBODY) else found
