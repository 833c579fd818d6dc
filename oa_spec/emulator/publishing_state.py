"""What the platform keeps of an account's publishing: images, materials, drafts, publications, sends.

Images and materials are stored by content (sha256), with the number of uploads, so that tests can
check that a client uploaded a file once. `settings` holds the account type (which decides the
broadcast quota), the callback URL and token the job-finish events are pushed to, and the outcome the
next publication gets.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from oa_spec import limits
from oa_spec.emulator.callback import check_settings
from oa_spec.emulator.state import AdminError, Json

SETTING_NAMES = ("account_type", "callback_url", "callback_token", "callback_timeout_s", "publish_status",
                 "callback_mode", "callback_aes_key", "broadcast_status", "broadcast_sent_count")
# What the next broadcasts' jobs become: done (the default), still going out (no job-finish event yet: the
# console settles them, `set_broadcast_status`), or failed, having reached `broadcast_sent_count` followers.
BROADCAST_OUTCOMES = ("SEND_SUCCESS", "SENDING", "SEND_FAIL")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass
class PublishState:
    """One account's publishing side; plain JSON values so that it persists with the state file."""

    settings: Json = field(default_factory=lambda: {
        "account_type": "service", "callback_url": None, "callback_token": None,
        "callback_timeout_s": limits.CALLBACK_TIMEOUT_SECONDS, "publish_status": 0,
        "broadcast_status": "SEND_SUCCESS", "broadcast_sent_count": 0})
    images: dict[str, Json] = field(default_factory=dict)  # sha256 -> {"url", "bytes", "uploads"}
    materials: dict[str, Json] = field(default_factory=dict)  # media_id -> {"sha256", "type", "url", "uploads"}
    drafts: dict[str, Json] = field(default_factory=dict)  # media_id -> {"news_item": [...], "update_time"}
    publications: dict[str, Json] = field(default_factory=dict)  # publish_id -> freepublish/get answer + more
    sends: list[Json] = field(default_factory=list)  # every broadcast the platform accepted
    previews: list[Json] = field(default_factory=list)
    events: list[Json] = field(default_factory=list)  # job-finish events and their delivery
    next_id: int = 1

    def new_number(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def to_doc(self) -> Json:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: Json) -> PublishState:
        """A saved state; settings the file lacks (saved by an older emulator) get their defaults."""
        state = cls(**{k: v for k, v in doc.items() if k in cls.__dataclass_fields__ and k != "settings"})
        state.settings.update({k: v for k, v in (doc.get("settings") or {}).items() if k in SETTING_NAMES})
        return state

    def configure(self, body: Json) -> None:
        """Apply admin settings; a bad value raises AdminError and changes nothing."""
        unknown = set(body) - set(SETTING_NAMES)
        if unknown:
            raise AdminError(f"unknown settings {sorted(unknown)}; allowed: {list(SETTING_NAMES)}")
        if "account_type" in body and body["account_type"] not in limits.ACCOUNT_TYPES:
            raise AdminError(f"account_type must be one of {', '.join(limits.ACCOUNT_TYPES)}")
        url = body.get("callback_url")
        if url is not None and not _is_loopback_url(str(url)):
            raise AdminError("callback_url must be an http URL on loopback (127.0.0.1, localhost or ::1)")
        if "publish_status" in body and body["publish_status"] not in limits.PUBLISH_STATUS:
            raise AdminError(f"publish_status must be one of {sorted(limits.PUBLISH_STATUS)}")
        if "broadcast_status" in body and body["broadcast_status"] not in BROADCAST_OUTCOMES:
            raise AdminError(f"broadcast_status must be one of {', '.join(BROADCAST_OUTCOMES)}")
        sent_count = body.get("broadcast_sent_count", 0)
        if not isinstance(sent_count, int) or isinstance(sent_count, bool) or sent_count < 0:
            raise AdminError("broadcast_sent_count must be a whole number of followers, 0 or more")
        if "callback_timeout_s" in body and not 0 < float(body["callback_timeout_s"]) <= 30:
            raise AdminError("callback_timeout_s must be above 0 and at most 30")
        check_settings(body)
        self.settings.update(body)


def _is_loopback_url(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "http" and host is not None and host in LOOPBACK_HOSTS


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def image_format(data: bytes) -> str | None:
    """The format by magic bytes (names lie): jpeg, png, gif or bmp."""
    signatures: tuple[tuple[bytes, str], ...] = (
        (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
        (b"BM", "bmp"))
    return next((name for magic, name in signatures if data.startswith(magic)), None)


def as_int(value: Any, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return -1
