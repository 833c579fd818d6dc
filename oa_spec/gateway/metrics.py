"""Prometheus metrics for the gateway, in the app's own registry (several apps in one process stay apart).

Labels are the account id, an outcome code, a rejection reason and a rule id: never content or OpenIDs.
Under `oaspec serve` every gunicorn worker counts into files of one directory (MULTIPROCESS_VARIABLE, set by
server.py before the workers fork) and a scrape, which reaches one worker, adds them all up: a worker's own
counters alone made /metrics jump between workers, which Prometheus reads as resets (attack review 77 F5).
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from oa_spec.util.display import json_safe

access_log = logging.getLogger("oa_spec.gateway.access")
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own


class GatewayMetrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry: Any = CollectorRegistry()
        self._requests = Counter("oaspec_gateway_requests", "Callback requests by outcome",
                                 ["account", "outcome"], registry=self.registry)
        self._latency = Histogram("oaspec_gateway_latency_seconds", "Time to answer a request", ["account"],
                                  buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 2.5, 4.5, 10),
                                  registry=self.registry)
        self._rejected = Counter("oaspec_gateway_rejected", "Requests rejected by the protocol checks",
                                 ["account", "reason"], registry=self.registry)
        self._refused = Counter("oaspec_gateway_refused_answers", "Module webhook answers refused by a policy rule "
                                "(the reply's own text answered instead)", ["account", "rule"], registry=self.registry)
        self._children: dict[tuple[str, str], tuple[Any, Any]] = {}
        self._deferred = Counter("oaspec_gateway_deferred", "Replies delivered through customer service after "
                                 "the budget", ["account"], registry=self.registry)
        self._degraded = Gauge("oaspec_gateway_degraded", "Parts /healthz found wrong at its last check (0: all "
                               "well), e.g. the shared records unreachable", registry=self.registry,
                               multiprocess_mode="livemax")  # the worst of the live workers

    def observe(self, account: str, outcome: str, seconds: float) -> None:
        # rejected:<reason> is counted under "rejected"; the reason has its own counter
        key = (account, outcome.split(":", 1)[0])
        children = self._children.get(key)
        if children is None:  # labels() costs a lock and a dict walk; the label sets are few and fixed
            children = self._children[key] = (self._requests.labels(*key), self._latency.labels(account))
        children[0].inc()
        children[1].observe(seconds)

    def rejected(self, account: str, reason: str) -> None:
        self._rejected.labels(account, reason).inc()

    def refused(self, account: str, rule: str) -> None:
        self._refused.labels(account, rule).inc()

    def deferred(self, account: str) -> None:
        self._deferred.labels(account).inc()

    def degraded(self, problems: int) -> None:
        self._degraded.set(problems)

    def render(self) -> bytes:
        from prometheus_client import CollectorRegistry, generate_latest

        registry = self.registry
        if os.environ.get(MULTIPROCESS_VARIABLE):  # every worker's counts, whichever worker is scraped
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return bytes(generate_latest(registry))


def log_access(method: str, path: str, status: str, outcome: str, seconds: tuple[float, float], account: str) -> None:
    """One JSON line per request. No query string (it carries openid), no message content, no OpenID: PIPL by
    default. `ms` runs from when the request reached the worker; `queued_ms` is the part of it spent waiting for a
    thread. A refused webhook answer's outcome names the rules (refused_policy:link.https,...), never the answer.
    The path is whatever anyone who reaches the gateway sent: its C1, bidirectional and invisible characters are
    written as \\uXXXX, as in every JSON oaspec writes, so a terminal showing the log acts on none of them and no
    U+0085 splits a line (attack review 77 F3)."""
    record = {"ts": round(time.time(), 3), "method": method, "path": path, "status": int(status[:3]),
              "account": account, "outcome": outcome, "ms": round(seconds[0] * 1000, 2),
              "queued_ms": round(seconds[1] * 1000, 2)}
    access_log.info(json_safe(json.dumps(record, ensure_ascii=False, sort_keys=True)))
