"""Files state: every refusal over a held lock names a command that works as written (review 53 F4).

Apply's refusal of an old lock whose holder still runs on this host, or runs in another PID namespace, called
it stale and named `oaspec unlock ACCOUNT --lock-id ID` without --force, which unlock refuses; unlock's own
refusals named `oaspec unlock --force`, without the account, which does not run. Each hint is run here.
"""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from oa_spec.content.publish_lock import holding_publish
from oa_spec.history import lock
from testing.cli import run_cli

LOCK_ID = "1a2b3c4d5e6f7a8b"
OTHER_NAMESPACES = "pid:[4026599999] time:[4026531834]"


@pytest.fixture
def running() -> Iterator[int]:
    """A process on this host standing for a run that still goes."""
    process = subprocess.Popen(["sleep", "120"])
    yield process.pid
    process.kill()
    process.wait()


def put_holder(state: Path, pid: int, hours_ago: float, other_namespace: bool = False) -> Path:
    path = lock.lock_path(state, "acct")
    path.parent.mkdir(parents=True, exist_ok=True)
    taken = (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat(timespec="seconds")
    holder = {"pid": pid, "host": socket.gethostname(), "user": "ci", "operation": "apply", "time": taken,
              "lock_id": LOCK_ID, "started": lock.process_start(pid) or "6339526",
              "namespaces": OTHER_NAMESPACES if other_namespace else lock.namespaces()}
    path.write_text(json.dumps(holder), encoding="utf-8")
    return path


def hints(message: str) -> list[str]:
    return [hint for hint in re.findall(r"`([^`]*)`", message) if hint.startswith("oaspec unlock")]


def run_hint(message: str, cwd: Path) -> None:
    """The message names exactly one unlock command, with the account, and it releases the lock as written."""
    found = hints(message)
    assert len(found) == 1, message
    args = shlex.split(found[0])[1:]
    assert args[:2] == ["unlock", "acct"], message
    done = run_cli(*args, cwd=cwd, process=True, timeout=30)
    assert done.returncode == 0 and "Released the lock" in done.stdout, (found, done.output)
    assert not lock.lock_path(cwd / ".oaspec", "acct").exists()


def apply_refusal(state: Path) -> str:
    with pytest.raises(lock.LockedError) as refused, lock.account_lock(state, "acct", "apply"):
        pytest.fail("the account is held")
    return str(refused.value)


@pytest.mark.parametrize(("hours_ago", "other_namespace"), [(7, False), (0, False), (7, True), (0, True)])
def test_apply_names_an_unlock_that_works_for_a_running_holder(tmp_path: Path, running: int, hours_ago: float,
                                                               other_namespace: bool) -> None:
    state = tmp_path / ".oaspec"
    put_holder(state, running, hours_ago, other_namespace)
    message = apply_refusal(state)
    assert "--force" in message, message
    assert "the lock is stale" not in message, message  # its run may still be going: not stale, however old
    run_hint(message, tmp_path)


def test_the_publish_refusal_names_an_unlock_that_works(tmp_path: Path, running: int) -> None:
    state = tmp_path / ".oaspec"
    put_holder(state, running, 7)
    with pytest.raises(lock.LockedError) as refused, holding_publish(state, "acct", "publish", 0):
        pytest.fail("the account is held")
    run_hint(str(refused.value), tmp_path)


@pytest.mark.parametrize("other_namespace", [False, True])
def test_unlock_refusals_name_an_unlock_that_works(tmp_path: Path, running: int, other_namespace: bool) -> None:
    put_holder(tmp_path / ".oaspec", running, 7, other_namespace)
    for args in (("unlock", "acct"), ("unlock", "acct", "--lock-id", LOCK_ID)):
        refused = run_cli(*args, cwd=tmp_path, process=True, timeout=30)
        assert refused.returncode == 1, refused.output
        assert hints(refused.stderr) and all(hint.startswith("oaspec unlock acct ") for hint in hints(refused.stderr))
    run_hint(refused.stderr, tmp_path)


def test_a_gone_holder_is_stale_and_released_without_force(tmp_path: Path) -> None:
    process = subprocess.Popen(["true"])
    process.wait()  # its pid is gone (and not reused within the test)
    state = tmp_path / ".oaspec"
    put_holder(state, process.pid, 0)
    message = apply_refusal(state)
    assert "stale" in message and "--force" not in message, message
    run_hint(message, tmp_path)


@pytest.mark.parametrize("lock_id", ["", "a b", "x;rm", 7])
def test_a_lock_id_no_command_can_carry_is_left_out_of_the_hint(lock_id: object) -> None:
    # review 54 F2: `--lock-id ` with nothing, or two words, was a usage error when run as written
    hint = lock.release_hint("acct", {"pid": 999_999_999, "host": "elsewhere", "lock_id": lock_id})
    assert "--lock-id" not in hint and hint.startswith("`oaspec unlock acct"), hint
    written = lock.release_hint("acct", {"pid": 1, "host": "elsewhere", "lock_id": "00000000000000aa"})
    assert "--lock-id 00000000000000aa" in written, written

