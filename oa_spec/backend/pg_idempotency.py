"""The gateway's idempotency records in the PostgreSQL state, so `oaspec serve` replicas on several machines
answer a platform retry with the first attempt's reply, whichever replica the retry reaches.

Same contract as gateway/dedup.py's FileIdempotency: the first INSERT of a key claims it (a unique
violation means another replica did), the finished reply is written into the record, waiters poll for
it, and records older than the TTL are swept. Keys are hashed: they hold OpenIDs, which the state keeps
no more of than the access log does.

If the database cannot be reached, the machine's own records stand in (`local`: the files the workers share),
so a message is still answered and a retry or replay reaching this machine is still recognised. What only
the shared memory could vouch for is said so (UNVOUCHED): the gateway then takes no unsigned body and calls
no webhook, since another replica may have accepted the same request.
"""

from __future__ import annotations

import hashlib
import logging
import time

from oa_spec.backend.base import BackendError
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.gateway.dedup import MIN_TTL_S, REMEMBERED_S, UNVOUCHED, Idempotency, MemoryIdempotency

log = logging.getLogger("oa_spec.gateway")

NAMESPACE = "gateway.idempotency"
SWEEP_EVERY_S = 5.0


class PostgresIdempotency:
    def __init__(self, backend: PostgresBackend, local: Idempotency | None = None, ttl_s: float = REMEMBERED_S,
                 poll_s: float = 0.05) -> None:
        self._backend, self._ttl, self._poll = backend, max(ttl_s, MIN_TTL_S), poll_s
        self._local = local if local is not None else MemoryIdempotency(REMEMBERED_S)
        self._swept = 0.0

    @staticmethod
    def _key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def claim(self, key: str) -> bool:
        try:
            self._sweep()
            return self._backend.insert_record(NAMESPACE, self._key(key), {"claimed": time.time()})
        except BackendError as exc:
            log.warning("idempotency record not claimed in the database, claimed on this machine: %s", exc)
            return self._local.claim(key)

    def finish(self, key: str, result: str) -> None:
        try:
            self._backend.put_record(NAMESPACE, self._key(key), {"result": result})
        except BackendError as exc:
            log.warning("idempotency record not finished in the database, finished on this machine: %s", exc)
            self._local.finish(key, result)

    def wait(self, key: str, timeout_s: float) -> str | None:
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            try:
                found = self._backend.get_record(NAMESPACE, self._key(key))
            except BackendError as exc:
                log.warning("idempotency record not read from the database, waiting on this machine's: %s", exc)
                return self._local.wait(key, deadline - time.monotonic())
            if found is not None and isinstance(found.get("result"), str):
                return str(found["result"])
            if time.monotonic() >= deadline:
                return None
            time.sleep(self._poll)

    def remember(self, key: str, value: str) -> str | None:
        """The nonce memory every replica shares; unreachable, this machine's, which can only say UNVOUCHED
        for a nonce it has not seen."""
        hashed = "n-" + self._key(key)
        try:
            self._sweep()
            if self._backend.insert_record(NAMESPACE, hashed, {"value": value}):
                return None
            found = self._backend.get_record(NAMESPACE, hashed)
        except BackendError as exc:
            log.warning("nonce record not kept in the database, kept on this machine: %s", exc)
            known = self._local.remember(key, value)
            return UNVOUCHED if known is None else known
        return str(found["value"]) if found is not None and isinstance(found.get("value"), str) else None

    def _sweep(self) -> None:
        now = time.monotonic()
        if now - self._swept >= SWEEP_EVERY_S:
            self._swept = now
            self._backend.expire_records(NAMESPACE, self._ttl)
