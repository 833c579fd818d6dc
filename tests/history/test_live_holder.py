"""Files state: a lock whose process runs on this host is live however old it is (review 51 F5).

OASPEC_LOCK_STALE_SECONDS makes an old lock *reported* as stale; it never makes a running holder
releasable without --force, and the unlocking process's setting never decides for another run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.history import lock
from oa_spec.history.files import FilesState
from tests.conftest import ROOT, Cli

OLD = {"OASPEC_LOCK_STALE_SECONDS": "0"}  # every lock is older than that: as a 6-hour apply or publish wait


@pytest.fixture
def running_holder(tmp_path: Path) -> Iterator[str]:
    """A run holding the account's lock in a process of its own on this host; yields its lock id."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys; from pathlib import Path; from oa_spec.history.lock import account_lock\n"
        "with account_lock(Path('.oaspec'), 'acct', 'apply') as lease:\n"
        "    print(lease.lock_id, flush=True); sys.stdin.readline()\n")], cwd=tmp_path, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})  # this tree's oaspec
    assert holder.stdout is not None
    lock_id = holder.stdout.readline().strip()
    time.sleep(1.1)  # the lock's time has whole seconds: now it is older than 0 seconds
    try:
        yield lock_id
    finally:
        holder.communicate("\n", timeout=30)


def test_unlock_refuses_a_running_holder_whose_lock_is_old_unless_forced(cli: Cli, tmp_path: Path,
                                                                         running_holder: str) -> None:
    path = lock.lock_path(tmp_path / ".oaspec", "acct")
    for args in (("unlock", "acct"), ("unlock", "acct", "--lock-id", running_holder)):
        refused = cli(*args, env=OLD)
        assert refused.returncode == 1, (args, refused.output)
        assert "still running on this host" in refused.stderr and "--force" in refused.stderr
        assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == running_holder
    forced = cli("unlock", "acct", "--lock-id", running_holder, "--force", env=OLD)
    assert forced.returncode == 0, forced.output
    unlocks = [json.loads(line) for line in (tmp_path / ".oaspec" / "audit.log").read_text().splitlines()]
    assert [(e["operation"], e["result"], e.get("forced")) for e in unlocks][-1] == ("unlock", "released", True)


def test_history_calls_the_journal_of_a_running_holder_running_however_old_its_lock(
        tmp_path: Path, running_holder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_LOCK_STALE_SECONDS", "0")
    state = FilesState(tmp_path / ".oaspec")
    holder = lock.read_holder(lock.lock_path(tmp_path / ".oaspec", "acct")) or {}
    assert lock.stale_reason(holder) is not None  # still reported as old...
    assert lock.live_holder(holder)  # ...but its process runs here
    assert state.running("acct", running_holder) is not None
