"""Holding a lock for a run: acquire, renew the lease from a background thread, release by lock id.

The heartbeat renews on its own backend object (its own connection), because a statement sent on the
run's connection would land inside whatever transaction the run has open. A renewal that finds the
lock taken over stops the heartbeat and marks the lease lost; the run's next write is refused anyway
(fencing), so losing the lease can never go unnoticed. A renewal that cannot reach the server is
retried on the next beat: the lease outlives two missed beats.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Protocol

from oa_spec.backend.base import BackendError, FencedError, Lease, LockInfo, LockRequest
from oa_spec.history.lock import ci_job_url, lock_request

__all__ = ["Heartbeat", "ci_job_url", "hold", "lock_request"]


class Locker(Protocol):
    lease_seconds: float

    def acquire(self, account: str, request: LockRequest, timeout: float = 0.0) -> Lease: ...
    def renew(self, lease: Lease) -> None: ...
    def release(self, account: str, lock_id: str) -> LockInfo | None: ...


class Heartbeat:
    def __init__(self, renew: Callable[[Lease], None], lease: Lease, interval: float) -> None:
        self._renew = renew
        self.lease = lease
        self.interval = interval
        self.lost = threading.Event()
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"oaspec-heartbeat-{lease.account}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 15)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._renew(self.lease)
            except FencedError as exc:
                self.last_error = str(exc)
                self.lost.set()
                return
            except BackendError as exc:
                self.last_error = str(exc)  # unreachable for now; the next beat tries again


@contextmanager
def hold(backend: Locker, renewer: Locker, account: str, request: LockRequest,
         timeout: float = 0.0, interval: float | None = None) -> Iterator[Lease]:
    """The account's lock for the body of the `with`; `renewer` is a second backend for the heartbeat.

    The lock is released by its id on the way out, whatever happened; if it was taken over meanwhile,
    releasing is a no-op and the new holder keeps it."""
    lease = backend.acquire(account, request, timeout)
    every = interval if interval is not None else max(backend.lease_seconds / 3, 0.05)
    beat = Heartbeat(renewer.renew, lease, every)
    beat.start()
    try:
        yield lease
    finally:
        beat.stop()
        # If the server is gone the lease expires on its own; the run's own error is the one to show.
        with suppress(BackendError):
            backend.release(account, lease.lock_id)
