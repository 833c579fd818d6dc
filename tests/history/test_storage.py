"""History storage: durable atomic writes, private files, schema migrations, stale locks, corrupt records."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oa_spec.errors import OaspecError
from oa_spec.history import lock, revisions
from oa_spec.history.files import FilesState
from oa_spec.history.migrations import Migrations, Record
from oa_spec.util import fileio
from testing.cli import Cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_fsyncs_the_file_and_then_its_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    target = tmp_path / "history" / "000001.json"
    fileio.write_json_atomic(target, {"a": 1})
    assert synced == ["file", "dir"]
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": 1}
    assert _mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["000001.json"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "state.json"
    fileio.write_json_atomic(target, {"old": True})

    def broken_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        fileio.write_json_atomic(target, {"new": True})
    assert json.loads(target.read_text(encoding="utf-8")) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


# --- migrations ----------------------------------------------------------------------------------------
def _rename_user(record: Record) -> Record:
    record["operator"] = record.pop("user")
    return record


def _add_channel(record: Record) -> Record:
    record["channel"] = "cli"
    return record


def test_migrations_run_each_step_in_order() -> None:
    registry = Migrations("test records")
    registry.step(from_version=1)(_rename_user)
    registry.step(from_version=2)(_add_channel)
    old = {"schema_version": 1, "user": "zhangwei"}
    assert registry.upgrade(old, 3) == {"schema_version": 3, "operator": "zhangwei", "channel": "cli"}
    assert old == {"schema_version": 1, "user": "zhangwei"}  # the caller's record is not changed
    assert registry.upgrade({"schema_version": 3, "x": 1}, 3) == {"schema_version": 3, "x": 1}


@pytest.mark.parametrize(("version", "message"), [
    (4, "written by a newer oaspec"), (None, "not a version number"), ("1", "not a version number"),
    (True, "not a version number"), (0, "not a version number"),
])
def test_migrations_refuse_versions_they_cannot_read(version: Any, message: str) -> None:
    registry = Migrations("test records")
    with pytest.raises(ValueError, match=message):
        registry.upgrade({"schema_version": version}, 3)


def test_a_missing_or_duplicate_step_is_an_error() -> None:
    registry = Migrations("test records")
    registry.step(from_version=1)(_rename_user)
    with pytest.raises(ValueError, match="from schema_version 2 to 3"):
        registry.upgrade({"schema_version": 1, "user": "x"}, 3)
    with pytest.raises(ValueError, match="already exists"):
        registry.step(from_version=1)(_add_channel)


def test_revision_store_reads_an_older_record_through_the_registry(
        cli: Cli, citybank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    store = revisions.RevisionStore(tmp_path / ".oaspec", "citybank")
    path = store.dir / "000001.json"
    stored = path.read_bytes()
    # Pretend this oaspec is at version 2, where `user` became `operator` in the file.
    registry = Migrations("revision records")

    @registry.step(from_version=1)
    def _to_v2(record: Record) -> Record:
        record["user"] = "migrated:" + record["user"]
        return record

    monkeypatch.setattr(revisions, "REVISIONS", registry)
    monkeypatch.setattr(revisions, "SCHEMA_VERSION", 2)
    assert store.get(1).user.startswith("migrated:")
    assert path.read_bytes() == stored  # upgraded in memory, never rewritten

    data = json.loads(stored)
    data["schema_version"] = 3
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(OaspecError, match=r"000001\.json.*written by a newer oaspec"):
        store.get(1)


# --- locks ---------------------------------------------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True, timeout=30)
    return int(child.stdout)


def _holder(**fields: Any) -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "user": "ops", "operation": "apply",
            "time": datetime.now(UTC).isoformat(timespec="seconds"), **fields}


def test_lock_file_is_private_and_released(tmp_path: Path) -> None:
    with lock.account_lock(tmp_path, "citybank", "apply"):
        path = lock.lock_path(tmp_path, "citybank")
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
        assert json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not path.exists()


def test_a_live_lock_says_wait(tmp_path: Path) -> None:
    with lock.account_lock(tmp_path, "citybank", "apply"), \
            pytest.raises(lock.LockedError, match="wait for it to finish"), \
            lock.account_lock(tmp_path, "citybank", "rollback"):
        pass


def test_a_lock_whose_process_is_gone_is_stale(tmp_path: Path) -> None:
    pid = _dead_pid()
    path = lock.lock_path(tmp_path, "citybank")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(_holder(pid=pid)), encoding="utf-8")
    with pytest.raises(lock.LockedError) as raised, lock.account_lock(tmp_path, "citybank", "apply"):
        pass
    assert f"the lock is stale: the holder's process (pid {pid}) is gone from this host" in str(raised.value)
    assert "oaspec unlock citybank" in str(raised.value)


def test_a_lock_whose_pid_now_names_another_process_is_stale(tmp_path: Path) -> None:
    """A restarted container that keeps its hostname hands a dead run's pid to a new process (unlock itself,
    here this test's process): the lock records when its process started, so the pid alone proves nothing."""
    started = lock.process_start(os.getpid())
    assert started is not None  # Linux
    path = lock.lock_path(tmp_path, "citybank")
    path.parent.mkdir(parents=True)
    other_namespace = _holder(started=str(int(started) - 1), namespaces="pid:[1] time:[1]", lock_id="0123456789abcdef")
    path.write_text(json.dumps(other_namespace), encoding="utf-8")  # read in other namespaces: nothing known here
    assert lock.stale_reason(lock.read_holder(path) or {}) is None
    with pytest.raises(lock.LockedError, match="still running on this host"):
        lock.unlock(tmp_path, "citybank", lock_id="0123456789abcdef")
    reused = _holder(started=str(int(started) - 1), namespaces=lock.namespaces(), lock_id="0123456789abcdef")
    path.write_text(json.dumps(reused), encoding="utf-8")
    assert lock.stale_reason(lock.read_holder(path) or {}) == \
        f"the holder's process (pid {os.getpid()}) is gone from this host"
    assert FilesState(tmp_path).running("citybank", "0123456789abcdef") is None
    assert lock.unlock(tmp_path, "citybank", lock_id="0123456789abcdef") is not None  # no --force needed
    with lock.account_lock(tmp_path, "citybank", "apply"):  # a lock of its own records its start, and is live
        holder = lock.read_holder(path) or {}
        assert holder["started"] == started and lock.live_holder(holder)


def test_a_holder_in_other_namespaces_is_live_and_the_message_says_force(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here tells whether a process of another PID namespace runs (a sibling container, or this one
    restarted): it is taken as live, and the lock message says a person releases it with --force."""
    started = lock.process_start(os.getpid())
    path = lock.lock_path(tmp_path, "citybank")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(_holder(started=started, namespaces="pid:[1] time:[1]", lock_id="0123456789abcdef")),
                    encoding="utf-8")
    with pytest.raises(lock.LockedError) as raised, lock.account_lock(tmp_path, "citybank", "apply"):
        pass
    assert "another PID namespace" in str(raised.value)
    assert "`oaspec unlock citybank --lock-id 0123456789abcdef --force`" in str(raised.value)
    real_readlink = os.readlink

    def without_time_namespaces(link: str) -> str:  # a kernel before 5.6
        if link.endswith("/time"):
            raise FileNotFoundError(link)
        return real_readlink(link)

    monkeypatch.setattr(os, "readlink", without_time_namespaces)
    pid_only = lock.namespaces()
    assert pid_only is not None and pid_only.startswith("pid:") and "time" not in pid_only
    path.write_text(json.dumps(_holder(started=str(int(started or 0) - 1), namespaces="pid:[1]",
                                       lock_id="0123456789abcdef")), encoding="utf-8")
    with pytest.raises(lock.LockedError, match="still running on this host"):  # another PID namespace: live
        lock.unlock(tmp_path, "citybank", lock_id="0123456789abcdef")
    path.write_text(json.dumps(_holder(started=str(int(started or 0) - 1), namespaces=pid_only,
                                       lock_id="0123456789abcdef")), encoding="utf-8")
    assert lock.unlock(tmp_path, "citybank", lock_id="0123456789abcdef") is not None  # this one: pid reused


def test_an_old_lock_is_stale_even_from_another_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = _holder(host="ci-runner-7", pid=1, time="2025-01-01T00:00:00+00:00")
    now = datetime(2025, 1, 1, 7, 30, tzinfo=UTC)
    assert lock.stale_reason(holder, now) == \
        "it was taken 7h30m ago, longer than OASPEC_LOCK_STALE_SECONDS=21600 seconds"
    monkeypatch.setenv("OASPEC_LOCK_STALE_SECONDS", "86400")
    assert lock.stale_reason(holder, now) is None
    assert lock.stale_reason(_holder(host="ci-runner-7", time="garbage")) is None


# --- corrupt records -----------------------------------------------------------------------------------
def test_a_corrupt_revision_is_named_and_does_not_stop_the_next_apply(cli: Cli, citybank: Path,
                                                                       tmp_path: Path) -> None:
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_V2}", 1),
                            encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    history = tmp_path / ".oaspec" / "history" / "citybank"
    (history / "000001.json").write_text('{"schema_version": 1, "number": 1, "acc', encoding="utf-8")

    listed = cli("history", "--account", "citybank")
    assert listed.returncode == 1
    assert "000001.json: the revision record is corrupt" in listed.stderr
    assert "citybank        2" in listed.stdout  # the readable revisions are still listed
    assert "restore it from backup" in listed.stderr and "Traceback" not in listed.stderr
    shown = cli("show", "1", "--account", "citybank", "-f", str(citybank))
    assert shown.returncode == 1 and "000001.json" in shown.stderr

    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_V2}", "key: TXN_V3}", 1),
                            encoding="utf-8")
    again = cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert again.returncode == 0, again.stderr
    assert "(revision 3)" in again.stdout
    assert cli("plan", "-f", str(citybank), "--account", "citybank", "--detailed-exitcode").returncode == 0
    assert sorted(p.name for p in history.iterdir()) == ["000001.json", "000002.json", "000003.json"]
    assert all(_mode(p) == 0o600 for p in history.iterdir())


def test_a_corrupt_latest_revision_refuses_the_plan_naming_the_file_and_what_to_do(cli: Cli, citybank: Path,
                                                                                   tmp_path: Path) -> None:
    """What oaspec owns is unknown (attack review 40 F1): no older revision stands in."""
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_V2}", 1),
                            encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    (tmp_path / ".oaspec" / "history" / "citybank" / "000002.json").write_text("{ torn", encoding="utf-8")

    plan = cli("plan", "-f", str(citybank), "--account", "citybank", "--detailed-exitcode")
    assert plan.returncode == 1 and not plan.stdout, plan.output
    assert "000002.json: the revision record is corrupt" in plan.stderr
    assert "restore the file from a backup or from the git history of the state directory" in plan.stderr


def test_account_ids_from_the_command_line_cannot_reach_outside_the_state_directory(cli: Cli,
                                                                                   tmp_path: Path) -> None:
    (tmp_path / "x.lock").write_text("{}", encoding="utf-8")
    for command in (("unlock", "../../x"), ("history", "--account", "../x")):
        result = cli(*command)
        assert result.returncode == 1 and "is not an account id" in result.stderr
    assert (tmp_path / "x.lock").exists()


def test_a_deeply_nested_record_is_named_as_corrupt_not_a_crash(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    """JSON nested deeper than Python's recursion allows, in the newest revision and in the lock file."""
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_V2}", 1),
                            encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    state = tmp_path / ".oaspec"
    (state / "history" / "citybank" / "000002.json").write_text("[" * 200_000, encoding="utf-8")
    (state / "locks").mkdir(exist_ok=True)
    (state / "locks" / "citybank.lock").write_text("[" * 200_000, encoding="utf-8")

    listed = cli("history", "--account", "citybank")
    assert listed.returncode == 1, listed.output
    assert "000002.json: the revision record is corrupt (nested too deeply)" in listed.stderr
    assert "internal error" not in listed.output and "Traceback" not in listed.output
    plan = cli("plan", "-f", str(citybank), "--account", "citybank")
    assert plan.returncode == 1, plan.output
    assert "000002.json: the revision record is corrupt (nested too deeply)" in plan.stderr, plan.output
    assert "internal error" not in plan.output and "Traceback" not in plan.output
    unlocked = cli("unlock", "citybank", "--force")
    assert "internal error" not in unlocked.output and "Traceback" not in unlocked.output
