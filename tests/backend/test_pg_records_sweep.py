"""The sweep of the gateway's expired idempotency records in PostgreSQL (attack review 77, a note). Every callback
leaves a record for ten minutes: a template push's job-finish events can leave millions, and deleting the expired
ones then takes seconds. The sweep ran inside a message's own database call, bounded at CALL_DEADLINE_S, on the
connection every message takes turns on: past the bound the replica took the database for unreachable (no webhooks,
no unencrypted messages) for RETRY_AFTER_S at a time. It runs on a thread and a connection of its own, by an index
on the records' age."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest

from oa_spec.backend.pg_idempotency import NAMESPACE, PostgresIdempotency
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.gateway.dedup import MemoryIdempotency


@pytest.fixture
def shared(pg_dsn: str) -> Iterator[PostgresBackend]:
    backend = PostgresBackend.open(pg_dsn)
    yield backend
    backend.close()


def test_a_sweep_that_takes_long_holds_no_message_up_and_leaves_the_database_trusted(
        pg_dsn: str, shared: PostgresBackend) -> None:
    assert shared.insert_record(NAMESPACE, "expired", {"result": "您好"})
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE oaspec_records SET updated_at = now() - interval '1 hour'")
    with psycopg.connect(pg_dsn) as holder:  # a transaction holding the expired row: the sweep's delete waits on it
        holder.execute("SELECT 1 FROM oaspec_records WHERE record_key = 'expired' FOR UPDATE")
        store = PostgresIdempotency(shared, MemoryIdempotency(600), sweep_with=PostgresBackend(pg_dsn))
        started = time.monotonic()
        assert store.claim("citybank:msg-1")  # its call sweeps, which waits on the row
        assert store.claim("citybank:msg-2")
        assert time.monotonic() - started < 1.0
        assert store.problem() is None  # the database answered each call: it is not taken for unreachable
        rows = holder.execute("SELECT count(*) FROM oaspec_records").fetchone()
        assert rows == (3,)  # both claims are in the database, not only this machine's memory
        holder.rollback()
    deadline = time.monotonic() + 10
    while shared.get_record(NAMESPACE, "expired") is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert shared.get_record(NAMESPACE, "expired") is None  # swept once the row was free


def test_the_records_are_found_by_their_age(pg_dsn: str, shared: PostgresBackend) -> None:
    with psycopg.connect(pg_dsn) as conn:
        indexes = conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'oaspec_records'").fetchall()
    assert any("(namespace, updated_at)" in row[0] for row in indexes), indexes
