"""The normalized resource model shared by desired state (compiled spec) and live state (provider read).

Values are frozen dataclasses, so two states compare with `==`. Platform-assigned ids (tag id,
menuid, template_id) and volatile counters (tag follower counts) are carried for the providers but
excluded from comparison: the spec never names them, and a plan must not change because of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter

from oa_spec import limits
from oa_spec.util.display import exact


@dataclass(frozen=True)
class Button:
    name: str
    type: str | None = None
    key: str | None = None
    url: str | None = None
    media_id: str | None = None
    article_id: str | None = None
    appid: str | None = None
    pagepath: str | None = None
    sub_buttons: tuple[Button, ...] = ()

    def to_api(self) -> dict[str, Any]:
        """The button as menu/create expects it (`sub_button`, no empty fields)."""
        if self.sub_buttons:
            return {"name": self.name, "sub_button": [b.to_api() for b in self.sub_buttons]}
        out: dict[str, Any] = {"type": self.type, "name": self.name}
        for f in limits.BUTTON_ACTION_FIELDS:
            value = getattr(self, f)
            if value is not None:
                out[f] = value
        return out

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Button:
        """A button as menu/get returns it (`sub_button: []` on leaves, numbers or strings)."""
        subs = raw.get("sub_button") or []
        if isinstance(subs, dict):  # get_current_selfmenu_info wraps them as {"list": [...]}
            subs = subs.get("list") or []
        fields = {f: str(raw[f]) for f in limits.BUTTON_ACTION_FIELDS if raw.get(f) not in (None, "")}
        return cls(
            name=str(raw.get("name", "")),
            type=None if subs else raw.get("type"),
            sub_buttons=tuple(cls.from_api(s) for s in subs),
            **fields,
        )

    def describe(self) -> str:
        """What the button does, with every field that decides it: the main target bare, the rest named
        (a mini-program button's appid and pagepath change where it goes as much as its url does)."""
        if self.sub_buttons:
            return f"{len(self.sub_buttons)} sub-buttons"
        set_fields = [(f, exact(getattr(self, f))) for f in limits.BUTTON_ACTION_FIELDS
                      if getattr(self, f) is not None]
        parts = [self.type or "", *(value if n == 0 else f"{f}={value}" for n, (f, value) in enumerate(set_fields))]
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Menu:
    """The default menu: what menu/create sets as a whole."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class MatchRule:
    """Who sees a conditional menu. `tag` is a tag *name*; providers translate it to the platform id."""

    tag: str | None = None
    client_platform_type: str | None = None  # "1" iOS, "2" Android, "3" others
    # Privacy fields (sex, region, language) can only come from a live account: new menus may not use them.
    legacy: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        parts = []
        if self.tag is not None:
            parts.append(f"tag={self.tag}")
        if self.client_platform_type is not None:
            parts.append(f"client_platform_type={self.client_platform_type}")
        parts += [f"{k}={v}" for k, v in self.legacy]
        return ", ".join(parts) or "(empty)"


@dataclass(frozen=True)
class ConditionalMenu:
    name: str = field(compare=False)  # the spec's name; the platform knows menus only by rule and menuid
    match: MatchRule
    buttons: tuple[Button, ...]
    menuid: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Tag:
    name: str
    id: int | None = field(default=None, compare=False)
    count: int = field(default=0, compare=False)  # followers carrying the tag
    # desired: rename, keep members; live, in a plan's scope: oaspec's name of a tag staff renamed since
    renamed_from: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Template:
    """A template message. The platform identifies it by template_id; oaspec pairs by title."""

    title: str
    name: str = field(default="", compare=False)  # the spec's id (balance-alert)
    library_id: str | None = field(default=None, compare=False)
    template_id: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Industry:
    primary: str
    secondary: str


@dataclass(frozen=True)
class NewsArticle:
    """One article of a console 图文 (news) reply, as get_current_autoreply_info lists it."""

    title: str
    author: str = ""
    digest: str = ""
    content_url: str = ""  # the article a tap opens
    source_url: str = ""  # its 阅读原文 link
    cover_url: str = ""  # the cover image every follower's phone loads

    def texts(self) -> dict[str, str]:
        """What a follower reads of it, by field, empty fields left out."""
        return {name: value for name, value in (("title", self.title), ("author", self.author),
                                                ("digest", self.digest)) if value}

    def urls(self) -> dict[str, str]:
        """Where it takes a follower or loads from, by field, empty fields left out."""
        return {name: value for name, value in (("content_url", self.content_url), ("source_url", self.source_url),
                                                ("cover_url", self.cover_url)) if value}


# What a console reply that is not text is, by the type get_current_autoreply_info gives it.
MEDIA_KINDS = {"img": "image", "voice": "voice", "video": "video", "news": "news (图文)"}


@dataclass(frozen=True)
class Reply:
    text: str  # for a console media reply, a label for people ([图片]); followers never see it
    module: str | None = None  # served accounts: the module whose webhook answers (text: the fallback link)
    # Live only: the type of a console reply that is not text (img, voice, video, news). A spec declares text
    # replies only, so a text never equals one, whatever it says (media ids are temporary: not kept).
    media: str | None = None
    news: tuple[NewsArticle, ...] = ()  # live only: a console news (图文) reply's articles, what followers read

    @property
    def media_kind(self) -> str | None:
        """"a console image reply", for plans and notes; None for a text reply."""
        return None if self.media is None else f"a console {MEDIA_KINDS.get(self.media, self.media)} reply"

    def describe(self) -> str:
        """What a reviewer reads: the text, or what kind of console reply its label stands for."""
        return self.text if self.media_kind is None else f"{self.text} ({self.media_kind}, which a spec cannot declare)"


@dataclass(frozen=True)
class EventReply:
    """What `oaspec serve` answers to a menu click key or a parametric QR scene (served accounts only)."""

    key: str
    reply: Reply


@dataclass(frozen=True)
class FaqEntry:
    """A smart customer-service question with its variants and answer; only `oaspec serve` answers it."""

    id: str
    questions: tuple[str, ...]
    answer: str
    module: str | None = None


GatewayMode = Literal["plain", "compatible", "safe"]  # 服务器配置's message encryption mode, weakest first


@dataclass(frozen=True)
class GatewaySettings:
    """How `oaspec serve` talks to the platform for a served account. Recorded, planned and rolled back like
    the replies, so a switch to plain mode is reviewed; the Token and EncodingAESKey appear only as the names
    of the variables that hold them."""

    mode: GatewayMode
    app_id: str  # the AppID a decrypted message must carry
    token_env: str
    aes_key_env: str | None = None


@dataclass(frozen=True)
class WebhookRoute:
    """Where `oaspec serve` sends a module's messages, followers' OpenIDs with them, and which click key
    reaches it; paired by module id. The signing secret appears only as its variable's name."""

    module: str
    url: str
    timeout_seconds: float = 3.0
    secret_env: str | None = None
    click_key: str | None = None  # the module's entry.key: a CLICK with it goes to the webhook


KeywordMatch = Literal["contains", "exact", "regex"]  # regex: served accounts only
ReplyMode = Literal["reply_all", "random_one"]


@dataclass(frozen=True)
class KeywordRule:
    """A keyword rule: its first reply, and any further ones sent with it or drawn with it at random.

    The further replies and the mode are defaulted fields, so a one-reply rule's record (and its digest)
    is what it was before rules could hold several. On a served account, where the first matching rule
    answers, `follows` names the rule listed before it ("" for the first): moving a rule changes it and
    its new neighbour only, and the served provider keeps the rules in that order."""

    name: str
    match: KeywordMatch
    keywords: tuple[str, ...]
    reply: Reply
    more_replies: tuple[Reply, ...] = ()
    reply_mode: ReplyMode = "reply_all"
    follows: str = ""
    # Live only: each keyword's own mode, in the keywords' order, where a console rule mixes them (查 exact,
    # 余额 contains). A spec rule has one mode, so it never equals such a rule, whichever it names.
    match_modes: tuple[KeywordMatch, ...] = ()

    @property
    def replies(self) -> tuple[Reply, ...]:
        return (self.reply, *self.more_replies)


@dataclass(frozen=True)
class Article:
    """An article as a draft on the platform (draft/add's fields), named by its path in the repository.

    Compared on what the draft holds: the title, author, digest, 阅读原文 link, comments switch and the
    sha256 of the rendered body and of the cover. The body itself (`content`, images as
    oaspec-image:<sha256>) rides along for the writer and the plan's text diff; the slot it fills
    (stream, date, audience, broadcast) is for `oaspec publish`, not for the draft."""

    name: str  # young/deposit-insurance: the file's path under its glob's folder, without .md
    title: str
    author: str = ""
    digest: str = ""
    content_sha256: str = ""
    cover_sha256: str = ""
    source_url: str = ""
    comments: bool = False
    content: str = field(default="", compare=False)
    # The slot it fills, compared too: who a broadcast goes to and when is reviewed like the draft itself.
    stream: str = ""
    date: str = ""  # YYYY-MM-DD, the slot it fills ("" for none)
    audience: tuple[str, ...] = ()  # follower tags; () means every follower
    broadcast: bool = False  # the stream pushes it (群发) rather than publishing
    draft_id: str | None = field(default=None, compare=False)  # the platform's media_id of the draft
    published: str = field(default="", compare=False)  # live only: when and how it went out, from the record

    def slot(self) -> tuple[str, str, tuple[str, ...], bool]:
        """(stream, date, audience, broadcast): what `oaspec publish` sends, and to whom."""
        return self.stream, self.date, self.audience, self.broadcast


SLOT_FIELDS = ("stream", "date", "audience", "broadcast")  # Article.slot(), by name (the content record keeps it)


def article_sha256(article: Article, leaving_out: Collection[str] = ()) -> str:
    """The sha256 of every compared field of the article (its name, what followers see of it, its slot), but
    those `leaving_out`."""
    shown = {f.name: getattr(article, f.name) for f in fields(Article) if f.compare and f.name not in leaving_out}
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AccountState:
    menu: Menu | None = None
    conditional_menus: tuple[ConditionalMenu, ...] = ()
    tags: tuple[Tag, ...] = ()
    templates: tuple[Template, ...] = ()
    industry: Industry | None = None
    subscribe_reply: Reply | None = None
    default_reply: Reply | None = None
    keyword_replies: tuple[KeywordRule, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    click_replies: tuple[EventReply, ...] = ()
    scene_replies: tuple[EventReply, ...] = ()
    articles: tuple[Article, ...] = ()
    gateway: GatewaySettings | None = None  # served accounts only, as webhooks
    webhooks: tuple[WebhookRoute, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _state_adapter().dump_python(self, mode="json", exclude_defaults=True)  # type: ignore[no-any-return]

    @staticmethod
    def from_json(data: Any) -> AccountState:
        return _state_adapter().validate_python(data)

    def fingerprint(self) -> str:
        """Digest of everything a plan depends on (ids and follower counts excluded)."""
        return digest(comparable(self.to_json()))

    def tag(self, name: str) -> Tag | None:
        return next((t for t in self.tags if t.name == name), None)


@cache
def _state_adapter() -> TypeAdapter[AccountState]:
    """Built on first use: it costs as much as a dozen spec models, and `validate` never needs it."""
    return TypeAdapter(AccountState)

# Fields that are platform bookkeeping, not configuration.
VOLATILE_FIELDS = frozenset({"id", "count", "menuid", "template_id", "library_id", "renamed_from", "draft_id"})


def comparable(data: Any) -> Any:
    """Drop platform bookkeeping from a JSON state so two reads of an unchanged account digest equally."""
    if isinstance(data, dict):
        return {k: comparable(v) for k, v in data.items() if k not in VOLATILE_FIELDS}
    if isinstance(data, list):
        return [comparable(v) for v in data]
    return data


def digest(data: Any) -> str:
    """Never raises: a lone surrogate (half a character, which UTF-8 cannot hold) is digested as it is."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
