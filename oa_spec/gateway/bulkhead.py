"""Keeping one slow bank service from delaying anyone else's replies (attack reviews 55 to 57).

- `ModuleCalls`: each module of each account calls its webhook on threads of its own (`PER_MODULE`), so a call
  waits, if at all, only behind calls to the same service, never behind another module's or another account's.
  A module's backlog (calls waiting or in flight) holds what its threads can finish within the customer-service
  window at the webhook's timeout (at most `BACKLOG`): past it the follower gets the reply's own text at once, or
  nothing when it has none, and the webhook is not called; within it every call is made in time for its reply to
  be sent late if need be (attack review 58).
- `Shares`: the request threads that may wait on webhooks at once, split evenly between the served accounts, and
  half an account's for one of its modules, so no account's or module's followers take another's.
- `Handoff`: who sends a module's reply, the request or the call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

ModuleKey = tuple[str, str]  # (account id, module id)
T = TypeVar("T")
PER_MODULE = 8  # webhook calls in flight for one module
BACKLOG = 64  # one module's calls waiting or in flight at most, however fast its webhook


class ModuleCalls:
    def __init__(self, per_module: int = PER_MODULE, backlog: int = BACKLOG) -> None:
        self.per_module, self.backlog = max(1, per_module), max(1, backlog)
        self._lock = threading.Lock()
        self._pools: dict[ModuleKey, ThreadPoolExecutor] = {}
        self._admitted: dict[ModuleKey, int] = {}

    def submit(self, key: ModuleKey, call: Callable[[], T], within_s: float, timeout_s: float) -> Future[T] | None:
        """Run `call` on the module's own threads, if the calls ahead of it and it can all take `timeout_s` and
        still end within `within_s`; None otherwise (nothing runs)."""
        rounds = max(1, int(within_s // max(timeout_s, 0.001)))
        with self._lock:
            if self._admitted.get(key, 0) >= min(self.backlog, self.per_module * rounds):
                return None
            self._admitted[key] = self._admitted.get(key, 0) + 1
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = ThreadPoolExecutor(self.per_module, f"oaspec-gw-{key[0]}-{key[1]}")
        try:
            work = pool.submit(call)
        except BaseException:
            self._done(key)
            raise
        work.add_done_callback(lambda _: self._done(key))
        return work

    def _done(self, key: ModuleKey) -> None:
        with self._lock:
            self._admitted[key] -= 1

    def retire(self, served: set[ModuleKey]) -> None:
        """Let the threads of modules no longer served go (an apply renamed or removed them), once idle."""
        with self._lock:
            for key in [k for k in self._pools if k not in served and not self._admitted.get(k)]:
                self._pools.pop(key).shutdown(wait=False)
                self._admitted.pop(key, None)

    def admitted(self, key: ModuleKey) -> int:
        with self._lock:
            return self._admitted.get(key, 0)


class Shares:
    """At most `total` holders at once, split evenly between the served accounts (at least one each) and half an
    account's share for one of its modules (at least one); none at all when `total` is 0."""

    def __init__(self, total: int) -> None:
        self.total = max(0, total)
        self._lock = threading.Lock()
        self._held: dict[tuple[str, ...], int] = {}
        self.spread(1)

    def spread(self, accounts: int) -> None:
        with self._lock:
            self.per_account = max(1, self.total // max(1, accounts))
            self.per_module = max(1, self.per_account // 2)

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
