"""Articles (图文草稿): Markdown files in the repository, drafts in the account's draft box.

Paired by name (the file's path under its glob's folder: young/deposit-insurance). A new article is a
draft/add, a changed one a draft/update of the same draft (never a second draft for one article), one
removed from the repository a draft/delete, which the destroy guard counts. Publishing and broadcasting
are not changes: `oaspec publish` sends a slot when it is due, from the draft apply wrote. The slot itself
(stream, date, audience, broadcast or not) is part of the article as applied: changing who it goes to, or
when, is an update the plan shows, and publish sends only the slot that was applied.

A draft whose article already went out is still updated in place (what followers received does not
change); when the platform no longer holds the draft, the difference is shown and not written, since
the platform cannot edit a published article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import (
    DiffContext,
    ImportContext,
    Kind,
    Shown,
    SlotUse,
    before_after,
    differing_lines,
    slot_verdict,
    version_changes,
)
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Article
from oa_spec.util import clock
from oa_spec.util.audience import audience as shown_audience

# What a reviewer reads of the draft, by label; an empty field is not shown ("" reads as nothing).
_SHOWN: Shown = (("title", lambda a: a.title or None), ("author", lambda a: a.author or None),
                 ("digest", lambda a: a.digest or None), ("阅读原文", lambda a: a.source_url or None),
                 ("cover sha256", lambda a: a.cover_sha256 or None), ("comments", lambda a: _on(a.comments)))


class ArticleKind(Kind):
    name = "article"
    label = "article"
    state_type = Article
    # After every other kind: nothing on the account depends on a draft.
    ranks: ClassVar[Mapping[Action, int]] = {"delete": 20, "create": 21, "update": 21}

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        have = {a.name: a for a in live.articles}
        changes: list[Change] = []
        for want in desired.articles:
            old = have.get(want.name)
            address = build(account, "article", want.name)
            if old is None:
                changes.append(Change("create", "article", want.name, address, None, want,
                                      reason=_slot_used(want, context.slots_used)))
            elif old != want:
                changes.append(_update(address, old, want, context.slots_used))
        wanted = {a.name for a in desired.articles}
        for old in live.articles:
            if old.name not in wanted and old.draft_id is not None:
                reason = f"already published ({old.published}); the publication stays" if old.published else ""
                changes.append(Change("delete", "article", old.name, build(account, "article", old.name), old, None,
                                      reason=reason))
        return changes

    def felt(self, change: Change) -> str | None:
        if change.action == "delete":
            return "its draft is deleted from the account's draft box (草稿箱)"
        return None

    def live_count(self, state: AccountState) -> int:
        return len(state.articles)

    def identity(self, change: Change) -> str:
        """Ownership keeps this beside the singletons: prefixed, so an article called `menu` is not the menu.
        Which drafts are oaspec's is known from the content record, not from ownership."""
        return f"article:{change.key}"

    def details(self, change: Change) -> list[str]:
        """Every field that differs, and the whole text diff of the body: a new article against nothing (each
        field, each line with its links, images and hidden text), a deleted one to nothing; then the slot."""
        before, after = _article(change.before), _article(change.after)
        lines = differing_lines(before, after, _SHOWN) + _body_lines(before, after)
        # a change with a reason (already published, its slot used by another article) is not simply due
        return lines + (_slot_lines(before, after, due=not change.reason) if after is not None else [])

    def beside(self, change: Change, changes: Sequence[Change]) -> list[str]:
        """A create and a delete in one plan with the same title (or 阅读原文) read as a file renamed, so the
        create is compared with the draft it replaces: an edit made with the rename is shown as one."""
        found = _namesake(change, changes)
        if found is None:
            return []
        other, same = found
        if change.action == "delete":
            compared = _namesake(other, changes)  # a create is compared with one delete: say so only beside that one
            if compared is None or compared[0] is not change:
                return []
            return [f"  (article {other.key}, which this plan creates, has the same {same}: it is compared with this "
                    "one there)"]
        old, new = _article(other.before), _article(change.after)
        assert old is not None and new is not None
        labels = (f"live {old.name}", f"repository {new.name}")
        lines = differing_lines(old, new, _SHOWN) + _body_lines(old, new, labels)
        if old.slot() != new.slot():
            # the deleted one goes nowhere; the created one is due unless the change says otherwise
            lines += before_after("slot", slot_text(old, old.published, due=False),
                                  slot_text(new, due=not change.reason))
        head = f"  compared with article {old.name}, which this plan deletes (the same {same})"
        return [f"{head}:", *(f"  {line}" for line in lines)] if lines else [f"{head}: no difference"]

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        if live.articles:
            context.notes.append(f"{len(live.articles)} article draft(s) are not written back: articles are "
                                 "Markdown files named by content.articles globs")
        return {}


def _update(address: str, old: Article, want: Article, slots_used: Mapping[str, SlotUse]) -> Change:
    if old.draft_id is None:  # published, and the platform no longer holds its draft
        return Change("update", "article", want.name, address, old, want, writable=False,
                      reason=f"already published ({old.published}) and no longer in the draft box: the platform "
                      "cannot edit a published article; publish a corrected article in a new slot")
    reason = (f"already published ({old.published}): the draft is updated in place; what followers received "
              "does not change") if old.published else _slot_used(want, slots_used)
    return Change("update", "article", want.name, address, old, want, reason=reason)


def _slot_used(article: Article, slots_used: Mapping[str, SlotUse]) -> str:
    """What `oaspec publish` will do with this article that a plain "due" would not say (slot_verdict, the decision
    publish acts on): its slot used by another article, its text gone out already, or an attempt not settled; ""
    when the slot is simply its own."""
    if not (article.stream and article.date):
        return ""
    verdict = slot_verdict(article, f"{article.stream}/{article.date}", slots_used)
    slot, use = verdict.slot, verdict.use
    if verdict.kind == "taken" and use is not None:
        used = "went out with" if use.sent else "holds an attempt, not settled, to send"
        return (f"slot {slot} {used} article {use.article}: `oaspec publish` refuses this article there; give it a "
                "slot of its own")
    if verdict.kind == "sent" and use is not None:
        as_other = "" if use.article == article.name else f" as article {use.article}"
        return (f"slot {slot} already went out{as_other}: `oaspec publish` does not send it again (a corrected text "
                "goes out as a new article in a slot of its own)")
    if verdict.kind == "elsewhere" and use is not None:
        if use.sent:
            return (f"already went out in slot {slot}: `oaspec publish` does not send it again (to send it again, "
                    "add it as a new article)")
        return (f"an attempt to send it in slot {slot} is not settled: `oaspec publish` refuses it here; put it back "
                "in that slot and publish settles it")
    changed = (version_changes(article, use.shown_sha256, use.content_sha256, use.tag, use.mode)
               if verdict.kind == "unsettled" and use is not None and use.mode else "")
    if changed:  # publish refuses it (content/slots.py changed_broadcast): the attempt may have gone out as it was
        return (f"an attempt to send an earlier version of it in slot {slot} has an unknown outcome ({changed} "
                "changed since): `oaspec publish` refuses it until a person checks the account's broadcast history "
                "(群发记录) or publications: put the article back as it was if it went out, or remove the attempt "
                "from the content record if it did not")
    return ""


def slot_text(article: Article, published: str = "", due: bool = True) -> str:
    """The slot an article fills, as a plan shows it: stream, date, audience, how it goes out, and whether
    `oaspec publish --due` would send it now (the decision clock: OASPEC_NOW when set; never when `due` is False
    or it was published)."""
    if not article.stream or not article.date:
        return "none (a draft only: oaspec publish never sends it)"
    audience = shown_audience(article.audience)
    how = f"broadcast to {audience} (群发)" if article.broadcast else f"publication for {audience} (发布, no push)"
    today = clock.now().astimezone(clock.BEIJING).date().isoformat()
    now = "; due: `oaspec publish --due` sends it once this is applied" if article.date <= today and not published \
        and due else ""
    return f"{article.stream} {article.date}, {how}{now}"


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _article(resource: object) -> Article | None:
    return resource if isinstance(resource, Article) else None


def _body_lines(old: Article | None, new: Article | None, labels: tuple[str, str] | None = None) -> list[str]:
    """The whole diff of what readers see, never cut: a changed link, image or hidden text can be on any line."""
    from oa_spec.content.diff import body_diff  # lazy: only plans with an article need it

    labels = labels or ("live" if old else "(no draft)", "repository" if new else "(deleted)")
    diff = body_diff(old.content if old else "", new.content if new else "", *labels)
    return ["  body:", *(f"  {line}" for line in diff.split("\n"))] if diff else []


def _slot_lines(before: Article | None, after: Article, due: bool) -> list[str]:
    """Who and when it goes out to: before and after when that changes, else the slot."""
    published = before.published if before else ""
    if before is not None and before.slot() != after.slot():
        # "due … once this is applied" is said of the slot it will have, never of the one it leaves
        return before_after("slot", slot_text(before, published, due=False), slot_text(after, published, due))
    return [f"  slot: {slot_text(after, published, due)}"]


def _namesake(change: Change, changes: Sequence[Change]) -> tuple[Change, str] | None:
    """The article this plan deletes (for a create) or creates (for a delete) with the same title, else the same
    阅读原文 link, and which of the two it shares."""
    opposite = {"create": "delete", "delete": "create"}.get(change.action)
    mine = _article(change.resource)
    others = [(c, a) for c in changes if c.kind == "article" and c.action == opposite
              and (a := _article(c.resource)) is not None]
    for same, value in (("title", _title), ("阅读原文", _source)):
        found = next((c for c, a in others if mine and value(mine) and value(a) == value(mine)), None)
        if found is not None:
            return found, same
    return None


def _title(article: Article) -> str:
    return article.title


def _source(article: Article) -> str:
    return article.source_url


ARTICLE = ArticleKind()
