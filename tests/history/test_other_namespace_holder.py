"""Files state: a holder in another PID namespace cannot be checked, and only `unlock --force` releases it
(review 52 F3).

A run in a sibling container that shares the host's name and the state directory records its pid as its own
PID namespace numbers it. `unlock` without --force released it whenever no process of that number existed in
the unlocker's namespace ("gone"), though it was running: it was cut off mid-apply. Only a pid read in our own
namespaces can be judged gone.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spec.history import lock
from oa_spec.history.files import FilesState
from tests.conftest import ROOT, Cli

LOCK_ID = "0123456789abcdef"


def absent_pid() -> int:
    """A pid no process has in this namespace."""
    present = {int(p) for p in os.listdir("/proc") if p.isdigit()}
    return next(pid for pid in range(2, 4_000_000) if pid not in present)


def test_unlock_refuses_a_holder_of_another_pid_namespace_whose_pid_is_absent_here(cli: Cli, tmp_path: Path) -> None:
    path = lock.lock_path(tmp_path / ".oaspec", "acct")
    path.parent.mkdir(parents=True)
    holder = {"pid": absent_pid(), "host": socket.gethostname(), "user": "ci", "operation": "apply",
              "time": "2026-12-07T02:00:00+00:00", "lock_id": LOCK_ID, "started": "6339526",
              "namespaces": "pid:[4026532175] time:[4026531834]"}
    path.write_text(json.dumps(holder), encoding="utf-8")
    for args in (("unlock", "acct"), ("unlock", "acct", "--lock-id", LOCK_ID)):
        refused = cli(*args)
        assert refused.returncode == 1, (args, refused.output)
        assert "another PID namespace" in refused.stderr and "--force" in refused.stderr
        assert "nothing was released" in refused.stderr
        assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == LOCK_ID
    with pytest.raises(lock.LockedError) as taken, lock.account_lock(tmp_path / ".oaspec", "acct", "apply"):
        pytest.fail("the account is held")
    assert "stale" not in str(taken.value) and "another PID namespace" in str(taken.value)
    assert f"`oaspec unlock acct --lock-id {LOCK_ID} --force`" in str(taken.value)
    assert FilesState(tmp_path / ".oaspec").running("acct", LOCK_ID) is not None  # history: running
    forced = cli("unlock", "acct", "--lock-id", LOCK_ID, "--force")
    assert forced.returncode == 0, forced.output
    assert not path.exists()


HOLDER = """\
import os, sys, time
from pathlib import Path
from oa_spec.history import lock
absent = set(map(int, sys.argv[2].split(",")))
while True:  # fork until a child's pid is one no process has outside this namespace
    pid = os.fork()
    if pid == 0:
        if os.getpid() in absent:
            with lock.account_lock(Path(sys.argv[1]), "acct", "apply") as lease:
                print(lease.lock_id, flush=True)
                sys.stdin.readline()
                lock.check_fence(Path(sys.argv[1]), lease)
                print("still holds its lock", flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
    if pid in absent:
        break
"""


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="needs root and unshare")
def test_unlock_refuses_a_running_holder_in_a_real_other_pid_namespace(cli: Cli, tmp_path: Path) -> None:
    present = {int(p) for p in os.listdir("/proc") if p.isdigit()}
    absent = ",".join(str(pid) for pid in range(2, 200) if pid not in present)
    inner = subprocess.Popen(["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "-c", HOLDER,
                              str(tmp_path / ".oaspec"), absent], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert inner.stdout is not None
    lock_id = inner.stdout.readline().strip()
    try:
        if not lock_id:
            pytest.skip("no new PID namespace here")
        refused = cli("unlock", "acct")
        assert refused.returncode == 1, refused.output
        assert "another PID namespace" in refused.stderr
    finally:
        out, _ = inner.communicate("\n", timeout=30)
    assert out.strip() == "still holds its lock"
