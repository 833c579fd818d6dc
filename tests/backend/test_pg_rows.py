"""Damaged rows of the PostgreSQL state, through the CLI: each is named as corrupt (never a crash), and a
corrupt newest revision refuses its account's plan, apply and rollback, as a corrupt newest file does."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from oa_spec.backend.pg_rows import fitted
from oa_spec.backend.pg_state import PostgresState
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from testing.cli import Result
from tests.backend.runners import ACCOUNT, local_spec, write_spec
from tests.backend.runners import oaspec as run_oaspec

DEEP = "repeat('[', 100000)"  # parses only with a recursion deeper than Python allows


def oaspec(cwd: Path, dsn: str, *args: str) -> Result:
    result = run_oaspec(cwd, dsn, *args, timeout=120, process=False)
    assert "RecursionError" not in result.output and "internal error" not in result.output, result.output
    return result


def two_revisions(work: Path, dsn: str) -> None:
    for variant in (0, 1):
        write_spec(work, local_spec(variant))
        applied = oaspec(work, dsn, "apply", "--auto-approve", "--allow-destroy")
        assert applied.returncode == 0, applied.stderr
    write_spec(work, local_spec(2))


def damage(dsn: str, statement: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement.encode())


@pytest.mark.parametrize("body", [DEEP, "'{\"number\": 7, ' || substr(body, 2)"])  # too deep; read two ways
def test_a_deeply_nested_or_ambiguous_revision_row_is_named_as_corrupt(tmp_path: Path, pg_dsn: str, body: str) -> None:
    two_revisions(tmp_path, pg_dsn)
    damage(pg_dsn, f"UPDATE oaspec_revisions SET body = {body} WHERE number = 1")
    for args in (("history",), ("show", "1")):
        named = oaspec(tmp_path, pg_dsn, *args)
        assert named.returncode == 1 and f"revision 1 of account {ACCOUNT} is corrupt" in named.stderr, named.output
        assert "restore it from the database's backup" in named.stderr


def test_a_deeply_nested_audit_row_is_named_by_its_seq(tmp_path: Path, pg_dsn: str) -> None:
    two_revisions(tmp_path, pg_dsn)
    damage(pg_dsn, f"UPDATE oaspec_audit SET entry = {DEEP} WHERE seq = 2")
    verified = oaspec(tmp_path, pg_dsn, "audit", "verify")
    assert verified.returncode == 1 and "audit entry seq 2: not a valid entry (nested too deeply)" in verified.stderr
    exported = oaspec(tmp_path, pg_dsn, "audit", "export", "--since", "2000-01-01")
    assert exported.returncode == 1 and "not exporting" in exported.stderr


def test_a_deeply_nested_content_row_is_named_as_corrupt(pg_dsn: str) -> None:
    state = PostgresState(PostgresBackend.open(pg_dsn))
    try:
        damage(pg_dsn, f"INSERT INTO oaspec_records (namespace, record_key, body) VALUES ('content', 'bank', {DEEP})")
        for read in (state.content("bank").load, lambda: state.content("bank").edit().__enter__()):
            with pytest.raises(OaspecError, match=r"bank is corrupt \(nested too deeply\)"):
                read()
    finally:
        state.close()


def test_a_corrupt_newest_revision_refuses_plan_apply_and_rollback_naming_the_row(tmp_path: Path,
                                                                                  pg_dsn: str) -> None:
    """As on the files state: what oaspec owns is unknown, so nothing is planned or written (attack review 40
    F1); the row to restore and where from are named, and history still lists the readable revisions."""
    two_revisions(tmp_path, pg_dsn)
    damage(pg_dsn, "UPDATE oaspec_revisions SET body = 'garbage' WHERE number = 2")
    for args in (("plan",), ("apply", "--auto-approve", "--allow-destroy"),
                 ("rollback", "1", "--auto-approve", "--allow-destroy")):
        refused = oaspec(tmp_path, pg_dsn, *args)
        assert refused.returncode == 1 and "(revision 3)" not in refused.stdout, refused.output
        assert f"revision 2 of account {ACCOUNT} is corrupt (" in refused.stderr
        assert "restore the row from the database's backup" in refused.stderr
    listed = oaspec(tmp_path, pg_dsn, "history", "--format", "json")
    assert [row["revision"] for row in json.loads(listed.stdout)] == [1], listed.output
    assert f"revision 2 of account {ACCOUNT} is corrupt (" in listed.stderr


def test_lock_values_are_cut_to_their_columns_in_bytes_never_mid_character() -> None:
    assert fitted("alice", 255) == "alice" and fitted(None, 255) is None and fitted("x" * 255, 255) == "x" * 255
    for text in ("x" * 300, "机器人" * 100, "x" + "机器人" * 100):
        cut = fitted(text, 255)
        assert cut is not None and len(cut.encode("utf-8")) <= 255 and cut.endswith("…")
        assert text.startswith(cut[:-1]) and len(cut.encode("utf-8")) > 250


def test_a_revision_row_holding_another_revisions_record_is_named_as_corrupt(tmp_path: Path, pg_dsn: str) -> None:
    # attack review 73: revision 1's record restored into revision 2's row was read, and served, as revision 2
    two_revisions(tmp_path, pg_dsn)
    damage(pg_dsn, "UPDATE oaspec_revisions SET body = (SELECT body FROM oaspec_revisions WHERE number = 1) "
                   "WHERE number = 2")
    named = oaspec(tmp_path, pg_dsn, "show", "2")
    assert named.returncode == 1 and f"revision 2 of account {ACCOUNT} is corrupt" in named.stderr, named.output
