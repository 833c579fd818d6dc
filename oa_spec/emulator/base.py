"""One /cgi-bin/ call, its outcome, and the emulator's stored state (apps, library, tokens, log, faults)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spec.emulator.faults import DropFault, ErrcodeFault, GarbleFault, SlowFault
from oa_spec.emulator.publishing_state import PublishState
from oa_spec.emulator.state import APP_ID_PATTERN, ESCAPED_NON_ASCII, AdminError, ApiError, App, Json
from oa_spec.util.fileio import write_json_atomic

if TYPE_CHECKING:
    from oa_spec.emulator.api import Emulator


@dataclass
class Call:
    """One /cgi-bin/ request on its way through the emulator."""

    name: str  # path below /cgi-bin/
    method: str
    query: dict[str, str]
    raw: bytes
    client_ip: str
    body: Json = field(default_factory=dict)
    appid: str | None = None
    app: App | None = None
    content_type: str = ""  # the request's Content-Type (uploads are multipart/form-data)


@dataclass(frozen=True)
class Outcome:
    status: int
    payload: Json | None  # None: drop the connection without answering
    partial: bool = False  # send the headers and half the body, then drop the connection
    raw: bytes | None = None  # sent as it is instead of the payload (a GarbleFault)
    byte_ms: int = 0  # the raw body a byte at a time, this many milliseconds apart


@dataclass
class Token:
    appid: str
    stable: bool  # stable_token and classic tokens are isolated from each other
    expires_at: float


Handler = Callable[["Emulator", Call, App], Json]


@dataclass(frozen=True)
class Endpoint:
    method: str
    write: bool
    handler: Handler
    multipart: bool = False  # the body is a file upload, not JSON


class EmulatorStore:
    """What the emulator holds, and its persistence; the API and admin mixins act on it."""

    def __init__(self, latency_ms: int = 0, state_file: Path | None = None, matchrule_echo: str = "tag_id") -> None:
        self._lock = threading.RLock()
        self.base_matchrule_echo = matchrule_echo
        self.state_file = state_file
        self.base_latency_ms = latency_ms
        self._clear()
        if state_file is not None and state_file.exists():
            self._load(state_file)

    def _clear(self) -> None:
        self.latency_ms = self.base_latency_ms
        self.matchrule_echo = self.base_matchrule_echo
        self.apps: dict[str, App] = {}
        self.library: dict[str, Json] = {}  # template_id_short -> {"title", "content", ...}
        self.tokens: dict[str, Token] = {}
        self.stable: dict[str, str] = {}  # appid -> current stable token
        self.calls: list[Json] = []
        self.errcode_faults: list[ErrcodeFault] = []
        self.drop_faults: list[DropFault] = []
        self.slow_faults: list[SlowFault] = []
        self.garble_faults: list[GarbleFault] = []
        self.publishing: dict[str, PublishState] = {}  # appid -> drafts, publications, sends, settings
        self.customer_messages: dict[str, list[Json]] = {}  # appid -> message/custom/send bodies (callback.py)
        self.clock_offset = 0.0  # seconds the emulator's clock is ahead of the real one (admin /clock)

    def now(self) -> float:
        """The emulator's clock: quotas, publications and sends are timed by it (tokens are not)."""
        return time.time() + self.clock_offset

    def publish_state(self, appid: str) -> PublishState:
        return self.publishing.setdefault(appid, PublishState())

    # -- persistence (apps and library; tokens die with the process, as a restart would) --
    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.library = dict(data.get("library") or {})
        for appid, entry in (data.get("apps") or {}).items():
            app = App(appid, secret=entry["secret"], ip_whitelist=entry.get("ip_whitelist"))
            app.seed(entry["state"])
            self.apps[appid] = app
            if entry.get("publishing"):
                self.publishing[appid] = PublishState.from_doc(entry["publishing"])

    def _save(self) -> None:
        if self.state_file is None:
            return
        apps = {appid: {"secret": a.secret, "ip_whitelist": a.ip_whitelist, "state": a.to_doc(),
                        "publishing": self.publish_state(appid).to_doc()}
                for appid, a in self.apps.items()}
        write_json_atomic(self.state_file, {"apps": apps, "library": self.library})

    def register(self, appid: str, secret: str, ip_whitelist: list[str] | None = None) -> Json:
        """Register an app (or change its secret/allow-list); its state is kept."""
        if not APP_ID_PATTERN.match(appid):
            raise AdminError(f"appid {appid!r} must look like wx + 16 letters or digits")
        if not secret:
            raise AdminError("secret must not be empty")
        if ip_whitelist is not None and not all(isinstance(ip, str) for ip in ip_whitelist):
            raise AdminError("ip_whitelist must be a list of IP addresses")
        app = self.apps.setdefault(appid, App(appid, secret=secret))
        app.secret, app.ip_whitelist = secret, ip_whitelist
        return {"appid": appid}

    def _app(self, appid: str) -> App:
        if appid not in self.apps:
            raise AdminError(f"unknown app {appid}: register it first (POST /_admin/apps)")
        return self.apps[appid]


def parse_body(raw: bytes, name: str) -> Json:
    """The platform wants raw UTF-8 JSON: \\uXXXX escapes of non-ASCII are refused (40033)."""
    if ESCAPED_NON_ASCII.search(raw):
        raise ApiError(40033)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(65318 if name.startswith("menu/") else 47001) from None
    try:
        body = json.loads(text) if text.strip() else {}
    except ValueError:
        raise ApiError(47001) from None
    if not isinstance(body, dict):
        raise ApiError(47001)
    return body
