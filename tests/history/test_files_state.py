"""The files state behind the state interface: the `.oaspec/` layout is what it was, a lock file carries
a lock id that fences the run's writes and names the lock to release, and a run can wait for a lock."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oa_spec.history import audit, lock
from oa_spec.history.files import FilesState
from oa_spec.history.revisions import INTERRUPTED, Revision
from oa_spec.kinds.state import AccountState
from tests.conftest import Cli

SPEC = """\
version: 1
bank: 示例银行
accounts:
  - id: acct
    name: 示例银行
    provider: {type: local}
    tags: [{name: 高净值客户}]
"""


def test_the_layout_on_disk_is_unchanged(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(SPEC, encoding="utf-8")
    assert cli("apply", "--auto-approve").returncode == 0
    state = tmp_path / ".oaspec"
    files = sorted(str(p.relative_to(state)) for p in state.rglob("*") if p.is_file())
    assert files == ["audit.log", "history/acct/000001.json", "local/acct.json",  # the lock is gone again;
                     "locks/acct.lock.guard"]  # its guard stays (review 52 F2: a guard is never removed)
    record = json.loads((state / "history" / "acct" / "000001.json").read_text(encoding="utf-8"))
    assert Revision.from_json(record).to_json() == record and record["managed"]["tags"] == ["高净值客户"]
    assert len(record["provenance"]["lock_id"]) == 16  # whose journal it was: history tells a live run by it
    assert FilesState(state).history("acct").get(1).number == 1


@pytest.mark.parametrize("stray", ["UPPER", ".git", "notes about acct"])
def test_a_directory_in_the_history_that_is_no_account_stops_no_command(cli: Cli, tmp_path: Path, stray: str) -> None:
    # attack review 78's note: one made by hand stopped history, audit verify and state doctor for every account
    (tmp_path / "oaspec.yaml").write_text(SPEC, encoding="utf-8")
    assert cli("apply", "--auto-approve").returncode == 0
    (tmp_path / ".oaspec" / "history" / stray).mkdir()
    shown = cli("history")
    assert shown.returncode == 0 and "acct" in shown.stdout and stray not in shown.stdout + shown.stderr, shown.stderr
    assert cli("audit", "verify").returncode == 0
    doctor = cli("state", "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr


def test_a_lock_file_names_its_id_and_job_and_unlock_frees_only_that_id(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(SPEC, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from oa_spec.history.lock import account_lock\n"
        "with account_lock(Path('.oaspec'), 'acct', 'apply'):\n"
        "    print('locked', flush=True); sys.stdin.readline()\n")], cwd=tmp_path, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "OASPEC_USER": "zhangwei",
                                               "CI_JOB_URL": "https://gitlab.bank.example/oa/-/jobs/9"})
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        on_disk = json.loads((tmp_path / ".oaspec" / "locks" / "acct.lock").read_text(encoding="utf-8"))
        lock_id = on_disk["lock_id"]
        assert on_disk["ci_job_url"] == "https://gitlab.bank.example/oa/-/jobs/9" and len(lock_id) == 16

        blocked = cli("apply", "--auto-approve")
        assert blocked.returncode == 1
        assert f"locked by zhangwei@{socket.gethostname()} (pid {holder.pid}, apply since" in blocked.stderr
        assert "https://gitlab.bank.example/oa/-/jobs/9" in blocked.stderr
        assert f"`oaspec unlock acct --lock-id {lock_id} --force`" in blocked.stderr  # its run still goes
        assert "--lock-timeout" in blocked.stderr

        wrong = cli("unlock", "acct", "--lock-id", "0123456789abcdef")
        assert wrong.returncode == 1 and "nothing was released" in wrong.stderr
        live = cli("unlock", "acct")  # no id, a live holder on this host: refused as before
        assert live.returncode == 1 and "still running on this host" in live.stderr
        named = cli("unlock", "acct", "--lock-id", lock_id)  # named by its id, it is still alive: refused too
        assert named.returncode == 1 and "still running on this host" in named.stderr
        released = cli("unlock", "acct", "--lock-id", lock_id, "--force")
        assert released.returncode == 0 and "Released the lock on acct held by zhangwei@" in released.stdout
    finally:
        holder.communicate("\n", timeout=30)
    entries = [json.loads(line) for line in (tmp_path / ".oaspec" / "audit.log").read_text().splitlines()]
    assert [(e["operation"], e["result"], e.get("lock_id"), e.get("refusal"), e.get("forced")) for e in entries] == [
        ("apply", "refused", None, "lock", None), ("unlock", "not held", "0123456789abcdef", None, None),
        ("unlock", "released", lock_id, None, True)]
    assert cli("audit", "verify").returncode == 0


def test_history_and_show_call_a_journal_running_while_its_run_holds_the_lock(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(SPEC, encoding="utf-8")
    state = FilesState(tmp_path / ".oaspec")
    journal = Revision(number=1, account="acct", time="2026-12-06T02:00:00+00:00", user="ci", operation="apply",
                       status="failed", spec_digest="sha256:" + "a" * 64, desired=AccountState(),
                       live_before=AccountState(), live_after=None, changes=[], applied=[], error=INTERRUPTED)
    with state.lock("acct", "apply") as lease:  # this test's process is the run: alive on this host
        journal.provenance = {"lock_id": lease.lock_id}
        state.history("acct").begin(journal, lease, audit.revision_note(journal, "started"))
        listed, shown = cli("history"), cli("show", "1")
        assert " running " in listed.stdout and "failed" not in listed.stdout
        assert "status:      running" in shown.stdout and f"@{socket.gethostname()} (pid {os.getpid()}" in shown.stdout
        assert "still running: " in shown.stdout and "killed" not in shown.stdout
    after = cli("history")  # the run is gone and never finished: killed, as far as anyone can tell
    assert " failed " in after.stdout and "running" not in after.stdout
    assert "killed, or the machine went down" in cli("show", "1").stdout


def test_apply_waits_for_a_lock_with_lock_timeout(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(SPEC, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from oa_spec.history.lock import account_lock\n"
        "with account_lock(Path('.oaspec'), 'acct', 'apply'):\n"
        "    print('locked', flush=True); time.sleep(1.5)\n")], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    began = time.monotonic()
    waited = cli("apply", "--auto-approve", "--lock-timeout", "30")
    holder.wait(timeout=30)
    assert waited.returncode == 0, waited.stderr
    assert time.monotonic() - began > 1.0 and "applied 1 change(s) (revision 1)" in waited.stdout


def test_an_old_lock_file_without_an_id_still_holds_and_is_released_as_before(tmp_path: Path) -> None:
    path = lock.lock_path(tmp_path, "acct")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"pid": 1, "host": "ci-runner-7", "user": "zhangwei", "operation": "apply",
                                "time": "2026-11-24T10:00:00+00:00"}), encoding="utf-8")
    done = FilesState(tmp_path).unlock("acct", None)
    assert done.released and done.lock_id is None and "zhangwei@ci-runner-7" in str(done.holder)
    assert not path.exists()


def test_apply_and_publish_exclude_each_other_and_a_killed_publish_leaves_nothing_held(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: in the files state apply took the account lock and publish its own, so the two could
    # interleave on one account (PostgreSQL's publish takes the account lock); a killed run must leave nothing held
    state = FilesState(tmp_path)
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "0.2")
    busy = r"its publish lock is held by .*cannot apply; nothing was written: run again when it has finished \(--lock"
    with state.content("acct").publishing():
        with pytest.raises(lock.LockedError, match=busy), state.lock("acct", "apply"):
            pass
        assert not lock.lock_path(tmp_path, "acct").exists()  # the account lock was let go again
    locked = r"account acct is locked after waiting 0.2s by .*apply since .*cannot publish; nothing was sent"
    with state.lock("acct", "apply"), pytest.raises(lock.LockedError, match=locked), state.content("acct").publishing():
        pass
    holder = subprocess.Popen([sys.executable, "-c", HOLD_PUBLISH, str(tmp_path)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        with pytest.raises(lock.LockedError, match="cannot apply"), state.lock("acct", "apply"):
            pass
    finally:
        holder.kill()
        holder.wait(10)
    with state.lock("acct", "apply", timeout=5):  # SIGKILL released it: the kernel's, not a file's
        pass
    with state.content("acct").publishing():  # and the account lock is gone again
        pass


HOLD_PUBLISH = """
import sys, time
from pathlib import Path
from oa_spec.history.files import FilesState
with FilesState(Path(sys.argv[1])).content("acct").publishing():
    print("holding", flush=True)
    time.sleep(60)
"""
