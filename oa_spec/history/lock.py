"""A per-account lock, so two applies can never interleave their writes to one account.

In the files state the lock is a file created exclusively, holding who took it and a lock id; the id
is the run's fencing token: every write of the run first checks that the file still holds it, so a run
whose lock was released by hand (`oaspec unlock`) and taken by another cannot write. Every create,
check-and-remove and release of the file happens under an flock on its guard file (guarded), so the file
goes only when its holder, or an unlock that checked it, removes it: a reader (a fence check, a publish
looking for an apply) needs no flock, and never sees a live holder's lock missing. Who a lock names
(user, host, pid, CI job) is the same in the PostgreSQL state (backend/heartbeat.py).
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import json
import math
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oa_spec.errors import OaspecError
from oa_spec.history import checked_account_id
from oa_spec.history.lock_file import damaged_holder as damaged_holder
from oa_spec.history.lock_file import is_pid, remove_lock_file
from oa_spec.history.lock_file import read_holder as read_holder
from oa_spec.history.state import FencedError, Lease, LockRequest
from oa_spec.util.fileio import create_text_exclusive, flocked


class LockedError(OaspecError):
    """The account's lock is held by another run (the message names the holder and how to release it)."""


STALE_AFTER_VARIABLE = "OASPEC_LOCK_STALE_SECONDS"
DEFAULT_STALE_AFTER = 6 * 3600.0  # longer than any apply; a run that old has died or hung
POLL_SECONDS = 0.2  # how often a run waiting for a lock (--lock-timeout) looks again
GUARD_WAIT_S = 10.0  # a guard is held for a moment (a create, a check and an unlink): longer means a stopped process


def lock_path(state_dir: Path, account: str) -> Path:
    return state_dir / "locks" / f"{checked_account_id(account)}.lock"


def current_user() -> str:
    try:
        return os.environ.get("OASPEC_USER") or getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


def ci_job_url() -> str | None:
    """The running CI job's page, so whoever finds the account locked can go and look (or cancel it)."""
    env = os.environ
    if env.get("CI_JOB_URL"):  # GitLab
        return env["CI_JOB_URL"]
    if env.get("GITHUB_RUN_ID") and env.get("GITHUB_REPOSITORY"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
    return env.get("BUILD_URL") or None  # Jenkins


def lock_request(operation: str) -> LockRequest:
    """Who this run is, as a lock records it."""
    return LockRequest(holder=current_user(), host=socket.gethostname(), operation=operation, pid=os.getpid(),
                       ci_job_url=ci_job_url())


def stale_after() -> float:
    """Seconds after which a lock counts as stale whoever holds it (OASPEC_LOCK_STALE_SECONDS)."""
    try:
        return float(os.environ.get(STALE_AFTER_VARIABLE, DEFAULT_STALE_AFTER))
    except ValueError:
        return DEFAULT_STALE_AFTER


def stale_reason(holder: dict[str, Any], now: datetime | None = None) -> str | None:
    """Why the lock is stale (its process is gone from this host, or it is too old); None if it may be live."""
    pid = holder.get("pid")
    if holder.get("host") == socket.gethostname() and is_pid(pid) and not _alive(pid, holder):
        return f"the holder's process (pid {pid}) is gone from this host"
    try:
        since = datetime.fromisoformat(str(holder.get("time")))
    except ValueError:
        return None
    if since.tzinfo is None:
        return None
    age = ((now or datetime.now(UTC)) - since).total_seconds()
    if age > stale_after():
        return (f"it was taken {int(age // 3600)}h{int(age % 3600 // 60):02d}m ago, longer than "
                f"{STALE_AFTER_VARIABLE}={stale_after():g} seconds")
    return None


def _alive(pid: int, holder: dict[str, Any]) -> bool:
    """Is the holder's process still running? A pid read in other namespaces than ours tells nothing here, present
    or absent (review 52 F3): that holder is taken as live. A process of that number started at another time is
    not it: a restarted container that keeps its hostname hands the dead run's pid to a new process."""
    if _unverifiable(holder):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process
    started = holder.get("started")
    return started is None or bool(started == process_start(pid))


def _unverifiable(holder: dict[str, Any]) -> bool:
    """Was the holder's pid read in other namespaces than this process's (another container, or this one
    restarted), or in ones we cannot read? Then nothing here tells whether it runs: a person decides, with
    --force. A holder that recorded no start time (an oaspec before it did, a system without /proc) is judged
    by its pid alone, as it always was."""
    if holder.get("started") is None and holder.get("namespaces") is None:
        return False
    ours = namespaces()
    return ours is None or holder.get("namespaces") != ours


def process_start(pid: int) -> str | None:
    """When the process started, in clock ticks since boot (Linux /proc; None elsewhere): with the pid, who it is."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of stat(5); the first two precede the ")"


def namespaces() -> str | None:
    """This process's PID and time namespaces, which a pid and a start time are read in (Linux; None where the
    PID namespace cannot be read; a kernel without time namespaces, before 5.6, leaves that part out)."""
    found = []
    for kind in ("pid", "time"):
        try:
            found.append(os.readlink(f"/proc/self/ns/{kind}"))
        except OSError:
            if kind == "pid":
                return None
    return " ".join(found)


def describe_holder(holder: dict[str, Any]) -> str:
    if holder.get("damaged"):
        return f"a damaged lock file ({holder['damaged']}: no holder can be read from it)"
    url = f", {holder['ci_job_url']}" if holder.get("ci_job_url") else ""
    lock_id = f"; lock id {holder['lock_id']}" if holder.get("lock_id") else ""
    return (f"{holder.get('user')}@{holder.get('host')} (pid {holder.get('pid')}, "
            f"{holder.get('operation')} since {holder.get('time')}{url}{lock_id})")


def is_lock_id(value: object) -> bool:
    """Whether `value` is a lock id as oaspec writes them (hex), safe to print in a command."""
    return isinstance(value, str) and re.fullmatch(r"[0-9A-Za-z_-]{1,64}", value) is not None


def release_hint(account: str, holder: dict[str, Any]) -> str:
    """The unlock command that releases this lock as written (review 53 F4): with --force exactly when unlock
    refuses without it, a damaged lock or a holder that may still be running (however old its lock)."""
    lock_id = holder.get("lock_id")  # one a shell passes as one word, or none (review 54 F2: "" or "a b" broke it)
    named = f" --lock-id {lock_id}" if is_lock_id(lock_id) and not holder.get("damaged") else ""
    force = " --force" if holder.get("damaged") or live_holder(holder) else ""
    return f"`oaspec unlock {account}{named}{force}`"


@contextmanager
def account_lock(state_dir: Path, account: str, operation: str, timeout: float = 0.0) -> Iterator[Lease]:
    """The account's lock for the body of the `with`, waiting up to `timeout` seconds for it."""
    path = lock_path(state_dir, account)
    request = lock_request(operation)
    holder = {"pid": request.pid, "host": request.host, "user": request.holder, "operation": operation,
              "time": datetime.now(UTC).isoformat(timespec="seconds"), "lock_id": uuid.uuid4().hex[:16],
              **({"started": started, "namespaces": namespaces()} if (started := process_start(os.getpid())) else {}),
              **({"ci_job_url": request.ci_job_url} if request.ci_job_url else {})}
    deadline = time.monotonic() + max(timeout, 0.0)
    for attempt in itertools.count():
        try:
            with guarded(path):  # (on a file system without hard links, no unlock sees it half written)
                # The lock appears with its holder already in it: a full disk can fail the lock, never leave it empty.
                create_text_exclusive(path, json.dumps(holder))
            break
        except FileExistsError:
            other = read_holder(path)
            if other is None and attempt < 5:  # released between our attempt and the read: free, try again
                continue
            if time.monotonic() < deadline:
                time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0.0)))
                continue
            raise LockedError(_locked_message(account, other or {}, timeout)) from None
        except OSError as exc:
            raise OaspecError(f"{path}: cannot take the lock for {account} ({exc.strerror}); nothing was changed: "
                              "free disk space or fix the state directory's permissions, then run again") from None
    try:
        yield Lease(account, str(holder["lock_id"]), 0)
    finally:
        if read_holder(path) == holder:  # still ours: not released by `oaspec unlock` and taken by another run
            with contextlib.suppress(LockedError):  # guard held by a stopped process: the lock stays, stale
                remove_if_held(path, holder)  # ...in the moment since (review 51 F4): checked again, guarded


def _locked_message(account: str, other: dict[str, Any], waited: float) -> str:
    """Why the account cannot be taken and the unlock that releases it; a holder that may still be running is
    never called stale, however old its lock: its release needs --force (review 53 F4)."""
    after = f" after waiting {waited:g}s" if waited > 0 else ""
    locked, hint = f"account {account} is locked{after} by {describe_holder(other)}", release_hint(account, other)
    held = _held_by_a_run(other)
    reason = None if held else stale_reason(other)
    state = f"the lock is stale: {reason}" if reason else "wait for it to finish (--lock-timeout SECONDS)"
    return f"{locked}{held or ''}; {state}, or if that run is gone, release it with {hint}"


def _held_by_a_run(holder: dict[str, Any]) -> str | None:
    """Why the lock may still belong to a run, so that only --force releases it (said after its holder), however old
    it is: a damaged lock, a holder in another PID namespace, or one still running here; None if its run is gone."""
    if holder.get("damaged"):
        return "; whether its run is still going cannot be checked"
    if not live_holder(holder):
        return None
    old = f" (though {reason})" if (reason := stale_reason(holder)) else ""
    if _unverifiable(holder):
        return (", whose process is in another PID namespace (another container, or this one restarted): whether it "
                f"is still running on this host cannot be checked from here{old}")
    return f", which is still running on this host{old}"


def check_fence(state_dir: Path, lease: Lease) -> None:
    """FencedError unless the lock file still holds this run's lock id."""
    holder = read_holder(lock_path(state_dir, lease.account))
    if holder is not None and holder.get("lock_id") == lease.lock_id:
        return
    now = "released" if holder is None else f"held by {describe_holder(holder)}"
    raise FencedError(f"account {lease.account}: this run's lock {lease.lock_id} was lost, the lock is now {now}; "
                      "this write was refused and nothing was written; plan again")


def live_holder(holder: dict[str, Any]) -> bool:
    """The holder is a running process on this host, however old its lock (review 51 F5): age makes a lock
    reported as stale (stale_reason), never a running run releasable without --force; nor does one runner's
    OASPEC_LOCK_STALE_SECONDS decide for another's run."""
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and is_pid(pid) and _alive(pid, holder)


def unlock(state_dir: Path, account: str, force: bool = False, lock_id: str | None = None) -> dict[str, Any] | None:
    """Remove the lock; returns who held it (None when there was none). Given `lock_id`, only that lock is
    removed (LockedError naming the lock that is there instead). A live holder on this host is refused
    unless `force`, named by its id or not: releasing it would let a second run interleave its writes."""
    path = lock_path(state_dir, account)
    holder = read_holder(path)
    if holder is None:
        return None  # nothing to release; a lock taken since was not checked, so it is not touched
    if lock_id is not None and holder.get("lock_id") != lock_id:
        raise LockedError(f"account {account} is not locked by lock id {lock_id} but by "
                          f"{describe_holder(holder)}; nothing was released")
    if not force and (held := _held_by_a_run(holder)):
        file = f", {path}" if holder.get("damaged") else ""  # (a person may look at what is there)
        raise LockedError(f"account {account} is locked by {describe_holder(holder)}{file}{held}; wait for it to "
                          f"finish, or stop it; if that run is gone, {release_hint(account, holder)} releases it "
                          "anyway; nothing was released")
    there = remove_if_held(path, holder)
    if there is not None:
        raise LockedError(f"account {account}: the lock changed while it was being released: it is now held by "
                          f"{describe_holder(there)}; nothing was released; run `oaspec unlock {account}` again "
                          "to see which lock is there")
    return holder


def remove_if_held(path: Path, holder: dict[str, Any]) -> dict[str, Any] | None:
    """Remove the lock at `path` if it is `holder`; else leave it and return the lock found there instead (None
    also when there is no lock). The check and the removal are one step under the guard, which every taker holds
    to create a lock: the lock removed is the one checked (review 51 F4), and another run's lock is never taken
    off its path, not even for a moment (review 52 F2: moving it aside and back cut its holder off)."""
    with guarded(path):
        there = read_holder(path)
        if there is None or there != holder:
            return there
        remove_lock_file(path)
    return None


def guarded(path: Path, wait: float = GUARD_WAIT_S) -> AbstractContextManager[None]:
    """The exclusive flock on the guard beside the lock at `path` (locks/ACCOUNT.lock.guard), which is never
    removed: a guard removed while held would let the next comer lock another file. The kernel releases the
    flock with its process, so a killed unlock or run leaves nothing held."""
    guard = path.with_name(f"{path.name}.guard")
    return flocked(guard, wait, 0.005, lambda: LockedError(
        f"{guard}: another process has held this guard of the account's lock for over {wait:g}s (oaspec holds it "
        f"only to take or release the lock: that process may be stopped); nothing was changed: run again, or find "
        f"it with `fuser {guard}`"))


CONFIRM_AFTER_S = 0.5  # a send this long after the run last checked its lock checks it again first


class SendFence:
    """The lock check right before a send to the platform, when the last one is older than CONFIRM_AFTER_S.

    Apply checks the lock before each change and publish before each slot, but a run paused after that
    check (SIGSTOP, a frozen VM, a long GC) would send on waking, after another run took over. The monotonic
    clock runs while a process is stopped, so on waking the check is due again, and it refuses the send."""

    def __init__(self, check: Callable[[], None], clock: Callable[[], float] = time.monotonic) -> None:
        self._check, self._clock = check, clock
        self._confirmed = -math.inf
        self._lock = threading.Lock()  # concurrent sends of one change share the check

    def confirm(self) -> None:
        with self._lock:
            self._check()
            self._confirmed = self._clock()

    def __call__(self) -> None:
        if self._clock() - self._confirmed > CONFIRM_AFTER_S:
            self.confirm()
