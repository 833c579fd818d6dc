"""Keeping one slow bank service from delaying anyone else's replies (attack reviews 55 to 57).

- `ModuleCalls`: each module of each account calls its webhook on threads of its own (`PER_MODULE`), so a call
  waits, if at all, only behind calls to the same service, never behind another module's or another account's.
  A module's backlog (calls waiting or in flight) is bounded (`BACKLOG`): past it the follower gets the reply's own
  text, or nothing when it has none, and the webhook is not called; within it every call is made and its reply
  sent late if need be.
- `Shares`: the request threads that may wait on webhooks at once, with a share per account and per module, so
  one module's or one account's followers never take every waiting slot.
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
BACKLOG = 64  # one module's calls waiting or in flight: 8 rounds of its share, within the customer-service window


class ModuleCalls:
    def __init__(self, per_module: int = PER_MODULE, backlog: int = BACKLOG) -> None:
        self.per_module, self.backlog = max(1, per_module), max(1, backlog)
        self._lock = threading.Lock()
        self._pools: dict[ModuleKey, ThreadPoolExecutor] = {}
        self._admitted: dict[ModuleKey, int] = {}

    def submit(self, key: ModuleKey, call: Callable[[], T]) -> Future[T] | None:
        """Run `call` on the module's own threads; None when its backlog is full (nothing runs)."""
        with self._lock:
            if self._admitted.get(key, 0) >= self.backlog:
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
    """At most `total` holders at once, `per_account` of one account and `per_module` of one module (each at
    least 1 while `total` is; none at all when it is 0)."""

    def __init__(self, total: int) -> None:
        self.total = max(0, total)
        self.per_account, self.per_module = max(1, total // 2), max(1, total // 4)
        self._lock = threading.Lock()
        self._held: dict[object, int] = {}

    def enter(self, key: ModuleKey) -> bool:
        """Take a share for `key` now, or none (never wait)."""
        counted = ("all", ("account", key[0]), key)
        limits = (self.total, self.per_account, self.per_module)
        with self._lock:
            if any(self._held.get(c, 0) >= limit for c, limit in zip(counted, limits, strict=True)):
                return False
            for c in counted:
                self._held[c] = self._held.get(c, 0) + 1
            return True

    def leave(self, key: ModuleKey) -> None:
        with self._lock:
            for c in ("all", ("account", key[0]), key):
                self._held[c] -= 1


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
