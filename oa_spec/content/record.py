"""What oaspec keeps of an account's content that the platform cannot tell it: which draft is which article,
which images are uploaded (by content hash), and every send `oaspec publish` made. The one module that
reads and writes it. The state keeps it (State.content): with the files state, the ContentRecord below;
with PostgreSQL, backend/pg_content.py, so publishing is exactly once across CI runners too.

In the files state it is kept at STATE_DIR/content/ACCOUNT.json, written whole and atomically
(util/fileio.py: 0600, fsynced).
Writers take ACCOUNT.lock with flock(2) for a read-modify-write; readers need no lock. `oaspec publish`
also holds ACCOUNT.publish.lock for its whole run, so two runs at once send one after the other and the
second finds the slots sent. flock locks die with their process: a killed run never leaves one behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from oa_spec.content.publish_lock import POLL_SECONDS, holding_publish
from oa_spec.errors import OaspecError
from oa_spec.history import checked_account_id, stored_json
from oa_spec.history.lock import LockedError
from oa_spec.kinds.base import SlotUse
from oa_spec.util.fileio import flocked, write_json_atomic

SCHEMA_VERSION = 1
LOCK_WAIT_VARIABLE = "OASPEC_PUBLISH_LOCK_WAIT"  # seconds a publish waits for another one on the same account
DEFAULT_LOCK_WAIT = 600.0
EDIT_LOCK_WAIT = 60.0  # a read-modify-write holds the lock for milliseconds
MAX_WAITING_EVENTS = 200  # job-finish events kept for sends that have not recorded their id yet
SendState = Literal["sending", "submitted", "sent", "failed"]
Mode = Literal["broadcast", "publish"]


@dataclass
class DraftEntry:
    """A draft oaspec made. Its compared fields (title, ..., content_sha256: kinds/state.py Article) as sent,
    and as the platform stored them (read back at once, images as placeholders): a field the platform still
    holds as stored is what was sent, even where the platform rewrote it."""

    draft_id: str  # the platform's media_id
    sent: dict[str, Any]
    stored: dict[str, Any]
    slot: dict[str, Any] = field(default_factory=dict)  # stream, date, audience, broadcast as last applied


@dataclass
class PendingDraft:
    """A draft/add journalled before it is sent: a run killed before it recorded the draft leaves this, and
    the next run (under the account's lock) records the draft the call made, so history names its maker."""

    title: str
    content_sha256: str  # of the HTML sent
    sent: dict[str, Any]  # as DraftEntry's
    slot: dict[str, Any] = field(default_factory=dict)


@dataclass
class SendEntry:
    """One slot's send. `sending` is journalled (fsynced) before the call: a run that finds it does not know
    whether the call landed, and settles it (clientmsgid, or the list of publications) before sending."""

    slot: str  # stream/YYYY-MM-DD
    article: str
    mode: Mode
    content_sha256: str  # the article's version that went out: its body
    clientmsgid: str
    state: SendState
    journalled_at: str  # the machine's clock
    tag: str = ""  # the audience tag a broadcast went to ("" for every follower, or a publication)
    msg_id: str = ""
    publish_id: str = ""
    article_id: str = ""  # a publication's article_id, once it succeeded
    status: str = ""  # the platform's last word on the job
    error: str = ""
    finished_at: str = ""
    period: str = ""  # the quota period (Beijing day or month) the broadcast counted against
    failures: list[str] = field(default_factory=list)  # earlier attempts that failed
    shown_sha256: str = ""  # all followers see of the article (kinds/base.py): a renamed file is it only if equal
    event: dict[str, Any] | None = None  # the job-finish event, when the gateway received it

    @property
    def done(self) -> bool:
        return self.state == "sent"


@dataclass
class Record:
    images: dict[str, str] = field(default_factory=dict)  # "body:<sha256>" -> URL, "cover:<sha256>" -> media_id
    drafts: dict[str, DraftEntry] = field(default_factory=dict)  # article name -> its draft
    sends: dict[str, SendEntry] = field(default_factory=dict)  # slot -> its send
    # Job-finish events that arrived before their send recorded its msg_id/publish_id (the platform may
    # finish a job before `publish` has saved the answer): "msg_id:ID" / "publish_id:ID" -> the event.
    events: dict[str, dict[str, str]] = field(default_factory=dict)
    # Previews sent before a slot's send (message/mass/preview): slot -> {"version" (content/slots.py version:
    # what followers see), "content_sha256", "reviewers" (how many, never which: OpenIDs are personal data),
    # "at"}; a slot is previewed once per version of its article.
    previews: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: dict[str, PendingDraft] = field(default_factory=dict)  # article name -> its draft/add in flight
    # Cover uploads (permanent material) journalled before they are sent and kept while their outcome is unknown:
    # "cover:<sha256>" -> {"file": the name it was uploaded as, "at", "reason": why unclear ("" if never answered)}.
    # Uploaded again only when a person says so (providers/wechat_uploads.py).
    uploads: dict[str, dict[str, str]] = field(default_factory=dict)
    live_account: str = ""  # the account it is kept for, as plans name it ("" in a record from before review 72)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **asdict(self)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Record:
        return Record(images={str(k): str(v) for k, v in data.get("images", {}).items()},
                      drafts={k: DraftEntry(**v) for k, v in data.get("drafts", {}).items()},
                      sends={k: SendEntry(**v) for k, v in data.get("sends", {}).items()},
                      events={str(k): dict(v) for k, v in data.get("events", {}).items()},
                      previews={str(k): dict(v) for k, v in data.get("previews", {}).items()},
                      pending={k: PendingDraft(**v) for k, v in data.get("pending", {}).items()},
                      uploads={str(k): {str(f): str(x) for f, x in dict(v).items()}
                               for k, v in data.get("uploads", {}).items()},
                      live_account=str(data.get("live_account", "")))

    def slot_uses(self, declared: Collection[str]) -> dict[str, SlotUse]:
        """The slots a send is recorded for (sent, or not settled; a failed one may be used again). `declared`:
        the names of the articles the spec declares (a send of one of them is never taken for another's)."""
        return {slot: SlotUse(e.article, e.content_sha256, e.done, e.tag, e.article in declared, e.shown_sha256,
                               e.mode)
                for slot, e in self.sends.items() if e.state != "failed"}

    def put_send(self, entry: SendEntry) -> None:
        """Record a send, keeping the job-finish event the gateway may have recorded meanwhile (or adopting
        one that arrived before the send's msg_id/publish_id was known)."""
        if entry.event is None:
            old = self.sends.get(entry.slot)
            entry.event = old.event if old is not None and old.event is not None else None
        for key in job_keys(entry.msg_id, entry.publish_id):
            waiting = self.events.pop(key, None)
            if entry.event is None and waiting is not None:
                entry.event = waiting
        self.sends[entry.slot] = entry

    def note_event(self, event: dict[str, str]) -> str | None:
        """Keep a job-finish event with the send it finishes (by MsgID or publish_id): that send's slot; else
        kept aside (at most MAX_WAITING_EVENTS) for the send that has not recorded its id yet, and None."""
        keys = job_keys(event.get("MsgID", ""), event.get("PublishEventInfo.publish_id", ""))
        for slot, entry in self.sends.items():
            if set(keys) & set(job_keys(entry.msg_id, entry.publish_id)):
                entry.event = event
                return slot
        for key in keys:
            self.events[key] = event
        while len(self.events) > MAX_WAITING_EVENTS:
            self.events.pop(next(iter(self.events)))
        return None

    def sent_by_article(self) -> dict[str, SendEntry]:
        """The sends that went out, by article (the latest slot of each)."""
        return {entry.article: entry for entry in sorted(self.sends.values(), key=lambda e: e.slot) if entry.done}


def parse_record(data: object, where: str) -> Record:
    """The record from its JSON; an OaspecError naming `where` when it is not one oaspec can trust."""
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise OaspecError(f"{where}: not a content record of schema {SCHEMA_VERSION}")
    try:
        return Record.from_json(data)
    except (TypeError, AttributeError) as exc:
        raise OaspecError(f"{where}: the content record is damaged ({exc}); restore it from a backup") from None


class ContentStore(Protocol):
    """Where an account's content record is kept (State.content): read it, change it atomically, and hold
    the account's publishing for a whole `oaspec publish` run."""

    account: str
    where: str  # where the record is, safe to print (a file, or the database and account)

    def load(self) -> Record: ...
    def edit(self) -> AbstractContextManager[Record]: ...
    def others_drafts(self) -> dict[str, str]:
        """The drafts the other accounts' content records in this state name: draft_id -> that account."""
    def publishing(self) -> AbstractContextManager[Callable[[], None]]:
        """Held for the whole run; yields the check that the hold is still this run's (raises when a lease
        was taken over: a run paused past it must not send or record anything more)."""


class ContentRecord:
    """The content record in the files state."""

    def __init__(self, state_dir: Path, account: str) -> None:
        self.account = checked_account_id(account)
        self.state_dir, self.directory = state_dir, state_dir / "content"
        self.path = self.directory / f"{account}.json"
        self.where = str(self.path)

    def load(self) -> Record:
        try:
            data = stored_json.parse(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Record()
        except OSError as exc:
            raise OaspecError(f"{self.path}: cannot read the content record ({exc.strerror}); check the state "
                              "directory's permissions") from None
        except ValueError as exc:
            raise OaspecError(f"{self.path}: the content record is corrupt ({exc}); restore it from a backup: "
                              "without it oaspec cannot tell which drafts it made or which slots it sent") from None
        return parse_record(data, str(self.path))

    def others_drafts(self) -> dict[str, str]:
        return {entry.draft_id: other.account for path in sorted(self.directory.glob("*.json")) if path != self.path
                for other in (ContentRecord(self.state_dir, path.stem),) for entry in other.load().drafts.values()}

    @contextmanager
    def edit(self) -> Iterator[Record]:
        """The record to change; saved (atomically) when the block ends without an exception."""
        with self._flock(self.directory / f"{self.account}.lock", EDIT_LOCK_WAIT, "update the content record"):
            record = self.load()
            yield record
            write_json_atomic(self.path, record.to_json())

    @contextmanager
    def publishing(self) -> Iterator[Callable[[], None]]:
        """Held for a whole `oaspec publish` run on the account (content/publish_lock.py): a second run, and an
        apply or rollback of the account, wait for it. An flock is the kernel's for as long as the process
        lives: nothing can take it over, so there is nothing to check."""
        with holding_publish(self.state_dir, self.account, "publish", lock_wait(), LOCK_WAIT_VARIABLE,
                             "nothing was sent"):
            yield lambda: None

    def _flock(self, path: Path, wait: float, what: str) -> AbstractContextManager[None]:
        return flocked(path, wait, POLL_SECONDS, lambda: LockedError(
            f"{self.account}: another oaspec run has held {path.name} for over {wait:g}s, so this one cannot {what}; "
            "nothing was changed: run again"))


def lock_wait() -> float:
    """How long a publish waits for another one on the same account (OASPEC_PUBLISH_LOCK_WAIT)."""
    text = os.environ.get(LOCK_WAIT_VARIABLE, "")
    try:
        return float(text) if text else DEFAULT_LOCK_WAIT
    except ValueError:
        raise OaspecError(f"{LOCK_WAIT_VARIABLE}={text!r} is not a number of seconds") from None


def job_keys(msg_id: str, publish_id: str) -> list[str]:
    return [key for key in (f"msg_id:{msg_id}" if msg_id else "", f"publish_id:{publish_id}" if publish_id else "")
            if key]


def job_event(fields: Mapping[str, str]) -> dict[str, str]:
    """What is kept of a job-finish event as the gateway parsed it (nested blocks flattened as
    `PublishEventInfo.publish_id`): its own fields, without the account's and the sender's ids."""
    return {k: str(v) for k, v in fields.items() if k not in ("ToUserName", "FromUserName", "Encrypt")}


def note_job_finish(store: ContentStore, fields: Mapping[str, str]) -> str | None:
    """Keep a job-finish event (MASSSENDJOBFINISH's MsgID, PUBLISHJOBFINISH's publish_id) with the send it
    finishes; the slot it was kept with, or None when no send records that id yet. For the gateway."""
    with store.edit() as record:
        return record.note_event(job_event(fields))
