"""Processes the backend tests run side by side: `python -m tests.backend.workers COMMAND DSN ...`.

Like the CLI, a worker prints an OaspecError as one line on stderr and exits 1."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from oa_spec.backend.base import RevisionConflict
from oa_spec.backend.heartbeat import hold
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from tests.backend.helpers import request, revision

ACCOUNT = "citybank"


def race(dsn: str, tries: str) -> None:
    """Append without a lock, `tries` times: the unique (account, number) alone must keep numbers unique."""
    backend = PostgresBackend.open(dsn)
    for _ in range(int(tries)):
        number = backend.next_number(ACCOUNT)
        try:
            backend.append(ACCOUNT, revision(number), None)
            print(f"ok {number}", flush=True)
        except RevisionConflict as exc:
            print(f"conflict {exc}", flush=True)


def locked_apply(dsn: str, timeout: str, holder: str) -> None:
    """An apply under the lock: journal the revision, work a little, finish it."""
    backend, renewer = PostgresBackend.open(dsn, lease_seconds=5), PostgresBackend.open(dsn, lease_seconds=5)
    with hold(backend, renewer, ACCOUNT, request(holder=holder), timeout=float(timeout)) as lease:
        started = time.time()
        number = backend.next_number(ACCOUNT)
        backend.begin(ACCOUNT, revision(number), lease)
        time.sleep(0.2)
        backend.finish(ACCOUNT, revision(number), lease)
        print(f"ok {number} {started} {time.time()}", flush=True)


def holder(dsn: str, lease_seconds: str) -> None:
    """Take the lock, say so, then on each stdin line try to record the next revision."""
    backend = PostgresBackend.open(dsn, lease_seconds=float(lease_seconds))
    renewer = PostgresBackend.open(dsn, lease_seconds=float(lease_seconds))
    with hold(backend, renewer, ACCOUNT, request(holder="paused-run")) as lease:
        print(f"locked {lease.fencing_token}", flush=True)
        for _ in sys.stdin:
            backend.append(ACCOUNT, revision(backend.next_number(ACCOUNT)), lease)
            print("wrote", flush=True)


def open_schema(dsn: str) -> None:
    """Open the backend (creating or upgrading the schema), as every runner's first step does."""
    PostgresBackend.open(dsn).close()
    print("opened", flush=True)


COMMANDS: dict[str, Callable[..., None]] = {
    "race": race, "locked-apply": locked_apply, "holder": holder, "open": open_schema,
}


def main() -> int:
    command, *args = sys.argv[1:]
    try:
        COMMANDS[command](*args)
    except OaspecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
