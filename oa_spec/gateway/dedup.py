"""Idempotency records: one per platform message, so a retry gets the first attempt's reply.

The platform retries after 5 s, 3 attempts in all, and a retry may arrive while the first attempt still
runs. The first caller owns the record and computes; later callers wait for its result. Records live at
least `ttl_s` (default 30 s, past the ~15 s retry window). `MemoryIdempotency` serves the threads of one
process; `FileIdempotency` the workers of one machine, across restarts; a state-backend implementation of
`Idempotency` serves replicas.

The same stores remember each request's nonce with a digest of its body (`remember`), for REMEMBERED_S: a
request must be recognised as a repeat (or a forgery: the same nonce with another body) by whichever worker or
replica it reaches, for as long as its timestamp is accepted.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from oa_spec.util.fileio import make_private_dirs, probe_room

MIN_TTL_S = 30.0
REMEMBERED_S = 600.0  # past the protocol's 300 s timestamp window, with room for clocks apart
DEFERRED = "\x00deferred"  # the reply went out through the customer-service API; a retry answers success
# remember()'s answer when the memory every replica shares could not be reached and this machine's own has no
# such key: new here, but another replica may have accepted it (the caller trusts no unsigned body on that word)
UNVOUCHED = "\x00unvouched"
# wait()'s answer when the record was claimed longer ago than its owner could still be computing (its worker killed
# or restarted mid-message): one waiter may claim the message again (RETAKEN) rather than leave every retry silent
ABANDONED = "\x00abandoned"
RETAKEN = "|retaken"
_HOST = socket.gethostname()
HEALTH_EVERY_S = 1.0  # /healthz writes a probe into the records' directory at most this often
LOG_EVERY_S = 60.0  # a failing records directory is logged this often, not at every message
UNWRITABLE = ("the shared records (files under the state directory) cannot be written ({why}): answering from "
              "this worker's memory, no webhooks, no unencrypted messages")
log = logging.getLogger("oa_spec.gateway")


def message_key(account_id: str, fields: Mapping[str, str]) -> str:
    """MsgId when there is one; otherwise sender + CreateTime + Event + EventKey (events in one second
    with different keys stay distinct)."""
    msg_id = fields.get("MsgId") or fields.get("MsgID")
    if msg_id:
        return f"{account_id}|m|{msg_id}"
    parts = (fields.get("FromUserName", ""), fields.get("CreateTime", ""), fields.get("Event", ""),
             fields.get("EventKey", ""))
    return f"{account_id}|e|" + "|".join(parts)


@dataclass
class _Record:
    created: float
    done: threading.Event = field(default_factory=threading.Event)
    result: str | None = None


class Idempotency(Protocol):
    def claim(self, key: str) -> bool:
        """True when the caller is the first for this key and must compute the result."""

    def finish(self, key: str, result: str) -> None:
        """Store the finished result; waiters wake up."""

    def wait(self, key: str, timeout_s: float, abandoned_after_s: float = math.inf) -> str | None:
        """The finished result; None when still pending after timeout_s (or unknown); ABANDONED as soon as the
        record has been claimed and unfinished for longer than abandoned_after_s."""

    def remember(self, key: str, value: str) -> str | None:
        """Keep `value` under `key` unless a value is there: that value, or None when this call kept it
        (UNVOUCHED: kept only on this machine, the shared memory being unreachable)."""


def claimant() -> str:
    """Who claims a record here: this machine and process (a gunicorn worker's own, after the fork)."""
    return f"{_HOST}:{os.getpid()}"


def stopped(owner: object) -> bool:
    """Whether the claimant `owner` is a process of this machine that has ended: its claim will never be finished.
    A process elsewhere cannot be asked: its claim is abandoned only by its age."""
    host, _, pid = str(owner).rpartition(":")
    if host != _HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except ProcessLookupError:
        return True
    except (OSError, IndexError):  # alive as another user, or no /proc to read: alive
        return False
    return state == "Z"  # killed, not yet reaped by its parent


class Sweeper:
    """Runs `sweep` on a thread of its own when a call asks (`due`), at most every `every_s` seconds and never two at
    once: each message leaves its records for the TTL, so a template push's job-finish events leave hundreds of
    thousands, and removing the expired ones on the thread of the message that happened to ask held its answer past
    the budget (attack review 77 F1, and its note for PostgreSQL)."""

    def __init__(self, sweep: Callable[[], None], every_s: float) -> None:
        self._sweep, self._every = sweep, every_s
        self.started = 0.0  # monotonic time the last sweep started
        self.thread: threading.Thread | None = None  # the sweep in progress, or the last one

    def due(self) -> None:
        now = time.monotonic()
        if now - self.started < self._every or (self.thread is not None and self.thread.is_alive()):
            return
        self.started = now
        self.thread = threading.Thread(target=self._sweep, name="oaspec-records-sweep", daemon=True)
        self.thread.start()


class MemoryIdempotency:
    def __init__(self, ttl_s: float = MIN_TTL_S, capacity: int = 200_000) -> None:
        self._ttl = max(ttl_s, MIN_TTL_S)
        self._capacity = capacity
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._remembered: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if key in self._records:
                return False
            self._records[key] = _Record(created=now)
            return True

    def finish(self, key: str, result: str) -> None:
        with self._lock:
            record = self._records.get(key)
        if record is None:  # expired or evicted while computing: nobody can be waiting for it any more
            return
        record.result = result
        record.done.set()

    def wait(self, key: str, timeout_s: float, abandoned_after_s: float = math.inf) -> str | None:
        with self._lock:
            record = self._records.get(key)
        if record is None:
            return None
        abandoned_in = record.created + abandoned_after_s - time.monotonic()
        if record.done.wait(max(min(timeout_s, abandoned_in), 0.0)):
            return record.result
        return ABANDONED if abandoned_in <= timeout_s else None

    def remember(self, key: str, value: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            while self._remembered:  # oldest first, and never more than the capacity
                seen_at = next(iter(self._remembered.values()))[0]
                if now - seen_at < REMEMBERED_S and len(self._remembered) < self._capacity:
                    break
                self._remembered.popitem(last=False)
            known = self._remembered.get(key)
            if known is not None:
                return known[1]
            self._remembered[key] = (now, value)
            return None

    def recall(self, key: str) -> str | None:
        """What `remember` kept under `key`, without keeping anything."""
        with self._lock:
            known = self._remembered.get(key)
        return known[1] if known is not None and time.monotonic() - known[0] < REMEMBERED_S else None

    def __len__(self) -> int:
        return len(self._records)

    def _expire(self, now: float) -> None:
        # Oldest first; a full store drops its oldest record rather than grow without bound.
        while self._records:
            oldest = next(iter(self._records.values()))
            if now - oldest.created < self._ttl and len(self._records) < self._capacity:
                break
            self._records.popitem(last=False)


class FileIdempotency:
    """Records shared by the worker processes of one machine (`oaspec serve --workers N`): one file per key
    under `directory` (created 0700, files 0600), claimed with O_EXCL, the finished reply written beside it
    atomically, and every file removed once older than the TTL. Replicas on several machines need a store
    they all reach (the state backend).

    While the files cannot be written (a full or read-only disk), this worker's memory stands in, as this
    machine's files stand in for the database (backend/pg_idempotency.py): a message is still answered and a
    retry or replay reaching this worker is recognised, but a nonce only this worker's memory knows is said
    so (UNVOUCHED: another worker may have taken the same request), so no webhook is called and no unsigned
    body is trusted. `problem()` says so to /healthz."""

    def __init__(self, directory: Path, ttl_s: float = REMEMBERED_S, poll_s: float = 0.02) -> None:
        self._dir, self._ttl, self._poll = directory, max(ttl_s, MIN_TTL_S), poll_s
        self.sweeps = Sweeper(self._sweep_now, 5.0)
        self._made = False  # made at the first write: a stand-in store (PostgresIdempotency's) may never write
        self._memory = MemoryIdempotency(self._ttl)  # stands in while the files cannot be written
        self._failed: tuple[float, str] | None = None  # (monotonic time, why) the files last failed a call
        self._health: tuple[float, str | None] = (-HEALTH_EVERY_S, None)  # (when checked, what was found)
        self._checking = threading.Lock()

    def _ready(self) -> None:
        if not self._made:
            make_private_dirs(self._dir)  # parents too: mkdir(parents=True) makes them 0755
            self._made = True

    def _path(self, key: str, suffix: str) -> Path:
        return self._dir / (hashlib.sha256(key.encode()).hexdigest() + suffix)

    def claim(self, key: str) -> bool:
        try:
            self._ready()
            self.sweeps.due()
            claimed = os.open(self._path(key, ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            try:
                os.write(claimed, claimant().encode())
            finally:
                os.close(claimed)
        except FileExistsError:
            return False
        except OSError as exc:
            self._fell_back(exc)
            return self._memory.claim(key)
        return True

    def finish(self, key: str, result: str) -> None:
        try:
            self._ready()
            self._write(self._path(key, ".done"), result, os.replace)
        except OSError as exc:
            self._fell_back(exc)
            self._memory.claim(key)  # a record claimed in the files: held here for this worker's waiters
            self._memory.finish(key, result)

    def wait(self, key: str, timeout_s: float, abandoned_after_s: float = math.inf) -> str | None:
        done, deadline = self._path(key, ".done"), time.monotonic() + max(timeout_s, 0.0)
        while True:
            found = self._memory.wait(key, 0.0, abandoned_after_s)
            if found is not None:
                return found
            try:
                return done.read_text(encoding="utf-8")
            except FileNotFoundError:
                if abandoned_after_s < math.inf and self._abandoned(key, abandoned_after_s):
                    return ABANDONED
            except OSError as exc:
                self._fell_back(exc)
            if time.monotonic() >= deadline:
                return None
            time.sleep(self._poll)

    def _abandoned(self, key: str, after_s: float) -> bool:
        """Whether the key's claim will never be finished: its claimant stopped, or it is older than `after_s`."""
        try:
            with self._path(key, ".claim").open(encoding="utf-8", errors="replace") as claim:
                return stopped(claim.read()) or time.time() - os.fstat(claim.fileno()).st_mtime > after_s
        except OSError:  # no claim: nothing to take over
            return False

    def remember(self, key: str, value: str) -> str | None:
        try:
            self._ready()
            self.sweeps.due()
            return self._write(self._path(key, ".seen"), value, _link_new)
        except OSError as exc:
            self._fell_back(exc)
        known = self.recall(key)  # accepted before the files failed (a read-only disk still reads)
        if known is None:
            known = self._memory.remember(key, value)
        return UNVOUCHED if known is None else known

    def recall(self, key: str) -> str | None:
        """What `remember` kept under `key` (and the sweep has not yet removed), without keeping anything."""
        try:
            return self._path(key, ".seen").read_text(encoding="utf-8")
        except OSError:
            return self._memory.recall(key)

    def problem(self) -> str | None:
        """For /healthz: None while the files can be written (a page written, synced and removed, at most once a
        second, or at once after a call failed on them) and no call failed on them since the last check, else what
        this worker does meanwhile."""
        checked, found = self._health
        failed = self._failed is not None and self._failed[0] >= checked
        if (time.monotonic() - checked < HEALTH_EVERY_S and not failed) or not self._checking.acquire(blocking=False):
            return found
        try:
            why = self._probe()
            if why is None and failed and self._failed is not None:
                why = self._failed[1]
            found = None if why is None else UNWRITABLE.format(why=why)
        finally:
            self._health = (time.monotonic(), found)
            self._checking.release()
        return found

    def _probe(self) -> str | None:
        try:
            self._ready()
            probe_room(self._dir / f"{os.getpid()}.probe")
        except OSError as exc:
            self._fell_back(exc)
            return _why(exc)
        return None

    def _write(self, path: Path, text: str, publish: Callable[[Path, Path], str | None]) -> str | None:
        """`text` into a temporary file beside `path`, then `publish`ed to it; the temporary never outlives it."""
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            return publish(temporary, path)
        finally:
            with contextlib.suppress(OSError):  # gone already (replaced), or left for the sweep
                os.unlink(temporary)

    def _fell_back(self, exc: OSError) -> None:
        now = time.monotonic()
        if self._failed is None or now - self._failed[0] > LOG_EVERY_S:  # a full disk is not filled with this
            log.error("the idempotency records in %s cannot be written (%s): answering from this worker's memory",
                      self._dir, exc)
        self._failed = (now, _why(exc))

    def _sweep_now(self) -> None:
        """The files older than the TTL removed (on the sweeper's thread)."""
        now = time.time()
        try:
            with os.scandir(self._dir) as listing:  # read as it goes: a million entries are never held at once
                for entry in listing:
                    with contextlib.suppress(OSError):  # another worker swept it first
                        if now - entry.stat().st_mtime > self._ttl:
                            os.unlink(entry.path)
        except OSError:  # unreadable now: the next message's call says so, and the next sweep tries again
            return


def _link_new(temporary: Path, path: Path) -> str | None:
    """`temporary` as `path` unless a value is there (created whole or not at all: a reader never sees it
    half-written): None when linked, else the value found."""
    try:
        os.link(temporary, path)
        return None
    except FileExistsError:
        return path.read_text(encoding="utf-8")


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
