"""The gateway's idempotency records in the PostgreSQL state, so `oaspec serve` replicas on several machines
answer a platform retry with the first attempt's reply, whichever replica the retry reaches.

Same contract as gateway/dedup.py's FileIdempotency: the first INSERT of a key claims it (a unique
violation means another replica did), the finished reply is written into the record, waiters poll for
it, and records older than the TTL are swept. Keys are hashed: they hold OpenIDs, which the state keeps
no more of than the access log does.

If the database cannot be reached, or does not answer within CALL_DEADLINE_S (a partition or a frozen server
would otherwise hold every request past the platform's 5 s), the machine's own records stand in (`local`: the
files the workers share), so a message is still answered and a retry or replay reaching this machine is still
recognised. What only the shared memory could vouch for is said so (UNVOUCHED): the gateway then takes no
unsigned body and calls no webhook, since another replica may have accepted the same request. The nonces kept
meanwhile are still this machine's word once the database answers again, and are written to it then, so that
no replica takes another body on them.
"""

from __future__ import annotations

import hashlib
import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Protocol, TypeVar

from oa_spec.backend.base import BackendError, Json
from oa_spec.gateway.dedup import (
    ABANDONED,
    MIN_TTL_S,
    REMEMBERED_S,
    UNVOUCHED,
    FileIdempotency,
    MemoryIdempotency,
    Sweeper,
    claimant,
    stopped,
)

log = logging.getLogger("oa_spec.gateway")

NAMESPACE = "gateway.idempotency"
SWEEP_EVERY_S = 5.0
CALL_DEADLINE_S = 0.5  # one record call; a request makes up to four, well inside the gateway's 4.5 s budget
RETRY_AFTER_S = 2.0  # after a call failed or hung, the database is left alone this long: no request queues on it
HEALTH_EVERY_S = 1.0  # /healthz asks the database at most this often, however often the load balancer checks
UNREACHABLE = ("the shared records (PostgreSQL) cannot be reached: answering from this machine's, no webhooks, "
               "no unencrypted messages")
MAX_KEPT = 100_000  # nonces kept while the database was away, to write once it answers (bounded memory)

T = TypeVar("T")


class Records(Protocol):
    """What the records need of the backend (backend/postgres.py's PostgresBackend)."""

    def insert_record(self, namespace: str, key: str, value: Json) -> bool: ...
    def put_record(self, namespace: str, key: str, value: Json) -> None: ...
    def get_record(self, namespace: str, key: str) -> Json | None: ...
    def expire_records(self, namespace: str, older_than_s: float) -> int: ...


class PostgresIdempotency:
    def __init__(self, backend: Records, local: FileIdempotency | MemoryIdempotency | None = None,
                 ttl_s: float = REMEMBERED_S, poll_s: float = 0.05, deadline_s: float = CALL_DEADLINE_S,
                 sweep_with: Records | None = None) -> None:
        self._backend, self._ttl, self._poll = backend, max(ttl_s, MIN_TTL_S), poll_s
        self._sweep_with = backend if sweep_with is None else sweep_with  # a connection of its own, in serve
        self.sweeps = Sweeper(self._sweep_now, SWEEP_EVERY_S)
        self._local = local if local is not None else MemoryIdempotency(REMEMBERED_S)
        self._calls = _BoundedCalls(deadline_s)
        self._away_until = 0.0  # monotonic time before which the database is not asked
        self._kept: dict[str, tuple[float, str]] = {}  # hashed nonce key -> (when, value) kept while it was away
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._health: tuple[float, str | None] = (-HEALTH_EVERY_S, None)  # (when asked, what was found)
        self._checking = threading.Lock()

    @staticmethod
    def _key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def claim(self, key: str) -> bool:
        try:
            return self._db(lambda: self._claim_shared(key))
        except BackendError as exc:
            log.warning("idempotency record not claimed in the database, claimed on this machine: %s", exc)
            return self._local.claim(key)

    def _claim_shared(self, key: str) -> bool:
        self.sweeps.due()
        return self._backend.insert_record(NAMESPACE, self._key(key), {"claimed": time.time(), "by": claimant()})

    def finish(self, key: str, result: str) -> None:
        try:
            self._db(lambda: self._backend.put_record(NAMESPACE, self._key(key), {"result": result}))
        except BackendError as exc:
            log.warning("idempotency record not finished in the database, finished on this machine: %s", exc)
            self._local.finish(key, result)

    def wait(self, key: str, timeout_s: float, abandoned_after_s: float = math.inf) -> str | None:
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            try:
                found = self._db(lambda: self._backend.get_record(NAMESPACE, self._key(key)))
            except BackendError as exc:
                log.warning("idempotency record not read from the database, waiting on this machine's: %s", exc)
                return self._local.wait(key, deadline - time.monotonic(), abandoned_after_s)
            if found is not None and isinstance(found.get("result"), str):
                return str(found["result"])
            claimed = found.get("claimed") if found is not None else None
            if (abandoned_after_s < math.inf and found is not None and isinstance(claimed, (int, float))
                    and (stopped(found.get("by")) or time.time() - claimed > abandoned_after_s)):
                return ABANDONED  # the worker or replica that claimed it stopped mid-message (clocks kept by NTP)
            if time.monotonic() >= deadline:
                return None
            time.sleep(self._poll)

    def remember(self, key: str, value: str) -> str | None:
        """The nonce memory every replica shares. Away, this machine's, which can only say UNVOUCHED for a nonce it
        has not seen; back, this machine's still answers for the nonces it kept meanwhile."""
        hashed = "n-" + self._key(key)
        try:
            return self._db(lambda: self._remember_shared(key, hashed, value))
        except BackendError as exc:
            log.warning("nonce record not kept in the database, kept on this machine: %s", exc)
            known = self._local.remember(key, value)
            if known is None:
                with self._lock:
                    if len(self._kept) < MAX_KEPT:
                        self._kept[hashed] = (time.time(), value)
                    self._write_back_soon()
            return UNVOUCHED if known is None else known

    def _remember_shared(self, key: str, hashed: str, value: str) -> str | None:
        self.sweeps.due()
        if self._kept:  # the writer thread may not have run yet
            self._write_kept()
        # a nonce this machine kept while the database was away (another worker's, perhaps) is still its word
        here = self._local.recall(key)
        if self._backend.insert_record(NAMESPACE, hashed, {"value": value if here is None else here}):
            return here
        if here is not None:  # what this machine saw wins over what another replica took before it wrote it back
            return here
        found = self._backend.get_record(NAMESPACE, hashed)
        return str(found["value"]) if found is not None and isinstance(found.get("value"), str) else None

    def _write_back_soon(self) -> None:
        """Write the kept nonces as soon as the database answers, not at this worker's next message: until then
        another replica would take another body on them. One daemon thread, while there is anything kept."""
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._write_back, name="oaspec-kept-nonces", daemon=True)
            self._writer.start()

    def _write_back(self) -> None:
        while self._kept:
            time.sleep(max(RETRY_AFTER_S, 0.05))
            try:
                self._db(self._write_kept)
            except BackendError:
                continue

    def _write_kept(self) -> None:
        """The nonces kept while the database was away, into it: then every replica refuses another body on them."""
        with self._lock:
            kept, self._kept = self._kept, {}
        fresh = [(hashed, kept[hashed]) for hashed, (at, _) in kept.items() if time.time() - at < REMEMBERED_S]
        for number, (hashed, (_, value)) in enumerate(fresh):
            try:
                self._backend.insert_record(NAMESPACE, hashed, {"value": value})
            except BackendError:
                with self._lock:  # still away after all: kept for the next time
                    self._kept.update(fresh[number:])
                raise

    def problem(self) -> str | None:
        """For /healthz: None while the database answers (asked with a bounded read), else what this means. One
        check at a time, at most once a second, and a slow answer to it does not send messages away from the
        database (it observes, it does not decide). The reason goes to the log only (it may name the host)."""
        asked, found = self._health
        if time.monotonic() - asked < HEALTH_EVERY_S or not self._checking.acquire(blocking=False):
            return found
        try:
            if time.monotonic() < self._away_until:
                found = UNREACHABLE
            else:
                self._calls.run(lambda: self._backend.get_record(NAMESPACE, "health"))
                found = None
        except BackendError as exc:
            log.warning("shared records unreachable: %s", exc)
            found = UNREACHABLE
        finally:
            self._health = (time.monotonic(), found)
            self._checking.release()
        return found

    def _db(self, call: Callable[[], T]) -> T:
        """One call to the database, bounded; while it is away (failed or hung a moment ago) not made at all."""
        if time.monotonic() < self._away_until:
            raise BackendError("the database failed or did not answer a moment ago; asked again shortly")
        try:
            return self._calls.run(call)
        except BackendError:
            self._away_until = time.monotonic() + RETRY_AFTER_S
            raise

    def _sweep_now(self) -> None:
        """The expired records deleted (on the sweeper's thread), with `sweep_with` on a connection of its own: the
        delete over a template push's millions of records takes longer than a message's call may wait, and must not
        hold the connection the messages' calls take turns on (attack review 77, a note)."""
        try:
            self._sweep_with.expire_records(NAMESPACE, self._ttl)
        except BackendError as exc:  # the next sweep tries again; the records only wait longer to go
            log.warning("expired idempotency records not deleted: %s", exc)


class _BoundedCalls:
    """Backend calls on one daemon thread, each waited for at most `deadline_s`; one that does not answer in time
    is a BackendError for its caller (and keeps the thread until the connection gives up, the next call queued
    behind it: hence RETRY_AFTER_S). The thread starts at the first call, after gunicorn has forked the worker."""

    def __init__(self, deadline_s: float) -> None:
        self._deadline = deadline_s
        self._queue: queue.SimpleQueue[tuple[Callable[[], object], Future[object]]] = queue.SimpleQueue()
        self._started = False
        self._start = threading.Lock()

    def run(self, call: Callable[[], T]) -> T:
        with self._start:
            if not self._started:
                threading.Thread(target=self._serve, name="oaspec-shared-records", daemon=True).start()
                self._started = True
        future: Future[object] = Future()
        self._queue.put((call, future))
        try:
            return future.result(timeout=self._deadline)  # type: ignore[return-value]
        except FutureTimeout:
            future.cancel()  # not run at all if still queued
            raise BackendError(f"the database did not answer within {self._deadline:g}s") from None

    def _serve(self) -> None:
        while True:
            call, future = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(call())
            except BaseException as exc:  # handed to the caller, who may have stopped waiting
                future.set_exception(exc)
