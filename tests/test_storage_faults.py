"""Failing storage and the state directory's promises: private directories, whole locks, a careful unlock."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from oa_spec import fileio
from oa_spec.errors import OaspecError
from oa_spec.history import audit, lock
from tests.conftest import Cli


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
    assert list(lock.lock_path(tmp_path, "citybank").parent.iterdir()) == []


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
    holder = {"pid": os.getpid(), "host": lock.socket.gethostname(), "user": "zhangwei", "operation": "apply",
              "time": lock.datetime.now(lock.UTC).isoformat(timespec="seconds")}
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
    path.write_text(json.dumps({"pid": 2**22 + 12345, "host": lock.socket.gethostname(), "user": "ops",
                                "operation": "apply", "time": "2026-01-01T00:00:00+00:00"}), encoding="utf-8")
    assert lock.unlock(tmp_path, "citybank") is not None
    assert not path.exists()
