"""`state migrate` (files -> PostgreSQL, verified) and `state doctor` against a real server."""

from __future__ import annotations

import time
import types
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from oa_spec.backend import doctor as doctor_module
from oa_spec.backend.doctor import doctor
from oa_spec.backend.migrate import MigrationError, migrate
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.content.publish_lock import holding_publish
from oa_spec.errors import OaspecError
from oa_spec.history import audit
from oa_spec.history.lock import LockedError, account_lock, lock_path
from oa_spec.history.revisions import RevisionStore
from tests.backend.conftest import Cluster
from tests.backend.helpers import revision


def files_state(state_dir: Path) -> None:
    """citybank with 3 revisions (the last a rollback), minibank with 1, and their audit entries."""
    for number, tags, operation in [(1, ("vip",), "apply"), (2, ("vip", "new"), "apply"), (3, ("vip",), "rollback")]:
        r = revision(number, tags=tags, operation=operation)
        RevisionStore(state_dir, "citybank").save(r)
        audit.record_revision(state_dir, r)
    r = revision(1, account="minibank", tags=("x",))
    RevisionStore(state_dir, "minibank").save(r)
    audit.record_revision(state_dir, r)


def test_migrate_copies_history_ownership_and_audit_and_answers_the_same(tmp_path: Path, pg_dsn: str) -> None:
    files_state(tmp_path)
    target = PostgresBackend.open(pg_dsn)
    result = migrate(tmp_path, target)
    assert result.revisions == {"citybank": [1, 2, 3], "minibank": [1]}
    assert (result.audit_entries, result.head_hash) == audit.head(audit.log_path(tmp_path))
    files = RevisionStore(tmp_path, "citybank")
    for number in (1, 2, 3):  # what `history` and `rollback N` read
        assert target.get("citybank", number) == files.get(number)
    managed = files.managed()
    assert target.managed("citybank") == {k: sorted(v) for k, v in managed.items()} == {"tags": ["vip"]}
    assert target.audit_verify() is None
    target.audit_append("unlock", "citybank", "released")  # the copied chain goes on growing
    assert target.audit_verify() is None
    with pytest.raises(MigrationError, match="already holds revisions of account citybank"):
        migrate(tmp_path, target)
    assert target.numbers("citybank") == [1, 2, 3]


def test_migrate_refuses_a_files_audit_trail_that_does_not_verify(tmp_path: Path, pg_dsn: str) -> None:
    files_state(tmp_path)
    log = audit.log_path(tmp_path)
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")  # an entry removed
    target = PostgresBackend.open(pg_dsn)
    with pytest.raises(MigrationError, match=r"audit.log:2: .*seq 2 removed.*restore it from backup"):
        migrate(tmp_path, target)
    assert target.numbers("citybank") == [] and target.audit_head()[0] == 0


def test_migrate_into_a_target_with_an_audit_trail_is_refused(tmp_path: Path, pg_dsn: str) -> None:
    files_state(tmp_path)
    target = PostgresBackend.open(pg_dsn)
    target.audit_append("apply", "otherbank", "applied")
    with pytest.raises(MigrationError, match="two chains cannot be merged"):
        migrate(tmp_path, target)
    assert target.numbers("citybank") == []


def test_migrate_of_an_empty_directory_says_so(tmp_path: Path, pg_dsn: str) -> None:
    with pytest.raises(MigrationError, match="no history or audit log to migrate"):
        migrate(tmp_path, PostgresBackend.open(pg_dsn))


def test_migrate_waits_for_no_run_and_copies_nothing_while_an_account_is_locked(tmp_path: Path, pg_dsn: str) -> None:
    """Attack review 7: a run holding the lock finished into the files after the copy, and the database
    recorded it as interrupted."""
    files_state(tmp_path)
    target = PostgresBackend.open(pg_dsn)
    with account_lock(tmp_path, "minibank", "apply"), pytest.raises(LockedError, match="minibank"):
        migrate(tmp_path, target)
    assert target.numbers("citybank") == [] and target.audit_head()[0] == 0
    with account_lock(tmp_path, "thirdbank", "apply"), pytest.raises(LockedError, match="thirdbank"):
        migrate(tmp_path, target)  # attack review 8: a first apply, with no history yet, holds its lock
    assert target.numbers("citybank") == [] and target.audit_head()[0] == 0
    with holding_publish(tmp_path, "citybank", "publish", 0), pytest.raises(LockedError, match="cannot state migrate"):
        migrate(tmp_path, target)  # attack review 25: a first publish, with no content record yet, holds its lock
    assert target.numbers("citybank") == [] and target.audit_head()[0] == 0
    assert migrate(tmp_path, target).revisions == {"citybank": [1, 2, 3], "minibank": [1]}
    assert not lock_path(tmp_path, "citybank").exists() and not lock_path(tmp_path, "minibank").exists()


def test_doctor_on_a_healthy_database(pg_dsn: str) -> None:
    PostgresBackend.open(pg_dsn).close()
    report = doctor(pg_dsn)
    assert [(c.name, c.ok) for c in report.checks] == [
        ("connection", True), ("schema", True), ("permissions", True), ("clock", True), ("audit", True),
        ("revisions", True), ("locking", True)]
    assert report.ok


def test_doctor_before_the_schema_exists(pg_dsn: str) -> None:
    report = doctor(pg_dsn)
    assert not report.ok and "no oaspec tables" in report.checks[-1].detail


def test_doctor_names_missing_privileges(pg_cluster: Cluster, pg_dsn: str) -> None:
    PostgresBackend.open(pg_dsn).close()
    role, schema = "ro_" + uuid.uuid4().hex[:8], str(conninfo_to_dict(pg_dsn)["options"]).split("=")[1]
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    try:
        report = doctor(make_conninfo(pg_dsn, user=role))
        permissions = next(c for c in report.checks if c.name == "permissions")
        assert not permissions.ok and "INSERT on oaspec_revisions" in permissions.detail
    finally:
        with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_doctor_reports_clock_skew(pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    PostgresBackend.open(pg_dsn).close()
    monkeypatch.setattr(doctor_module, "time", types.SimpleNamespace(time=lambda: time.time() - 60))
    clock = next(c for c in doctor(pg_dsn).checks if c.name == "clock")
    assert not clock.ok and "ahead of this runner's" in clock.detail


def test_doctor_when_the_server_is_unreachable() -> None:
    report = doctor("host=127.0.0.1 port=1 user=nobody dbname=x connect_timeout=2")
    assert [(c.name, c.ok) for c in report.checks] == [("connection", False)]
    assert report.checks[0].detail.startswith("PostgreSQL state backend host=127.0.0.1 port=1")


def test_doctor_with_a_role_that_cannot_read_the_version_table(pg_cluster: Cluster, pg_dsn: str) -> None:
    PostgresBackend.open(pg_dsn).close()
    role, schema = "nr_" + uuid.uuid4().hex[:8], str(conninfo_to_dict(pg_dsn)["options"]).split("=")[1]
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    try:
        report = doctor(make_conninfo(pg_dsn, user=role))
        assert [(c.name, c.ok) for c in report.checks] == [("connection", True), ("schema", False)]
        assert "checking the schema failed" in report.checks[1].detail
        assert "permission denied" in report.checks[1].detail
    finally:
        with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_migrate_copies_the_content_record_so_publishing_goes_on_where_it_stopped(tmp_path: Path,
                                                                                  pg_dsn: str) -> None:
    from oa_spec.backend.pg_state import PostgresState
    from oa_spec.content.record import ContentRecord, DraftEntry, SendEntry

    files_state(tmp_path)
    with ContentRecord(tmp_path, "citybank").edit() as record:
        record.images["body:" + "a" * 64] = "https://mmbiz.qpic.cn/1"
        record.drafts["young/deposit-insurance"] = DraftEntry("MEDIA_1", {"title": "五分钟看懂存款保险"}, {})
        record.put_send(SendEntry(slot="finance-class/2026-12-09", article="young/deposit-insurance",
                                  mode="broadcast", content_sha256="b" * 64, clientmsgid="c1", state="sent",
                                  journalled_at="2026-12-09T09:00:00+08:00", msg_id="1000001"))
    target = PostgresBackend.open(pg_dsn)
    result = migrate(tmp_path, target)
    assert result.content == ["citybank"]
    copied = PostgresState(target).content("citybank").load()
    assert copied == ContentRecord(tmp_path, "citybank").load() and copied.sends["finance-class/2026-12-09"].done


def test_migrate_stops_at_a_damaged_content_record_and_copies_nothing(tmp_path: Path, pg_dsn: str) -> None:
    files_state(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "citybank.json").write_text("{not json", encoding="utf-8")
    target = PostgresBackend.open(pg_dsn)
    with pytest.raises(OaspecError, match="the content record is corrupt"):
        migrate(tmp_path, target)
    assert target.numbers("citybank") == [] and target.audit_head()[0] == 0
