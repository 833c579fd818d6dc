"""The files state's publish lock: one `oaspec publish` of an account at a time, never at once with an apply or
rollback of it (they hold the account lock, history/lock.py), and nothing left stale by a run that was killed.

It is an flock on STATE/content/ACCOUNT.publish.lock (the kernel's: it goes with its process), and the file
names its holder for whoever finds it taken. Neither lock is waited for while the other is held, so the two
can never wait for each other: a publish waits for the account lock to go, takes its own, and looks again (an
apply may have come in between: it lets its own go and waits on); an apply, holding the account lock, takes
the publish lock for a moment to see that no publish holds it, and retries until its --lock-timeout.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from oa_spec.history import checked_account_id
from oa_spec.history.lock import (
    LockedError,
    describe_holder,
    live_holder,
    lock_path,
    lock_request,
    read_holder,
    release_hint,
    stale_reason,
)
from oa_spec.util.fileio import make_private_dirs, try_flock

POLL_SECONDS = 0.05


def publish_lock_path(state_dir: Path, account: str) -> Path:
    return state_dir / "content" / f"{checked_account_id(account)}.publish.lock"


@contextlib.contextmanager
def holding_publish(state_dir: Path, account: str, operation: str, wait: float, setting: str = "",
                    undone: str = "nothing was done") -> Iterator[None]:
    """The publish lock for the body of the `with`, with the account lock free: waiting up to `wait` seconds
    (`setting` names what sets that). `operation` is who holds it: publish, or state migrate."""
    again = f"run again when it has finished ({setting} sets the wait)" if setting else "run again when it has finished"
    path = publish_lock_path(state_dir, account)
    make_private_dirs(path.parent)
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        _await_account_lock(state_dir, account, f"{operation}; {undone}", wait, deadline, again)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if try_flock(fd):
            if read_holder(lock_path(state_dir, account)) is None:
                break
            os.close(fd)  # an apply took the account lock meanwhile: it goes first
        else:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LockedError(_busy(account, path, operation, wait, f"{undone}: {again}"))
        time.sleep(POLL_SECONDS)
    try:
        _name_holder(fd, operation)
        yield
    finally:
        os.close(fd)  # releases the lock


def check_no_publish(state_dir: Path, account: str, operation: str, wait: float) -> None:
    """For a run holding the account lock: LockedError while an `oaspec publish` (or a migration) holds the
    publish lock, after waiting up to `wait` seconds for it to let go."""
    path = publish_lock_path(state_dir, account)
    if not path.exists():  # no publish ever ran on the account
        return
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        fd = os.open(path, os.O_RDWR)
        try:
            if try_flock(fd):
                return
        finally:
            os.close(fd)
        if time.monotonic() >= deadline:
            raise LockedError(_busy(account, path, operation, wait, "nothing was written: run again when it has "
                                    "finished (--lock-timeout SECONDS waits)"))
        time.sleep(POLL_SECONDS)


def _await_account_lock(state_dir: Path, account: str, refused: str, wait: float, deadline: float,
                        again: str) -> None:
    """`refused`: what this run cannot do and what it has not done ("publish; nothing was sent")."""
    while (holder := read_holder(lock_path(state_dir, account))) is not None:
        # a run still going is waited for, however old its lock (review 54 F4: it was called stale and refused)
        reason = None if live_holder(holder) else stale_reason(holder)
        if reason or time.monotonic() >= deadline:
            state = f"the lock is stale: {reason}; release it" if reason else f"{again}, or if it is gone, release it"
            after = f" after waiting {wait:g}s" if wait > 0 and not reason else ""
            raise LockedError(f"account {account} is locked{after} by {describe_holder(holder)}, so this run cannot "
                              f"{refused}: {state} with {release_hint(account, holder)}")
        time.sleep(POLL_SECONDS)


def _name_holder(fd: int, operation: str) -> None:
    """Who holds it, for the messages of those who find it taken (the flock itself is what excludes)."""
    request = lock_request(operation)
    holder = {"pid": request.pid, "host": request.host, "user": request.holder, "operation": operation,
              "time": datetime.now(UTC).isoformat(timespec="seconds"),
              **({"ci_job_url": request.ci_job_url} if request.ci_job_url else {})}
    with contextlib.suppress(OSError):  # a full disk costs the message its holder, not the run its lock
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)


def _busy(account: str, path: Path, operation: str, wait: float, then: str) -> str:
    holder = read_holder(path)
    who = f" by {describe_holder(holder)}" if holder and holder.get("pid") else ""
    after = f" after waiting {wait:g}s" if wait > 0 else ""
    return f"account {account}: its publish lock is held{after}{who}, so this run cannot {operation}; {then}"
