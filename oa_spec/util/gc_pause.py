"""Pause Python's cyclic garbage collector around work that builds large, long-lived structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading a large spec or diffing its accounts allocates millions of containers, none of them
    garbage yet: the collector would walk them again and again (over half the time of a 200-account
    load or no-change plan). Nothing here creates cycles that must be freed before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
