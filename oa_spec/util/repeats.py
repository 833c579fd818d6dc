"""Saying a repeated failure once: when it starts, when it changes and once every `every_s`.

A failure seen at every poll or on every message (the database down, a module's share of webhook calls full
under a burst) would otherwise write a line each time, burying what else the log says (attack review 55).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

REPEAT_LOG_S = 60.0


@dataclass
class Repeats:
    every_s: float = REPEAT_LOG_S
    _said: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def due(self, topic: str, text: str) -> bool:
        """Whether `text` about `topic` is to be logged now."""
        with self._lock:
            said, now = self._said.get(topic), time.monotonic()
            if said is not None and said[0] == text and now - said[1] < self.every_s:
                return False
            self._said[topic] = (text, now)
            return True

    def over(self, topic: str) -> None:
        """The failure about `topic` has ended: its next one is logged at once."""
        with self._lock:
            self._said.pop(topic, None)
