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

from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, ImportContext, Kind, before_after
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Article
from oa_spec.util import clock

BODY_DIFF_LINES = 40  # lines of the body's text diff shown under an update; the rest is counted
_FIELDS = (("title", "title"), ("author", "author"), ("digest", "digest"), ("source_url", "阅读原文"),
           ("cover_sha256", "cover sha256"))


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
                changes.append(Change("create", "article", want.name, address, None, want))
            elif old != want:
                changes.append(_update(address, old, want))
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
        before, after = change.before, change.after
        lines: list[str] = []
        if isinstance(before, Article) and isinstance(after, Article):
            for field, label in _FIELDS:
                old, new = getattr(before, field), getattr(after, field)
                if old != new:
                    lines += before_after(label, old, new)
            if before.comments != after.comments:
                lines += before_after("comments", _on(before.comments), _on(after.comments))
            lines += _body_lines(before.content, after.content)
        else:
            article = change.resource
            assert isinstance(article, Article)
            lines.append(f"  title: {article.title}")
        if isinstance(after, Article):
            published = before.published if isinstance(before, Article) else ""
            if isinstance(before, Article) and before.slot() != after.slot():  # who and when it goes out to
                lines += before_after("slot", slot_text(before, published), slot_text(after, published))
            else:
                lines.append(f"  slot: {slot_text(after, published)}")
        return lines

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        if live.articles:
            context.notes.append(f"{len(live.articles)} article draft(s) are not written back: articles are "
                                 "Markdown files named by content.articles globs")
        return {}


def _update(address: str, old: Article, want: Article) -> Change:
    if old.draft_id is None:  # published, and the platform no longer holds its draft
        return Change("update", "article", want.name, address, old, want, writable=False,
                      reason=f"already published ({old.published}) and no longer in the draft box: the platform "
                      "cannot edit a published article; publish a corrected article in a new slot")
    reason = (f"already published ({old.published}): the draft is updated in place; what followers received "
              "does not change") if old.published else ""
    return Change("update", "article", want.name, address, old, want, reason=reason)


def slot_text(article: Article, published: str = "") -> str:
    """The slot an article fills, as a plan shows it: stream, date, audience, how it goes out, and whether
    `oaspec publish --due` would send it now (the decision clock: OASPEC_NOW when set)."""
    if not article.stream or not article.date:
        return "none (a draft only: oaspec publish never sends it)"
    audience = ", ".join(article.audience) or "全部粉丝"
    how = f"broadcast to {audience} (群发)" if article.broadcast else f"publication for {audience} (发布, no push)"
    today = clock.now().astimezone(clock.BEIJING).date().isoformat()
    due = "; due: `oaspec publish --due` sends it once this is applied" if article.date <= today and not published \
        else ""
    return f"{article.stream} {article.date}, {how}{due}"


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _body_lines(old: str, new: str) -> list[str]:
    from oa_spec.content.diff import body_diff  # lazy: only plans with a changed body need it

    diff = body_diff(old, new)
    if not diff:
        return []
    lines = diff.split("\n")
    shown = [f"  {line}" for line in lines[:BODY_DIFF_LINES]]
    if len(lines) > BODY_DIFF_LINES:
        shown.append(f"  ... {len(lines) - BODY_DIFF_LINES} more line(s) of the body's diff")
    return ["  body:", *shown]


ARTICLE = ArticleKind()
