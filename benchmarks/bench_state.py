"""How long the PostgreSQL state backend takes next to the files store, for what a run does to its state.

Times, per backend, N repetitions of:
- append:  record one revision (a realistic record: 20 tags' worth of desired/live state);
- read:    list an account's revision numbers and read the newest one (what `history` and plan read);
- lock:    take the account's lock and release it (files: account_lock; PostgreSQL: acquire + release);
- audit:   append one audit entry (files: flock'd, fsync'd log; PostgreSQL: one transaction on the head row).

and prints each PostgreSQL time as a ratio to the files time. The issue's target (a no-change plan and
an apply at most 1.2x the files backend) is measured once apply and plan are wired to the backend; these
ratios say where the state part of that time goes. The files store fsyncs every write; PostgreSQL
commits durably (fsync on, the server's default), so both pay for durability.

    .ci/postgres.sh run python benchmarks/bench_state.py            # 200 of each
    OASPEC_TEST_PG_DSN=... python benchmarks/bench_state.py -n 50
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from oa_spec.backend.base import LockRequest
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.history import audit
from oa_spec.history.lock import account_lock
from oa_spec.history.revisions import Revision, RevisionStore
from oa_spec.kinds.state import AccountState, Tag

ACCOUNT = "citybank"


def revision(number: int) -> Revision:
    state = AccountState(tags=tuple(Tag(name=f"客群{t:03d}") for t in range(20)))
    return Revision(number=number, account=ACCOUNT, time="2026-11-25T02:00:00+00:00", user="bench", operation="apply",
                    status="applied", spec_digest="sha256:" + "a" * 64, desired=state, live_before=AccountState(),
                    live_after=state, changes=[], applied=[], managed={"tags": [t.name for t in state.tags]})


def timed(action: Callable[[int], object], n: int) -> float:
    start = time.perf_counter()
    for i in range(1, n + 1):
        action(i)
    return time.perf_counter() - start


def files_times(state_dir: Path, n: int) -> dict[str, float]:
    store = RevisionStore(state_dir, ACCOUNT)

    def read(_: int) -> object:
        return store.get(store.numbers()[-1])

    def lock(_: int) -> None:
        with account_lock(state_dir, ACCOUNT, "apply"):
            pass

    return {
        "append": timed(lambda i: store.save(revision(i)), n), "read": timed(read, n), "lock": timed(lock, n),
        "audit": timed(lambda i: audit.append(state_dir, "apply", ACCOUNT, "applied", revision=i), n),
    }


def postgres_times(backend: PostgresBackend, n: int) -> dict[str, float]:
    request = LockRequest(holder="bench", host=socket.gethostname(), operation="apply", pid=os.getpid())
    lease = backend.acquire(ACCOUNT, request)

    def read(_: int) -> object:
        return backend.get(ACCOUNT, backend.numbers(ACCOUNT)[-1])

    times = {"append": timed(lambda i: backend.append(ACCOUNT, revision(i).to_json(), lease), n),
             "read": timed(read, n)}
    backend.release(ACCOUNT, lease.lock_id)

    def lock(_: int) -> None:
        held = backend.acquire(ACCOUNT, request)
        backend.release(ACCOUNT, held.lock_id)

    times["lock"] = timed(lock, n)
    times["audit"] = timed(lambda i: backend.audit_append("apply", ACCOUNT, "applied", revision=i), n)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=200, help="repetitions of each operation")
    args = parser.parse_args()
    dsn = os.environ.get("OASPEC_TEST_PG_DSN")
    if not dsn:
        print("set OASPEC_TEST_PG_DSN, or run under `.ci/postgres.sh run`", file=sys.stderr)
        return 2
    schema = "bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = files_times(Path(tmp), args.n)
        backend = PostgresBackend.open(make_conninfo(dsn, options=f"-csearch_path={schema}"))
        try:
            pg = postgres_times(backend, args.n)
        finally:
            backend.close()
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"{'operation':<10}{'files ms':>10}{'postgres ms':>13}{'ratio':>8}   ({args.n} each, per operation)")
    for name in files:
        f_ms, p_ms = files[name] * 1000 / args.n, pg[name] * 1000 / args.n
        print(f"{name:<10}{f_ms:>10.2f}{p_ms:>13.2f}{p_ms / f_ms:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
