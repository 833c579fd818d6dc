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

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from oa_spec.util.fileio import make_private_dirs

MIN_TTL_S = 30.0
REMEMBERED_S = 600.0  # past the protocol's 300 s timestamp window, with room for clocks apart
DEFERRED = "\x00deferred"  # the reply went out through the customer-service API; a retry answers success
# remember()'s answer when the memory every replica shares could not be reached and this machine's own has no
# such key: new here, but another replica may have accepted it (the caller trusts no unsigned body on that word)
UNVOUCHED = "\x00unvouched"


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

    def wait(self, key: str, timeout_s: float) -> str | None:
        """The finished result, or None when still pending after timeout_s (or unknown)."""

    def remember(self, key: str, value: str) -> str | None:
        """Keep `value` under `key` unless a value is there: that value, or None when this call kept it
        (UNVOUCHED: kept only on this machine, the shared memory being unreachable)."""


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

    def wait(self, key: str, timeout_s: float) -> str | None:
        with self._lock:
            record = self._records.get(key)
        if record is None or not record.done.wait(max(timeout_s, 0.0)):
            return None
        return record.result

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
    they all reach (the state backend)."""

    def __init__(self, directory: Path, ttl_s: float = REMEMBERED_S, poll_s: float = 0.02) -> None:
        self._dir, self._ttl, self._poll = directory, max(ttl_s, MIN_TTL_S), poll_s
        self._swept = 0.0
        self._made = False  # made at the first write: a stand-in store (PostgresIdempotency's) may never write

    def _ready(self) -> None:
        if not self._made:
            make_private_dirs(self._dir)  # parents too: mkdir(parents=True) makes them 0755
            self._made = True

    def _path(self, key: str, suffix: str) -> Path:
        return self._dir / (hashlib.sha256(key.encode()).hexdigest() + suffix)

    def claim(self, key: str) -> bool:
        self._ready()
        self._sweep()
        try:
            os.close(os.open(self._path(key, ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True

    def finish(self, key: str, result: str) -> None:
        self._ready()
        done = self._path(key, ".done")
        temporary = done.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(result)
        os.replace(temporary, done)

    def wait(self, key: str, timeout_s: float) -> str | None:
        done, deadline = self._path(key, ".done"), time.monotonic() + max(timeout_s, 0.0)
        while True:
            try:
                return done.read_text(encoding="utf-8")
            except FileNotFoundError:
                if time.monotonic() >= deadline:
                    return None
                time.sleep(self._poll)

    def remember(self, key: str, value: str) -> str | None:
        self._ready()
        self._sweep()
        seen = self._path(key, ".seen")
        temporary = seen.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(value)
        try:
            os.link(temporary, seen)  # created whole or not at all: a reader never sees it half-written
            return None
        except FileExistsError:
            return seen.read_text(encoding="utf-8")
        finally:
            os.unlink(temporary)

    def recall(self, key: str) -> str | None:
        """What `remember` kept under `key` (and the sweep has not yet removed), without keeping anything."""
        try:
            return self._path(key, ".seen").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def _sweep(self) -> None:
        now = time.time()
        if now - self._swept < 5.0:
            return
        self._swept = now
        for entry in os.scandir(self._dir):
            try:
                if now - entry.stat().st_mtime > self._ttl:
                    os.unlink(entry.path)
            except OSError:  # another worker swept it first
                continue
