"""The `wechat` provider: one Official Account through the platform's server API, over requests.

Calls carry an access token fetched once per run (stable_token by default, which leaves the tokens of
the bank's other systems valid) and refreshed once on 40001/42001/40014. Reads retry with a bounded
backoff on -1, timeouts and connections dropped before or during the answer. A read that still fails,
or answers in a shape we do not know, is an error: never an empty collection, which a plan would
"fix" by creating duplicates. Every write whose outcome is unclear (a timeout, a dropped connection, -1)
is settled by reading the account back before anything is sent again, so a write that landed is
reported as landed and a write the platform limits (api_set_industry: once a month) or does not
deduplicate (tags/create, menu/addconditional, api_add_template) is never sent twice. Deletes of
something already gone succeed.

Live menus set in the web console (menu/get answers 46003 while get_current_selfmenu_info shows a
menu) are read in their own types: API types convert one to one, console-only types (text, img,
voice, video, news; see limits.CONSOLE_BUTTON_TYPES) keep their type and no value, because their
values are temporary media ids. Such a menu differs from any spec, so a plan shows replacing it.
The AppSecret and the token never appear in messages or logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from oa_spec import limits
from oa_spec.content.publishing_api import Platform
from oa_spec.content.record import ContentStore
from oa_spec.errors import OaspecError, PartlyWritten, ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)
from oa_spec.kinds.template import not_the_librarys_title
from oa_spec.providers import wechat_answers as answers
from oa_spec.providers.base import Provider, Writer
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat_articles import WeChatArticles, WeChatPublisher
from oa_spec.providers.wechat_client import Client
from oa_spec.providers.wechat_writes import checked_write, delete, written

log = logging.getLogger(__name__)

T = TypeVar("T")
Json = dict[str, Any]

RETRY_DELAYS = (0.25, 0.5, 1.0)  # seconds between attempts: at most four attempts per call

# --- the provider ----------------------------------------------------------------------------------
class WeChatProvider(Provider):
    """A live Official Account. Console auto-replies have no write API: they are read, never written."""

    def __init__(self, account_id: str, settings: WeChatSettings, secret: str, *,
                 retry_delays: Sequence[float] = RETRY_DELAYS, content: ContentStore | None = None) -> None:
        super().__init__(account_id)
        self._api = Client(account_id, settings, secret, retry_delays)
        # Articles (drafts) need the content record: which draft is which article, which image is uploaded.
        self._articles = None if content is None else WeChatArticles(self, self._api, content,
                                                                      dict(settings.article_files))
        self._tag_ids: dict[str, int] | None = None  # name -> id, kept current through tag changes
        self._templates_readable = settings.templates_readable

    def close(self) -> None:
        self._api.close()

    def settle_writes(self) -> None:
        if self._articles is not None:
            self._articles.settle()

    def guard_sends(self, guard: Callable[[], None] | None) -> None:
        self._api.before_send = guard

    # -- read --
    def read(self) -> AccountState:
        self._api.token()  # once, before the concurrent reads share it
        readable = self._templates_readable
        with self._api.concurrently(f"read-{self.account_id}") as submit:
            menus = submit(self._read_menus)
            tags = submit(self._read_tags)
            templates = submit(self._read_templates if readable else tuple)
            industry = submit(self._read_industry if readable else _nothing)
            replies = submit(self._read_replies)
            articles = submit(self._articles.read if self._articles else tuple)
        live_tags = tags.result()
        self._tag_ids = {t.name: t.id for t in live_tags if t.id is not None}
        menu, conditional = menus.result()
        subscribe, default, keywords = replies.result()
        return AccountState(
            menu=menu,
            conditional_menus=self._parsed("menu/get", lambda: answers.conditional_menus(conditional, live_tags)),
            tags=tuple(live_tags),
            templates=templates.result(), industry=industry.result(),
            subscribe_reply=subscribe, default_reply=default, keyword_replies=keywords, articles=articles.result(),
        )

    def _read_menus(self) -> tuple[Menu | None, list[Json]]:
        try:
            data = self._api.call("GET", "menu/get")
        except ProviderError as exc:
            if exc.code != 46003:
                raise
            return self._read_console_menu(), []
        buttons = self._parsed("menu/get", lambda: answers.menu_buttons(data))
        return (Menu(buttons) if buttons else None), list(data.get("conditionalmenu") or [])

    def _read_console_menu(self) -> Menu | None:
        """menu/get shows API-set menus only; a menu set in the web console shows up here."""
        data = self._api.call("GET", "get_current_selfmenu_info")
        if str(self._parsed("get_current_selfmenu_info", lambda: data["is_menu_open"])) != "1":
            return None
        buttons = self._parsed("get_current_selfmenu_info",
                               lambda: answers.buttons(answers.listed(data["selfmenu_info"], "button")))
        if buttons:
            log.info("%s: the live menu was set in the web console; applying a menu replaces it", self.account_id)
        return Menu(buttons) if buttons else None

    def _read_tags(self) -> list[Tag]:
        data = self._api.call("GET", "tags/get")
        return self._parsed("tags/get", lambda: [
            Tag(str(t["name"]), id=int(t["id"]), count=int(t.get("count") or 0)) for t in answers.listed(data, "tags")])

    def _read_templates(self) -> tuple[Template, ...]:
        data = self._api.call("GET", "template/get_all_private_template")
        return self._parsed("get_all_private_template", lambda: tuple(
            Template(title=str(t["title"]), name=str(t["title"]), template_id=str(t["template_id"]))
            for t in answers.listed(data, "template_list")))

    def _read_industry(self) -> Industry | None:
        data = self._api.call("GET", "template/get_industry")
        return self._parsed("get_industry", lambda: answers.industry(data))

    def _read_replies(self) -> tuple[Reply | None, Reply | None, tuple[KeywordRule, ...]]:
        data = self._api.call("GET", "get_current_autoreply_info")
        return self._parsed("get_current_autoreply_info", lambda: answers.replies(data))

    # -- apply --
    def writers(self) -> Mapping[str, Writer]:
        # Console auto-replies (reply, keyword_reply) have no write API: read, never written.
        writers: dict[str, Writer] = {
            "tag": self._apply_tag, "template": self._apply_template, "industry": self._apply_industry,
            "menu": self._apply_menu, "conditional_menu": self._apply_conditional_menu}
        if self._articles is not None:
            writers["article"] = self._articles.write
        return writers

    def publisher(self) -> Platform:
        """freepublish and mass send, for `oaspec publish`."""
        if self._articles is None:
            raise ProviderError(f"{self.account_id}: publishing needs the account's content record")
        return WeChatPublisher(self, self._api, self._articles.drafts)

    def cannot_write(self, change: Change) -> str:
        return (f"{change.address}: the WeChat API cannot write console auto-replies; change them in the web "
                "console (自动回复) or answer from your callback server")

    def _apply_tag(self, change: Change) -> None:
        if change.action == "create":
            name = _as(change.after, Tag, change).name
            tag_id = self._checked_write("tags/create", {"tag": {"name": name}},
                                         lambda data: int(data["tag"]["id"]),
                                         lambda: self._tag_map(refresh=True).get(name))
            self._tag_map()[name] = tag_id
            return
        before = _as(change.before, Tag, change)
        tag_id = before.id if before.id is not None else self._tag_id(before.name)
        if change.action == "update":  # a rename: the id, and so the followers, stay
            name = _as(change.after, Tag, change).name
            self._checked_write("tags/update", {"tag": {"id": tag_id, "name": name}}, written,
                                lambda: _landed_if(self._tag_map(refresh=True).get(name) == tag_id))
            self._tag_map().pop(before.name, None)
            self._tag_map()[name] = tag_id
        else:
            self._delete("tags/delete", {"tag": {"id": tag_id}}, gone=45159,
                         landed=lambda: tag_id not in self._tag_map(refresh=True).values())
            self._tag_map().pop(before.name, None)

    def _apply_template(self, change: Change) -> None:
        """No edit API: a replace (another library template) adds the new one, then deletes the old one."""
        if change.action in ("create", "replace"):
            self._add_template(change)
        if change.action in ("delete", "replace"):
            before = _as(change.before, Template, change)
            template_id = before.template_id or next(
                (t.template_id for t in self._read_templates() if t.title == before.title), None)
            if template_id is not None:
                self._delete_template(template_id)

    def _add_template(self, change: Change) -> None:
        """api_add_template; a library template titled otherwise than the spec says is deleted again and refused,
        naming both titles (added on every apply, each copy would take one of the 25 slots and never match)."""
        template = _as(change.after, Template, change)
        if not template.library_id:
            raise ProviderError(f"{change.address}: a template is added by its library_id, and this one "
                                "has none; set library_id in the spec")
        held_before = {t.template_id for t in self._read_templates()}
        template_id = self._checked_write("template/api_add_template", {"template_id_short": template.library_id},
                                          lambda data: str(data["template_id"]),
                                          lambda: self._added_template_id(template.title, held_before))
        added = replace(template, template_id=template_id)
        self.added_templates.append(added)  # oaspec's, by its id, unless it is deleted again below
        try:
            title = next((t.title for t in self._read_templates() if t.template_id == template_id), template.title)
        except OaspecError:
            return  # it landed; the next plan checks its title (kinds/template.py title_conflicts)
        if title == template.title:
            return
        refused = f"{change.address}: {not_the_librarys_title(template, title)}"
        try:
            self._delete_template(template_id)
        except OaspecError as exc:
            raise ProviderError(f"{refused}. The template it added (template_id {template_id}) could not be deleted "
                                f"again ({exc}); oaspec owns it, and the next plan names it") from None
        self.added_templates.remove(added)
        raise ProviderError(f"{refused}. The template it added (template_id {template_id}) was deleted again")

    def _delete_template(self, template_id: str) -> None:
        self._delete("template/del_private_template", {"template_id": template_id}, gone=40037,
                     landed=lambda: template_id not in {t.template_id for t in self._read_templates()})

    def _apply_industry(self, change: Change) -> None:
        """api_set_industry is allowed once a month: after an unclear outcome, read back, never resend blindly."""
        industry = _as(change.after, Industry, change)
        codes = [limits.industry_code(name) for name in (industry.primary, industry.secondary)]
        if codes[0] is None or codes[1] is None:
            raise ProviderError(f"{change.address}: unknown industry in {industry.primary!r}, "
                                f"{industry.secondary!r}; use names like 金融业/银行 (see limits.INDUSTRIES)")
        wanted = Industry(limits.INDUSTRIES[codes[0]], limits.INDUSTRIES[codes[1]])
        self._checked_write("template/api_set_industry", {"industry_id1": codes[0], "industry_id2": codes[1]},
                            written, lambda: _landed_if(self._read_industry() == wanted))

    def _apply_menu(self, change: Change) -> None:
        if change.action == "delete":  # also removes every conditional menu, as the plan says
            self._checked_write("menu/delete", None, written, lambda: _landed_if(self._live_menu() is None),
                                method="GET")
            return
        body = {"button": [b.to_api() for b in _as(change.after, Menu, change).buttons]}
        self._checked_write("menu/create", body, written,
                            lambda: _landed_if(self._live_menu() == answers.buttons(body["button"])))

    def _apply_conditional_menu(self, change: Change) -> None:
        """No edit API: a replace is an add and then a delete (the menuid changes). Adding first means a
        failure leaves the old menu, or both (the newest is what followers see; the next plan deletes
        the stale one) — never neither. A replace whose delete fails has landed, and says so (PartlyWritten)."""
        menuid = _as(change.before, ConditionalMenu, change).menuid if change.action != "create" else None
        if change.action in ("create", "replace"):
            menu = _as(change.after, ConditionalMenu, change)
            body = {"button": [b.to_api() for b in menu.buttons], "matchrule": self._matchrule(menu.match)}
            # A re-create to keep precedence adds a copy of the live menu: that copy is no proof the add landed.
            self._checked_write("menu/addconditional", body, lambda data: str(data["menuid"]),
                                lambda: self._conditional_menuid(body, besides=menuid))
        if not menuid:
            return
        try:
            self._delete("menu/delconditional", {"menuid": menuid}, gone=65301,
                         landed=lambda: menuid not in self._conditional_menuids())
        except OaspecError as exc:
            if change.action != "replace":
                raise
            left = f"the old copy (menuid {menuid}) is still live; the next plan deletes it"
            raise PartlyWritten(f"{exc}; {change.address} landed all the same: its new menu is live (followers see "
                                f"it), and {left}", left, getattr(exc, "code", None)) from None

    # -- checks --
    def try_match(self, user_id: str) -> Menu | None:
        """The menu the follower `user_id` (an OpenID or WeChat id) sees, through menu/trymatch: the way to
        check that a conditional menu reaches the people it is meant for. None when the account has no menu."""
        try:
            data = self._api.call("POST", "menu/trymatch", {"user_id": user_id})
        except ProviderError as exc:
            if exc.code == 46003:
                return None
            raise
        buttons = self._parsed("menu/trymatch", lambda: answers.buttons(answers.listed(data, "button")))
        return Menu(buttons) if buttons else None

    def _matchrule(self, rule: MatchRule) -> dict[str, str]:
        out = {"tag_id": str(self._tag_id(rule.tag))} if rule.tag is not None else {}
        if rule.client_platform_type:
            out["client_platform_type"] = rule.client_platform_type
        # Privacy fields are sent as they are, so that the refusal (65320) is the platform's own.
        return out | dict(rule.legacy)

    def _parsed(self, what: str, convert: Callable[[], T]) -> T:
        """Convert a platform answer; a shape we do not know is a ProviderError, not a crash."""
        try:
            return convert()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ProviderError(f"{self.account_id}: {what}: the platform answered in an unexpected shape "
                                f"({type(exc).__name__}: {exc})") from None

    # -- write helpers --
    def _checked_write(self, path: str, body: Json | None, result: Callable[[Json], T],
                       landed: Callable[[], T | None], method: str = "POST") -> T:
        return checked_write(self._api, path, body, result, landed, method)  # settled by reading back

    def _delete(self, path: str, body: Json, gone: int, landed: Callable[[], bool]) -> None:
        delete(self._api, path, body, gone, landed)

    def _tag_map(self, refresh: bool = False) -> dict[str, int]:
        if self._tag_ids is None or refresh:
            self._tag_ids = {t.name: t.id for t in self._read_tags() if t.id is not None}
        return self._tag_ids

    def _tag_id(self, name: str) -> int:
        tag_id = self._tag_map().get(name)
        if tag_id is None:
            tag_id = self._tag_map(refresh=True).get(name)
        if tag_id is None:
            raise ProviderError(f"{self.account_id}: tag {name!r} does not exist on the account; run plan again")
        return tag_id

    def _added_template_id(self, title: str, held_before: set[str | None]) -> str | None:
        """After an unclear api_add_template: the id of a template the account did not hold before the write, with
        this title, else the only new one (titles are not unique, and the library's may not be the spec's)."""
        new = [t for t in self._read_templates() if t.template_id not in held_before]
        titled = [t for t in new if t.title == title]
        found = titled or (new if len(new) == 1 else [])
        return found[0].template_id if found else None

    def _menu_get(self) -> Json | None:
        """menu/get, or None when the account has no API menu (46003)."""
        try:
            return self._api.call("GET", "menu/get")
        except ProviderError as exc:
            if exc.code == 46003:
                return None
            raise

    def _live_menu(self) -> tuple[Button, ...] | None:
        data = self._menu_get()
        return None if data is None else self._parsed("menu/get", lambda: answers.menu_buttons(data))

    def _conditional_menuid(self, body: Json, besides: str | None) -> str | None:
        """The menuid of a live conditional menu with exactly this rule and these buttons, other than `besides`
        (the copy being replaced)."""
        data = self._menu_get() or {}
        want = (answers.rule_values(body["matchrule"]), answers.buttons(body["button"]))
        live = ((str(m["menuid"]), answers.rule_values(m.get("matchrule") or {}), answers.buttons(m.get("button")))
                for m in data.get("conditionalmenu") or [])
        return next((menuid for menuid, rule, buttons in live if (rule, buttons) == want and menuid != besides),
                    None)

    def _conditional_menuids(self) -> set[str]:
        data = self._menu_get() or {}
        return {str(m.get("menuid")) for m in data.get("conditionalmenu") or []}


def _landed_if(condition: bool) -> bool | None:
    return True if condition else None


def _nothing() -> None:
    return None


def _as(value: object, kind: type[T], change: Change) -> T:
    if not isinstance(value, kind):
        raise ProviderError(f"{change.address}: malformed {change.action} change (expected a {kind.__name__})")
    return value
