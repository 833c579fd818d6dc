"""Files state: a lock is removed only if it is the lock that was checked (review 51 F4).

`oaspec unlock ACCOUNT --lock-id X`, and a run letting its own lock go, read the lock file and then remove
it. Between the two, another operator may release X and another run take the account (lock Y): what was
checked is no longer what is there. Removing the path then cut run Y off mid-apply, and the audit trail
said X was released. These tests put that other runner's step exactly in the gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oa_spec.history import lock
from oa_spec.history.files import FilesState
from tests.conftest import Cli

X, Y = "94a804aa8b5d45a3", "c479c03bb8a64679"


def holder(lock_id: str, pid: int = 999_999_999) -> dict[str, Any]:
    """A lock on another host (nothing here can tell whether it runs): releasable without --force."""
    return {"pid": pid, "host": "ci-runner-7", "user": "ci", "operation": "apply",
            "time": "2026-12-07T02:00:00+00:00", "lock_id": lock_id}


def put(path: Path, lock_id: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(holder(lock_id)), encoding="utf-8")


def after_the_first_read(monkeypatch: pytest.MonkeyPatch, path: Path, meanwhile: Callable[[], None],
                         seen: str | None) -> None:
    """The next read of `path` returns what it finds (`seen` X, or None: already released); then another
    operator and run act (`meanwhile`) before the reader's next step."""
    real = lock.read_holder
    done = [False]

    def read_then_race(p: Path) -> dict[str, Any] | None:
        found = real(p)
        if p.name == path.name and not done[0]:  # (the CLI reads it relative to its directory)
            done[0] = True
            assert (found or {}).get("lock_id") == seen
            meanwhile()
        return found

    monkeypatch.setattr(lock, "read_holder", read_then_race)


def entries(state: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (state / "audit.log").read_text(encoding="utf-8").splitlines()]


def test_unlock_of_x_leaves_lock_y_taken_after_it_read_x(cli: Cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = lock.lock_path(tmp_path / ".oaspec", "acct")
    put(path, X)
    after_the_first_read(monkeypatch, path, lambda: put(path, Y), seen=X)  # X released, run B took Y
    done = cli("unlock", "acct", "--lock-id", X)
    assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == Y, "run B's lock was removed"
    assert done.returncode == 1, done.output
    assert "nothing was released" in done.stderr and Y in done.stderr
    unlocks = [(e["result"], e.get("lock_id")) for e in entries(tmp_path / ".oaspec") if e["operation"] == "unlock"]
    assert unlocks == [("not held", X)]


def test_unlock_that_found_no_lock_removes_none_taken_meanwhile(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = lock.lock_path(tmp_path, "acct")
    path.parent.mkdir(parents=True)
    after_the_first_read(monkeypatch, path, lambda: put(path, Y), seen=None)  # no lock when read; Y just after
    done = FilesState(tmp_path).unlock("acct", X)
    assert not done.released
    assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == Y, "a lock no one checked was removed"


def test_unlock_without_an_id_removes_only_the_lock_it_judged(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = lock.lock_path(tmp_path, "acct")
    put(path, X)
    after_the_first_read(monkeypatch, path, lambda: put(path, Y), seen=X)
    with pytest.raises(lock.LockedError, match=f"changed while it was being released.*lock id {Y}"):
        lock.unlock(tmp_path, "acct")
    assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == Y
    assert sorted(p.name for p in path.parent.iterdir()) == ["acct.lock", "acct.lock.guard"]  # nothing left behind


def test_a_run_letting_its_lock_go_leaves_the_next_runs_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`unlock --force` released this run, and run B took the account, between its read and its removal."""
    path = lock.lock_path(tmp_path, "acct")
    with lock.account_lock(tmp_path, "acct", "apply") as lease:
        after_the_first_read(monkeypatch, path, lambda: put(path, Y), seen=lease.lock_id)
    assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == Y


def test_unlock_of_x_still_releases_x(tmp_path: Path) -> None:
    path = lock.lock_path(tmp_path, "acct")
    put(path, X)
    done = FilesState(tmp_path).unlock("acct", X)
    assert done.released and done.lock_id == X
    assert [p.name for p in path.parent.iterdir()] == ["acct.lock.guard"]  # the guard stays (review 52 F2)
