"""The embedded `local` provider: an account kept in a JSON file, with no WeChat credentials at all.

It behaves like the platform where that matters to a plan: it enforces the platform's limits with the
platform's error codes, assigns tag ids and menuids, and persists after every call, so a failed apply
leaves exactly the changes that landed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from oa_spec import limits
from oa_spec.content.publishing_api import EVERY_FOLLOWER, Audience, JobStatus, Platform
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import link_domains
from oa_spec.kinds.state import AccountState, Article, ConditionalMenu, KeywordRule, Menu, Reply, Tag, Template
from oa_spec.providers.base import Provider, Writer
from oa_spec.util import clock
from oa_spec.util.fileio import write_json_atomic

# A local write: the account's next state after one change (counters: the ids it assigns).
_Update = Callable[[AccountState, Change, dict[str, int]], AccountState]


class LocalProvider(Provider):
    def __init__(self, account_id: str, state_dir: Path) -> None:
        super().__init__(account_id)
        self.path = state_dir / "local" / f"{account_id}.json"
        # What this instance last read or wrote. A read always goes to the file (the stale-plan check
        # must see changes made by others); an apply starts from it, so a run of writes does not parse
        # the whole account again for each change (quadratic for thousands of keyword rules).
        self._last: tuple[AccountState, dict[str, int]] | None = None

    def read(self) -> AccountState:
        self._last = self._load()
        state = self._last[0]
        sent = LocalPublisher(self).sent_drafts() if state.articles else {}
        if not sent:
            return state
        # what went out is live-only news, never stored: a plan must not call a sent article due again
        marked = (replace(a, published=sent.get(a.draft_id or "", "")) for a in state.articles)
        return replace(state, articles=tuple(marked))

    def writers(self) -> Mapping[str, Writer]:
        return {kind: partial(self._write, update) for kind, update in _UPDATES.items()}

    def _write(self, update: _Update, change: Change) -> None:
        state, counters = self._last or self._load()
        counters = dict(counters)
        state = update(state, change, counters)
        self._save(state, counters)  # after every change: a failed apply leaves exactly what landed
        self._last = (state, counters)

    def _load(self) -> tuple[AccountState, dict[str, int]]:
        if not self.path.exists():
            return AccountState(), {"next_tag_id": limits.FIRST_USER_TAG_ID, "next_menuid": 400000000}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return AccountState.from_json(data["state"]), dict(data["counters"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ProviderError(f"{self.path}: the local account file is corrupt ({exc}); "
                                "restore it from version control or delete it to start empty") from exc

    def _save(self, state: AccountState, counters: dict[str, int]) -> None:
        write_json_atomic(self.path, {"state": state.to_json(), "counters": counters})

    def publisher(self) -> Platform:
        """Publications and broadcasts of the local account, kept beside it (for `oaspec publish`)."""
        return LocalPublisher(self)


class LocalPublisher:
    """The platform's publishing side for a local account: publications and broadcasts are recorded in
    STATE_DIR/local/ID.publishing.json, and finish at once. A clientmsgid sent in the last 24 hours answers
    with the first send, as the platform does; the broadcast quota is `oaspec publish`'s own check here."""

    def __init__(self, provider: LocalProvider) -> None:
        self.provider = provider
        self.path = provider.path.with_name(f"{provider.account_id}.publishing.json")

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"sends": [], "publications": {}, "next": 1}
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data

    def sent_drafts(self) -> dict[str, str]:
        """draft_id -> how it went out, for each draft broadcast or published."""
        data = self._load()
        out = {s["draft_id"]: f"broadcast, msg_id {s['msg_id']}" for s in data["sends"]}
        out.update((p["draft_id"], f"published, article_id {p['article_id']}") for p in data["publications"].values())
        return out

    def _draft(self, draft_id: str) -> Article:
        found = next((a for a in self.provider._load()[0].articles if a.draft_id == draft_id), None)  # as stored
        if found is None:
            raise _fail(limits.ERR_INVALID_MEDIA_ID)
        return found

    def broadcast(self, draft_id: str, audience: Audience, clientmsgid: str) -> tuple[str, bool]:
        self._draft(draft_id)
        data, now = self._load(), clock.now().timestamp()
        earlier = next((s for s in data["sends"] if s["clientmsgid"] == clientmsgid
                        and now - s["time"] < limits.CLIENTMSGID_DEDUP_SECONDS), None)
        if earlier is not None:
            return str(earlier["msg_id"]), True
        msg_id = str(1000 + data["next"])
        data["next"] += 1
        tag_id = None if audience == EVERY_FOLLOWER else audience  # as the platform records it: None for all
        data["sends"].append({"msg_id": msg_id, "clientmsgid": clientmsgid, "time": now, "tag_id": tag_id,
                              "draft_id": draft_id})
        write_json_atomic(self.path, data)
        return msg_id, False

    def broadcast_status(self, msg_id: str) -> JobStatus:
        known = any(s["msg_id"] == msg_id for s in self._load()["sends"])
        return JobStatus("succeeded", "SEND_SUCCESS") if known else JobStatus("failed", f"no broadcast {msg_id}")

    def publish(self, draft_id: str) -> str:
        self._draft(draft_id)
        data = self._load()
        publish_id, number = str(2000 + data["next"]), data["next"]
        data["next"] += 1
        data["publications"][publish_id] = {"draft_id": draft_id, "article_id": f"local-article-{number}"}
        write_json_atomic(self.path, data)
        return publish_id

    def publish_status(self, publish_id: str) -> JobStatus:
        found = self._load()["publications"].get(publish_id)
        if found is None:
            return JobStatus("failed", f"no publication {publish_id}")
        return JobStatus("succeeded", "success (publish_status 0)", found["article_id"])

    def preview(self, draft_id: str, openid: str) -> None:
        """Counted per draft (the local account has no followers to show it to, and keeps no OpenID)."""
        self._draft(draft_id)
        data = self._load()
        previews = data.setdefault("previews", {})
        previews[draft_id] = previews.get(draft_id, 0) + 1
        write_json_atomic(self.path, data)

    def find_publication(self, draft_id: str, exclude: frozenset[str]) -> str | None:
        return next((str(p["article_id"]) for p in self._load()["publications"].values()
                     if p["draft_id"] == draft_id and p["article_id"] not in exclude), None)


LOCAL_ERROR_PREFIX = "the local account refused it as WeChat would, with error"
# The platform's "content size out of limit" (消息内容超过限制), which it answers for a message text over its limit.
# Console replies have no write API (wechat-api.md §5), so no code of their own exists to copy.
REPLY_TEXT_SIZE_ERROR = 45002


def _fail(code: int) -> ProviderError:
    return ProviderError(limits.describe_error(code, prefix=LOCAL_ERROR_PREFIX), code)


def _apply_tag(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    tags = list(state.tags)
    if change.action == "create":
        assert isinstance(change.after, Tag)
        _check_tag_name(state, change.after.name)
        if len(tags) >= limits.MAX_TAGS:
            raise _fail(45056)
        tags.append(Tag(change.after.name, id=counters["next_tag_id"]))
        counters["next_tag_id"] += 1
        return replace(state, tags=tuple(tags))
    assert isinstance(change.before, Tag)
    current = next((t for t in tags if t.id == change.before.id), None)
    if current is None:
        raise _fail(45159)
    if current.id in limits.RESERVED_TAG_IDS:
        raise _fail(45058)
    menus = state.conditional_menus
    if change.action == "update":
        assert isinstance(change.after, Tag)
        _check_tag_name(state, change.after.name)
        tags[tags.index(current)] = replace(current, name=change.after.name)
        # The platform matches menus by tag id, so they follow the rename.
        menus = tuple(_retag(m, current.name, change.after.name) for m in menus)
    else:
        tags.remove(current)
        menus = tuple(_retag(m, current.name, None) for m in menus)
    return replace(state, tags=tuple(tags), conditional_menus=menus)


def _retag(menu: ConditionalMenu, old: str, new: str | None) -> ConditionalMenu:
    if menu.match.tag != old:
        return menu
    return replace(menu, match=replace(menu.match, tag=new))


def _check_tag_name(state: AccountState, name: str) -> None:
    if limits.utf8_len(name) > limits.TAG_NAME_BYTES:
        raise _fail(45158)
    if state.tag(name) is not None:
        raise _fail(45157)


def _apply_industry(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    return replace(state, industry=change.after)  # type: ignore[arg-type]


def _apply_template(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    """A replace (another library template) adds the new one before it deletes the old, as the WeChat provider does."""
    templates = list(state.templates)
    if change.action in ("create", "replace"):
        assert isinstance(change.after, Template)
        if len(templates) >= limits.MAX_TEMPLATES:
            raise _fail(45026)
        template_id = f"local-tmpl-{counters.setdefault('next_template', 1)}"
        counters["next_template"] += 1
        templates.append(replace(change.after, template_id=template_id))
    if change.action in ("delete", "replace"):
        assert isinstance(change.before, Template)
        templates = [t for t in templates if t.template_id != change.before.template_id]
    return replace(state, templates=tuple(templates))


def _apply_menu(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    if change.action == "delete":
        return replace(state, menu=None, conditional_menus=())  # as menu/delete does
    assert isinstance(change.after, Menu)
    _check_menu(change.after.buttons)
    return replace(state, menu=change.after)


def _check_menu(buttons: tuple[Any, ...]) -> None:
    code = limits.menu_error_code([b.to_api() for b in buttons])
    if code is not None:
        raise _fail(code)


def _apply_conditional_menu(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    """A replace adds the new menu before deleting the old one, as the WeChat provider does."""
    menus = list(state.conditional_menus)
    if change.action in ("create", "replace"):
        new = change.after
        assert isinstance(new, ConditionalMenu)
        if state.menu is None:
            raise _fail(65303)
        if len(menus) >= limits.MAX_CONDITIONAL_MENUS:
            raise _fail(65305)
        if new.match.tag is not None and state.tag(new.match.tag) is None:
            raise _fail(45159)
        if new.match.legacy:
            raise _fail(65320)
        _check_menu(new.buttons)
        if len(link_domains([*menus, new])) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
            raise _fail(65316)  # counted with the old copy of a replace still live, as the platform does
        menus.append(replace(new, menuid=str(counters["next_menuid"])))
        counters["next_menuid"] += 1
    if change.action in ("delete", "replace"):
        assert isinstance(change.before, ConditionalMenu)
        remaining = [m for m in menus if m.menuid != change.before.menuid]
        if len(remaining) == len(menus):
            raise _fail(65301)
        menus = remaining
    return replace(state, conditional_menus=tuple(menus))


def _check_replies(replies: tuple[Reply, ...]) -> None:
    """A reply's text is what the platform sends: over its limit, refused (a module's title and link included)."""
    for size in (limits.utf8_len(r.text) for r in replies if r.media is None):
        if size > limits.REPLY_TEXT_BYTES:
            raise ProviderError(f"{LOCAL_ERROR_PREFIX} {REPLY_TEXT_SIZE_ERROR}: the reply text is {size} bytes, over "
                                f"the {limits.REPLY_TEXT_BYTES} a reply may have; shorten it (a reply with module: "
                                "sends the module's title and link)", REPLY_TEXT_SIZE_ERROR)


def _apply_reply(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    reply = change.after
    assert reply is None or isinstance(reply, Reply)
    _check_replies((reply,) if reply is not None else ())
    if change.key == "subscribe":
        return replace(state, subscribe_reply=reply)
    return replace(state, default_reply=reply)


def _apply_keyword_reply(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    """The first rule of the name is the one written (a plan pairs the spec's rule with it: kinds/keyword_reply.py); a
    later console rule that shares its name is left as it is (attack review 70, F4)."""
    rules = list(state.keyword_replies)
    position = next((i for i, r in enumerate(rules) if r.name == change.key), None)
    if position is not None:
        del rules[position]
    if change.after is not None:
        assert isinstance(change.after, KeywordRule)
        _check_replies(change.after.replies)
        rules.insert(len(rules) if position is None else position, change.after)
    return replace(state, keyword_replies=tuple(rules))


def _apply_article(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
    """A draft: added with a new draft id, updated in place, deleted (one already gone is no error)."""
    articles = list(state.articles)
    if change.action == "create":
        assert isinstance(change.after, Article)
        _check_article(change.after)
        draft_id = f"local-draft-{counters.setdefault('next_draft', 1)}"
        counters["next_draft"] += 1
        return replace(state, articles=(*articles, replace(change.after, draft_id=draft_id)))
    assert isinstance(change.before, Article)
    position = next((i for i, a in enumerate(articles) if a.draft_id == change.before.draft_id), None)
    if change.action == "delete":
        return replace(state, articles=tuple(a for i, a in enumerate(articles) if i != position))
    if position is None:
        raise _fail(limits.ERR_INVALID_MEDIA_ID)
    assert isinstance(change.after, Article)
    _check_article(change.after)
    articles[position] = replace(change.after, draft_id=change.before.draft_id)
    return replace(state, articles=tuple(articles))


def _check_article(article: Article) -> None:
    """The limits draft/add enforces, with its error codes."""
    if not article.title or len(article.title) > limits.ARTICLE_TITLE_MAX_CHARS:
        raise _fail(limits.ERR_ARTICLE_TITLE_SIZE)
    if len(article.author) > limits.ARTICLE_AUTHOR_MAX_CHARS:
        raise _fail(limits.ERR_ARTICLE_AUTHOR_SIZE)
    if len(article.digest) > limits.ARTICLE_DIGEST_MAX_CHARS:
        raise _fail(limits.ERR_ARTICLE_DIGEST_SIZE)
    if not article.content or len(article.content) >= limits.ARTICLE_BODY_MAX_CHARS or \
            limits.utf8_len(article.content) >= limits.ARTICLE_BODY_MAX_BYTES:
        raise _fail(limits.ERR_ARTICLE_CONTENT_SIZE)


_UPDATES: dict[str, _Update] = {
    "tag": _apply_tag, "industry": _apply_industry, "template": _apply_template, "menu": _apply_menu,
    "conditional_menu": _apply_conditional_menu, "reply": _apply_reply, "keyword_reply": _apply_keyword_reply,
    "article": _apply_article,
}
