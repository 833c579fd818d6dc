"""Files state: an account's lock file never vanishes while its holder runs (review 52 F2).

`unlock` (and a run letting its lock go) used to move the lock file aside, read it, and put back a lock that
was not the one it checked. For that moment the account had no lock file: the holder's own fence check failed
(cut off mid-apply), a third run took the account, a publish ran beside the apply, and an unlock killed in the
moment left the lock in a `.releasing-*` file for good. Now every create, check-and-remove and release of a lock
file happens under an flock on its guard file (locks/ACCOUNT.lock.guard), so a lock file goes only when its
holder, or an unlock that checked it, removes it. The holder and the takers are real processes here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oa_spec.history import lock
from oa_spec.history.files import FilesState
from tests.conftest import ROOT

X = "94a804aa8b5d45a3"

RUN = """\
import os, sys, time
from pathlib import Path
from oa_spec.history import lock
from oa_spec.history.state import FencedError
state, role = Path(sys.argv[1]), sys.argv[2]
path = lock.lock_path(state, "acct")
if role == "B":  # an apply taking the account once X is released, checking its lock as before every write
    while path.exists():
        time.sleep(0.0005)
    with lock.account_lock(state, "acct", "apply") as lease:
        if len(sys.argv) > 3:
            from oa_spec.content.publish_lock import check_no_publish
            check_no_publish(state, "acct", "apply", 0)
        (state / "B.id").write_text(lease.lock_id)
        lost, end = 0, time.monotonic() + 2.5
        while time.monotonic() < end:
            try:
                lock.check_fence(state, lease)
            except FencedError:
                lost += 1
        print(f"B lost its lock {lost} times", flush=True)
elif role == "C":  # a third run trying to take the account while B runs
    while not (state / "B.id").exists():
        time.sleep(0.001)
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        try:
            with lock.account_lock(state, "acct", "apply"):
                print("C took the account while B ran", flush=True)
                break
        except lock.LockedError:
            pass
    print("C done", flush=True)
else:  # P: a publish of the account
    from oa_spec.content.publish_lock import holding_publish
    while not (state / "B.id").exists():
        time.sleep(0.001)
    try:
        with holding_publish(state, "acct", "publish", wait=1.5):
            print("P published while B ran", flush=True)
    except lock.LockedError:
        print("P waited for B", flush=True)
"""


def start(state: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", RUN, str(state), *args], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})  # this tree's oaspec


def put_x(state: Path) -> Path:
    """Lock X of a run on another host, which an unlock --lock-id X may release."""
    path = lock.lock_path(state, "acct")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pid": 999_999_999, "host": "ci-runner-7", "user": "ci", "operation": "apply",
                                "time": "2026-12-07T02:00:00+00:00", "lock_id": X}), encoding="utf-8")
    return path


def x_released_and_b_took_it_after_the_first_read(monkeypatch: pytest.MonkeyPatch, state: Path,
                                                  then: Callable[[], None] = lambda: None) -> None:
    """The unlock's first read finds X; then another operator releases X and run B takes the account before
    the unlock's next step. Every later read of the unlock first runs `then` (a pause, a kill)."""
    real, reads = lock.read_holder, [0]
    path = lock.lock_path(state, "acct")

    def read_then_race(p: Path) -> dict[str, Any] | None:
        reads[0] += 1
        if reads[0] > 1:
            then()
        found = real(p)
        if reads[0] == 1:
            assert (found or {}).get("lock_id") == X
            path.unlink()  # another operator's `unlock --lock-id X`
            while not (state / "B.id").exists():
                time.sleep(0.001)
            time.sleep(0.2)  # B is mid-apply
        return found

    monkeypatch.setattr(lock, "read_holder", read_then_race)


def test_an_unlock_of_x_never_takes_b_off_while_b_runs_nor_lets_c_in(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    put_x(tmp_path)
    b, c = start(tmp_path, "B"), start(tmp_path, "C")
    # the unlock is descheduled for 50 ms between its later steps (the window was a few ms of fsyncs even so)
    x_released_and_b_took_it_after_the_first_read(monkeypatch, tmp_path, lambda: time.sleep(0.05))
    done = FilesState(tmp_path).unlock("acct", X)
    c_out, _ = c.communicate(timeout=30)
    b_out, _ = b.communicate(timeout=30)
    assert not done.released and done.lock_id == (tmp_path / "B.id").read_text()
    assert b_out.strip() == "B lost its lock 0 times"
    assert c_out.strip() == "C done"


def test_a_publish_never_runs_beside_an_apply_while_an_unlock_is_paused(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The unlock is descheduled (or stopped) for half a second between each of its steps."""
    put_x(tmp_path)
    b, p = start(tmp_path, "B", "checks for a publish"), start(tmp_path, "P")
    x_released_and_b_took_it_after_the_first_read(monkeypatch, tmp_path, lambda: time.sleep(0.5))
    done = FilesState(tmp_path).unlock("acct", X)
    p_out, _ = p.communicate(timeout=30)
    b_out, _ = b.communicate(timeout=30)
    assert not done.released
    assert p_out.strip() == "P waited for B"
    assert b_out.strip() == "B lost its lock 0 times"


UNLOCK_KILLED = """\
import os, signal, sys, time
from pathlib import Path
from oa_spec.history import lock
from oa_spec.history.files import FilesState
state = Path(sys.argv[1]); path = lock.lock_path(state, "acct")
real, reads = lock.read_holder, [0]
def read_then_race(p):
    reads[0] += 1
    if reads[0] > 1:
        os.kill(os.getpid(), signal.SIGKILL)  # the CI job is cancelled, the OOM killer strikes
    found = real(p)
    if reads[0] == 1:
        path.unlink()
        while not (state / "B.id").exists():
            time.sleep(0.001)
    return found
lock.read_holder = read_then_race
FilesState(state).unlock("acct", sys.argv[2])
"""


def test_an_unlock_killed_mid_release_leaves_b_its_lock_and_the_guard_free(tmp_path: Path) -> None:
    path = put_x(tmp_path)
    b = start(tmp_path, "B")
    unlock = subprocess.run([sys.executable, "-c", UNLOCK_KILLED, str(tmp_path), X], env={
        **os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=30)
    assert unlock.returncode == -signal.SIGKILL, unlock.stderr
    b_id = (tmp_path / "B.id").read_text()
    assert json.loads(path.read_text(encoding="utf-8"))["lock_id"] == b_id
    started = time.monotonic()
    with pytest.raises(lock.LockedError, match=f"lock id {b_id}"), lock.account_lock(tmp_path, "acct", "apply"):
        pytest.fail("B holds the account")
    assert time.monotonic() - started < 2  # the killed unlock's guard went with it
    b_out, _ = b.communicate(timeout=30)
    assert b_out.strip() == "B lost its lock 0 times"
    assert sorted(p.name for p in path.parent.iterdir()) == ["acct.lock.guard"]  # no lock left aside


RACE = """\
import os, sys, time
from pathlib import Path
from oa_spec.history import lock
from oa_spec.history.files import FilesState
from oa_spec.history.state import FencedError
state, role = Path(sys.argv[1]), sys.argv[2]
path, inside, end = lock.lock_path(state, "acct"), state / "inside", time.monotonic() + 3
if role == "dies":  # runs killed while they hold the account: each leaves its lock, stale
    while time.monotonic() < end:
        pid = os.fork()
        if pid == 0:
            try:
                with lock.account_lock(state, "acct", "apply"):
                    os._exit(0)
            except lock.LockedError:
                os._exit(1)
        os.waitpid(pid, 0)
        time.sleep(0.01)
    sys.exit(0)
problems, held = 0, 0
while time.monotonic() < end:
    if role == "unlocks":  # a person (or a CI job) releasing whatever stale lock is there, by its id
        holder = lock.read_holder(path)
        if holder and isinstance(holder.get("lock_id"), str):
            try:
                FilesState(state).unlock("acct", holder["lock_id"])
            except lock.LockedError:
                pass
        continue
    try:
        with lock.account_lock(state, "acct", "apply") as lease:
            held += 1
            try:
                fd = os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                os.close(fd)
            except FileExistsError:
                problems += 1
                print("two runs hold the account at once", flush=True)
            for _ in range(200):
                try:
                    lock.check_fence(state, lease)
                except FencedError as exc:
                    problems += 1
                    print(exc, flush=True)
                    break
            inside.unlink(missing_ok=True)
    except lock.LockedError:
        pass
print(f"{role}: {problems} problems, held {held} times", flush=True)
"""


def test_two_runs_never_both_hold_the_account_while_unlocks_race(tmp_path: Path) -> None:
    """Runs take and let go of the account, others die holding it, and two unlockers release the stale locks
    by id, racing each other and the runs. No live run may ever lose its lock, nor two hold it at once."""
    roles = ["run", "run", "unlocks", "unlocks", "dies"]
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(tmp_path), role], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
             for role in roles]
    outs = [proc.communicate(timeout=60) for proc in procs]
    for role, (out, err) in zip(roles, outs, strict=True):
        if role == "run":
            assert out.strip().startswith("run: 0 problems"), out + err
