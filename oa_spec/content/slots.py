"""A stream's slots (stream, date) and what a publish run did with each: the values publish, its dry run
and the calendar share."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from oa_spec.content.record import Mode, Record, SendEntry
from oa_spec.kinds.base import SlotVerdict, send_tag, version_changes
from oa_spec.kinds.state import AccountState, Article, article_sha256
from oa_spec.util import clock
from oa_spec.util.audience import audience as shown_audience

if TYPE_CHECKING:
    from oa_spec.config.compile import CompiledAccount

Result = Literal["would send", "sent", "already sent", "upcoming", "refused", "failed", "unclear", "pending"]
FINAL_OK: frozenset[Result] = frozenset({"would send", "sent", "already sent", "upcoming"})


@dataclass(frozen=True)
class Due:
    slot: str  # stream/YYYY-MM-DD
    day: datetime.date
    article: Article  # as the spec compiles it
    mode: Mode
    reviewers: tuple[str, ...] = field(default=(), repr=False)  # OpenIDs to preview to first: never shown

    @property
    def tag(self) -> str:
        """The tag a broadcast goes to; "" for every follower (validate allows at most one)."""
        return send_tag(self.article)

    def describe(self) -> str:
        to = shown_audience((self.tag,) if self.tag else ())
        how = f"broadcast to {to}" if self.mode == "broadcast" else "publication"
        return f"{self.slot} {self.article.name} ({how})"


@dataclass(frozen=True)
class Outcome:
    account: str
    due: Due
    result: Result
    detail: str = ""
    earlier: bool = False  # sent: by an earlier run that could not record it, recorded by this one

    @property
    def ok(self) -> bool:
        return self.result in FINAL_OK

    def line(self) -> str:
        return f"{self.account}: {self.due.describe()}: {self.result}" + (f": {self.detail}" if self.detail else "")


def clientmsgid(account: str, article: str, slot: str, failed: SendEntry | None = None) -> str:
    """The same for every attempt at one slot's article (at most 64 characters, as the platform takes), but the next
    (`-2`, `-3`...) after an attempt the platform took whose job then failed: for 24 hours it answers that id with the
    failed send, so the slot could not be sent again that day."""
    base = "oaspec-" + hashlib.sha256(f"{account}\x00{article}\x00{slot}".encode()).hexdigest()[:40]
    if failed is None or failed.state != "failed" or not failed.msg_id or not failed.clientmsgid.startswith(base):
        return base
    attempt = failed.clientmsgid.removeprefix(base).removeprefix("-")
    return f"{base}-{int(attempt) + 1 if attempt.isdigit() else 2}"


def slots(compiled: CompiledAccount) -> list[Due]:
    """Every article's slot, by date and then the spec's order of streams."""
    order = {s.id: i for i, s in enumerate(compiled.spec.content.streams)}
    out = [Due(f"{a.stream}/{a.date}", datetime.date.fromisoformat(a.date), a,
               "broadcast" if a.broadcast else "publish", reviewers(compiled, a.stream))
           for a in compiled.desired.articles if a.stream and a.date]
    return sorted(out, key=lambda d: (d.day, order.get(d.article.stream, 0), d.article.name))


def reviewers(compiled: CompiledAccount, stream_id: str) -> tuple[str, ...]:
    """The OpenIDs a stream's sends are previewed to first: its own `preview:`, else the account's."""
    content = compiled.spec.content
    stream = next((s for s in content.streams if s.id == stream_id), None)
    chosen = stream.preview if stream is not None and stream.preview is not None else content.preview
    return tuple(chosen.reviewers) if chosen is not None else ()


def version(article: Article) -> str:
    """The sha256 of the article as followers see it, as applied: every field the draft check compares (kinds/
    state.py Article: title, author, digest, cover, 阅读原文 link, comments switch, body, and the slot it fills).
    A preview is of one version: a change to any of these is a new one, which the reviewers have not seen."""
    return article_sha256(article)


def previewed(due: Due) -> dict[str, Any]:
    """What the content record keeps of a slot's preview: the version shown, and to how many reviewers (never
    which: OpenIDs are personal data)."""
    return {"version": version(due.article), "content_sha256": due.article.content_sha256,
            "reviewers": len(due.reviewers), "at": clock.real_timestamp()}


def to_preview(due: Due, record: Record) -> int:
    """How many reviewers the slot still needs to preview to: none once this version was previewed (a preview
    recorded before versions were, by its body alone, is made again)."""
    done = record.previews.get(due.slot, {})
    return 0 if done.get("version") == version(due.article) else len(due.reviewers)


def changed_since(entry: SendEntry, article: Article) -> str:
    """What differs in `article` from the version `entry`, an attempt at its slot, journalled ("" when nothing does)."""
    return version_changes(article, entry.shown_sha256, entry.content_sha256, entry.tag, entry.mode)


def changed_broadcast(entry: SendEntry, what: str, where: str) -> str:
    """Why a broadcast attempt of unknown outcome is not settled once its article changed (`what`): refused, for a
    person to look (attack review 70, F2). It is settled by sending its clientmsgid again, which the platform
    answers with the attempt if that went out: with the earlier version (or audience), so this version would be
    recorded as sent when followers got the other. Previewing this version and sending anyway would either show
    the reviewers one that never goes out, or send it while an earlier one may be out already; and an edit made
    after an attempt is often the correction of what that attempt carried, which a person then has to know went
    out. The publication path refuses a changed article the same way."""
    return (f"an attempt at {entry.journalled_at} has an unknown outcome, and the article changed since ({what}): "
            "sending its clientmsgid again would record this version as sent while the platform answers with that "
            "attempt, if it went out with the earlier one: check the account's broadcast history (群发记录); if it "
            "went out, put the article back as it was then and apply it, and the next run records it; if it was not "
            f"sent, remove sends[{entry.slot!r}] from {where} and run again (this version is previewed first)")


def may_have_gone(entry: SendEntry | None) -> bool:
    """Whether a slot's send may have reached the platform, and so used its quota: not when none was journalled
    (refused before, or its preview refused) or its call was answered with an error (failed, with no job id)."""
    return entry is not None and (entry.state != "failed" or bool(entry.msg_id or entry.publish_id))


def today() -> datetime.date:
    return clock.now().astimezone(clock.BEIJING).date()


def refusal(account: str, due: Due) -> Callable[[str], Outcome]:
    """A refusal of the slot, given why."""
    return lambda why: Outcome(account, due, "refused", why)


def said_before(account: str, due: Due, verdict: SlotVerdict, record: Record, trail_sent: dict[str, str],
                where: str) -> Outcome | None:
    """Why the slot is not sent now by what is known of its sends: the content record (record_says), or, for a slot
    the record does not know, the audit trail recording it as sent (restored from an older backup, or edited, the
    record forgot it; the trail is chained: attack review 78 F6). None: nothing keeps it."""
    if verdict.kind in ("taken", "sent", "elsewhere"):
        return record_says(account, due, verdict.kind, record.sends[verdict.slot])
    if due.slot in record.sends or due.slot not in trail_sent:
        return None
    return refusal(account, due)(
        f"the audit trail records this slot as sent at {trail_sent[due.slot]}, but the content record ({where}) holds "
        "no send of it (restored from an older backup, or edited?): nothing was sent again. Restore the record "
        "that knows the send (the account's publications, 发表记录, and broadcasts, 群发记录, show it); an article "
        "goes out once: to send it again, give it a slot of its own")


def record_says(account: str, due: Due, verdict: str, entry: SendEntry) -> Outcome:
    """Why the content record keeps an article from its slot (slot_verdict): `entry` is the send it names."""
    if verdict == "sent":
        return Outcome(account, due, "already sent", sent_text(entry))
    refuse = refusal(account, due)
    if verdict == "taken":  # the record speaks for the article it names
        if entry.done:
            return refuse(f"the slot went out with {entry.article} ({sent_text(entry)}): this article is not sent "
                          "in it; give it a date of its own")
        return refuse(f"an attempt to send {entry.article} in this slot is not settled ({entry.state}): put that "
                      "article back in the slot and run publish to settle it")
    if entry.done:  # elsewhere: its date or stream changed since, or its file was renamed
        return Outcome(account, due, "already sent", f"in slot {entry.slot} ({sent_text(entry)}); an article "
                       "goes out once: to send it again, add it as a new article")
    return refuse(f"an attempt to send it in slot {entry.slot} is not settled ({entry.state}): put the article "
                  "back in that slot and run publish to settle it")


def sent_text(entry: SendEntry) -> str:
    job = f"msg_id {entry.msg_id}" if entry.mode == "broadcast" else f"publish_id {entry.publish_id}"
    if entry.article_id:
        job += f", article_id {entry.article_id}"
    return f"{job}, recorded {entry.finished_at}" + (f" ({entry.status})" if entry.status else "")


def draft_id_of(due: Due, live: AccountState) -> str:
    """The draft of the slot's article (publish.py's `_slot_problem` found it to be the reviewed version)."""
    draft_id = next(a.draft_id for a in live.articles if a.name == due.article.name)
    assert draft_id is not None
    return draft_id
