"""The PostgreSQL backend against a real server: revisions, the journal, ownership, records, schema."""

from __future__ import annotations

import json
from datetime import date

import psycopg
import pytest

from oa_spec.backend import open_postgres
from oa_spec.backend.base import AuditNote, BackendError, FencedError, RevisionConflict
from oa_spec.backend.pg_connect import latest_version, migrate_schema, schema_version
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from tests.backend.helpers import request, revision


def test_revisions_round_trip_through_revision_json(backend: PostgresBackend) -> None:
    lease = backend.acquire("citybank", request())
    assert backend.next_number("citybank") == 1
    backend.append("citybank", revision(1), lease)
    backend.append("citybank", revision(2, status="failed"), lease)
    assert backend.numbers("citybank") == [1, 2]
    assert backend.next_number("citybank") == 3
    assert backend.get("citybank", 2).status == "failed"
    assert backend.get("citybank", 1) == revision(1)
    assert backend.numbers("other") == [] and backend.accounts() == ["citybank"]


def test_an_existing_number_is_a_conflict_and_never_overwritten(backend: PostgresBackend) -> None:
    lease = backend.acquire("citybank", request())
    backend.append("citybank", revision(1, tags=("first",)), lease)
    with pytest.raises(RevisionConflict, match="revision 1 was recorded by another run first"):
        backend.append("citybank", revision(1, tags=("second",)), lease)
    assert backend.get("citybank", 1).managed == {"tags": ["first"]}
    assert backend.managed("citybank") == {"tags": ["first"]}


def test_a_missing_revision_names_the_known_ones(backend: PostgresBackend) -> None:
    with pytest.raises(OaspecError, match=r"no revision 1 \(this account has no revisions yet"):
        backend.get("citybank", 1)
    backend.append("citybank", revision(1), backend.acquire("citybank", request()))
    with pytest.raises(OaspecError, match=r"no revision 7 \(known revisions: 1\.\.1\)"):
        backend.get("citybank", 7)


def test_the_journal_holds_the_number_until_the_run_finishes(backend: PostgresBackend) -> None:
    lease = backend.acquire("citybank", request())
    backend.begin("citybank", revision(1, tags=("maybe",)), lease)
    assert backend.started("citybank") == [1]
    assert backend.numbers("citybank") == [1]  # history shows the attempt, as the files state does
    assert backend.next_number("citybank") == 2  # and nobody else can take number 1
    assert backend.get("citybank", 1).managed == {"tags": ["maybe"]}
    assert backend.managed("citybank") == {"tags": ["maybe"]}  # what a killed run may have made stays owned
    backend.finish("citybank", revision(1, tags=("done",)), lease)
    assert backend.started("citybank") == []
    assert backend.get("citybank", 1).managed == {"tags": ["done"]}
    assert backend.managed("citybank") == {"tags": ["done"]}
    with pytest.raises(OaspecError, match="no started record"):
        backend.finish("citybank", revision(1), lease)


def test_keyed_records_insert_once_and_update(backend: PostgresBackend) -> None:
    assert backend.insert_record("gateway.idempotency", "citybank/msg-1", {"reply": "hi"}) is True
    assert backend.insert_record("gateway.idempotency", "citybank/msg-1", {"reply": "again"}) is False
    assert backend.get_record("gateway.idempotency", "citybank/msg-1") == {"reply": "hi"}
    backend.put_record("published", "citybank/2026-12-01", {"id": 1})
    backend.put_record("published", "citybank/2026-12-01", {"id": 2})
    backend.put_record("published", "other/2026-12-01", {"id": 3})
    assert backend.list_records("published", "citybank/") == {"citybank/2026-12-01": {"id": 2}}
    assert backend.delete_record("published", "citybank/2026-12-01") is True
    assert backend.delete_record("published", "citybank/2026-12-01") is False
    assert backend.get_record("published", "citybank/2026-12-01") is None


def test_schema_migrations_are_idempotent_and_versioned(pg_dsn: str) -> None:
    for _ in range(2):
        PostgresBackend.open(pg_dsn).close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert schema_version(conn) == latest_version()
        assert migrate_schema(conn) == []
        rows = conn.execute("SELECT version FROM oaspec_schema_version").fetchall()
    assert [r[0] for r in rows] == list(range(1, latest_version() + 1))


def test_a_schema_newer_than_this_oaspec_is_refused(pg_dsn: str) -> None:
    PostgresBackend.open(pg_dsn).close()
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO oaspec_schema_version (version, name) VALUES (999, '999_future.sql')")
    with pytest.raises(OaspecError, match="schema version 999 is newer than this oaspec knows"):
        PostgresBackend.open(pg_dsn)


def test_an_address_that_is_not_postgresql_is_refused_with_what_to_use(pg_dsn: str) -> None:
    open_postgres(pg_dsn).close()
    with pytest.raises(BackendError, match="is not a PostgreSQL address"):
        open_postgres("s3://bucket/state")


def test_records_refuse_empty_keys_and_stale_leases(pg_dsn: str, backend: PostgresBackend) -> None:
    with pytest.raises(OaspecError, match="the namespace must be 1-64 characters and the key 1-512"):
        backend.put_record("published", "", {"id": 1})  # openGauss would store '' as NULL
    lease = backend.acquire("citybank", request())
    backend.put_record("published", "citybank/slot", {"id": 1}, lease)
    other = PostgresBackend.open(pg_dsn)
    other.release("citybank", lease.lock_id)
    other.acquire("citybank", request(holder="bob"))
    with pytest.raises(FencedError):
        backend.put_record("published", "citybank/slot", {"id": 2}, lease)
    with pytest.raises(FencedError):
        backend.delete_record("published", "citybank/slot", lease)
    assert backend.get_record("published", "citybank/slot") == {"id": 1}
    other.close()


def test_a_revision_and_its_audit_entry_land_together_or_not_at_all(pg_dsn: str, backend: PostgresBackend) -> None:
    lease = backend.acquire("citybank", request())
    backend.begin("citybank", revision(1), lease, AuditNote("apply", "started", {"revision": 1}))
    backend.finish("citybank", revision(1), lease, AuditNote("apply", "applied", {"revision": 1}))
    with pytest.raises(RevisionConflict):
        backend.append("citybank", revision(1), lease, AuditNote("apply", "applied", {"revision": 1}))
    other = PostgresBackend.open(pg_dsn)
    other.release("citybank", lease.lock_id)
    other.acquire("citybank", request(holder="bob"))
    with pytest.raises(FencedError):
        backend.append("citybank", revision(2), lease, AuditNote("apply", "applied", {"revision": 2}))
    other.close()
    entries = [json.loads(line) for line in backend.audit_export(date(2000, 1, 1)).splitlines()]
    assert [(e["result"], e["revision"], e["account"]) for e in entries] == [
        ("started", 1, "citybank"), ("applied", 1, "citybank")]
    assert backend.numbers("citybank") == [1] and backend.audit_verify() is None
