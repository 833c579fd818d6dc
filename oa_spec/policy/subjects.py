"""What the rules look at: one account's texts, links, modules and streams, each with its plan address
and its location in the spec.

Menus and replies are taken as they will be deployed (a button or reply pointing at a module that
rollout leaves out is not deployed, exactly as `compile.py` decides); modules and streams are taken
as declared, so a phase-3 module is checked before the day it ships.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from oa_spec.config.compile import CompiledAccount
from oa_spec.config.diagnostics import Position
from oa_spec.config.locate import Loc
from oa_spec.config.model import AccountSpec, ButtonSpec, ReplySpec, leaves
from oa_spec.config.model_safety import PolicySettings
from oa_spec.config.model_services import ModuleSpec, StreamSpec
from oa_spec.kinds.addresses import build
from oa_spec.kinds.state import Button
from oa_spec.policy.text import Text, normalise
from oa_spec.policy.textlinks import links_in
from oa_spec.util.urls import split_url, url_host

if TYPE_CHECKING:
    from oa_spec.content.texts import ArticleTexts

Source = Literal["replies", "menus", "modules", "streams", "templates", "articles"]


@dataclass(frozen=True)
class Settings:
    """Effective settings for one pack on one account (defaults, then bank, pack, account levels)."""

    allowed_domains: tuple[str, ...] = ()
    allowed_miniprograms: tuple[str, ...] = ()
    elderly_tags: tuple[str, ...] = ("银发客户", "老年客户", "长辈", "老年人")
    student_tags: tuple[str, ...] = ("大学生", "在校生", "学生")
    cadence_horizon_days: int = 366

    def merged(self, level: PolicySettings) -> Settings:
        changes: dict[str, Any] = {name: (tuple(value) if isinstance(value, list) else value)
                   for name in level.model_fields_set if (value := getattr(level, name)) is not None}
        return dataclasses.replace(self, **changes)


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Exact hosts, or '*.bank.cn' for any subdomain of bank.cn."""
    host = host.lower().rstrip(".")
    for pattern in allowed:
        pattern = pattern.lower()
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


@dataclass(frozen=True)
class TextItem:
    address: str
    loc: Loc
    text: Text
    source: Source
    audience: tuple[str, ...] = ()  # tags the text is delivered to; () means every follower
    module: ModuleSpec | None = None


@dataclass(frozen=True)
class LinkItem:
    address: str
    loc: Loc
    url: str
    source: Source
    module: ModuleSpec | None = None
    label: str = ""  # the button name or module title the link sits behind
    appid: str = ""  # the mini-program a button opens (the url is its fallback)

    @property
    def host(self) -> str:
        """"" when the link has no host, or cannot be parsed at all (see `parsed`)."""
        return url_host(self.url)

    @property
    def parsed(self) -> bool:
        return split_url(self.url) is not None


# Button types that open content the platform keeps (a published article, a material) by an id: the spec holds
# no word of it, so no rule and no reviewer reads what followers see (attack review 69, F3). Type -> id field.
OPAQUE_BUTTONS = {"article_id": "article_id", "article_view_limited": "article_id", "media_id": "media_id",
                  "view_limited": "media_id"}


@dataclass(frozen=True)
class TargetItem:
    """A menu button that opens content by an id (OPAQUE_BUTTONS), at its menu's address and its id's place."""

    address: str
    loc: Loc
    label: str  # the button's name
    type: str
    id: str


@dataclass
class AccountIndex:
    """The settings-independent part of an account's view, built once per account."""

    compiled: CompiledAccount
    loc: Loc  # ("accounts", i)
    texts: list[TextItem] = field(default_factory=list)
    links: list[LinkItem] = field(default_factory=list)
    # Where `oaspec serve` sends followers' OpenIDs and messages: held to allowed_domains, not to the rules
    # about links a follower opens.
    webhooks: list[LinkItem] = field(default_factory=list)
    # Mini-programs a text opens (`<a data-miniprogram-appid=…>`): no url, held to allowed_miniprograms.
    miniprograms: list[LinkItem] = field(default_factory=list)
    targets: list[TargetItem] = field(default_factory=list)  # menu buttons that open content by an id
    # Texts written outside the spec (articles, in Markdown): loc -> where a finding's detail sits in the file.
    outside: dict[Loc, Callable[[str], tuple[Position, str]]] = field(default_factory=dict)

    @property
    def account(self) -> AccountSpec:
        return self.compiled.spec

    def locate(self, loc: Loc, detail: str) -> tuple[Position, str] | None:
        """(position, path) of a finding on a text written outside the spec; None for the spec's own texts."""
        found = self.outside.get(loc)
        return None if found is None else found(detail)

    def address(self, kind: str, key: str = "") -> str:
        return build(self.account.id, kind, key)

    @cached_property
    def modules_by_id(self) -> dict[str, ModuleSpec]:
        return {m.id: m for m in self.account.modules}

    def modules(self) -> Iterator[tuple[Loc, ModuleSpec]]:
        for i, module in enumerate(self.account.modules):
            yield (*self.loc, "modules", i), module

    def streams(self) -> Iterator[tuple[Loc, StreamSpec]]:
        for i, stream in enumerate(self.account.content.streams):
            yield (*self.loc, "content", "streams", i), stream

    def menus(self) -> Iterator[tuple[str, Loc, list[ButtonSpec], tuple[str, ...]]]:
        """(address, loc, buttons, audience) for the default menu and each conditional menu."""
        if self.account.menu is not None:
            yield self.address("menu"), (*self.loc, "menu"), self.account.menu, ()
        for i, cm in enumerate(self.account.conditional_menus):
            audience = (cm.match.tag,) if cm.match.tag else ()
            yield (self.address("conditional_menu", cm.name), (*self.loc, "conditional_menus", i, "menu"),
                   cm.menu, audience)

    def replies(self) -> Iterator[tuple[str, Loc, ReplySpec]]:
        replies = self.account.replies
        for name in ("subscribe", "default"):
            reply = getattr(replies, name)
            if reply is not None:
                yield self.address("reply", name), (*self.loc, "replies", name), reply
        for i, rule in enumerate(replies.keywords):
            for where, reply in rule.located_replies():
                yield self.address("keyword_reply", rule.name), (*self.loc, "replies", "keywords", i, *where), reply
        for i, click in enumerate(replies.clicks):
            yield self.address("click_reply", click.key), (*self.loc, "replies", "clicks", i, "reply"), click.reply
        for i, scene in enumerate(replies.scenes):
            yield self.address("scene_reply", scene.scene), (*self.loc, "replies", "scenes", i, "reply"), scene.reply

    def reachable(self, module_id: str) -> bool:
        """Declared ways in: a menu button or a reply pointing at the module, or a click on its key."""
        module = self.modules_by_id[module_id]
        key = module.entry.key if module.entry else None
        for _, _, buttons, _ in self.menus():
            if any(b.module == module_id or (key and b.key == key) for b in leaves(buttons)):
                return True
        return any(reply.module == module_id for _, _, reply in self.replies())


def build_index(compiled: CompiledAccount, account_index: int) -> AccountIndex:
    index = AccountIndex(compiled, ("accounts", account_index))
    _collect_replies(index)
    _collect_menus(index)
    _collect_modules(index)
    _collect_streams(index)
    _collect_articles(index)
    for i, template in enumerate(index.account.templates):
        index.texts.append(TextItem(index.address("template", template.id),
                                    (*index.loc, "templates", i, "title"), normalise(template.title), "templates"))
    return index


def _add_text(index: AccountIndex, item: TextItem) -> None:
    index.texts.append(item)
    add_text_links(index, item, item.text.original)


def add_text_links(index: AccountIndex, item: TextItem, written: str) -> None:
    """The links and mini-programs `written` opens (textlinks.py), at the text's address and place."""
    found = links_in(written)
    for url in found.urls:
        index.links.append(LinkItem(item.address, item.loc, url, item.source, item.module))
    for appid in found.appids:
        index.miniprograms.append(LinkItem(item.address, item.loc, "", item.source, item.module, appid=appid))


def _collect_replies(index: AccountIndex) -> None:
    desired = index.compiled.desired
    deployed = {index.address("reply", "subscribe"): desired.subscribe_reply is not None,
                index.address("reply", "default"): desired.default_reply is not None}
    deployed.update((index.address("keyword_reply", k.name), True) for k in desired.keyword_replies)
    deployed.update((index.address("click_reply", r.key), True) for r in desired.click_replies)
    deployed.update((index.address("scene_reply", r.key), True) for r in desired.scene_replies)
    for address, loc, reply in index.replies():
        if reply.text is not None and deployed.get(address, False):
            _add_text(index, TextItem(address, (*loc, "text"), normalise(reply.text), "replies"))


def _deployed_pairs(specs: list[ButtonSpec], built: tuple[Button, ...]) -> Iterator[tuple[int, ButtonSpec, Button]]:
    """Pair spec buttons with the compiled ones: compile keeps the order and only leaves buttons out."""
    rest = list(built)
    for i, spec in enumerate(specs):
        if rest and rest[0].name == spec.name:
            yield i, spec, rest.pop(0)


def _compiled_menus(index: AccountIndex) -> list[tuple[Button, ...]]:
    """The compiled buttons of each menu `index.menus()` yields, in the same order: the default menu,
    then each conditional menu, found by its own name (never by parsing the address, which a name
    may not be unique in)."""
    desired = index.compiled.desired
    built = {m.name: m.buttons for m in desired.conditional_menus}  # () when the account lacks them
    out: list[tuple[Button, ...]] = []
    if index.account.menu is not None:
        out.append(desired.menu.buttons if desired.menu is not None else ())
    out += [built.get(cm.name, ()) for cm in index.account.conditional_menus]
    return out


def _collect_menus(index: AccountIndex) -> None:
    for (address, loc, buttons, audience), compiled in zip(index.menus(), _compiled_menus(index), strict=True):
        for i, spec, button in _deployed_pairs(buttons, compiled):
            here = (*loc, i)
            index.texts.append(TextItem(address, (*here, "name"), normalise(button.name), "menus", audience))
            for j, sub_spec, sub in _deployed_pairs(spec.sub_buttons or [], button.sub_buttons):
                sub_loc = (*here, "sub_buttons", j)
                index.texts.append(TextItem(address, (*sub_loc, "name"), normalise(sub.name), "menus", audience))
                _collect_link(index, address, sub_loc, sub_spec, sub)
            if not button.sub_buttons:
                _collect_link(index, address, here, spec, button)


def _collect_link(index: AccountIndex, address: str, loc: Loc, spec: ButtonSpec, button: Button) -> None:
    if button.type in OPAQUE_BUTTONS:
        name = OPAQUE_BUTTONS[button.type]
        index.targets.append(TargetItem(address, (*loc, name), button.name, button.type, getattr(button, name) or ""))
    # A module button's link is the module's entry, checked (with its real location) at the module.
    if button.url is not None and spec.module is None:
        index.links.append(LinkItem(address, (*loc, "url"), button.url, "menus", label=button.name,
                                    appid=button.appid or ""))


def _collect_modules(index: AccountIndex) -> None:
    for loc, module in index.modules():
        address = index.address("module", module.id)
        audience = tuple(module.audience.tags)
        for name in ("title", "description"):
            value = getattr(module, name)
            if value:
                _add_text(index, TextItem(address, (*loc, name), normalise(value), "modules", audience, module))
        for j, entry in enumerate(module.faq):  # the answers the gateway sends customers
            _add_text(index, TextItem(index.address("faq", entry.id), (*loc, "faq", j, "answer", "text"),
                                      normalise(entry.answer.text), "replies", audience, module))
        label = module.title or module.id
        if module.entry is not None and module.entry.url:
            index.links.append(LinkItem(address, (*loc, "entry", "url"), module.entry.url, "modules", module, label))
        if module.privacy_notice:
            index.links.append(LinkItem(address, (*loc, "privacy_notice"), module.privacy_notice, "modules",
                                        module, label))
        if module.webhook is not None:
            index.webhooks.append(LinkItem(index.address("webhook", module.id), (*loc, "webhook", "url"),
                                           module.webhook.url, "modules", module, label))


def _collect_streams(index: AccountIndex) -> None:
    for loc, stream in index.streams():
        address = index.address("stream", stream.id)
        for name in ("title", "description"):
            value = getattr(stream, name)
            if value:
                _add_text(index, TextItem(address, (*loc, name), normalise(value), "streams",
                                          tuple(stream.audience.tags)))


def _collect_articles(index: AccountIndex) -> None:
    """An article is read whole, as its reader reads it (a wealth article's risk statement may sit in its
    last paragraph); a finding is placed on the Markdown line it concerns. Its links are checked by
    content validation (allowed domains, no scripts), with the article's other limits."""
    for compiled in index.compiled.articles:
        state, texts = compiled.state, compiled.texts
        loc = (*index.loc, "content", "articles", state.name)
        whole = normalise(texts.shown)
        index.texts.append(TextItem(index.address("article", state.name), loc, whole, "articles", state.audience))
        if texts.joined != texts.shown:  # alt texts are read for what they claim; readers never see a statement
            # made only there, so a statement the article must make is looked for in `whole` (the engine keeps
            # one of each finding the two readings share)
            index.texts.append(TextItem(index.address("article", state.name), loc, normalise(texts.joined),
                                        "articles", state.audience))

        def where(detail: str, texts: ArticleTexts = texts, whole: Text = whole) -> tuple[Position, str]:
            item = texts.locate(detail, lambda text, term: normalise(term).norm in normalise(text).norm,
                                lambda text: bool(normalise(text).contexts.subjects & whole.contexts.promo))
            return item.position, f"{texts.file} ({item.kind})"

        index.outside[loc] = where


@dataclass(frozen=True)
class AccountView:
    """What a rule sees: the account's index, the settings of the rule's pack, and today's date."""

    index: AccountIndex
    settings: Settings
    today: datetime.date

    @property
    def account(self) -> AccountSpec:
        return self.index.account

    @property
    def texts(self) -> list[TextItem]:
        return self.index.texts

    @property
    def links(self) -> list[LinkItem]:
        return self.index.links

    @property
    def miniprograms(self) -> list[LinkItem]:
        """Mini-programs opened from texts; a menu button's is the `appid` of its link."""
        return self.index.miniprograms

    def address(self, kind: str, key: str = "") -> str:
        return self.index.address(kind, key)

    def in_segment(self, audience: tuple[str, ...] | list[str], segment: tuple[str, ...]) -> bool:
        return any(tag in segment for tag in audience)
