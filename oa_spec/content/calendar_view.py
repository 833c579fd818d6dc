"""`oaspec calendar` with the publish record: each slot with the article that fills it and what became of it.

The streams' slots of the coming days (config/cadence.py) are joined with the articles that fill them (the
compiled spec) and the sends `oaspec publish` recorded (content/record.py): a slot shows its article, its
msg_id or publish_id, the platform's status and the job-finish event the gateway received. Earlier slots
are shown too while an article fills them (sent, or due and not sent yet) or a send is recorded for them,
so what was sent stands next to what is due. A slot whose article `oaspec publish` does not send there (the
one decision, kinds/base.py slot_verdict) says so as publish does: already sent in another slot, or refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from oa_spec.config import cadence
from oa_spec.config.cadence import Slot
from oa_spec.config.fields import WEEKDAYS
from oa_spec.config.model import AccountSpec
from oa_spec.content.record import Record, SendEntry
from oa_spec.content.slots import changed_since
from oa_spec.content.spec import resolved
from oa_spec.kinds.base import SlotVerdict, slot_verdict
from oa_spec.kinds.state import Article
from oa_spec.util.audience import audience as shown_audience

Status = Literal["sent", "due", "upcoming", "sending", "submitted", "failed", "unfilled", "already sent", "refused"]


@dataclass(frozen=True)
class Row:
    slot: Slot
    article: str  # the article filling the slot; "" when none does
    status: Status
    send: SendEntry | None = None  # the send recorded for the slot, or for its article in another slot
    why: str = ""  # why `oaspec publish` does not send the article here (slot_verdict), when it does not

    def to_json(self) -> dict[str, object]:
        send = self.send
        return {**self.slot.to_json(), "article": self.article, "status": self.status, "why": self.why,
                "msg_id": send.msg_id if send else "", "publish_id": send.publish_id if send else "",
                "article_id": send.article_id if send else "", "platform_status": send.status if send else "",
                "error": send.error if send else "", "finished_at": send.finished_at if send else "",
                "event": dict(send.event) if send and send.event else None}


@dataclass
class ContentCalendar:
    account: str
    type: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def content_calendar(account: AccountSpec, record: Record, today: datetime.date, days: int) -> ContentCalendar:
    """The account's slots from `today` for `days` days, and the earlier ones an article or a send names."""
    end = today + datetime.timedelta(days=max(days, 1) - 1)
    articles = [c.state for c in resolved(account).articles]
    filled = {f"{a.stream}/{a.date}": a for a in articles if a.stream and a.date}
    uses = record.slot_uses({a.name for a in articles})
    named = {datetime.date.fromisoformat(key.rsplit("/", 1)[1]) for key in [*filled, *record.sends]
             if _is_date(key.rsplit("/", 1)[-1])}
    start = min([cadence.period_start(account.type, today), *named])
    cal = ContentCalendar(account.id, account.type)
    seen: set[str] = set()
    for slot in cadence.account_slots(account, start, end):
        key = f"{slot.stream}/{slot.date.isoformat()}"
        if slot.date >= today or key in filled or key in record.sends:
            seen.add(key)
            article = filled.get(key)
            verdict = slot_verdict(article, key, uses) if article is not None else None
            cal.rows.append(_held(slot, article.name, verdict, record) if article is not None and verdict is not None
                            and verdict.kind in ("taken", "elsewhere") else
                            _row(slot, article, record.sends.get(key), today))
    stray = sorted(set(record.sends) - seen)
    if stray:
        cal.notes.append(f"sends recorded for slots the streams no longer schedule: {', '.join(stray)}")
    return cal


def _held(slot: Slot, article: str, verdict: SlotVerdict, record: Record) -> Row:
    """A slot whose article `oaspec publish` does not send there, as publish reports it: its send is recorded in
    another slot (a date, stream or file changed since), or the slot went out with another article."""
    send = record.sends[verdict.slot]
    if verdict.kind == "taken":
        used = "went out with" if send.done else "holds an attempt, not settled, to send"
        return Row(slot, article, "refused", send, f"the slot {used} {send.article}: give this article a slot "
                   "of its own")
    if send.done:
        return Row(slot, article, "already sent", send, f"in slot {verdict.slot}: an article goes out once")
    return Row(slot, article, "refused", send, f"an attempt to send it in slot {verdict.slot} is not settled: "
               "put it back in that slot and publish settles it")


def _row(slot: Slot, article: Article | None, send: SendEntry | None, today: datetime.date) -> Row:
    if send is not None and send.state == "sending" and article is not None:
        return _unsettled(slot, article, send)
    if send is not None:
        return Row(slot, article.name if article else send.article, "sent" if send.done else send.state, send)
    if article is None:
        return Row(slot, "", "unfilled")
    return Row(slot, article.name, "due" if slot.date <= today else "upcoming")


def _unsettled(slot: Slot, article: Article, send: SendEntry) -> Row:
    """A slot whose attempt has an unknown outcome, as publish settles it: on that attempt, only while the article
    is the version it carried (content/slots.py changed_since; publish.py _settlement)."""
    what = changed_since(send, article)
    if not what:
        return Row(slot, article.name, "sending", send)
    if send.mode == "broadcast":
        return Row(slot, article.name, "refused", send, f"the article changed since an attempt of unknown outcome "
                   f"({what}): publish refuses it until the broadcast history (群发记录) is checked")
    return Row(slot, article.name, "sending", send, f"the article changed since this attempt of unknown outcome "
               f"({what}): publish records it if found among the publications (发表记录), and does not publish "
               "it again")


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def render(calendars: list[ContentCalendar]) -> list[str]:
    """Plain text lines: one per slot, then what was sent (job ids, status, the job-finish event)."""
    lines: list[str] = []
    for cal in calendars:
        period_name, allowed = cadence.QUOTAS[cal.type]
        lines.append(f"{cal.account} ({cal.type}: {allowed} broadcast(s) per {period_name})")
        if not cal.rows:
            lines.append("  (no slots)")
        for row in cal.rows:
            lines += _lines(row)
        lines += [f"  note: {n}" for n in cal.notes]
    return lines


def _lines(row: Row) -> list[str]:
    s = row.slot
    audience = shown_audience(s.audience)
    kind = "broadcast" if s.broadcast else "publish"
    mark = "  !! over quota" if s.over_quota else ""
    holiday = f" [{s.holiday}]" if s.holiday else ""
    head = (f"  {s.date.isoformat()} {WEEKDAYS[s.date.weekday()]}{holiday}  {s.stream} ({s.title})  "
            f"→ {audience}  {kind}{mark}  {row.article or '(no article)'}: {row.status}"
            + (f" ({row.why})" if row.why else ""))
    send = row.send
    if send is None:
        return [head]
    job = [f"msg_id {send.msg_id}" if send.msg_id else "", f"publish_id {send.publish_id}" if send.publish_id else "",
           f"article_id {send.article_id}" if send.article_id else "", send.status,
           f"error: {send.error}" if send.error else "", f"at {send.finished_at}" if send.finished_at else ""]
    out = [head, "      " + "; ".join(filter(None, job))]
    if send.event:
        out.append("      job-finish event: " + describe_event(send.event))
    return out


def describe_event(event: Mapping[str, str]) -> str:
    """MASSSENDJOBFINISH: its status and counts; PUBLISHJOBFINISH: its publish_status and article."""
    name = event.get("Event", "?")
    at = _at(event.get("CreateTime", ""))
    if name == "MASSSENDJOBFINISH":
        counts = ", ".join(f"{label} {event[k]}" for k, label in (("TotalCount", "total"), ("FilterCount", "filtered"),
                                                                 ("SentCount", "sent"), ("ErrorCount", "errors"))
                           if k in event)
        return f"{name} {event.get('Status', '')} ({counts}){at}"
    info = {k.split(".", 1)[1]: v for k, v in event.items() if k.startswith("PublishEventInfo.")}
    status = info.get("publish_status", "")
    article = f", article_id {info['article_id']}" if info.get("article_id") else ""
    return f"{name} publish_status {status}{article}{at}"


def _at(created: str) -> str:
    """The event's CreateTime as a UTC time, or nothing when it is not one: the record keeps what a signed
    callback sent, and a time beyond the platform's range (or ² or ١, digits to str.isdigit) is no time."""
    if not (created.isascii() and created.isdigit()):
        return ""
    try:
        return " at " + datetime.datetime.fromtimestamp(int(created), datetime.UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""
