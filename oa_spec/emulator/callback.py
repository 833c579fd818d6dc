"""The platform's side of the message callback: pushing followers' messages and events to the account's
server, and the customer-service API a server answers through later.

`POST /_admin/apps/APPID/push` sends one message or event to the callback URL set in the account's
publishing settings, as the platform does (wechat-api.md §7): signed with the callback token, encrypted
when `callback_mode` is compatible or safe, waiting `callback_timeout_s` (5 s) per attempt for the whole
answer (status line, headers and body; a server trickling it is cut there) and trying
3 times with the same timestamp and nonce. It answers what a follower would get: the attempts, the
HTTP status, the decrypted passive reply (its signature checked), or that the server answered
`success`; an answer the platform cannot read (simulator.py says which) is `reply: null` and
`customer_sees_error: true` with the reason in `errors`, as the follower sees 该公众号暂时无法提供服务.
`message/custom/send` records the customer-service messages a server sends afterwards.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any, NoReturn

from oa_spec import limits
from oa_spec.emulator.state import AdminError, ApiError, App, Json

if TYPE_CHECKING:
    from oa_spec.emulator.base import Call, EmulatorStore

CALLBACK_MODES = ("plain", "compatible", "safe")
SETTINGS_HELP = "set callback_url, callback_token (and for encryption callback_mode, callback_aes_key) first"


def message_fields(appid: str, body: Json, now: float) -> dict[str, str]:
    """The pushed XML's fields: {"text", "openid"?}, {"event", "key"?, "openid"?} or {"fields": {...}}."""
    from oa_spec.emulator.events import original_id

    openid = str(body.get("openid") or "oEmulatorFollower000000000000")
    head = {"ToUserName": original_id(appid), "FromUserName": openid, "CreateTime": str(int(now))}
    if isinstance(body.get("fields"), dict):
        return {**head, **{str(k): str(v) for k, v in body["fields"].items()}}
    if "text" in body:
        return {**head, "MsgType": "text", "Content": str(body["text"]),
                "MsgId": str(body.get("msg_id") or secrets.randbits(63))}
    if "event" in body:
        fields = {**head, "MsgType": "event", "Event": str(body["event"])}
        return {**fields, "EventKey": str(body["key"])} if body.get("key") else fields
    raise AdminError("a push needs text, event (with key) or fields")


def push(appid: str, settings: Json, body: Json, now: float) -> Json:
    """Deliver one message with the platform's deadline and retries; runs outside the emulator's lock."""
    from oa_spec.gateway.simulator import PlatformSimulator

    url, token = settings.get("callback_url"), settings.get("callback_token")
    if not url or not token:
        raise AdminError(f"account {appid} has no callback: {SETTINGS_HELP}")
    mode = str(settings.get("callback_mode") or "plain")
    simulator = PlatformSimulator(str(url), str(token), app_id=appid, aes_key=settings.get("callback_aes_key"),
                                  encrypt=mode != "plain", attempts=limits.CALLBACK_ATTEMPTS,
                                  deadline_s=float(settings.get("callback_timeout_s")
                                                   or limits.CALLBACK_TIMEOUT_SECONDS))
    fields = message_fields(appid, body, now)
    started = time.monotonic()
    try:
        result = simulator.push(fields)  # an unreadable reply is in its errors, as the platform's error
    finally:
        simulator.close()
    return {"attempts": result.attempts, "status": result.status, "reply": result.reply,
            "success": result.body.strip() in (b"", b"success") and result.status == 200,
            "customer_sees_error": result.customer_sees_error, "errors": result.errors,
            "seconds": round(time.monotonic() - started, 3), "msg_id": fields.get("MsgId")}


def check_settings(body: Json) -> None:
    """The callback settings' own checks (publishing_state.configure runs them)."""
    if "callback_mode" in body and body["callback_mode"] not in CALLBACK_MODES:
        raise AdminError(f"callback_mode must be one of {', '.join(CALLBACK_MODES)}")
    key = body.get("callback_aes_key")
    if key is not None and (len(str(key)) != 43 or not str(key).isalnum()):
        raise AdminError("callback_aes_key must be the 43-character EncodingAESKey (letters and digits)")


def custom_send(emulator: EmulatorStore, call: Call, app: App) -> Json:
    """`message/custom/send`: a text or one-article news message to a follower, recorded for tests."""
    body: Any = call.body
    kind = body.get("msgtype")
    if not body.get("touser") or kind not in ("text", "news"):
        raise_invalid()
    if kind == "text" and not (body.get("text") or {}).get("content"):
        raise_invalid()
    messages: list[Json] = emulator.customer_messages.setdefault(app.appid, [])
    messages.append({"touser": body["touser"], "msgtype": kind, kind: body[kind], "time": emulator.now()})
    return {"errcode": 0, "errmsg": "ok"}


def raise_invalid() -> NoReturn:
    raise ApiError(44002, "empty post data or invalid message")
