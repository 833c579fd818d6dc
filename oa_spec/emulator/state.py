"""The platform's state of one Official Account, its error answers and the shapes menus come in."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from oa_spec import limits
from oa_spec.util.urls import split_url

HOST = "127.0.0.1"  # loopback only: the emulator has no authentication of its own
TOKEN_TTL = 7200
ROTATE_BEFORE = 300  # a stable token is re-issued 5 min before expiry; classic tokens overlap 5 min
FIRST_MENUID = 400000000
MAX_BODY_BYTES = 1 << 20
UPLOAD_MAX_BODY_BYTES = limits.COVER_MAX_BYTES + (64 << 10)  # the largest cover and its multipart wrapping
APP_ID_PATTERN = re.compile(r"^wx[0-9A-Za-z]{16}$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,512}$")  # anything else is malformed: 40014
# An escaped non-ASCII character (\u4e2d), not preceded by an odd number of backslashes.
ESCAPED_NON_ASCII = re.compile(rb"(?<!\\)(?:\\\\)*\\u(?!00[0-7][0-9a-fA-F])[0-9a-fA-F]{4}")
# The official tags/get sample lists the system tag 星标组 (id 2); a new app starts with it.
DEFAULT_TAGS: tuple[dict[str, Any], ...] = ({"id": 2, "name": "星标组", "count": 0},)
RULE_FIELDS = ("tag_id", "client_platform_type", *limits.PRIVACY_MATCH_FIELDS)
# How menu/get names the tag of a conditional menu's rule: tag_id (new accounts), group_id (the old name,
# a number, as some real accounts still answer) or both.
MATCHRULE_ECHOES = ("tag_id", "group_id", "both")

# errmsg wording as the platform sends it (the provider decides on errcode, never on this text)
ERRMSG = {
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
OK: Json = {"errcode": 0, "errmsg": "ok"}


class ApiError(Exception):
    """A platform error answer: {"errcode": code, "errmsg": ...}."""

    def __init__(self, code: int, errmsg: str = "", extra: Json | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra or {}  # more fields of the answer (45065 carries the first send's msg_id)
        known = limits.ERROR_CODES.get(code)
        self.errmsg = errmsg or ERRMSG.get(code) or (known.message if known else "error")


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
        self.menu = stored_buttons(menu.get("button")) if menu else None
        self.conditional = [
            {"button": stored_buttons(m.get("button")), "matchrule": dict(m.get("matchrule") or {}),
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


def stored_buttons(raw: Any) -> list[Json]:
    """Buttons from any shape the platform emits (menu/get, selfmenu, create) in the create shape."""
    if not isinstance(raw, list) or not all(isinstance(b, dict) for b in raw):
        raise ApiError(47001)
    out = []
    for button in raw:
        subs = button.get("sub_button")
        subs = subs.get("list") if isinstance(subs, dict) else subs
        clean = {k: v for k, v in button.items() if k != "sub_button"}
        if subs:
            clean = {"name": button.get("name"), "sub_button": stored_buttons(subs)}
        out.append(clean)
    return out


def menu_get_shape(buttons: list[Json]) -> list[Json]:
    """menu/get puts `"sub_button": []` on every leaf."""
    return [{**b, "sub_button": menu_get_shape(b["sub_button"])} if "sub_button" in b
            else {**b, "sub_button": []} for b in buttons]


def selfmenu_shape(buttons: list[Json]) -> list[Json]:
    """get_current_selfmenu_info wraps sub-buttons as {"list": [...]} and leaves have no `sub_button`."""
    return [{"name": b["name"], "sub_button": {"list": b["sub_button"]}} if "sub_button" in b else dict(b)
            for b in buttons]


def industry_doc(code: str) -> Json:
    first, _, second = limits.INDUSTRIES[code].partition("/")
    return {"first_class": first, "second_class": second}


def checked_buttons(body: Json) -> list[Json]:
    buttons = stored_buttons(body.get("button"))
    code = limits.menu_error_code(buttons)
    if code is not None:
        raise ApiError(code)
    return buttons


def link_domains(buttons: list[Json]) -> Iterator[str]:
    for button in buttons:
        yield from link_domains(button.get("sub_button") or [])
        if button.get("type") == "view" and button.get("url"):
            parts = split_url(str(button["url"]))
            if parts is None:
                raise ApiError(65317)  # a URL the platform cannot parse
            yield parts.hostname or ""


def tag_field(body: Json, key: str) -> Any:
    tag = body.get("tag")
    if not isinstance(tag, dict) or key not in tag:
        raise ApiError(47001)
    return tag[key]


def template_id_for(appid: str, n: int) -> str:
    """43 url-safe characters like the platform's, deterministic per app and sequence number."""
    digest = hashlib.sha256(f"{appid}:{n}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
