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


def test_an_edited_ownership_row_refuses_the_plan_instead_of_deleting_what_oaspec_never_made(
        tmp_path: Path, pg_dsn: str) -> None:
    """Attack review 78 F2: what oaspec manages is held to the digest the newest revision's audit entry records: a
    tag the CRM made, added by hand to the ownership row and to the revision row alike (the row is held to the
    revision's list), was deleted by the next plan as oaspec's own, and neither `audit verify` nor `state doctor`
    saw it."""
    write_spec(tmp_path, local_spec(0))
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve").returncode == 0
    local = tmp_path / ".oaspec" / "local" / f"{ACCOUNT}.json"
    data = json.loads(local.read_text(encoding="utf-8"))
    data["state"]["tags"].append({"name": "CRM客户", "id": 200})  # made by the bank's CRM, not by oaspec
    local.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "unmanaged, left alone: acct/tags/CRM客户" in oaspec(tmp_path, pg_dsn, "plan").stdout
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # someone with write access to the database
        body = json.loads(_one(conn, "SELECT body FROM oaspec_ownership WHERE account = %s"))
        body["tags"] = sorted([*body["tags"], "CRM客户"])
        body["tag_ids"] = sorted([*body.get("tag_ids", []), "200=CRM客户"])
        conn.execute("UPDATE oaspec_ownership SET body = %s WHERE account = %s", (json.dumps(body), ACCOUNT))
        record = json.loads(_one(conn, "SELECT body FROM oaspec_revisions WHERE account = %s AND number = 1"))
        record["managed"] = body
        conn.execute("UPDATE oaspec_revisions SET body = %s WHERE account = %s AND number = 1",
                     (json.dumps(record, ensure_ascii=False), ACCOUNT))
    verified = oaspec(tmp_path, pg_dsn, "audit", "verify")
    assert verified.returncode == 1 and f"revision 1 of account {ACCOUNT}" in verified.stderr, verified.stderr
    planned = oaspec(tmp_path, pg_dsn, "plan")
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert f"revision 1 of account {ACCOUNT}: the audit trail records the digest" in planned.stderr
    assert "- tag CRM客户" not in planned.stdout
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve").returncode == 1
    assert "CRM客户" in local.read_text(encoding="utf-8")


def _one(conn: psycopg.Connection[tuple[object, ...]], query: str) -> str:
    row = conn.execute(query, (ACCOUNT,)).fetchone()
    assert row is not None
    return str(row[0])


def test_a_revision_row_edited_in_who_applied_it_is_reported(tmp_path: Path, pg_dsn: str) -> None:
    """Attack review 78 F4: the outcome's audit entry records the digest of the whole record, so a row edited in what
    no other digest covers (who applied it) is reported and not rolled back to."""
    for variant in range(2):
        write_spec(tmp_path, local_spec(variant))
        assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", "--allow-destroy").returncode == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        record = json.loads(_one(conn, "SELECT body FROM oaspec_revisions WHERE account = %s AND number = 1"))
        record["user"] = "lisi"
        conn.execute("UPDATE oaspec_revisions SET body = %s WHERE account = %s AND number = 1",
                     (json.dumps(record, ensure_ascii=False), ACCOUNT))
    row = f"revision 1 of account {ACCOUNT}: the audit trail records the digest"
    verified = oaspec(tmp_path, pg_dsn, "audit", "verify")
    assert verified.returncode == 1 and row in verified.stderr, verified.stdout + verified.stderr
    refused = oaspec(tmp_path, pg_dsn, "rollback", "1", "--auto-approve", "--allow-destroy")
    assert refused.returncode == 1 and row in refused.stderr, refused.stderr
