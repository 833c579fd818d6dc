"""Articles on a WeChat account: the draft box read back as Article states, drafts written in place, images
uploaded once by content hash, and the publishing calls `oaspec publish` makes.

The platform knows drafts by media_id only, so the content record (content/record.py) says which draft
is which article, and which uploaded URL or media_id is which image. A draft is read back after every
write: what the platform stored is recorded beside what was sent, so its own rewriting of the HTML (the
real editor strips styles, content.md) is neither reported as a change at every plan nor resent, and a
later edit in the console is. Drafts oaspec did not make are never read into the state, so never touched.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oa_spec import limits
from oa_spec.content.images import PLACEHOLDER, placeholder, replace_placeholders, sniff_format
from oa_spec.content.publishing_api import EVERY_FOLLOWER, Audience, JobStatus, UnclearSend
from oa_spec.content.record import ContentStore, DraftEntry, PendingDraft, Record, SendEntry
from oa_spec.errors import PartlyWritten, ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import SLOT_FIELDS, Article
from oa_spec.providers.wechat_client import Client, Unclear
from oa_spec.providers.wechat_uploads import upload_cover
from oa_spec.providers.wechat_writes import answered
from oa_spec.util.audience import audience as shown_audience

if TYPE_CHECKING:
    from oa_spec.providers.wechat import WeChatProvider

log = logging.getLogger("oa_spec.providers.wechat")
Json = dict[str, Any]
MAX_PAGES = 250  # batchget pages of 20 read at most: 5,000 drafts or publications
FIELDS = ("title", "author", "digest", "source_url", "comments", "cover_sha256", "content_sha256")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in FIELDS}


# The slot is oaspec's, not the platform's: kept in the record as applied, so a change to it is a planned change.
def _slot(article: Article) -> dict[str, Any]:
    return {name: list(value) if isinstance(value := getattr(article, name), tuple) else value
            for name in SLOT_FIELDS}


def _slot_of(entry: DraftEntry) -> dict[str, Any]:
    return {k: tuple(v) if k == "audience" else v for k, v in entry.slot.items() if k in SLOT_FIELDS}


class WeChatArticles:
    """One account's drafts, through its provider's client and write helpers."""

    def __init__(self, owner: WeChatProvider, api: Client, record: ContentStore, files: Mapping[str, Path]) -> None:
        self.owner, self.api, self.record, self.files = owner, api, record, files

    # -- read --
    def read(self) -> tuple[Article, ...]:
        record = self.record.load()
        if not record.drafts and not record.pending:
            return ()
        live = self.drafts()
        sent = record.sent_by_article()
        out = []
        # A killed run's draft/add that made its draft reads as made (reconciliation records it: settle()).
        landed = self.owner._parsed("draft/batchget", lambda: _landed(record, live))
        for name, entry in sorted({**landed, **record.drafts}.items()):
            published = _published(sent.get(name))
            news = live.get(entry.draft_id)
            if news is not None:
                out.append(self._article(name, entry, news, record.images, published))
            elif published:  # the platform may take a published draft out of the box: shown, never re-made
                out.append(Article(name=name, **entry.sent, **_slot_of(entry), draft_id=None, published=published))
        return tuple(out)

    def drafts(self) -> dict[str, list[Json]]:
        """media_id -> the articles of every draft in the box (draft/batchget, page by page). oaspec writes one
        article per draft; one added in the console (多图文) goes out with it, so it is read too."""
        items = pages(self.owner, self.api, "draft/batchget")
        return self.owner._parsed("draft/batchget", lambda: {
            str(item["media_id"]): list(news) for item in items if (news := item["content"]["news_item"])})

    def _article(self, name: str, entry: DraftEntry, news: list[Json], images: dict[str, str],
                 published: str) -> Article:
        read = self.owner._parsed("draft/batchget", lambda: _as_read_draft(news, images))
        content = read.pop("content")
        # A field the platform still holds as it stored our write is what we sent; anything else is an edit.
        values = {k: entry.sent[k] if read[k] == entry.stored.get(k) else read[k] for k in FIELDS}
        return Article(name=name, **values, **_slot_of(entry), content=content, draft_id=entry.draft_id,
                       published=published)

    # -- write --
    def write(self, change: Change) -> None:
        if change.action == "delete":
            before = change.before
            assert isinstance(before, Article)
            if before.draft_id:
                draft_id = before.draft_id
                self.owner._delete("draft/delete", {"media_id": draft_id}, gone=limits.ERR_INVALID_MEDIA_ID,
                                   landed=lambda: draft_id not in self.drafts())
            with self.record.edit() as record:
                record.drafts.pop(change.key, None)
                record.pending.pop(change.key, None)
            return
        article = change.after
        assert isinstance(article, Article)
        entry = self._entry(article)
        if change.action == "create":
            # A draft oaspec does not know that holds exactly this article (a state directory that was lost, a
            # run killed after draft/add) is taken as it is: never a second draft for one article.
            draft_id = self._added(entry) or self._add(article, entry)
        else:
            assert isinstance(change.before, Article) and change.before.draft_id
            draft_id = change.before.draft_id
            if len(self.drafts().get(draft_id, ())) > 1:  # draft/update cannot take out an added article
                self.write(Change("delete", "article", change.key, change.address, change.before, None))
                draft_id = self._add(article, entry)
            else:
                self.owner._checked_write("draft/update", {"media_id": draft_id, "index": 0, "articles": entry},
                                          lambda d: True, lambda: True if self._holds(draft_id, entry) else None)
        self._remember(change.address, article, draft_id)

    def _add(self, article: Article, entry: Json) -> str:
        with self.record.edit() as record:  # journalled first, for settle() after a kill
            record.pending[article.name] = PendingDraft(entry["title"], _sha256(entry["content"]), _fields(article),
                                                        _slot(article))
        try:
            return self.owner._checked_write("draft/add", {"articles": [entry]}, lambda d: str(d["media_id"]),
                                             lambda: self._added(entry))
        except ProviderError:  # refused, or unclear and not in the box when last read: nothing to settle
            with self.record.edit() as record:
                record.pending.pop(article.name, None)
            raise

    def _entry(self, article: Article) -> Json:
        """draft/add's article, images uploaded first (each once: the record keeps their URLs by hash)."""
        urls = {sha: self._upload("body", sha) for sha in dict.fromkeys(PLACEHOLDER.findall(article.content))}
        cover = self._upload("cover", article.cover_sha256) if article.cover_sha256 else ""
        return {"title": article.title, "author": article.author, "digest": article.digest,
                "content": replace_placeholders(article.content, urls), "content_source_url": article.source_url,
                "thumb_media_id": cover, "need_open_comment": int(article.comments), "only_fans_can_comment": 0}

    def _upload(self, kind: str, sha: str) -> str:
        key = f"{kind}:{sha}"
        known = self.record.load().images.get(key)
        if known:
            return known
        path = self.files.get(key)
        if path is None:
            raise ProviderError(f"{self.api.account_id}: the {kind} image sha256:{sha[:12]} was never uploaded and "
                                "is not an image of the spec's articles (a rollback to images since removed?)")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            raise ProviderError(f"{self.api.account_id}: {path} changed since the plan was made; plan again")
        filename = f"{sha[:16]}.{'jpg' if sniff_format(data[:16]) == 'jpeg' else 'png'}"
        if kind == "cover":  # permanent material: never uploaded twice without a person deciding
            return upload_cover(self.api, self.record, sha, data, filename)
        answer = self.api.upload("media/uploadimg", data, filename)
        value = self.owner._parsed("media/uploadimg", lambda: str(answer["url"]))
        with self.record.edit() as record:
            record.images[key] = value
        return value

    def _added(self, entry: Json) -> str | None:
        """After an unclear draft/add: a draft oaspec does not know yet holding exactly this article. One another
        account's record names is that account's, on this same app: taken, both would publish it (review 72 F3)."""
        found = _unknown(self.record.load(), self.drafts(), entry["title"], _sha256(entry["content"]))
        other = None if found is None else self.record.others_drafts().get(found)
        if other is not None:
            raise ProviderError(f"{self.api.account_id}: the draft {found} on this app holds exactly this article and "
                                f"is account {other}'s (its content record names it): two accounts on one app would "
                                "each publish it; nothing was written. Deploy the app from one account (if "
                                f"{other} was renamed {self.api.account_id}, remove {other}'s content record)")
        return found

    def settle(self) -> None:
        """Under the account's lock, after a run was killed mid-apply: record the drafts its draft/add calls
        made before it could (read() shows them already, so plans made before this agree with it)."""
        if not self.record.load().pending:
            return
        live = self.drafts()
        with self.record.edit() as record:
            landed = self.owner._parsed("draft/batchget", lambda: _landed(record, live))
            for name in landed:
                log.info("%s: recorded the draft of %s that an interrupted run made", self.api.account_id, name)
            record.drafts.update(landed)
            record.pending.clear()

    def _holds(self, draft_id: str, entry: Json) -> bool:
        news = self.drafts().get(draft_id)
        return news is not None and len(news) == 1 and _same(news[0], entry)

    def _remember(self, address: str, article: Article, draft_id: str) -> None:
        """Read the draft back and record it, saying what the platform changed of what was sent. The write was
        answered, so it landed whatever the read-back does: a read-back that fails records the draft all the same,
        what the platform stored of the fields just sent unknown, and says so (PartlyWritten: the change landed)."""
        images = self.record.load().images
        try:
            data = self.api.call("POST", "draft/get", {"media_id": draft_id})
            stored = self.owner._parsed("draft/get", lambda: _as_read(data["news_item"][0], images))
        except ProviderError as exc:
            self._record(article, draft_id, None)
            left = (f"its draft ({draft_id}) could not be read back, so what the platform stored is not recorded; "
                    "the next plan reads the draft as it is")
            raise PartlyWritten(f"{exc}; {address} landed all the same: {left}", left, exc.code) from None
        content = stored.pop("content")
        self._record(article, draft_id, stored)
        if content != article.content:
            from oa_spec.content.diff import body_diff

            log.warning("%s: the platform changed the body of %s as it stored it:\n%s", self.api.account_id,
                        article.name, body_diff(article.content, content, "sent", "stored"))

    def _record(self, article: Article, draft_id: str, stored: dict[str, Any] | None) -> None:
        """The draft as sent and as stored; unread (None), a field is known as stored only where it was sent
        unchanged to the same draft, so the next read takes the others as the platform holds them."""
        sent = _fields(article)
        with self.record.edit() as record:
            if stored is None:
                stored = _still_stored(record.drafts.get(article.name), draft_id, sent)
            record.drafts[article.name] = DraftEntry(draft_id, sent, stored, _slot(article))
            record.pending.pop(article.name, None)


def pages(owner: WeChatProvider, api: Client, path: str) -> list[Json]:
    """Every item of a batchget list (draft/batchget, freepublish/batchget), page by page, bounded."""
    items: list[Json] = []
    for _ in range(MAX_PAGES):
        data = api.call("POST", path, {"offset": len(items), "count": limits.BATCHGET_MAX_COUNT, "no_content": 0})
        page: list[Json] = owner._parsed(path, lambda: list(data["item"]))  # noqa: B023 - runs at once
        items += page
        if not page or len(items) >= int(data.get("total_count") or 0):
            return items
    raise ProviderError(f"{api.account_id}: {path}: more than {MAX_PAGES} pages; oaspec reads at most "
                        f"{MAX_PAGES * limits.BATCHGET_MAX_COUNT} items")


def _landed(record: Record, live: dict[str, list[Json]]) -> dict[str, DraftEntry]:
    """The journalled draft/add calls of a killed run that made their draft, as the entries it did not record."""
    found: dict[str, DraftEntry] = {}
    for name, pending in record.pending.items():
        draft_id = _unknown(record, live, pending.title, pending.content_sha256)
        if draft_id is not None and name not in record.drafts and draft_id not in {e.draft_id for e in found.values()}:
            stored = _as_read(live[draft_id][0], record.images)
            del stored["content"]
            found[name] = DraftEntry(draft_id, pending.sent, stored, pending.slot)
    return found


def _unknown(record: Record, live: dict[str, list[Json]], title: str, content_sha256: str) -> str | None:
    """A draft in the box that the record does not know, holding this title and body and nothing else."""
    known = {d.draft_id for d in record.drafts.values()}
    return next((mid for mid, news in live.items() if mid not in known and len(news) == 1
                 and str(news[0].get("title", "")) == title
                 and _sha256(str(news[0].get("content", ""))) == content_sha256), None)


def _still_stored(known: DraftEntry | None, draft_id: str, sent: dict[str, Any]) -> dict[str, Any]:
    """What is known of how the platform stored a draft that could not be read back after a write: the fields
    sent to it unchanged, as they were stored before."""
    if known is None or known.draft_id != draft_id:
        return {}
    return {k: v for k, v in known.stored.items() if known.sent.get(k) == sent.get(k)}


def _same(news: Json, entry: Json) -> bool:
    return all(str(news.get(k, "")) == str(entry[k]) for k in ("title", "content"))


def _as_read_draft(news: list[Json], images: dict[str, str]) -> dict[str, Any]:
    """A draft as the state reads it: its first article, and any article added to it after that in the body,
    so the plan shows them and publish refuses the draft (they would go out with it, never reviewed)."""
    read = _as_read(news[0], images)
    if len(news) > 1:
        read["content"] += "".join(f"\n<!-- oaspec: the draft also holds article {i}, added outside oaspec: -->\n"
                                   f"<h1>{escape(str(extra.get('title', '')))}</h1>\n{extra.get('content', '')}"
                                   for i, extra in enumerate(news[1:], start=2))
        read["content_sha256"] = _sha256(read["content"])
    return read


def _as_read(news: Json, images: dict[str, str]) -> dict[str, Any]:
    """A draft's fields as the state names them, uploaded images back as placeholders."""
    content = str(news["content"])
    for key, url in images.items():
        kind, _, sha = key.partition(":")
        if kind == "body" and url:
            content = content.replace(url, placeholder(sha))
    covers = {media_id: key.partition(":")[2] for key, media_id in images.items() if key.startswith("cover:")}
    thumb = str(news.get("thumb_media_id") or "")
    return {"title": str(news["title"]), "author": str(news.get("author") or ""),
            "digest": str(news.get("digest") or ""), "source_url": str(news.get("content_source_url") or ""),
            "comments": str(news.get("need_open_comment") or 0) == "1",
            "cover_sha256": covers.get(thumb, f"media:{thumb}"), "content_sha256": _sha256(content),
            "content": content}


def _mass_status(status: str) -> JobStatus:
    """message/mass/get's msg_status as the job's state (limits.MASS_STATUS): DELETE went out, then was deleted,
    so it is sent; a status oaspec does not know is unclear, never a failure to send again."""
    if status == limits.MASS_SENT_THEN_DELETED:
        return JobStatus("succeeded", f"{status} ({limits.MASS_STATUS[status]})")
    if status in limits.MASS_SENT:
        return JobStatus("succeeded", status)
    if status == "SENDING":
        return JobStatus("pending", status)
    if status == "SEND_FAIL":
        return JobStatus("failed", status)
    return JobStatus("unclear", f"msg_status {status}, which oaspec does not know" if status else "no msg_status")


def _published(entry: SendEntry | None) -> str:
    if entry is None:
        return ""
    to = shown_audience((entry.tag,) if entry.tag else ())
    how = f"broadcast to {to}" if entry.mode == "broadcast" else "published"
    return f"{how} in slot {entry.slot}"


class WeChatPublisher:
    """freepublish and mass send, for `oaspec publish` (content/publishing_api.py Platform)."""

    def __init__(self, owner: WeChatProvider, api: Client, drafts: Callable[[], dict[str, list[Json]]]) -> None:
        self.owner, self.api, self._drafts = owner, api, drafts

    def broadcast(self, draft_id: str, audience: Audience, clientmsgid: str) -> tuple[str, bool]:
        to: Json = {"is_to_all": True} if audience == EVERY_FOLLOWER else {"is_to_all": False, "tag_id": audience}
        body = {"filter": to, "mpnews": {"media_id": draft_id}, "msgtype": "mpnews", "send_ignore_reprint": 0,
                "clientmsgid": clientmsgid}
        # Sending the same clientmsgid again is safe: the platform answers 45065 and the first send's msg_id.
        delays = iter(self.api.retry_delays)
        while True:
            try:
                data = self.api.call("POST", "message/mass/sendall", body, retry=False,
                                     accept=frozenset({limits.ERR_CLIENTMSGID_EXISTS}))
                msg_id = answered(lambda d: str(d["msg_id"]), data)  # without it, unclear: never "not sent"
                break
            except Unclear as exc:
                delay = next(delays, None)
                if delay is None:
                    raise UnclearSend(exc.reason) from None
                log.warning("%s: message/mass/sendall: %s; sending again with the same clientmsgid in %.2gs",
                            self.api.account_id, exc.reason, delay)
                time.sleep(delay)
        return msg_id, int(data.get("errcode") or 0) == limits.ERR_CLIENTMSGID_EXISTS

    def broadcast_status(self, msg_id: str) -> JobStatus:
        data = self.api.call("POST", "message/mass/get", {"msg_id": int(msg_id) if msg_id.isdigit() else msg_id})
        return _mass_status(str(data.get("msg_status") or ""))

    def publish(self, draft_id: str) -> str:
        try:  # not resent here: an unclear submit (unreadable, or errcode 0 without publish_id too) is settled
            data = self.api.call("POST", "freepublish/submit", {"media_id": draft_id}, retry=False)
            return answered(lambda d: str(d["publish_id"]), data)  # against the list of publications first
        except Unclear as exc:
            raise UnclearSend(exc.reason) from None

    def publish_status(self, publish_id: str) -> JobStatus:
        data = self.api.call("POST", "freepublish/get", {"publish_id": publish_id})
        code = self.owner._parsed("freepublish/get", lambda: int(data["publish_status"]))
        if code not in limits.PUBLISH_STATUS:  # neither published nor failed, as far as oaspec can tell
            return JobStatus("unclear", f"publish_status {code}, which oaspec does not know")
        detail = f"{limits.PUBLISH_STATUS[code]} (publish_status {code})"
        if code == 1:
            return JobStatus("pending", detail)
        if code in limits.PUBLISHED_THEN_REMOVED:  # it went out: recorded as sent, never published again
            return JobStatus("succeeded", detail, str(data.get("article_id") or ""))
        if code != 0:
            failed = data.get("fail_idx") or []
            return JobStatus("failed", detail + (f", failed articles {failed}" if failed else ""))
        items = (data.get("article_detail") or {}).get("item") or [{}]
        return JobStatus("succeeded", detail, str(data.get("article_id") or ""), str(items[0].get("article_url") or ""))

    def preview(self, draft_id: str, openid: str) -> None:
        body = {"touser": openid, "mpnews": {"media_id": draft_id}, "msgtype": "mpnews"}
        self.api.call("POST", "message/mass/preview", body)  # retried while unclear: a preview twice is harmless

    def find_publication(self, draft_id: str, exclude: frozenset[str]) -> str | None:
        news = self._drafts().get(draft_id)
        if news is None:
            return None
        for item in pages(self.owner, self.api, "freepublish/batchget"):
            published = (item.get("content") or {}).get("news_item") or [{}]
            if str(item.get("article_id")) not in exclude and _same(published[0], news[0]):
                return str(item["article_id"])
        return None
