"""Two CI runners with no shared files and one PostgreSQL: what one applies, the other sees, plans against,
lists, rolls back and verifies. And where the `local` provider's account lives when the state is shared.

Applies run the real entry point as processes of their own; the commands run on what they left (plan,
history, rollback, audit verify, validate) run in this process, in their runner's directory, as
tests/backend/runners.py allows where a test is about what a command says (a process cost ~0.5 s of CPU)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorServer
from oa_spec.limits import RESERVED_TAG_IDS
from testing.cli import Result, run_in_process
from tests.backend.runners import ACCOUNT, SECRET, local_spec, oaspec, runner_variables, spec, write_spec

APPID = "wx00000000runners1"


@pytest.fixture
def emulator(server: EmulatorServer) -> EmulatorServer:
    server.admin.reset()
    server.admin.register_app(APPID, SECRET)
    return server


def in_process(cwd: Path, dsn: str | None, *args: str, **extra: str) -> Result:
    """runners.oaspec(..., process=False): the same environment and the same no-traceback check."""
    result = run_in_process(*args, cwd=cwd, env=runner_variables(dsn, **extra))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def runner(tmp_path: Path, name: str) -> Path:
    work = tmp_path / name
    work.mkdir()
    return work


def no_state_files(work: Path) -> bool:
    """Nothing but the local provider's accounts may be kept on a runner when the state is shared."""
    state = work / ".oaspec"
    return not any(p for p in state.rglob("*") if p.is_file() and "local" not in p.relative_to(state).parts)


@pytest.mark.long
def test_two_runners_share_history_ownership_rollback_and_the_audit_trail(
        tmp_path: Path, pg_dsn: str, emulator: EmulatorServer) -> None:
    first, second = runner(tmp_path, "runner-1"), runner(tmp_path, "runner-2")
    for variant in (0, 1):  # two revisions, both applied on the first runner
        write_spec(first, spec(emulator, APPID, variant))
        applied = oaspec(first, pg_dsn, "apply", "--auto-approve", "--allow-destroy", OASPEC_USER="ci-first")
        assert applied.returncode == 0, applied.stderr
        assert f"(revision {variant + 1})" in applied.stdout

    write_spec(second, spec(emulator, APPID, 1))
    planned = in_process(second, pg_dsn, "plan", "--detailed-exitcode")
    assert planned.returncode == 0, planned.stdout + planned.stderr  # objects oaspec made are oaspec's here too
    assert "No changes" in planned.stdout and "not made by oaspec" not in planned.stdout + planned.stderr

    listed = in_process(second, pg_dsn, "history", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["revision"], r["status"], r["user"]) for r in rows] == [(1, "applied", "ci-first"),
                                                                       (2, "applied", "ci-first")]

    rolled = in_process(second, pg_dsn, "rollback", "1", "--auto-approve", "--allow-destroy",
                    OASPEC_USER="ci-second")
    assert rolled.returncode == 0, rolled.stderr
    assert "(revision 3)" in rolled.stdout
    back = emulator.admin.state(APPID)
    tags = sorted(t["name"] for t in back["tags"] if t["id"] not in RESERVED_TAG_IDS)
    assert tags == [f"客群0-{i}" for i in range(4)]

    write_spec(first, spec(emulator, APPID, 0))  # the first runner sees the rollback as the new truth
    assert in_process(first, pg_dsn, "plan", "--detailed-exitcode").returncode == 0
    heads = set()
    for work in (first, second):
        verified = in_process(work, pg_dsn, "audit", "verify")
        assert verified.returncode == 0, verified.stderr
        assert "hash chain intact" in verified.stdout and "PostgreSQL state backend" in verified.stdout
        heads.add(verified.stdout.rsplit(" ", 1)[-1])
        assert no_state_files(work)
    assert len(heads) == 1  # one trail, seen alike from both runners
    shown = json.loads(in_process(first, pg_dsn, "history", "--format", "json").stdout)
    assert [(r["revision"], r["operation"], r["user"]) for r in shown][-1] == (3, "rollback", "ci-second")


def test_the_local_providers_account_stays_on_the_runner(tmp_path: Path, pg_dsn: str) -> None:
    """The local provider stands in for the platform: with a shared state its account stays in the state
    directory of the machine that ran it (as the platform would stay where it is), and plan says so."""
    first, second = runner(tmp_path, "runner-1"), runner(tmp_path, "runner-2")
    write_spec(first, local_spec())
    applied = in_process(first, pg_dsn, "apply", "--auto-approve")  # where the state goes, not the process
    assert applied.returncode == 0, applied.stderr
    assert (first / ".oaspec" / "local" / f"{ACCOUNT}.json").is_file()
    assert no_state_files(first)  # the revision, ownership and audit trail went to the database
    assert f"the local provider keeps {ACCOUNT} on this machine, in .oaspec/local, not in PostgreSQL state " \
           "backend" in applied.stderr

    write_spec(second, local_spec())
    planned = in_process(second, pg_dsn, "plan", "--detailed-exitcode")
    assert planned.returncode == 2  # a different machine, so a different (empty) local account
    assert "the local provider keeps" in planned.stderr
    listed = json.loads(in_process(second, pg_dsn, "history", "--format", "json").stdout)
    assert [r["revision"] for r in listed] == [1]  # while the history is the shared one

    again = in_process(first, pg_dsn, "plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr  # the first machine's account matches
    files_only = in_process(first, None, "plan", "--detailed-exitcode")  # no --state: the files state, no note
    assert "the local provider keeps" not in files_only.stderr


@pytest.mark.long
def test_a_spec_whose_state_block_names_the_variable_needs_no_state_option(
        tmp_path: Path, pg_dsn: str, emulator: EmulatorServer) -> None:
    """`state: {variable: OASPEC_...}` in the spec: every command that keeps state (apply, history, audit,
    rollback) finds the database through that variable, on any runner, with no --state or OASPEC_STATE."""
    first, second = runner(tmp_path, "runner-1"), runner(tmp_path, "runner-2")
    for work, variant in ((first, 0), (second, 1)):
        write_spec(work, {**spec(emulator, APPID, variant), "state": {"variable": "OASPEC_RUNNER_STATE"}})
    applied = oaspec(first, None, "apply", "--auto-approve", OASPEC_RUNNER_STATE=pg_dsn)
    assert applied.returncode == 0, applied.stderr
    applied = oaspec(second, None, "apply", "--auto-approve", "--allow-destroy", OASPEC_RUNNER_STATE=pg_dsn)
    assert "(revision 2)" in applied.stdout, applied.stderr  # the second runner saw revision 1

    listed = in_process(first, None, "history", "--format", "json", OASPEC_RUNNER_STATE=pg_dsn)
    assert [r["revision"] for r in json.loads(listed.stdout)] == [1, 2]
    verified = in_process(first, None, "audit", "verify", OASPEC_RUNNER_STATE=pg_dsn)
    assert "PostgreSQL state backend" in verified.stdout and verified.returncode == 0
    assert no_state_files(first) and no_state_files(second)

    unset = in_process(second, None, "history")  # never a silent fall-back to an empty files state
    assert unset.returncode == 1 and "OASPEC_RUNNER_STATE, which is not set here" in unset.stderr
    assert not (second / ".oaspec").exists() or no_state_files(second)
    checked = in_process(second, None, "validate")  # validate keeps no state: a warning, as for a missing secret
    assert checked.returncode == 0 and "OASPEC_RUNNER_STATE is not set" in checked.stderr
