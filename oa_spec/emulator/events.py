"""Job-finish events (MASSSENDJOBFINISH, PUBLISHJOBFINISH) pushed to the account's callback URL.

As the platform does (wechat-api.md §7): a POST of the event XML with signature, timestamp and nonce
in the query (plain mode: sha1 over the sorted token, timestamp and nonce), waiting `callback_timeout_s`
for an answer and trying `limits.CALLBACK_ATTEMPTS` times in all. Delivery runs in a background thread
so that the API call that finished the job answers at once; each event's attempts are recorded.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from oa_spec import limits
from oa_spec.emulator.state import Json
from oa_spec.util.http_deadline import NoWholeAnswer, deadline_session, whole_answer

HELPER_OPENID = "mphelper"  # the 群发助手 sends job-finish events (§7.2)


def signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def original_id(appid: str) -> str:
    """The account's gh_ id, derived from the app id: the emulator has no other."""
    return "gh_" + hashlib.sha256(appid.encode()).hexdigest()[:12]


def to_xml(fields: dict[str, Any]) -> str:
    """Nested dicts become elements, a list repeats its element (`<fail_idx>1</fail_idx><fail_idx>2</fail_idx>`);
    strings go in CDATA as the platform sends them."""
    out: list[str] = []
    for name, value in fields.items():
        if isinstance(value, list):
            out.extend(to_xml({name: entry}) for entry in value)
        elif isinstance(value, dict):
            out.append(f"<{name}>{to_xml(value)}</{name}>")
        elif isinstance(value, str):
            out.append(f"<{name}><![CDATA[{value.replace(']]>', ']]]]><![CDATA[>')}]]></{name}>")
        else:
            out.append(f"<{name}>{escape(str(value))}</{name}>")
    return "".join(out)


def event_xml(appid: str, created: int, event: str, fields: dict[str, Any]) -> str:
    head = {"ToUserName": original_id(appid), "FromUserName": HELPER_OPENID, "CreateTime": created,
            "MsgType": "event", "Event": event}
    return f"<xml>{to_xml({**head, **fields})}</xml>"


def push(record: Json, settings: Json, now: float, locked: Callable[[Callable[[], None]], None]) -> None:
    """Deliver `record["xml"]` in the background when a callback URL is set; `locked` runs a change of
    `record` under the emulator's lock."""
    url, token = settings.get("callback_url"), str(settings.get("callback_token") or "")
    if not url:
        record["delivery"] = "no callback URL"
        return
    record["delivery"] = "pending"
    timeout = float(settings.get("callback_timeout_s") or limits.CALLBACK_TIMEOUT_SECONDS)
    seal = _sealer(settings)
    thread = threading.Thread(target=_deliver, args=(record, str(url), token, int(now), timeout, locked, seal),
                              name="oaspec-emulator-event", daemon=True)
    thread.start()


Sealer = Callable[[str, str, str], tuple[dict[str, str], str]]


def _sealer(settings: Json) -> Sealer | None:
    """In compatible and safe mode events are encrypted, as every message is (callback.py)."""
    key, appid = settings.get("callback_aes_key"), settings.get("appid")
    if (settings.get("callback_mode") or "plain") == "plain" or not key or not appid:
        return None
    from oa_spec.gateway.protocol import WXCrypt, signature

    crypt, token = WXCrypt(str(key), str(appid)), str(settings.get("callback_token") or "")

    def seal(xml: str, timestamp: str, nonce: str) -> tuple[dict[str, str], str]:
        encrypted = crypt.encrypt(xml)
        body = (f"<xml><ToUserName><![CDATA[{original_id(str(appid))}]]></ToUserName>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
        return {"encrypt_type": "aes", "msg_signature": signature(token, timestamp, nonce, encrypted)}, body

    return seal


def _deliver(record: Json, url: str, token: str, timestamp: int, timeout: float,
             locked: Callable[[Callable[[], None]], None], seal: Sealer | None = None) -> None:
    session = deadline_session()  # no proxy from the environment carries loopback events away
    for attempt in range(1, limits.CALLBACK_ATTEMPTS + 1):
        nonce = str(secrets.randbelow(10**9))
        params = {"signature": signature(token, str(timestamp), nonce), "timestamp": str(timestamp),
                  "nonce": nonce}
        body = str(record["xml"])
        if seal is not None:
            extra, body = seal(body, str(timestamp), nonce)
            params.update(extra)
        try:  # `timeout` bounds the whole answer, as the platform's 5 s do (review 55)
            answer = whole_answer(session, timeout, "POST", url, params=params, data=body.encode("utf-8"),
                                  headers={"Content-Type": "text/xml; charset=utf-8"})
            outcome = f"HTTP {answer.status_code}"
            delivered = answer.status_code == 200
        except NoWholeAnswer as exc:
            outcome, delivered = str(exc), False
        entry = {"attempt": attempt, "outcome": outcome}
        locked(lambda: record["attempts"].append(entry))  # noqa: B023 (runs at once, under the lock)
        if delivered:
            locked(lambda: record.update(delivery="delivered"))
            break
    else:
        locked(lambda: record.update(delivery="failed"))
    session.close()
