"""`audit verify` and `audit head` on PostgreSQL while other runners append (review 51 F1): one snapshot.

Another runner's unlock, apply or refusal may commit an entry at any moment of a verification. What is
verified, and the length and head printed, are one consistent view of the trail: an append that commits
meanwhile is neither taken for entries removed from the end nor printed as a head no one verified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from oa_spec.backend import pg_audit
from oa_spec.backend.pg_state import PostgresState
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.history import audit
from tests.backend.helpers import stored_entry
from tests.backend.runners import local_spec, oaspec, write_spec


def fill(backend: PostgresBackend, count: int) -> None:
    for i in range(count):
        backend.audit_append("unlock", f"bank{i}", "not held", lock_id="00000000000000aa")


def appending_meanwhile(monkeypatch: pytest.MonkeyPatch, dsn: str) -> list[int]:
    """Another runner appends one entry, committed, while each verification is reading the rows: as the
    attack's `oaspec unlock` loop did. Returns how many it appended."""
    other = PostgresBackend.open(dsn)
    appended = [0]
    real_check = pg_audit._check

    def check_and_let_another_runner_append(seq: int, *args: Any) -> Any:
        if seq == 2:
            other.audit_append("unlock", "runner2", "not held", lock_id="00000000000000bb")
            appended[0] += 1
        return real_check(seq, *args)

    monkeypatch.setattr(pg_audit, "_check", check_and_let_another_runner_append)
    return appended


def test_an_append_committed_during_verify_is_no_tamper_alarm_and_not_in_the_verified_head(
        pg_dsn: str, backend: PostgresBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(backend, 3)
    before = backend.audit_head()
    appended = appending_meanwhile(monkeypatch, pg_dsn)
    check = PostgresState(backend).audit.verify()
    assert appended == [1]
    assert check.problem is None, check.problem
    assert (check.entries, check.head) == before  # what was verified, not the entry appended after its snapshot
    assert backend.audit_head()[0] == 4 and backend.audit_verify() is None


def test_audit_head_and_verify_through_the_cli_while_another_runner_appends(
        tmp_path: Path, pg_dsn: str, backend: PostgresBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    write_spec(tmp_path, local_spec())
    fill(backend, 3)
    appended = appending_meanwhile(monkeypatch, pg_dsn)
    head = oaspec(tmp_path, pg_dsn, "audit", "head", process=False)
    assert head.returncode == 0, head.stderr
    printed = json.loads(head.stdout)
    assert printed["entries"] == 3
    verified = oaspec(tmp_path, pg_dsn, "audit", "verify", process=False)
    assert verified.returncode == 0, verified.stderr
    assert "4 entries, hash chain intact" in verified.stdout + verified.stderr
    assert appended == [2]


def test_a_row_inserted_past_the_head_is_still_caught(pg_dsn: str, backend: PostgresBackend) -> None:
    """One snapshot: a row beyond the head row in it was not appended by oaspec (an append moves both)."""
    fill(backend, 2)
    entry = stored_entry(pg_dsn, 2)
    entry.update(seq=3, prev=entry["hash"], result="released")  # chained, but the head row left as it was
    entry["hash"] = audit.entry_hash(entry)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO oaspec_audit (seq, hash, entry_time, entry) VALUES (3, %s, %s, %s)",
                     (entry["hash"], entry["time"], audit.canonical(entry)))
    fault = backend.audit_verify()
    assert fault is not None and fault.seq == 3, fault
    assert "past the head row" in fault.message
