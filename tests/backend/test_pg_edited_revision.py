"""An edited revision row in the PostgreSQL state (attack review 68, F4): rollback refuses it, naming the row, and
`audit verify` and `state doctor` report it, as with the files state (tests/apply/test_rollback_edited.py)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from testing.cli import Result
from tests.backend.runners import ACCOUNT, local_spec, write_spec
from tests.backend.runners import oaspec as run_oaspec


def oaspec(cwd: Path, dsn: str, *args: str) -> Result:
    return run_oaspec(cwd, dsn, *args, timeout=120, process=False)


def test_an_edited_revision_row_is_reported_and_not_rolled_back_to(tmp_path: Path, pg_dsn: str) -> None:
    for variant in range(2):  # revision 1: menu 服务0; revision 2: menu 服务1
        write_spec(tmp_path, local_spec(variant))
        assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", "--allow-destroy").returncode == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # someone with write access to the database
        conn.execute("UPDATE oaspec_revisions SET body = replace(body, %s, %s) WHERE account = %s AND number = 1",
                     (json.dumps("服务0")[1:-1], json.dumps("钓鱼0")[1:-1], ACCOUNT))  # as the body is stored
    row = f"revision 1 of account {ACCOUNT}: its desired state digests to sha256:"
    refused = oaspec(tmp_path, pg_dsn, "rollback", "1", "--auto-approve", "--allow-destroy")
    assert refused.returncode == 1 and row in refused.stderr and "nothing was written" in refused.stderr, \
        refused.stderr
    verified = oaspec(tmp_path, pg_dsn, "audit", "verify")
    assert verified.returncode == 1 and row in verified.stderr, verified.stdout + verified.stderr
    doctor = oaspec(tmp_path, pg_dsn, "state", "doctor")
    assert doctor.returncode == 1
    assert any(line.startswith("FAIL revisions") and row in line for line in doctor.stdout.splitlines()), \
        doctor.stdout
    assert "钓鱼0" not in (tmp_path / ".oaspec" / "local" / f"{ACCOUNT}.json").read_text(encoding="utf-8")
