"""Failing storage and the state directory's promises: private directories, whole locks, a careful unlock."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oa_spec.errors import OaspecError
from oa_spec.history import audit, audit_numbers, lock
from oa_spec.util import fileio
from testing import disk
from testing.cli import Cli, run_cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


# --- directories are 0700 (issue 10 item 10) -------------------------------------------------------------
def test_every_directory_made_for_state_is_private(tmp_path: Path) -> None:
    target = tmp_path / "state" / "history" / "citybank" / "000001.json"
    fileio.write_json_atomic(target, {"a": 1})
    for directory in (tmp_path / "state", tmp_path / "state" / "history", target.parent):
        assert _mode(directory) == 0o700, directory
    audit.record_unlock(tmp_path / "other" / "state", "citybank", None)
    assert _mode(tmp_path / "other") == 0o700 and _mode(tmp_path / "other" / "state") == 0o700


def test_an_apply_leaves_no_directory_others_can_read(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    state = tmp_path / ".oaspec"
    directories = [state, *(p for p in state.rglob("*") if p.is_dir())]
    assert state / "history" / "citybank" in directories
    assert {str(p.relative_to(tmp_path)): _mode(p) for p in directories if _mode(p) != 0o700} == {}


# --- locks are written whole (issue 10 item 8) -----------------------------------------------------------
def test_a_full_disk_at_lock_time_leaves_no_empty_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock.lock_path(tmp_path, "citybank").parent.mkdir(parents=True)
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OaspecError, match=r"cannot take the lock for citybank \(No space left on device\); "
                                          "nothing was changed"), lock.account_lock(tmp_path, "citybank", "apply"):
        pytest.fail("the lock must not be taken")
    assert [p.name for p in lock.lock_path(tmp_path, "citybank").parent.iterdir()] == ["citybank.lock.guard"]


def test_a_lock_file_holds_its_holder_from_the_moment_it_exists(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_link = os.link

    def watching_link(src: str, dst: str) -> None:
        real_link(src, dst)
        seen.append(Path(dst).read_text(encoding="utf-8"))

    monkeypatch.setattr(os, "link", watching_link)
    with lock.account_lock(tmp_path, "citybank", "apply"):
        pass
    assert len(seen) == 1 and json.loads(seen[0])["pid"] == os.getpid()


# --- unlock refuses a live holder (issue 10 item 11) -----------------------------------------------------
def test_unlock_refuses_a_live_holder_on_this_host_unless_forced(cli: Cli, tmp_path: Path) -> None:
    state = tmp_path / ".oaspec"
    path = lock.lock_path(state, "citybank")
    path.parent.mkdir(parents=True)
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": "zhangwei", "operation": "apply",
              "time": datetime.now(UTC).isoformat(timespec="seconds")}
    path.write_text(json.dumps(holder), encoding="utf-8")

    refused = cli("unlock", "citybank")
    assert refused.returncode == 1
    assert f"locked by zhangwei@{holder['host']} (pid {os.getpid()}, apply since" in refused.stderr
    assert "still running on this host" in refused.stderr and "--force" in refused.stderr
    assert path.exists()

    forced = cli("unlock", "citybank", "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"held by zhangwei@{holder['host']} (pid {os.getpid()}" in forced.stdout
    assert not path.exists()
    entry = json.loads(audit.log_path(state).read_text(encoding="utf-8").splitlines()[-1])
    assert entry["operation"] == "unlock" and entry["forced"] is True and entry["holder"]["user"] == "zhangwei"


def test_unlock_releases_a_dead_holder_without_force(tmp_path: Path) -> None:
    path = lock.lock_path(tmp_path, "citybank")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"pid": 2**22 + 12345, "host": socket.gethostname(), "user": "ops",
                                "operation": "apply", "time": "2026-01-01T00:00:00+00:00"}), encoding="utf-8")
    assert lock.unlock(tmp_path, "citybank") is not None
    assert not path.exists()


# --- an unlock is in the audit trail, or nothing is released (attack review 44, F4) -----------------------
@pytest.mark.parametrize("fault", ["read-only audit log", "full disk"])
def test_unlock_releases_nothing_when_its_audit_entry_cannot_be_written(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    state = tmp_path / ".oaspec"
    path = lock.lock_path(state, "citybank")
    path.parent.mkdir(parents=True)
    dead = {"pid": 2**22 + 12345, "host": socket.gethostname(), "user": "ops", "operation": "apply",
            "time": "2026-01-01T00:00:00+00:00", "lock_id": "0123456789abcdef"}  # a run that died holding it
    path.write_text(json.dumps(dead), encoding="utf-8")
    audit.append(state, "apply", "citybank", "started", revision=1)
    trail = audit.log_path(state).read_bytes()
    with monkeypatch.context() as patched:
        if fault == "full disk":
            patched.setattr(os, "fsync", disk.no_space)
        else:
            disk.read_only(patched, audit.LOG_NAME)
        refused = cli("unlock", "citybank")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert path.exists() and audit.log_path(state).read_bytes() == trail  # the lock is held, the trail unchanged
    why = "No space left on device" if fault == "full disk" else "Read-only file system"
    assert f"cannot append to the audit log ({why}); nothing was released" in refused.stderr

    released = cli("unlock", "citybank")  # the fault cleared
    assert released.returncode == 0, released.stderr
    assert not path.exists() and audit.verify(audit.log_path(state)) is None
    entry = json.loads(audit.log_path(state).read_text(encoding="utf-8").splitlines()[-1])
    assert entry["operation"] == "unlock" and entry["result"] == "released" and entry["holder"]["user"] == "ops"


# --- unreadable or damaged history (issue 10 item 9) -----------------------------------------------------
def _bump(citybank: Path, old: str, new: str) -> None:
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    text = account_file.read_text(encoding="utf-8")
    assert f"key: {old}}}" in text
    account_file.write_text(text.replace(f"key: {old}}}", f"key: {new}}}", 1), encoding="utf-8")


def _apply(cli: Cli, citybank: Path) -> str:
    result = cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def two_revisions(cli: Cli, citybank: Path, tmp_path: Path) -> Path:
    """citybank applied twice; returns its history directory."""
    _apply(cli, citybank)
    _bump(citybank, "TXN_DETAIL", "TXN_V2")
    _apply(cli, citybank)
    history = tmp_path / ".oaspec" / "history" / "citybank"
    assert sorted(p.name for p in history.iterdir()) == ["000001.json", "000002.json"]
    return history


def _refuse_reading(monkeypatch: pytest.MonkeyPatch, unreadable: Path) -> None:
    """Root ignores file modes, so a permission fault is injected where oaspec reads."""
    real_read_text = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self == unreadable:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)


def test_one_unreadable_revision_is_named_and_the_others_still_serve(
        two_revisions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oa_spec.history.revisions import RevisionStore

    _refuse_reading(monkeypatch, two_revisions / "000002.json")
    store = RevisionStore(two_revisions.parent.parent, "citybank")
    with pytest.raises(OaspecError, match=r"000002\.json: the revision record cannot be read \(Permission denied\); "
                       "fix its permissions or restore the file from a backup"):
        store.managed()  # the newest: what oaspec owns is unknown
    assert store.get(1).number == 1
    with pytest.raises(OaspecError, match=r"000002\.json: the revision record cannot be read"):
        store.get(2)


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, unlistable: Path) -> None:
    real_listdir = os.listdir

    def listdir(path: str | Path = ".") -> list[str]:
        if Path(path) == unlistable:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)


def test_an_unlistable_history_directory_is_an_error_not_no_revisions(
        two_revisions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = two_revisions.parent.parent
    _refuse_listing(monkeypatch, state / "history")
    result = run_cli("--state-dir", str(state), "history", cwd=state)
    assert result.returncode == 1
    assert "No revisions yet" not in result.output
    assert "cannot list the history directory (Permission denied)" in result.output


def test_an_unlistable_account_directory_never_numbers_a_revision(
        two_revisions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oa_spec.history.revisions import RevisionStore

    store = RevisionStore(two_revisions.parent.parent, "citybank")
    _refuse_listing(monkeypatch, two_revisions)
    with pytest.raises(OaspecError, match="cannot list this account's revisions"):
        store.next_number()


def test_a_revision_number_already_on_disk_is_never_overwritten(two_revisions: Path) -> None:
    from oa_spec.history.revisions import RevisionStore

    store = RevisionStore(two_revisions.parent.parent, "citybank")
    before = (two_revisions / "000001.json").read_bytes()
    with pytest.raises(OaspecError, match="revision 1 of citybank exists already; nothing was changed"):
        store.create(store.get(1))
    assert (two_revisions / "000001.json").read_bytes() == before


def test_a_deleted_newest_revision_does_not_hand_its_number_on(cli: Cli, citybank: Path, two_revisions: Path) -> None:
    (two_revisions / "000002.json").unlink()
    _bump(citybank, "TXN_V2", "TXN_V3")
    assert "(revision 3)" in _apply(cli, citybank)
    assert sorted(p.name for p in two_revisions.iterdir()) == ["000001.json", "000003.json"]
    verified = cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def test_audit_verify_finds_two_revisions_with_one_number(tmp_path: Path) -> None:
    for digest in ("sha256:aaa", "sha256:bbb"):  # what a reused number leaves in the trail
        audit.append(tmp_path, "apply", "citybank", "started", revision=3, spec_digest=digest)
        audit.append(tmp_path, "apply", "citybank", "applied", revision=3, spec_digest=digest)
    problem = audit.verify(audit.log_path(tmp_path))
    assert problem is not None and problem.line == 3
    assert "revision 3 of citybank is recorded twice (lines 1 and 3)" in problem.message
    assert audit_numbers.highest_revision(tmp_path, "citybank") == 3
    assert audit_numbers.highest_revision(tmp_path, "other") == 0


def test_a_file_system_without_hard_links_still_gets_exclusive_whole_locks(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with lock.account_lock(tmp_path, "citybank", "apply"):
        path = lock.lock_path(tmp_path, "citybank")
        assert json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid()
        with pytest.raises(lock.LockedError), lock.account_lock(tmp_path, "citybank", "rollback"):
            pass
    assert [p.name for p in path.parent.iterdir()] == ["citybank.lock.guard"]  # its guard stays (review 52 F2)
