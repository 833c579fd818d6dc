"""Files state: a lock "file" of another shape, or with an unusable field, is a damaged lock (review 53 F3).

A dangling symlink at locks/ACCOUNT.lock (a state directory restored with its links) was read as "no lock"
while the exclusive create found the name taken: apply named the holder `None@None` and `unlock --force` said
"not locked", so the account stayed locked for good. A FIFO there hung apply past --lock-timeout, and unlock
with it; a directory made apply fail with a raw IsADirectoryError; a holder's pid out of the C long range made
apply, unlock and `state doctor` fail with an internal OverflowError; a sparse 3 GB file was read whole (review
54). Each is now a damaged lock file: apply refuses within its timeout naming `oaspec unlock ACCOUNT --force`,
which removes it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from oa_spec.history import lock
from testing.cli import child_env, run_cli

Shape = Callable[[Path], None]


def _symlink(path: Path) -> None:
    path.symlink_to("/nonexistent/oaspec-lock")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.mkdir()


def _huge_pid(path: Path) -> None:
    path.write_text(json.dumps({"pid": 10**23, "host": socket.gethostname(), "user": "ci", "operation": "apply",
                                "time": "2026-12-07T07:00:00+00:00", "lock_id": "00000000000000aa"}),
                    encoding="utf-8")


def _huge_file(path: Path) -> None:
    with path.open("wb") as file:  # sparse: 3 GB that take no disk, read whole once (review 54 F1)
        file.truncate(3 * 1024**3)


SHAPES: dict[str, Shape] = {"symlink": _symlink, "fifo": _fifo, "directory": _directory, "huge pid": _huge_pid,
                            "huge file": _huge_file}

TAKE = """\
import sys
from pathlib import Path
from oa_spec.history import lock
try:
    with lock.account_lock(Path(sys.argv[1]), "acct", "apply", timeout=1):
        print("took the lock")
except lock.LockedError as exc:
    print("refused:", exc)
"""


def take(state: Path) -> str:
    """Apply taking the lock with --lock-timeout 1, in a child process: a hang fails the test, not the suite."""
    done = subprocess.run([sys.executable, "-c", TAKE, str(state)], env=child_env(), capture_output=True,
                          text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_lock_of_another_shape_is_damaged_and_released_with_force(tmp_path: Path, shape: str) -> None:
    state = tmp_path / ".oaspec"
    path = lock.lock_path(state, "acct")
    path.parent.mkdir(parents=True)
    SHAPES[shape](path)

    refused = take(state)
    assert refused.startswith("refused:") and "damaged lock file" in refused, refused
    assert "after waiting 1s" in refused and "`oaspec unlock acct --force`" in refused, refused

    unforced = run_cli("unlock", "acct", cwd=tmp_path, process=True, timeout=30)
    assert unforced.returncode == 1, unforced.output
    assert "damaged lock file" in unforced.stderr and "`oaspec unlock acct --force`" in unforced.stderr
    assert os.path.lexists(path)  # nothing released without --force

    doctor = run_cli("state", "doctor", cwd=tmp_path, process=True, timeout=30)
    assert "internal error" not in doctor.output and "damaged lock file" in doctor.output, doctor.output

    forced = run_cli("unlock", "acct", "--force", cwd=tmp_path, process=True, timeout=30)
    assert forced.returncode == 0, forced.output
    assert "damaged lock file" in forced.stdout and "not locked" not in forced.output
    assert not os.path.lexists(path)
    assert take(state) == "took the lock\n"  # the account can be taken again


def test_a_directory_with_files_at_the_lock_is_named_with_how_to_remove_it(tmp_path: Path) -> None:
    state = tmp_path / ".oaspec"
    path = lock.lock_path(state, "acct")
    (path / "inside").mkdir(parents=True)

    forced = run_cli("unlock", "acct", "--force", cwd=tmp_path, process=True, timeout=30)
    assert forced.returncode == 1, forced.output
    assert "locks/acct.lock" in forced.stderr and "internal error" not in forced.stderr
    assert "not empty" in forced.stderr and "remove it by hand" in forced.stderr, forced.stderr
    assert path.is_dir()


@pytest.mark.parametrize("force", [False, True])
def test_a_lock_id_cannot_name_a_damaged_lock_and_the_refusal_says_what_releases_it(tmp_path: Path,
                                                                                      force: bool) -> None:
    """A damaged lock has no id, so `unlock --lock-id ID` can never release it: it used to answer only "lock ID
    does not hold acct", naming no way out. It names the command that does, and still releases nothing."""
    path = lock.lock_path(tmp_path / ".oaspec", "acct")
    path.parent.mkdir(parents=True)
    path.write_text("not json", encoding="utf-8")

    named = run_cli("unlock", "acct", "--lock-id", "3f9c0a7d12e4b856", *(["--force"] if force else []),
                    cwd=tmp_path, process=True, timeout=30)
    assert named.returncode == 1, named.output
    assert "damaged lock file" in named.stderr and "nothing was released" in named.stderr, named.stderr
    assert "`oaspec unlock acct --force`" in named.stderr, named.stderr
    assert path.exists()
