"""Admission for module webhook calls: at most `total` in flight in a worker, and `per_module` for any one
module of any one account.

A call admitted runs at once on a thread of its own (the app's webhook pool has `total` threads), so no call
ever waits in a queue behind another module's: one slow bank service fills its own share, never the pool, and
a follower of a fast module, a reply-all's extra reply or a job-finish record is never late because of it
(attack review 56). A message for a module at its share is answered at once with the reply's own text, as
when its webhook fails.
"""

from __future__ import annotations

import threading

ModuleKey = tuple[str, str]  # (account id, module id)


class Bulkhead:
    def __init__(self, total: int, per_module: int) -> None:
        self.total, self.per_module = max(1, total), max(1, per_module)
        self._lock = threading.Lock()
        self._in_flight: dict[ModuleKey, int] = {}
        self._all = 0

    def enter(self, key: ModuleKey) -> bool:
        """Admit one call for `key` now, or refuse it (never wait)."""
        with self._lock:
            mine = self._in_flight.get(key, 0)
            if self._all >= self.total or mine >= self.per_module:
                return False
            self._in_flight[key] = mine + 1
            self._all += 1
            return True

    def leave(self, key: ModuleKey) -> None:
        with self._lock:
            left = self._in_flight[key] - 1
            if left:
                self._in_flight[key] = left
            else:
                del self._in_flight[key]
            self._all -= 1

    def in_flight(self) -> int:
        return self._all


class Handoff:
    """Who sends a module's reply: the request, when the call finishes within its budget, else the call itself,
    through customer service, before it gives its share back. Decided once under a lock, so a call finishing as
    the budget runs out is sent by one of them, never both or neither."""

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
