"""Keeping one slow bank service from delaying anyone else's replies (attack reviews 55 to 60).

- `ModuleCalls`: each module of each account calls its webhook on threads of its own (`PER_MODULE`), so a call
  waits, if at all, only behind calls to the same service, never behind another module's or another account's.
  Each call runs until its webhook's timeout or its cutoff (the customer-service window, less the time to send),
  whichever comes first. A call is admitted only if, with every call before it taking all of that (each its own
  timeout, as it was when it came: an apply may change it), it still starts early enough to have `USEFUL_S` (or
  its whole timeout, if shorter) before its cutoff; the threads take calls in order, and a call that ends early
  only lets the ones after it start earlier. So every admitted call is made, and its reply, or the reply's own
  text, is ready in time to be sent. Past that the follower gets the reply's own text at once, and the webhook is
  not called. At most `BACKLOG` calls wait or run. A module's late replies are sent on threads of its own too: a
  reply ready at its cutoff never waits behind another module's or account's sends (attack review 60).
- `Shares`: the request threads that may wait on webhooks at once, split between the served accounts so that
  their shares never add up to more than there are (an account gets none when there are more accounts than
  slots), half an account's for one of its modules.
- `Handoff`: who sends a module's reply, the request or the call.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

ModuleKey = tuple[str, str]  # (account id, module id)
T = TypeVar("T")
PER_MODULE = 8  # webhook calls in flight for one module
BACKLOG = 64  # one module's calls waiting or in flight at most, however fast its webhook
SLACK_S = 0.1  # what a call may take past its webhook's timeout (reading the answer, building the reply)
USEFUL_S = 1.0  # the least time a call is made with (its whole timeout, if shorter; less in a shorter window)


@dataclass
class _Admitted:
    timeout_s: float
    cutoff: float  # time.monotonic() by which the call ends, whatever its timeout
    started: float | None = None  # None while it waits for a thread

    def ends(self, start: float) -> float:
        return min(start + self.timeout_s, max(start, self.cutoff)) + SLACK_S


class ModuleCalls:
    def __init__(self, per_module: int = PER_MODULE, backlog: int = BACKLOG) -> None:
        self.per_module, self.backlog = max(1, per_module), max(1, backlog)
        self._lock = threading.Lock()
        self._pools: dict[ModuleKey, ThreadPoolExecutor] = {}
        self._senders: dict[ModuleKey, ThreadPoolExecutor] = {}
        self._calls: dict[ModuleKey, dict[int, _Admitted]] = {}  # each module's admitted calls, in order
        self._tickets = itertools.count()

    def submit(self, key: ModuleKey, call: Callable[[], T], cutoff: float, timeout_s: float,
               least_s: float = USEFUL_S) -> Future[T] | None:
        """Run `call` (which ends by `cutoff`, a time.monotonic()) on the module's own threads if it starts with
        `least_s` left (its whole timeout, if shorter), even when every call before it takes all its time; None
        otherwise (nothing runs)."""
        with self._lock:
            calls = self._calls.setdefault(key, {})
            start = self._latest_start(calls)
            if len(calls) >= self.backlog or start + min(timeout_s, least_s) > cutoff:
                return None
            ticket = next(self._tickets)
            calls[ticket] = _Admitted(timeout_s, cutoff)
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = ThreadPoolExecutor(self.per_module, f"oaspec-gw-{key[0]}-{key[1]}")

        def run() -> T:
            with self._lock:
                calls[ticket].started = time.monotonic()
            try:
                return call()
            finally:
                with self._lock:
                    del calls[ticket]

        try:
            return pool.submit(run)
        except BaseException:  # a pool shut down by retire() as the module came back: not run
            with self._lock:
                del calls[ticket]
            raise

    def _latest_start(self, calls: dict[int, _Admitted]) -> float:
        """When a new call would start at the latest: the threads free at the running calls' latest ends (or
        now), then each waiting call, in order, on the thread free first."""
        now = time.monotonic()
        running = [c.ends(c.started) for c in calls.values() if c.started is not None]
        free = sorted(running + [now] * max(0, self.per_module - len(running)))[:self.per_module]
        heapq.heapify(free)
        for waiting in (c for c in calls.values() if c.started is None):
            heapq.heappush(free, waiting.ends(max(heapq.heappop(free), now)))
        return max(heapq.heappop(free), now)

    def send(self, key: ModuleKey, job: Callable[..., None], *args: Any) -> None:
        """Send one of the module's late replies on its own sending threads (here, if they are shutting down)."""
        with self._lock:
            sender = self._senders.get(key)
            if sender is None:
                sender = self._senders[key] = ThreadPoolExecutor(self.per_module, f"oaspec-send-{key[0]}-{key[1]}")
        try:
            sender.submit(job, *args)
        except RuntimeError:  # retired by an apply, or the worker is stopping
            job(*args)

    def retire(self, served: set[ModuleKey]) -> None:
        """Let the threads of modules no longer served go (an apply renamed or removed them): the calls and sends
        already admitted still run, then the threads end."""
        with self._lock:
            for pools in (self._pools, self._senders):
                for key in [k for k in pools if k not in served]:
                    pools.pop(key).shutdown(wait=False)
            for key in [k for k, calls in self._calls.items() if k not in served and not calls]:
                del self._calls[key]

    def admitted(self, key: ModuleKey) -> int:
        with self._lock:
            return len(self._calls.get(key, {}))


class Shares:
    """At most `total` holders at once, `total // accounts` of one account (so no account takes another's) and
    half of that, at least one, for one of its modules; none at all when `total` is 0."""

    def __init__(self, total: int) -> None:
        self.total = max(0, total)
        self._lock = threading.Lock()
        self._held: dict[tuple[str, ...], int] = {}
        self.spread(1)

    def spread(self, accounts: int) -> None:
        with self._lock:
            self.per_account = self.total // max(1, accounts)
            self.per_module = min(self.per_account, max(1, self.per_account // 2))

    def enter(self, key: ModuleKey) -> bool:
        """Take a share for `key` now, or none (never wait)."""
        counted = _counted(key)
        with self._lock:
            limits = (self.total, self.per_account, self.per_module)
            if any(self._held.get(c, 0) >= limit for c, limit in zip(counted, limits, strict=True)):
                return False
            for c in counted:
                self._held[c] = self._held.get(c, 0) + 1
            return True

    def leave(self, key: ModuleKey) -> None:
        with self._lock:
            for c in _counted(key):
                self._held[c] -= 1


def _counted(key: ModuleKey) -> tuple[tuple[str, ...], ...]:
    """What one holder counts against: all, its account and its module (shapes apart: an account named like
    another account's module is not it, review 58)."""
    return ("all",), ("account", key[0]), ("module", *key)


class Handoff:
    """Who sends a module's reply: the request, when the call finishes within its budget, else the call itself,
    through customer service. Decided once under a lock, so a call finishing as the budget runs out is sent by
    one of them, never both or neither."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = "running"  # then "given up" (the request answered `success`) or "answered"

    def give_up(self) -> bool:
        """The request's budget ran out: True if the call will send its reply late; False if it just finished
        (the request answers with it)."""
        with self._lock:
            if self._state == "running":
                self._state = "given up"
            return self._state == "given up"

    def finished(self) -> bool:
        """The call finished: True if the request gave up on it (the call sends the reply late)."""
        with self._lock:
            if self._state == "running":
                self._state = "answered"
            return self._state == "given up"
