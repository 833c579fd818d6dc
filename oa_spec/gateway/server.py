"""`serve()`: the gateway's WSGI app under gunicorn's threaded workers, each request stamped as it is queued
for a thread (arrival.py says why)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from oa_spec.gateway import arrival
from oa_spec.gateway.app import LATE_DELIVERY_MAX_S, GatewayApp
from oa_spec.gateway.config import AccountGateway
from oa_spec.gateway.metrics import MULTIPROCESS_VARIABLE

# A stopping worker (a deploy's SIGTERM, or a reload's kill -HUP) answers nothing new and exits once its module calls
# and late replies are done, which can take the whole customer-service window: gunicorn kills it after
# graceful_timeout (on a stop) or its heartbeat's `timeout` (on a reload, while it waits for them at exit), and a
# reply deferred past the budget, whose retries are answered `success`, would never reach the follower (attack
# review 77 F2). The main loop's heartbeat never waits on a request, so a longer timeout hides no hung worker.
STOPPING_S = int(LATE_DELIVERY_MAX_S) + 5


def serve(configs: Iterable[AccountGateway], host: str = "127.0.0.1", port: int = 8080, workers: int = 1,
          threads: int = 16, factory: Callable[[], dict[str, Any]] | None = None, **app_options: Any) -> None:
    """Run the gateway under gunicorn (threaded workers: a retry waits in one thread while the first
    attempt finishes in another; half of them at most wait on module webhooks). The in-memory idempotency
    record is per process, so `workers > 1` needs a shared `idempotency=` store. `factory`, when given, runs
    in each worker after the fork and returns the app's options (its `configs`, and `started`: called with
    the app, e.g. to follow history)."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    configs = tuple(configs)
    counted_in = shared_metrics()
    app_options.setdefault("waiting_slots", threads // 2)  # none of one thread: it stays free for every follower

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": stamping_worker(), "timeout": STOPPING_S + 5,
                               "graceful_timeout": STOPPING_S, "accesslog": None, "keepalive": 5}.items():
                self.cfg.set(key, value)
            self.cfg.set("child_exit", _worker_gone)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 27: one socket per user, unused here
                self.cfg.set("control_socket_disable", True)

        def load(self) -> GatewayApp:
            if factory is None:
                return GatewayApp(configs, **app_options)
            options = {**app_options, **factory()}
            started = options.pop("started", None)
            app = GatewayApp(options.pop("configs"), **options)
            if started is not None:
                started(app)
            return app

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    threading.current_thread().name = "oaspec-serve"
    try:
        _Server().run()
    finally:  # gunicorn's master exits through SystemExit
        if counted_in is not None:
            shutil.rmtree(counted_in, ignore_errors=True)


def shared_metrics() -> str | None:
    """Every worker counts into files of one fresh private directory, read whole at each scrape (metrics.py), unless
    the operator chose one. Set before the workers fork and before prometheus_client is imported, which reads it.
    The directory made here (removed when serve exits), or None."""
    if os.environ.get(MULTIPROCESS_VARIABLE):
        return None
    made = os.environ[MULTIPROCESS_VARIABLE] = tempfile.mkdtemp(prefix="oaspec-metrics-")  # 0700
    return made


def _worker_gone(server: Any, worker: Any) -> None:
    """A worker that exited no longer speaks for the degraded gauge (its counts stay in the sums)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def stamping_worker() -> type[Any]:
    """gunicorn's gthread worker, stamping each request as it is queued for a thread. Built on first use:
    gunicorn is the gateway extra's, imported only by `oaspec serve`."""
    from gunicorn.workers.gthread import ThreadWorker  # type: ignore[import-untyped]

    class StampingThreadWorker(ThreadWorker):  # type: ignore[misc]
        # enqueue_req and handle(conn) are gthread's own steps (gunicorn 22 to 27): queued, then taken up
        def enqueue_req(self, conn: Any) -> None:
            conn.oaspec_arrived = time.monotonic()
            super().enqueue_req(conn)

        def handle(self, conn: Any) -> Any:
            arrival.handling.arrived = getattr(conn, "oaspec_arrived", None)
            try:
                return super().handle(conn)
            finally:
                arrival.handling.arrived = None

    return StampingThreadWorker
