"""When the request a thread handles reached the worker, under `oaspec serve`'s gunicorn worker (server.py).

gunicorn's threaded worker hands each request to a pool of threads; when every thread is busy (followers'
messages waiting on a slow bank webhook) a request waits in the pool's queue. The platform's 5 s run from
when it sent the message, so the gateway's budget, its access log and its latency metric count from the
moment the request reached the worker, not from when a thread took it up (attack review 55).
"""

from __future__ import annotations

import threading

handling = threading.local()  # set by server.py's worker for the thread's request


def arrived_at() -> float | None:
    """`time.monotonic()` when the request this thread handles was queued for a thread; None outside
    `serve()`'s worker (an in-process server, a test), where a thread takes each request up at once."""
    arrived: float | None = getattr(handling, "arrived", None)
    return arrived
