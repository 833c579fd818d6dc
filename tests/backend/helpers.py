"""Records and requests the backend tests share."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from oa_spec.backend.base import LockRequest
from oa_spec.history.revisions import Revision, Status
from oa_spec.kinds.state import AccountState, Tag


def revision(number: int, account: str = "citybank", status: Status = "applied", tags: tuple[str, ...] = ("vip",),
             operation: str = "apply") -> Revision:
    state = AccountState(tags=tuple(Tag(name=t) for t in tags))
    return Revision(number=number, account=account, time="2026-11-25T02:00:00+00:00", user="ci", operation=operation,
                    status=status, spec_digest="sha256:" + "a" * 64, desired=state, live_before=AccountState(),
                    live_after=state, changes=[], applied=[f"tag.{t}" for t in tags],
                    managed={"tags": sorted(tags)})


def request(operation: str = "apply", holder: str = "alice") -> LockRequest:
    return LockRequest(holder=holder, host=socket.gethostname(), operation=operation, pid=os.getpid(),
                       ci_job_url="https://ci.example/jobs/42")


@contextmanager
def disk_full(dsn: str, table: str, when: str = "INSERT", condition: str = "true") -> Iterator[None]:
    """The database's disk is full for one kind of write: each `when` (INSERT, UPDATE) on `table` whose row
    meets `condition` fails as PostgreSQL fails it (SQLSTATE 53100), inside the test's own schema."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION oaspec_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
                     "END $$")
        conn.execute(f"CREATE TRIGGER disk_full BEFORE {when} ON {table} FOR EACH ROW WHEN ({condition}) "
                     "EXECUTE FUNCTION oaspec_test_disk_full()")
    try:
        yield
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER disk_full ON {table}")
            conn.execute("DROP FUNCTION oaspec_test_disk_full()")


def stored_entry(dsn: str, seq: int) -> dict[str, Any]:
    """The audit entry the database holds at `seq`, as a test that tampers with it starts from."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT entry FROM oaspec_audit WHERE seq = %s", (seq,)).fetchone()
    assert row is not None, f"no audit entry at seq {seq}"
    entry: dict[str, Any] = json.loads(row[0])
    return entry
