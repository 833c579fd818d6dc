"""`oaspec state migrate`, `state doctor`, `unlock --lock-id` and the state address through the CLI: a
migrated state answers as the files did, an unlock frees exactly one lock and says who did it, and no
password shows in any output."""

from __future__ import annotations

import json
import shutil
import socket
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest

from oa_spec.backend.base import FencedError
from oa_spec.backend.postgres import PostgresBackend
from testing.cli import Result
from tests.backend.helpers import request, revision
from tests.backend.runners import ACCOUNT, local_spec, write_spec
from tests.backend.runners import oaspec as run_oaspec
from tests.backend.test_pg_connect import PASSWORD, password_role

__all__ = ["password_role"]  # the fixture, shared with test_pg_connect.py


def oaspec(cwd: Path, dsn: str | None, *args: str, stdin: str = "", **extra: str) -> Result:
    """These tests are about what the state commands say: one process is enough (no `python -m` each)."""
    return run_oaspec(cwd, dsn, *args, timeout=120, stdin=stdin, process=False, **extra)


def answers(work: Path, dsn: str | None) -> dict[str, str]:
    """What `history`, `show`, `audit verify` and a rollback plan say, for comparing two states."""
    listed = oaspec(work, dsn, "history", "--format", "json")
    shown = oaspec(work, dsn, "show", "2", "--format", "json")
    verified = oaspec(work, dsn, "audit", "verify")
    rollback = oaspec(work, dsn, "rollback", "1", "--allow-destroy", stdin="no\n")  # shows the plan, cancels
    assert listed.returncode == shown.returncode == verified.returncode == 0, listed.stderr + verified.stderr
    assert rollback.returncode == 1 and "apply cancelled: nothing was changed" in rollback.stderr
    plan = rollback.stdout.splitlines(keepends=True)
    named = [line for line in plan if line.startswith("State: the ")]
    assert len(named) == 1, rollback.stdout  # each names its own store (review 51 F3); the rest must match
    return {"history": listed.stdout, "show": shown.stdout,
            "rollback plan": "".join(line for line in plan if line not in named),
            "audit": verified.stdout.split(": ", 1)[1]}  # "N entries, hash chain intact; last entry hash H"


def test_migrate_a_files_state_of_three_revisions_and_get_the_same_answers(tmp_path: Path, pg_dsn: str) -> None:
    files = tmp_path / "files"
    files.mkdir()
    for variant in range(3):
        write_spec(files, local_spec(variant))
        applied = oaspec(files, None, "apply", "--auto-approve", "--allow-destroy")
        assert applied.returncode == 0, applied.stderr
    before = answers(files, None)
    assert [r["revision"] for r in json.loads(before["history"])] == [1, 2, 3]

    migrated = oaspec(files, None, "state", "migrate", "--to", pg_dsn)
    assert migrated.returncode == 0, migrated.stderr
    assert f"{ACCOUNT}: revisions 1, 2, 3" in migrated.stdout and "hash chain intact" in migrated.stdout
    assert "the local provider's accounts stay in .oaspec/local" in migrated.stderr
    assert answers(files, pg_dsn) == before  # history, show, the rollback plan and the chain's head

    copy = tmp_path / "copy"  # the same machine twice (the local account is the platform): roll back on both
    shutil.copytree(files, copy)
    for work, dsn in ((files, None), (copy, pg_dsn)):
        rolled = oaspec(work, dsn, "rollback", "1", "--auto-approve", "--allow-destroy")
        assert rolled.returncode == 0, rolled.stderr
        assert "(revision 4)" in rolled.stdout
        assert oaspec(work, dsn, "audit", "verify").returncode == 0
    account = f".oaspec/local/{ACCOUNT}.json"
    assert json.loads((files / account).read_text())["state"] == json.loads((copy / account).read_text())["state"]
    rows = [json.loads(oaspec(w, d, "history", "--format", "json").stdout) for w, d in ((files, None), (copy, pg_dsn))]
    strip = [[{k: v for k, v in r.items() if k != "time"} for r in rs] for rs in rows]
    assert strip[0] == strip[1]

    again = oaspec(files, None, "state", "migrate", "--to", pg_dsn)
    assert again.returncode == 1 and "already holds revisions of account acct" in again.stderr


def test_a_migrate_whose_read_back_check_fails_leaves_the_target_as_it_was(tmp_path: Path, pg_dsn: str) -> None:
    """Attack review 46 F2: the copy was committed before it was read back, so a failed check left it there: it
    verified, answered `history`, and a second migrate was refused. Here the target changes what it stores (a
    trigger, as a database's own rules or extensions may): the check fails, and nothing may stay behind."""
    write_spec(tmp_path, local_spec(0))
    assert oaspec(tmp_path, None, "apply", "--auto-approve").returncode == 0
    PostgresBackend.open(pg_dsn).close()  # the tables, to put the trigger on
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("""CREATE FUNCTION altered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                        NEW.body := replace(NEW.body, '"spec_digest": "sha256:', '"spec_digest": "sha256:0');
                        RETURN NEW; END $$""")
        conn.execute("CREATE TRIGGER altered BEFORE INSERT ON oaspec_revisions FOR EACH ROW EXECUTE FUNCTION altered()")

    failed = oaspec(tmp_path, None, "state", "migrate", "--to", pg_dsn)
    assert failed.returncode == 1 and f"revision 1 of {ACCOUNT} differs from the copied one" in failed.stderr
    assert "nothing was copied: the copy was rolled back, the database is as it was" in failed.stderr
    target = PostgresBackend.open(pg_dsn)
    assert (target.numbers(ACCOUNT), target.audit_head()[0], target.managed(ACCOUNT)) == ([], 0, {})
    target.close()
    assert oaspec(tmp_path, pg_dsn, "history").returncode == 0  # "No revisions yet": no half-checked copy answers

    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DROP TRIGGER altered ON oaspec_revisions")
    again = oaspec(tmp_path, None, "state", "migrate", "--to", pg_dsn)
    assert again.returncode == 0 and f"{ACCOUNT}: revisions 1" in again.stdout, again.stderr


def test_unlock_releases_exactly_the_named_lock_and_records_who_did_it(tmp_path: Path, pg_dsn: str) -> None:
    holder = PostgresBackend.open(pg_dsn)
    lease = holder.acquire(ACCOUNT, request(holder="alice"))
    host = socket.gethostname()

    unnamed = oaspec(tmp_path, pg_dsn, "unlock", ACCOUNT)
    assert unnamed.returncode == 1
    assert f"locked by alice@{host} (apply, pid" in unnamed.stderr and "https://ci.example/jobs/42" in unnamed.stderr
    assert f"`oaspec unlock {ACCOUNT} --lock-id {lease.lock_id} --force`" in unnamed.stderr  # as written (review 54 F3)

    wrong = oaspec(tmp_path, pg_dsn, "unlock", ACCOUNT, "--lock-id", "0123456789abcdef", OASPEC_USER="ops-li")
    assert wrong.returncode == 1
    assert "does not hold acct: it is locked by alice@" in wrong.stderr and "nothing was released" in wrong.stderr

    live = oaspec(tmp_path, pg_dsn, "unlock", ACCOUNT, "--lock-id", lease.lock_id, OASPEC_USER="ops-li")
    assert live.returncode == 1 and "whose lease is live" in live.stderr and "--force" in live.stderr
    released = oaspec(tmp_path, pg_dsn, "unlock", ACCOUNT, "--lock-id", lease.lock_id, "--force", OASPEC_USER="ops-li")
    assert released.returncode == 0, released.stderr
    assert f"Released the lock on acct held by alice@{host}" in released.stdout
    with pytest.raises(FencedError, match="the lock is now released"):
        holder.append(ACCOUNT, revision(1, account=ACCOUNT), lease)
    assert oaspec(tmp_path, pg_dsn, "unlock", ACCOUNT).stdout.strip() == "acct was not locked."

    entries = [json.loads(line) for line in holder.audit_export(date(2000, 1, 1)).splitlines()]
    assert [(e["operation"], e["result"], e["user"], e["lock_id"]) for e in entries] == [
        ("unlock", "not held", "ops-li", "0123456789abcdef"), ("unlock", "released", "ops-li", lease.lock_id)]
    assert entries[1]["holder"]["holder"] == "alice" and entries[1]["host"] == host
    assert oaspec(tmp_path, pg_dsn, "audit", "verify").returncode == 0
    holder.close()


def test_a_plan_says_when_its_state_holds_no_revision_of_the_account(tmp_path: Path, pg_dsn: str) -> None:
    """A pull request that points the spec's `state:` elsewhere (or drops it) would move history, the audit trail
    and the lock to another store while the account's live objects stay: the plan the reviewer reads says so."""
    write_spec(tmp_path, local_spec())
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve").returncode == 0
    write_spec(tmp_path, local_spec(1))
    kept = oaspec(tmp_path, pg_dsn, "plan", "--format", "markdown")
    assert kept.returncode == 0 and "1 to update" in kept.stdout and "no revision of" not in kept.stdout
    moved = oaspec(tmp_path, None, "plan", "--format", "markdown", "--out", "plan.json")  # the files state now
    assert moved.returncode == 0 and "no revision of acct in the files state" in moved.stdout
    saved = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))  # held to its notes at apply
    where = f"no revision of acct in the files state {tmp_path.resolve()}/.oaspec"
    assert any(note.startswith(where) for note in saved["accounts"][0]["notes"])
    applied = oaspec(tmp_path, None, "apply", "plan.json", "--allow-destroy")
    assert applied.returncode == 0, applied.stderr
    assert "no revision of" not in oaspec(tmp_path, None, "plan").stdout  # its history starts here, as it said


def test_a_plan_names_its_state_and_is_applied_against_no_other(tmp_path: Path, pg_dsn: str) -> None:
    """Which store history, the audit trail and the lock go to is on every plan a reviewer reads (by name and a
    digest of where it is: no host, role or password), and a plan file made against one store is refused by an
    apply that would record into another (the refusal audited); the same store spelled otherwise is the same."""
    write_spec(tmp_path, local_spec())
    planned = oaspec(tmp_path, pg_dsn, "plan", "--format", "markdown", "--out", "plan.json")
    database = psycopg.conninfo.conninfo_to_dict(pg_dsn).get("dbname") or "postgres"
    assert planned.returncode == 0 and f"State: the `PostgreSQL state, database {database}, schema " in planned.stdout
    shown = planned.stdout.split("State: the ", 1)[1].split("\n", 1)[0]
    assert all(part not in shown for part in ("host", "user", "sock", "password")), shown
    saved = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert saved["state"].startswith(f"PostgreSQL state, database {database}, schema ")
    elsewhere = oaspec(tmp_path, None, "apply", "plan.json")  # the files state: not the one the plan named
    assert elsewhere.returncode == 1 and "was made against the PostgreSQL state, database" in elsewhere.stderr
    assert f"would record into the files state {tmp_path.resolve()}/.oaspec" in elsewhere.stderr
    assert not (tmp_path / ".oaspec" / "history").exists()
    refusals = [json.loads(line) for line in (tmp_path / ".oaspec" / "audit.log").read_text().splitlines()]
    assert [(e["result"], e["refusal"]) for e in refusals] == [("refused", "tampered-plan")]
    params = psycopg.conninfo.conninfo_to_dict(pg_dsn)  # the same database, its address written another way
    spelled = " ".join(f"{key}={value}" for key, value in reversed(list(params.items())))
    assert spelled != pg_dsn
    assert oaspec(tmp_path, spelled, "apply", "plan.json").returncode == 0  # against its own store it applies
    assert "State: the PostgreSQL state, database " in oaspec(tmp_path, pg_dsn, "plan").stdout  # the terminal too


def test_one_store_reached_by_another_address_is_one_store(tmp_path: Path, pg_dsn: str) -> None:
    """The id made with the schema names the store, not the address a client used (the CI cluster accepts no
    password-less TCP, so the other address here is its socket directory written with a trailing slash); and
    the State line carries no host, nor a digest of one to guess back."""
    params = psycopg.conninfo.conninfo_to_dict(pg_dsn)
    assert str(params.get("host", "")).startswith("/")  # the CI cluster's socket directory
    elsewhere = psycopg.conninfo.make_conninfo(pg_dsn, host=f"{params['host']}/")
    write_spec(tmp_path, local_spec())
    planned = oaspec(tmp_path, pg_dsn, "plan", "--out", "plan.json")
    assert planned.returncode == 0
    state = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))["state"]
    assert "(store " in state and str(params["host"]) not in state
    applied = oaspec(tmp_path, elsewhere, "apply", "plan.json")
    assert applied.returncode == 0, applied.stderr


def test_another_schema_of_the_same_database_is_another_store(tmp_path: Path, pg_dsn: str) -> None:
    """Environments kept in schemas of one database (options=-csearch_path=...) are told apart."""
    suffix = uuid.uuid4().hex[:8]  # the cluster is shared by every test, and by a rerun against the same server
    names = (f"staging_{suffix}", f"prod_{suffix}")
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE SCHEMA {name}")
    try:
        staging, prod = (f"{pg_dsn} options=-csearch_path={schema}" for schema in names)
        write_spec(tmp_path, local_spec())
        planned = oaspec(tmp_path, staging, "plan", "--out", "plan.json")
        assert planned.returncode == 0 and f", schema {names[0]} (" in planned.stdout
        refused = oaspec(tmp_path, prod, "apply", "plan.json")
        assert refused.returncode == 1 and "would record into the PostgreSQL state" in refused.stderr
        assert f", schema {names[1]} (" in refused.stderr
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP SCHEMA {name} CASCADE")


def test_a_files_state_named_relatively_is_the_directory_it_resolves_to(tmp_path: Path) -> None:
    """`.oaspec` in another working directory is another store: a plan made in one is not applied into the other."""
    first, second = tmp_path / "one", tmp_path / "two"
    for work in (first, second):
        work.mkdir()
        write_spec(work, local_spec())
    assert oaspec(first, None, "plan", "--out", "plan.json").returncode == 0
    shutil.copy(first / "plan.json", second / "plan.json")
    refused = oaspec(second, None, "apply", "plan.json")
    assert refused.returncode == 1 and f"was made against the files state {first.resolve()}/.oaspec" in refused.stderr


def test_an_ownership_row_edited_outside_oaspec_stops_the_plan(tmp_path: Path, pg_dsn: str) -> None:
    """The row deciding what oaspec may delete is held to the newest revision: a role that may UPDATE it cannot
    hand the next reviewed plan a console-made tag to delete (the files state reads only the revision)."""
    write_spec(tmp_path, local_spec())
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve").returncode == 0
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        row = conn.execute("SELECT body FROM oaspec_ownership WHERE account = %s", (ACCOUNT,)).fetchone()
        assert row is not None
        owned = json.loads(row[0])
        conn.execute("UPDATE oaspec_ownership SET body = %s WHERE account = %s",
                     (json.dumps({**owned, "tags": [*owned["tags"], "营业部手工标签"]}), ACCOUNT))
        planned = oaspec(tmp_path, pg_dsn, "plan")
        assert planned.returncode == 1 and "(oaspec_ownership) is not what revision 1 recorded" in planned.stderr
        conn.execute("UPDATE oaspec_ownership SET body = %s WHERE account = %s", (row[0], ACCOUNT))
    assert oaspec(tmp_path, pg_dsn, "plan").returncode == 0


def test_an_ownership_row_for_an_account_with_no_revision_stops_the_plan(tmp_path: Path, pg_dsn: str) -> None:
    write_spec(tmp_path, local_spec())
    assert oaspec(tmp_path, pg_dsn, "plan").returncode == 0  # the schema is made; no revision of acct yet
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # a role that may INSERT claims a console-made tag
        conn.execute("INSERT INTO oaspec_ownership (account, body) VALUES (%s, %s)",
                     (ACCOUNT, json.dumps({"tags": ["营业部手工标签"]})))
    planned = oaspec(tmp_path, pg_dsn, "plan")
    assert planned.returncode == 1 and "is not what any revision recorded (there is none)" in planned.stderr


def test_doctor_on_both_states(tmp_path: Path, pg_dsn: str) -> None:
    checked = oaspec(tmp_path, pg_dsn, "state", "doctor")
    assert checked.returncode == 1 and "FAIL schema" in checked.stdout  # a database oaspec has not used yet
    write_spec(tmp_path, local_spec())
    assert oaspec(tmp_path, pg_dsn, "apply", "--auto-approve").returncode == 0
    checked = oaspec(tmp_path, pg_dsn, "state", "doctor")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert [line.split()[:2] for line in checked.stdout.splitlines()[1:]] == [
        ["ok", "connection"], ["ok", "schema"], ["ok", "permissions"], ["ok", "clock"], ["ok", "audit"],
        ["ok", "revisions"], ["ok", "locking"]]

    other = tmp_path / "files"  # another machine, keeping its state in files
    other.mkdir()
    write_spec(other, local_spec())
    assert oaspec(other, None, "apply", "--auto-approve").returncode == 0
    files = oaspec(other, None, "state", "doctor")
    assert files.returncode == 0, files.stdout
    assert [line.split()[:2] for line in files.stdout.splitlines()[1:]] == [
        ["ok", "directory"], ["ok", "history"], ["ok", "audit"], ["ok", "revisions"], ["ok", "locks"]]
    down = oaspec(tmp_path, "host=127.0.0.1 port=1 user=nobody dbname=x connect_timeout=2", "state", "doctor")
    assert down.returncode == 1 and "FAIL connection" in down.stdout


def test_no_password_in_any_output_and_clear_errors(tmp_path: Path, password_role: tuple[str, str]) -> None:
    _, dsn = password_role
    write_spec(tmp_path, local_spec())
    in_address = oaspec(tmp_path, "postgresql://ci:" + PASSWORD + "@127.0.0.1:1/oaspec", "history")
    assert in_address.returncode == 1 and "postgresql://ci:***@127.0.0.1:1/oaspec" in in_address.stderr
    assert "PGPASSWORD" in in_address.stderr

    wrong = oaspec(tmp_path, dsn, "plan", PGPASSWORD="Wrong-" + PASSWORD)
    assert wrong.returncode == 1 and wrong.stderr.startswith("error: PostgreSQL state backend host=127.0.0.1")
    assert "password authentication failed" in wrong.stderr

    outputs = [in_address, wrong]
    for args in (["apply", "--auto-approve"], ["history", "--format", "json"], ["audit", "export", "--since",
                                                                                 "2000-01-01"], ["state", "doctor"]):
        done = oaspec(tmp_path, dsn, *args, PGPASSWORD=PASSWORD)
        assert done.returncode == 0, done.stderr
        outputs.append(done)
    for result in outputs:
        assert PASSWORD not in result.stdout + result.stderr
    assert not list(tmp_path.rglob("*history*")) and not list(tmp_path.rglob("audit.log"))

    not_postgres = oaspec(tmp_path, "s3://bucket/state", "history")
    assert not_postgres.returncode == 1 and "is not a PostgreSQL address" in not_postgres.stderr
    bad_lease = oaspec(tmp_path, dsn, "history", PGPASSWORD=PASSWORD, OASPEC_LOCK_LEASE_SECONDS="forever")
    assert bad_lease.returncode == 1 and "OASPEC_LOCK_LEASE_SECONDS='forever'" in bad_lease.stderr


def test_an_apply_whose_user_and_ci_url_overflow_the_lock_row_applies_and_doctor_tries_them(
        tmp_path: Path, pg_dsn: str) -> None:
    """As on the files state: the lock row names a cut holder; `state doctor` takes a lock as this run would."""
    long = {"OASPEC_USER": "ci-bot-" + "x" * 250, "CI_JOB_URL": "https://ci.example/jobs/1?" + "q" * 2100}
    write_spec(tmp_path, local_spec())
    applied = oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", **long)
    assert applied.returncode == 0 and "(revision 1)" in applied.stdout, applied.output
    doctor = oaspec(tmp_path, pg_dsn, "state", "doctor", **long)
    assert doctor.returncode == 0 and "ok" in doctor.stdout and "too long" not in doctor.output, doctor.output
    entries = [json.loads(line) for line in oaspec(tmp_path, pg_dsn, "audit", "export", "--since",
                                                    "2000-01-01").stdout.splitlines()]
    assert {e["user"] for e in entries} == {long["OASPEC_USER"]}  # the audit trail keeps the whole value
