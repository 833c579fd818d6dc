"""A stand-in for the WeChat Official Account server API, for tests, demos and dry runs.

It speaks the platform's wire format on loopback (paths under /cgi-bin/, JSON shapes, errcodes), checks
access tokens, enforces the limits in `oa_spec.limits` with the platform's error codes, and keeps one
state per app id. An admin API under /_admin/ registers apps, seeds and reads state, reads the call log
and injects the platform's bad days (errcodes, latency, dropped connections, expired tokens);
`EmulatorAdmin` is its client. Where the platform's behaviour is not documented, the choice made here
says UNCONFIRMED.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import logging
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl

import requests

from oa_spec import limits
from oa_spec.fileio import write_json_atomic
from oa_spec.redact import redact_query
from oa_spec.urls import split_url

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # loopback only: the emulator has no authentication of its own
TOKEN_TTL = 7200
ROTATE_BEFORE = 300  # a stable token is re-issued 5 min before expiry; classic tokens overlap 5 min
FIRST_MENUID = 400000000
MAX_BODY_BYTES = 1 << 20
APP_ID_PATTERN = re.compile(r"^wx[0-9A-Za-z]{16}$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,512}$")  # anything else is malformed: 40014
# An escaped non-ASCII character (\u4e2d), not preceded by an odd number of backslashes.
_ESCAPED_NON_ASCII = re.compile(rb"(?<!\\)(?:\\\\)*\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")
# The official tags/get sample lists the system tag 星标组 (id 2); a new app starts with it.
DEFAULT_TAGS: tuple[dict[str, Any], ...] = ({"id": 2, "name": "星标组", "count": 0},)
_RULE_FIELDS = ("tag_id", "client_platform_type", *limits.PRIVACY_MATCH_FIELDS)
# How menu/get names the tag of a conditional menu's rule: tag_id (new accounts), group_id (the old name,
# a number, as some real accounts still answer) or both.
MATCHRULE_ECHOES = ("tag_id", "group_id", "both")

# errmsg wording as the platform sends it (the provider decides on errcode, never on this text)
_ERRMSG = {
    -1: "system error", 0: "ok", 40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type", 40013: "invalid appid", 40014: "invalid access_token",
    40033: "invalid charset. please check your request, if include \\uxxxx will create fail!",
    40003: "invalid openid", 40037: "invalid template_id", 40125: "invalid appsecret", 40243: "AppSecret已被冻结",
    41001: "access_token missing", 42001: "access_token expired", 43001: "require GET method",
    43002: "require POST method", 45009: "reach max api daily quota limit", 45026: "template num exceeds limit",
    45027: "template conflict with industry", 45056: "too many tags now, no need to add new",
    45057: "can't delete the tag that has too many fans", 45058: "can't modify sys tag",
    45157: "invalid tag name", 45158: "tag name too long", 45159: "invalid tag id", 46003: "menu no exist",
    47001: "data format error", 65301: "this menu is not conditionalmenu",
    65303: "there is no selfmenu, please create selfmenu first", 65304: "match rule empty",
    65305: "menu count limit", 65316: "domain count reach limit", 65318: "must use utf-8 charset",
    65320: "match rule contains privacy fields (sex, region, language)",
}

Json = dict[str, Any]
_OK: Json = {"errcode": 0, "errmsg": "ok"}


class ApiError(Exception):
    """A platform error answer: {"errcode": code, "errmsg": ...}."""

    def __init__(self, code: int, errmsg: str = "") -> None:
        super().__init__(code)
        self.code = code
        known = limits.ERROR_CODES.get(code)
        self.errmsg = errmsg or _ERRMSG.get(code) or (known.message if known else "error")


class AdminError(Exception):
    """A bad admin request (HTTP 400)."""


# --- state of one app ------------------------------------------------------------------------------
@dataclass
class App:
    """One Official Account. Menus are kept in the menu/create shape: leaves have no `sub_button`."""

    appid: str
    secret: str
    ip_whitelist: list[str] | None = None  # None: every IP may call
    menu: list[Json] | None = None
    menuid: int = 0
    conditional: list[Json] = field(default_factory=list)  # {"button", "matchrule", "menuid": int}
    selfmenu: Json | None = None  # a console-set menu: a get_current_selfmenu_info answer
    autoreply: Json | None = None  # console rules: a get_current_autoreply_info answer
    tags: list[Json] = field(default_factory=lambda: [dict(t) for t in DEFAULT_TAGS])
    templates: list[Json] = field(default_factory=list)
    industry: list[str] | None = None  # [industry_id1, industry_id2]
    users: list[Json] = field(default_factory=list)  # {"openid", "tagid_list", "client_platform_type"}: trymatch
    next_tag_id: int = limits.FIRST_USER_TAG_ID
    next_menuid: int = FIRST_MENUID
    next_template: int = 1

    def to_doc(self) -> Json:
        """The account in the seed format (what /_admin/apps/<appid>/state reads and writes)."""
        menu = None if self.menu is None else {"button": self.menu, "menuid": self.menuid}
        return {
            "menu": menu, "conditionalmenu": self.conditional, "selfmenu": self.selfmenu,
            "autoreply": self.autoreply, "tags": self.tags, "templates": self.templates,
            "industry": None if self.industry is None else
            {"industry_id1": self.industry[0], "industry_id2": self.industry[1]},
            "users": self.users,
        }

    def seed(self, doc: Json) -> None:
        """Replace the account's content; ids continue above the highest seeded one. A malformed `doc`
        raises (ApiError for buttons the platform would refuse; TypeError, ValueError, KeyError or
        AttributeError for wrong shapes) and changes nothing."""
        fresh = App(self.appid, self.secret, self.ip_whitelist)
        fresh._fill(doc)
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    def _fill(self, doc: Json) -> None:
        menu = doc.get("menu")
        self.menu = _stored_buttons(menu.get("button")) if menu else None
        self.conditional = [
            {"button": _stored_buttons(m.get("button")), "matchrule": dict(m.get("matchrule") or {}),
             "menuid": int(m["menuid"])}
            for m in doc.get("conditionalmenu") or []
        ]
        self.selfmenu, self.autoreply = doc.get("selfmenu"), doc.get("autoreply")
        tags = doc.get("tags")
        self.tags = [{"id": int(t["id"]), "name": str(t["name"]), "count": int(t.get("count", 0))}
                     for t in (DEFAULT_TAGS if tags is None else tags)]
        self.templates = [dict(t) for t in doc.get("templates") or []]
        industry = doc.get("industry")
        self.industry = None if not industry else [str(industry["industry_id1"]), str(industry["industry_id2"])]
        self.users = [{"openid": str(u["openid"]), "tagid_list": [int(t) for t in u.get("tagid_list") or []],
                       "client_platform_type": str(u.get("client_platform_type") or "")}
                      for u in doc.get("users") or []]
        seeded_menuid = int(menu.get("menuid") or 0) if menu else 0
        self.next_menuid = max([FIRST_MENUID - 1, seeded_menuid, *(m["menuid"] for m in self.conditional)]) + 1
        self.menuid = seeded_menuid or self.new_menuid()
        self.next_tag_id = max([limits.FIRST_USER_TAG_ID - 1, *(t["id"] for t in self.tags)]) + 1
        self.next_template = len(self.templates) + 1

    def new_menuid(self) -> int:
        self.next_menuid += 1
        return self.next_menuid - 1

    def tag(self, tag_id: Any) -> Json:
        found = next((t for t in self.tags if str(t["id"]) == str(tag_id)), None)
        if found is None:
            raise ApiError(45159)
        return found


def _stored_buttons(raw: Any) -> list[Json]:
    """Buttons from any shape the platform emits (menu/get, selfmenu, create) in the create shape."""
    if not isinstance(raw, list) or not all(isinstance(b, dict) for b in raw):
        raise ApiError(47001)
    out = []
    for button in raw:
        subs = button.get("sub_button")
        subs = subs.get("list") if isinstance(subs, dict) else subs
        clean = {k: v for k, v in button.items() if k != "sub_button"}
        if subs:
            clean = {"name": button.get("name"), "sub_button": _stored_buttons(subs)}
        out.append(clean)
    return out


def _menu_get_shape(buttons: list[Json]) -> list[Json]:
    """menu/get puts `"sub_button": []` on every leaf."""
    return [{**b, "sub_button": _menu_get_shape(b["sub_button"])} if "sub_button" in b
            else {**b, "sub_button": []} for b in buttons]


def _selfmenu_shape(buttons: list[Json]) -> list[Json]:
    """get_current_selfmenu_info wraps sub-buttons as {"list": [...]} and leaves have no `sub_button`."""
    return [{"name": b["name"], "sub_button": {"list": b["sub_button"]}} if "sub_button" in b else dict(b)
            for b in buttons]


def _industry_doc(code: str) -> Json:
    first, _, second = limits.INDUSTRIES[code].partition("/")
    return {"first_class": first, "second_class": second}


# --- faults ----------------------------------------------------------------------------------------
@dataclass
class ErrcodeFault:
    """Answer `errcode` on every `every`-th matching call (writes only unless writes_only is False)."""

    errcode: int
    every: int = 1
    path: str | None = None  # e.g. "menu/create"; None matches every path
    appid: str | None = None
    writes_only: bool = True
    seen: int = 0


@dataclass
class DropFault:
    """Close the socket without an answer on the `nth` matching call, once; optionally after doing it.
    With partial_body the call is done and its answer cut off half-way: headers and half the body."""

    nth: int = 1
    path: str | None = None
    appid: str | None = None
    after_processing: bool = False
    partial_body: bool = False
    seen: int = 0


@dataclass
class SlowFault:
    """Do the `nth` matching call, then hold its answer for `ms`: a client that times out meanwhile never
    learns that the write landed."""

    ms: int
    nth: int = 1
    path: str | None = None
    appid: str | None = None
    seen: int = 0


def _matches(fault: ErrcodeFault | DropFault | SlowFault, name: str, appid: str | None) -> bool:
    return fault.path in (None, name) and fault.appid in (None, appid)


# --- the API ---------------------------------------------------------------------------------------
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


@dataclass(frozen=True)
class Outcome:
    status: int
    payload: Json | None  # None: drop the connection without answering
    partial: bool = False  # send the headers and half the body, then drop the connection


@dataclass
class _Token:
    appid: str
    stable: bool  # stable_token and classic tokens are isolated from each other
    expires_at: float


Handler = Callable[["Emulator", Call, App], Json]
FaultT = TypeVar("FaultT", DropFault, SlowFault)


@dataclass(frozen=True)
class Endpoint:
    method: str
    write: bool
    handler: Handler


class Emulator:
    """The platform's state and rules; `EmulatorServer` puts it on HTTP. Thread-safe."""

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
        self.tokens: dict[str, _Token] = {}
        self.stable: dict[str, str] = {}  # appid -> current stable token
        self.calls: list[Json] = []
        self.errcode_faults: list[ErrcodeFault] = []
        self.drop_faults: list[DropFault] = []
        self.slow_faults: list[SlowFault] = []

    # -- persistence (apps and library; tokens die with the process, as a restart would) --
    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.library = dict(data.get("library") or {})
        for appid, entry in (data.get("apps") or {}).items():
            app = App(appid, secret=entry["secret"], ip_whitelist=entry.get("ip_whitelist"))
            app.seed(entry["state"])
            self.apps[appid] = app

    def _save(self) -> None:
        if self.state_file is None:
            return
        apps = {appid: {"secret": a.secret, "ip_whitelist": a.ip_whitelist, "state": a.to_doc()}
                for appid, a in self.apps.items()}
        write_json_atomic(self.state_file, {"apps": apps, "library": self.library})

    # -- /cgi-bin/ --
    def api(self, call: Call) -> Outcome:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)  # outside the lock: concurrent calls overlap, as on the platform
        endpoint = ENDPOINTS.get(call.name)
        with self._lock:
            if endpoint is None:
                return Outcome(404, {"errcode": 404, "errmsg": f"no such API /cgi-bin/{call.name}"})
            outcome = self._api_locked(call, endpoint)
            if endpoint.write:
                self._save()
            slow = self._take(self.slow_faults, call)
        if slow is not None:
            time.sleep(slow.ms / 1000)
        return outcome

    def _api_locked(self, call: Call, endpoint: Endpoint) -> Outcome:
        dropped = errcode = drop = None
        try:
            self._admit(call, endpoint)
            drop = self._take_drop(call)
            if drop is not None and not (drop.after_processing or drop.partial_body):
                dropped = True
                return Outcome(200, None)
            self._inject_errcode(call, endpoint)
            assert call.app is not None
            payload = endpoint.handler(self, call, call.app)
            errcode = 0
            dropped = drop is not None
            if drop is not None and drop.partial_body:
                return Outcome(200, payload, partial=True)
            return Outcome(200, None if dropped else payload)
        except ApiError as exc:
            errcode = exc.code
            partial = drop is not None and drop.partial_body
            dropped = dropped or partial
            return Outcome(200, {"errcode": exc.code, "errmsg": f"{exc.errmsg} rid: {secrets.token_hex(6)}"},
                           partial=partial)
        finally:
            self.calls.append({"seq": len(self.calls) + 1, "time": time.time(), "appid": call.appid,
                               "method": call.method, "path": f"/cgi-bin/{call.name}", "errcode": errcode,
                               "write": endpoint.write, "dropped": bool(dropped)})

    def _admit(self, call: Call, endpoint: Endpoint) -> None:
        """Method, body and credentials, in the order the platform checks them."""
        if call.method != endpoint.method:
            raise ApiError(43001 if endpoint.method == "GET" else 43002)
        if call.method == "POST":
            call.body = _parse_body(call.raw, call.name)
        if call.name in ("token", "stable_token"):
            source = call.query if call.name == "token" else call.body
            call.appid = str(source.get("appid") or "")
            call.app = self.apps.get(call.appid)
            if call.app is None:
                raise ApiError(40013)
        else:
            self._authenticate(call)
        assert call.app is not None
        if call.app.ip_whitelist is not None and call.client_ip not in call.app.ip_whitelist:
            ip = call.client_ip
            raise ApiError(40164, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")

    def _authenticate(self, call: Call) -> None:
        token = call.query.get("access_token")
        if not token:
            raise ApiError(41001)
        if not TOKEN_PATTERN.match(token):
            raise ApiError(40014)
        known = self.tokens.get(token)
        if known is None or known.appid not in self.apps:
            raise ApiError(40001)
        call.appid, call.app = known.appid, self.apps[known.appid]  # logged even when expired
        if known.expires_at <= time.time():
            raise ApiError(42001)

    def _take_drop(self, call: Call) -> DropFault | None:
        return self._take(self.drop_faults, call)

    @staticmethod
    def _take(faults: list[FaultT], call: Call) -> FaultT | None:
        """The fault that fires on this call (once: it is then removed), or None."""
        for fault in faults:
            if _matches(fault, call.name, call.appid):
                fault.seen += 1
                if fault.seen == fault.nth:
                    faults.remove(fault)
                    return fault
        return None

    def _inject_errcode(self, call: Call, endpoint: Endpoint) -> None:
        for fault in self.errcode_faults:
            if _matches(fault, call.name, call.appid) and (endpoint.write or not fault.writes_only):
                fault.seen += 1
                if fault.seen % fault.every == 0:
                    raise ApiError(fault.errcode)

    # -- tokens --
    def _issue(self, appid: str, stable: bool) -> Json:
        token = secrets.token_urlsafe(96)
        self.tokens[token] = _Token(appid, stable, time.time() + TOKEN_TTL)
        return {"access_token": token, "expires_in": TOKEN_TTL}

    @staticmethod
    def _check_secret(app: App, source: dict[str, Any]) -> None:
        if source.get("grant_type") != "client_credential":
            raise ApiError(40002)
        if not secrets.compare_digest(str(source.get("secret") or ""), app.secret):
            raise ApiError(40125)

    def _token(self, call: Call, app: App) -> Json:
        """Classic token: a new one retires the app's older classic tokens after a short overlap."""
        self._check_secret(app, call.query)
        overlap_end = time.time() + ROTATE_BEFORE
        for known in self.tokens.values():
            if known.appid == app.appid and not known.stable:
                known.expires_at = min(known.expires_at, overlap_end)
        return self._issue(app.appid, stable=False)

    def _stable_token(self, call: Call, app: App) -> Json:
        """stable_token: normal mode returns the current token; force_refresh retires it at once."""
        self._check_secret(app, call.body)
        now = time.time()
        current = self.tokens.get(self.stable.get(app.appid, ""))
        if current is not None and call.body.get("force_refresh") is True:
            current.expires_at = min(current.expires_at, now)
        if current is not None and current.expires_at - now > ROTATE_BEFORE:
            return {"access_token": self.stable[app.appid], "expires_in": int(current.expires_at - now)}
        issued = self._issue(app.appid, stable=True)
        self.stable[app.appid] = issued["access_token"]
        return issued

    # -- menus --
    def _menu_create(self, call: Call, app: App) -> Json:
        buttons = _checked_buttons(call.body)
        app.menu, app.selfmenu = buttons, None  # the API menu replaces a console-set one
        app.menuid = app.new_menuid()
        return _OK

    def _menu_get(self, call: Call, app: App) -> Json:
        if app.menu is None:
            raise ApiError(46003)
        menu: Json = {"button": _menu_get_shape(app.menu)}
        if not app.conditional:
            return {"menu": menu}
        menu["menuid"] = app.menuid
        conditional = [{"button": _menu_get_shape(m["button"]), "matchrule": self._echoed(m["matchrule"]),
                        "menuid": m["menuid"]} for m in app.conditional]
        return {"menu": menu, "conditionalmenu": conditional}

    def _echoed(self, rule: Json) -> Json:
        """A stored rule as menu/get answers it: the tag as tag_id, group_id (a number) or both."""
        if "tag_id" not in rule or self.matchrule_echo == "tag_id":
            return dict(rule)
        echoed = {**rule, "group_id": int(rule["tag_id"])}
        if self.matchrule_echo == "group_id":
            echoed.pop("tag_id")
        return echoed

    def _try_match(self, call: Call, app: App) -> Json:
        """The menu a follower sees: the newest conditional menu whose rule fits them, else the default."""
        user_id = str(call.body.get("user_id") or "")
        user = next((u for u in app.users if u["openid"] == user_id), None)
        if user is None:
            raise ApiError(40003)
        if app.menu is None:
            raise ApiError(46003)
        for menu in reversed(app.conditional):
            rule = menu["matchrule"]
            if ("tag_id" not in rule or int(rule["tag_id"]) in user["tagid_list"]) and \
                    rule.get("client_platform_type") in (None, user["client_platform_type"]):
                return {"button": _menu_get_shape(menu["button"])}
        return {"button": _menu_get_shape(app.menu)}

    def _menu_delete(self, call: Call, app: App) -> Json:
        app.menu, app.selfmenu, app.conditional = None, None, []
        return _OK

    def _selfmenu_info(self, call: Call, app: App) -> Json:
        if app.menu is not None:
            return {"is_menu_open": 1, "selfmenu_info": {"button": _selfmenu_shape(app.menu)}}
        if app.selfmenu is not None:
            return app.selfmenu
        return {"is_menu_open": 0, "selfmenu_info": {"button": []}}  # UNCONFIRMED shape for "no menu"

    def _add_conditional(self, call: Call, app: App) -> Json:
        if app.menu is None:
            raise ApiError(65303)
        rule = self._checked_rule(call.body.get("matchrule"), app)
        buttons = _checked_buttons(call.body)
        if len(app.conditional) >= limits.MAX_CONDITIONAL_MENUS:
            raise ApiError(65305)
        domains = set(itertools.chain(_link_domains(buttons), *(_link_domains(m["button"]) for m in app.conditional)))
        if len(domains) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
            raise ApiError(65316)
        menuid = app.new_menuid()
        app.conditional.append({"button": buttons, "matchrule": rule, "menuid": menuid})
        return {"menuid": str(menuid)}  # a string here, a number in menu/get

    def _checked_rule(self, raw: Any, app: App) -> dict[str, str]:
        if not isinstance(raw, dict):
            raise ApiError(65304)
        values = {("tag_id" if k == "group_id" else k): str(v) for k, v in raw.items() if v not in (None, "")}
        rule = {k: values[k] for k in _RULE_FIELDS if k in values}
        if any(k in rule for k in limits.PRIVACY_MATCH_FIELDS):
            raise ApiError(65320)
        if not rule:
            raise ApiError(65304)
        if "tag_id" in rule:
            app.tag(rule["tag_id"])
        return rule

    def _del_conditional(self, call: Call, app: App) -> Json:
        menuid = str(call.body.get("menuid", ""))
        kept = [m for m in app.conditional if str(m["menuid"]) != menuid]
        if len(kept) == len(app.conditional):
            raise ApiError(65301)
        app.conditional = kept
        return _OK

    # -- tags --
    def _tags_get(self, call: Call, app: App) -> Json:
        return {"tags": [dict(t) for t in app.tags]}

    def _tags_create(self, call: Call, app: App) -> Json:
        name = _tag_field(call.body, "name")
        self._check_tag_name(app, str(name), None)
        if sum(t["id"] not in limits.RESERVED_TAG_IDS for t in app.tags) >= limits.MAX_TAGS:
            raise ApiError(45056)
        tag = {"id": app.next_tag_id, "name": name, "count": 0}
        app.next_tag_id += 1
        app.tags.append(tag)
        return {"tag": {"id": tag["id"], "name": name}}

    def _tags_update(self, call: Call, app: App) -> Json:
        tag = self._user_tag(app, _tag_field(call.body, "id"))
        name = str(_tag_field(call.body, "name"))
        self._check_tag_name(app, name, tag["id"])
        tag["name"] = name
        return _OK

    def _tags_delete(self, call: Call, app: App) -> Json:
        tag = self._user_tag(app, _tag_field(call.body, "id"))
        if tag["count"] > 100_000:
            raise ApiError(45057)
        app.tags.remove(tag)
        for menu in app.conditional:  # the platform drops the tag from conditional menus' rules
            rule = menu["matchrule"]
            menu["matchrule"] = {k: v for k, v in rule.items()
                                 if not (k in ("tag_id", "group_id") and str(v) == str(tag["id"]))}
        return _OK

    @staticmethod
    def _user_tag(app: App, tag_id: Any) -> Json:
        if str(tag_id) in {str(i) for i in limits.RESERVED_TAG_IDS}:
            raise ApiError(45058)
        return app.tag(tag_id)

    @staticmethod
    def _check_tag_name(app: App, name: str, own_id: int | None) -> None:
        if not name or limits.utf8_len(name) > limits.TAG_NAME_BYTES:
            raise ApiError(45158)
        if any(t["name"] == name and t["id"] != own_id for t in app.tags):
            raise ApiError(45157)

    # -- templates and industry --
    def _templates_get(self, call: Call, app: App) -> Json:
        return {"template_list": [dict(t) for t in app.templates]}

    def _template_add(self, call: Call, app: App) -> Json:
        short = str(call.body.get("template_id_short") or "")
        entry = self.library.get(short)
        if entry is None:
            raise ApiError(40037)
        if len(app.templates) >= limits.MAX_TEMPLATES:
            raise ApiError(45026)
        if entry.get("primary_industry") and limits.industry_code(
                f"{entry['primary_industry']}/{entry.get('deputy_industry', '')}") not in (app.industry or ()):
            raise ApiError(45027)
        template_id = _template_id(app.appid, app.next_template)
        app.next_template += 1
        app.templates.append({"template_id": template_id, "title": entry["title"],
                              "primary_industry": entry.get("primary_industry", ""),
                              "deputy_industry": entry.get("deputy_industry", ""),
                              "content": entry.get("content", ""), "example": entry.get("example", "")})
        return {**_OK, "template_id": template_id}

    def _template_delete(self, call: Call, app: App) -> Json:
        template_id = str(call.body.get("template_id") or "")
        kept = [t for t in app.templates if t["template_id"] != template_id]
        if len(kept) == len(app.templates):
            raise ApiError(40037)
        app.templates = kept
        return _OK

    def _set_industry(self, call: Call, app: App) -> Json:
        codes = [str(call.body.get(k, "")) for k in ("industry_id1", "industry_id2")]
        if any(c not in limits.INDUSTRIES for c in codes):
            raise ApiError(47001)  # UNCONFIRMED: the code for an unknown industry id is not documented
        app.industry = codes  # the once-a-month limit is not enforced (UNCONFIRMED which model applies)
        return _OK

    def _get_industry(self, call: Call, app: App) -> Json:
        if app.industry is None:
            return {}  # UNCONFIRMED: what an account that never chose industries gets
        return {"primary_industry": _industry_doc(app.industry[0]),
                "secondary_industry": _industry_doc(app.industry[1])}

    def _autoreply(self, call: Call, app: App) -> Json:
        return app.autoreply or {"is_add_friend_reply_open": 0, "is_autoreply_open": 0}

    # -- /_admin/ --
    def admin(self, method: str, path: str, query: dict[str, str], body: Any) -> Outcome:
        parts = [p for p in path.removeprefix("/_admin").split("/") if p]
        with self._lock:
            try:
                result = self._admin_route(method, parts, query, body if isinstance(body, dict) else {})
            except KeyError as exc:
                return Outcome(400, {"error": f"missing field {exc}"})
            except ApiError as exc:  # seeded buttons the platform would not accept
                return Outcome(400, {"error": f"the platform would refuse this: errcode {exc.code} ({exc.errmsg})"})
            except (AdminError, TypeError, ValueError, AttributeError, IndexError) as exc:
                return Outcome(400, {"error": str(exc) or type(exc).__name__})
            if result is None:
                return Outcome(404, {"error": f"no admin route {method} {path}"})
            if method != "GET":
                self._save()
            return Outcome(200, result)

    def _admin_route(self, method: str, parts: list[str], query: dict[str, str], body: Json) -> Json | None:
        match method, parts:
            case "POST", ["apps"]:
                return self.register(str(body["appid"]), str(body["secret"]), body.get("ip_whitelist"))
            case "GET", ["apps"]:
                return {"apps": sorted(self.apps)}
            case "GET", ["apps", appid, "state"]:
                return self._app(appid).to_doc()
            case "POST", ["apps", appid, "state"]:
                self._app(appid).seed(body)
                return {"ok": True}
            case "GET", ["calls"]:
                wanted = query.get("appid")
                return {"calls": [c for c in self.calls if wanted in (None, c["appid"])]}
            case "DELETE", ["calls"]:
                self.calls.clear()
                return {"ok": True}
            case _:
                return self._admin_faults(method, parts, body)

    def _admin_faults(self, method: str, parts: list[str], body: Json) -> Json | None:
        match method, parts:
            case "GET", ["faults"]:
                return {"errcode": [asdict(f) for f in self.errcode_faults],
                        "drop": [asdict(f) for f in self.drop_faults], "slow": [asdict(f) for f in self.slow_faults],
                        "latency_ms": self.latency_ms}
            case "DELETE", ["faults"]:
                self.errcode_faults, self.drop_faults, self.slow_faults = [], [], []
                self.latency_ms = self.base_latency_ms
                return {"ok": True}
            case "POST", ["faults", "errcode"]:
                self.errcode_faults.append(ErrcodeFault(**_fault_fields(body, ErrcodeFault)))
                return {"ok": True}
            case "POST", ["faults", "drop"]:
                self.drop_faults.append(DropFault(**_fault_fields(body, DropFault)))
                return {"ok": True}
            case "POST", ["faults", "slow"]:
                self.slow_faults.append(SlowFault(**_fault_fields(body, SlowFault)))
                return {"ok": True}
            case "GET", ["options"]:
                return {"matchrule_echo": self.matchrule_echo}
            case "POST", ["options"]:
                if body.get("matchrule_echo") not in MATCHRULE_ECHOES:
                    raise AdminError(f"matchrule_echo must be one of {', '.join(MATCHRULE_ECHOES)}")
                self.matchrule_echo = str(body["matchrule_echo"])
                return {"ok": True}
            case "POST", ["faults", "latency"]:
                self.latency_ms = int(body["ms"])
                return {"ok": True}
            case "POST", ["tokens", "expire"]:
                for token in self.tokens.values():
                    token.expires_at = min(token.expires_at, time.time())
                return {"ok": True}
            case "POST", ["library"]:
                for entry in body["templates"]:
                    self.library[str(entry["template_id_short"])] = {k: v for k, v in entry.items()
                                                                     if k != "template_id_short"}
                return {"ok": True}
            case "GET", ["library"]:
                return {"templates": [{"template_id_short": k, **v} for k, v in self.library.items()]}
            case "POST", ["reset"]:
                self._clear()
                return {"ok": True}
        return None

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


def _parse_body(raw: bytes, name: str) -> Json:
    """The platform wants raw UTF-8 JSON: \\uXXXX escapes of non-ASCII are refused (40033)."""
    if _ESCAPED_NON_ASCII.search(raw):
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


def _checked_buttons(body: Json) -> list[Json]:
    buttons = _stored_buttons(body.get("button"))
    code = limits.menu_error_code(buttons)
    if code is not None:
        raise ApiError(code)
    return buttons


def _link_domains(buttons: list[Json]) -> Iterator[str]:
    for button in buttons:
        yield from _link_domains(button.get("sub_button") or [])
        if button.get("type") == "view" and button.get("url"):
            parts = split_url(str(button["url"]))
            if parts is None:
                raise ApiError(65317)  # a URL the platform cannot parse
            yield parts.hostname or ""


def _tag_field(body: Json, key: str) -> Any:
    tag = body.get("tag")
    if not isinstance(tag, dict) or key not in tag:
        raise ApiError(47001)
    return tag[key]


def _template_id(appid: str, n: int) -> str:
    """43 url-safe characters like the platform's, deterministic per app and sequence number."""
    digest = hashlib.sha256(f"{appid}:{n}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _fault_fields(body: Json, kind: type[ErrcodeFault] | type[DropFault] | type[SlowFault]) -> Json:
    allowed = set(kind.__dataclass_fields__) - {"seen"}
    unknown = set(body) - allowed
    if unknown:
        raise AdminError(f"unknown fault fields {sorted(unknown)}; allowed: {sorted(allowed)}")
    fields = dict(body)
    if isinstance(fields.get("path"), str):
        fields["path"] = fields["path"].removeprefix("/cgi-bin/")
    for counter in ("every", "nth", "ms"):
        if counter in fields and int(fields[counter]) < 1:
            raise AdminError(f"{counter} must be at least 1")
    return fields


ENDPOINTS: dict[str, Endpoint] = {
    "token": Endpoint("GET", False, Emulator._token),
    "stable_token": Endpoint("POST", False, Emulator._stable_token),
    "menu/create": Endpoint("POST", True, Emulator._menu_create),
    "menu/get": Endpoint("GET", False, Emulator._menu_get),
    "menu/delete": Endpoint("GET", True, Emulator._menu_delete),
    "menu/addconditional": Endpoint("POST", True, Emulator._add_conditional),
    "menu/delconditional": Endpoint("POST", True, Emulator._del_conditional),
    "menu/trymatch": Endpoint("POST", False, Emulator._try_match),
    "get_current_selfmenu_info": Endpoint("GET", False, Emulator._selfmenu_info),
    "tags/get": Endpoint("GET", False, Emulator._tags_get),
    "tags/create": Endpoint("POST", True, Emulator._tags_create),
    "tags/update": Endpoint("POST", True, Emulator._tags_update),
    "tags/delete": Endpoint("POST", True, Emulator._tags_delete),
    "template/get_all_private_template": Endpoint("GET", False, Emulator._templates_get),
    "template/api_add_template": Endpoint("POST", True, Emulator._template_add),
    "template/del_private_template": Endpoint("POST", True, Emulator._template_delete),
    "template/api_set_industry": Endpoint("POST", True, Emulator._set_industry),
    "template/get_industry": Endpoint("GET", False, Emulator._get_industry),
    "get_current_autoreply_info": Endpoint("GET", False, Emulator._autoreply),
}


# --- HTTP ------------------------------------------------------------------------------------------
class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connects when many accounts run in parallel
    emulator: Emulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # the client gave up (a timeout): expected here
            log.debug("emulator: client %s went away", client_address)
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so that clients can reuse connections
    disable_nagle_algorithm = True  # else headers and body, sent apart, stall ~40 ms on delayed ACKs
    timeout = 60  # idle keep-alive connections are closed after this many seconds

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        emulator = cast(_HTTPServer, self.server).emulator
        url = split_url(self.path)
        query = dict(parse_qsl(url.query)) if url is not None else {}
        raw = self._body()
        if url is None:
            outcome = Outcome(400, {"error": "malformed request path"})
        elif url.path.startswith("/cgi-bin/"):
            call = Call(url.path.removeprefix("/cgi-bin/"), method, query, raw, self.client_address[0])
            outcome = emulator.api(call)
        elif url.path.startswith("/_admin/"):
            outcome = emulator.admin(method, url.path, query, _json_or_none(raw))
        else:
            outcome = Outcome(404, {"error": "not found"})
        if outcome.payload is None:
            self._drop()
        else:
            self._send(outcome.status, outcome.payload, outcome.partial)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            return b"{"  # malformed on purpose: answered with 47001
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Json, partial: bool = False) -> None:
        """The answer; with `partial`, its headers and the first half of its body, then the connection
        is closed: a network path that breaks mid-answer."""
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not partial:
            self.wfile.write(data)
            return
        with contextlib.suppress(OSError):
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
        self._drop()

    def _drop(self) -> None:
        """Close the socket without a byte of answer, as a broken network path does."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: %s", redact_query(format % args))  # request lines carry tokens


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else {}
    except ValueError:
        return None


class EmulatorServer:
    """The emulator on 127.0.0.1, served from a background thread. A context manager."""

    def __init__(self, emulator: Emulator, port: int = 0) -> None:
        self.emulator = emulator
        self._httpd = _HTTPServer((HOST, port), _RequestHandler)
        self._httpd.emulator = emulator
        # A short poll interval makes stop() (and so every test's teardown) quick.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="oaspec-emulator", daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def admin(self) -> EmulatorAdmin:
        return EmulatorAdmin(self.base_url)

    def start(self) -> EmulatorServer:
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (for `oaspec emulator` in the foreground)."""
        self._thread.join()

    def stop(self) -> None:
        if self._thread.is_alive():  # shutdown() waits for serve_forever, which must be running
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def run_emulator(port: int = 0, latency_ms: int = 0, state_file: Path | str | None = None,
                 matchrule_echo: str = "tag_id") -> EmulatorServer:
    """Start an emulator in a background thread; port 0 picks a free port (see `.base_url`)."""
    emulator = Emulator(latency_ms=latency_ms, state_file=Path(state_file) if state_file else None,
                        matchrule_echo=matchrule_echo)
    return EmulatorServer(emulator, port).start()


class EmulatorAdmin:
    """A client of the emulator's admin API (/_admin/), for tests and scripts."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, path: str, body: Json | None = None,
                params: dict[str, str] | None = None) -> Json:
        response = requests.request(method, f"{self.base_url}/_admin/{path}", json=body, params=params,
                                    timeout=self.timeout)
        data = response.json()
        if response.status_code != 200:
            raise AdminError(f"{method} /_admin/{path}: {data.get('error')}")
        return cast(Json, data)

    def register_app(self, appid: str, secret: str, ip_whitelist: list[str] | None = None) -> None:
        self.request("POST", "apps", {"appid": appid, "secret": secret, "ip_whitelist": ip_whitelist})

    def seed(self, appid: str, state: Json) -> None:
        self.request("POST", f"apps/{appid}/state", state)

    def state(self, appid: str) -> Json:
        return self.request("GET", f"apps/{appid}/state")

    def calls(self, appid: str | None = None) -> list[Json]:
        return cast(list[Json], self.request("GET", "calls", params={"appid": appid} if appid else None)["calls"])

    def writes(self, appid: str | None = None) -> list[Json]:
        return [c for c in self.calls(appid) if c["write"]]

    def clear_calls(self) -> None:
        self.request("DELETE", "calls")

    def fail(self, errcode: int, every: int = 1, path: str | None = None, appid: str | None = None,
             writes_only: bool = True) -> None:
        self.request("POST", "faults/errcode", {"errcode": errcode, "every": every, "path": path,
                                                "appid": appid, "writes_only": writes_only})

    def drop(self, nth: int = 1, path: str | None = None, appid: str | None = None,
             after_processing: bool = False, partial_body: bool = False) -> None:
        self.request("POST", "faults/drop", {"nth": nth, "path": path, "appid": appid,
                                             "after_processing": after_processing, "partial_body": partial_body})

    def slow(self, ms: int, nth: int = 1, path: str | None = None, appid: str | None = None) -> None:
        self.request("POST", "faults/slow", {"ms": ms, "nth": nth, "path": path, "appid": appid})

    def set_matchrule_echo(self, echo: str) -> None:
        self.request("POST", "options", {"matchrule_echo": echo})

    def options(self) -> Json:
        return self.request("GET", "options")

    def set_latency(self, ms: int) -> None:
        self.request("POST", "faults/latency", {"ms": ms})

    def clear_faults(self) -> None:
        self.request("DELETE", "faults")

    def expire_tokens(self) -> None:
        self.request("POST", "tokens/expire")

    def add_library_templates(self, templates: list[Json]) -> None:
        self.request("POST", "library", {"templates": templates})

    def reset(self) -> None:
        self.request("POST", "reset")
