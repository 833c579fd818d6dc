"""The audit trail in PostgreSQL keeps the files backend's hash chain, under concurrent appends too."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from oa_spec.backend.doctor import doctor
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from oa_spec.history import audit
from oa_spec.history.audit import GENESIS
from tests.backend.helpers import stored_entry
from tests.backend.runners import local_spec, oaspec, write_spec

FORGED = '{"changes":{"applied":0},"os_user":"mallory","result":"failed","user":"mallory",'

DUPLICATED = 'not a valid entry (the key "changes" appears twice)'


def fill(backend: PostgresBackend, count: int, account: str = "citybank") -> None:
    for i in range(count):
        backend.audit_append("apply", account, "applied", revision=i + 1, changes={"applied": 1})


def test_the_chain_is_the_files_chain(backend: PostgresBackend, tmp_path: Path) -> None:
    assert backend.audit_head() == (0, GENESIS)
    fill(backend, 3)
    assert backend.audit_verify() is None
    exported = tmp_path / "audit.log"
    exported.write_text(backend.audit_export(date(2000, 1, 1)), encoding="utf-8")
    assert audit.verify(exported) is None  # the files backend's verifier accepts the database's chain
    assert backend.audit_head() == audit.head(exported)


def test_concurrent_appends_never_fork_the_chain(pg_dsn: str, backend: PostgresBackend) -> None:
    errors: list[Exception] = []

    def append_ten(account: str) -> None:  # (each its own account: a revision number is recorded once)
        b = PostgresBackend.open(pg_dsn)
        try:
            fill(b, 10, account)
        except Exception as exc:  # collected: a failure in a thread must fail the test
            errors.append(exc)
        finally:
            b.close()

    threads = [threading.Thread(target=append_ten, args=(f"bank{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert backend.audit_verify() is None
    assert backend.audit_head()[0] == 40


@pytest.mark.parametrize(("tamper", "seq", "message"), [
    ("UPDATE oaspec_audit SET entry = replace(entry, '\"applied\"', '\"failed\"') WHERE seq = 3", 3, "was edited"),
    ("DELETE FROM oaspec_audit WHERE seq = 2", 3, "seq 2 removed"),
    ("DELETE FROM oaspec_audit WHERE seq = 4", 4, "entries were removed from the end"),
    ("UPDATE oaspec_audit SET hash = 'sha256:' || repeat('1', 64) WHERE seq = 1", 1, "was edited"),
    ("UPDATE oaspec_audit SET entry_time = '2020-01-01T00:00:00+00:00' WHERE seq = 2", 2, "entry_time column"),
    # forged values put before the real ones: json.loads keeps the last, so the hash still matches
    (f"UPDATE oaspec_audit SET entry = replace(entry, '{{\"account\":', '{FORGED}\"account\":') WHERE seq = 4", 4,
     DUPLICATED),
    ("UPDATE oaspec_audit SET entry = replace(entry, ',', ', ') WHERE seq = 2", 2,
     "was edited: its stored text is not the canonical form of the entry"),
])
def test_a_tampered_row_is_named(pg_dsn: str, backend: PostgresBackend, tamper: str, seq: int, message: str) -> None:
    fill(backend, 4)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(tamper.encode())
    fault = backend.audit_verify()
    assert fault is not None and fault.seq == seq and message in fault.message, fault


def test_a_rewritten_chain_from_a_row_on_is_caught_at_that_row(pg_dsn: str, backend: PostgresBackend) -> None:
    fill(backend, 3)
    entry = stored_entry(pg_dsn, 2)
    entry["result"] = "failed"
    entry["prev"] = "sha256:" + "2" * 64  # recomputing its own hash is easy; the link to seq 1 is not
    entry["hash"] = audit.entry_hash(entry)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE oaspec_audit SET entry = %s, hash = %s WHERE seq = 2",
                     (audit.canonical(entry), entry["hash"]))
    fault = backend.audit_verify()
    assert fault is not None and fault.seq == 2 and "does not chain to seq 1" in fault.message


def test_export_since_a_day(backend: PostgresBackend) -> None:
    fill(backend, 2)
    today = datetime.now(UTC).date()
    assert len(backend.audit_export(today).splitlines()) == 2
    assert backend.audit_export(today + timedelta(days=1)) == ""


def test_an_entry_is_exported_by_its_own_time_not_a_column_outside_the_hash(pg_dsn: str,
                                                                               backend: PostgresBackend) -> None:
    fill(backend, 3)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # a role with UPDATE moves an entry out of today's export
        conn.execute("UPDATE oaspec_audit SET entry_time = '2020-01-01T00:00:00+00:00' WHERE seq = 2")
    assert len(backend.audit_export(datetime.now(UTC).date()).splitlines()) == 3


def test_a_row_rewritten_with_duplicate_keys_fails_verify_head_and_export(tmp_path: Path, pg_dsn: str) -> None:
    """Through the CLI, as the attack ran: the rewritten row keeps its hash, so only its text can tell."""
    write_spec(tmp_path, local_spec())
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", process=False).returncode == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"UPDATE oaspec_audit SET entry = replace(entry, '{{\"account\":', '{FORGED}\"account\":') "
                     "WHERE seq = (SELECT max(seq) FROM oaspec_audit)".encode())
    for args in (("audit", "verify"), ("audit", "head"), ("audit", "export", "--since", "2000-01-01")):
        refused = oaspec(tmp_path, pg_dsn, *args, process=False)
        assert refused.returncode == 1, (args, refused.output)
        assert f"audit entry seq 2: {DUPLICATED}" in refused.stderr, refused.stderr
        assert "mallory" not in refused.stdout


def test_export_refuses_a_row_that_is_not_its_canonical_text(pg_dsn: str, backend: PostgresBackend) -> None:
    """Even without `audit verify` first (a row rewritten between the two), export ships no rewritten text."""
    fill(backend, 2)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"UPDATE oaspec_audit SET entry = replace(entry, '{{\"account\":', '{FORGED}\"account\":') "
                     "WHERE seq = 2".encode())
    with pytest.raises(OaspecError, match=f"audit entry seq 2: {re.escape(DUPLICATED)}"):
        backend.audit_export(date(2000, 1, 1))


def test_a_missing_head_row_refuses_an_append_with_a_cause_not_an_internal_error(tmp_path: Path, pg_dsn: str) -> None:
    """Attack review 78 F5: with the chain's head row deleted (the table tampered with or damaged), apply stopped
    with "internal error: AssertionError ... this is a bug in oaspec" from the append's assert. It now stops before
    any write naming the table and what to do, as `audit verify` does."""
    write_spec(tmp_path, local_spec(0))
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", process=False).returncode == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM oaspec_audit_head")
    write_spec(tmp_path, local_spec(1))
    applied = oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", "--allow-destroy", process=False)
    assert applied.returncode == 1, applied.stdout + applied.stderr
    assert "internal error" not in applied.stderr and "Traceback" not in applied.stderr, applied.stderr
    assert "oaspec_audit_head" in applied.stderr and "nothing was changed" in applied.stderr, applied.stderr
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM oaspec_revisions").fetchone() == (1,)
    # and `state doctor` says so, as `audit verify` does (attack review 78's note: every check read ok)
    audit = next(check for check in doctor(pg_dsn).checks if check.name == "audit")
    assert not audit.ok and "head row is missing" in audit.detail, audit
