"""A per-account lock, so two applies can never interleave their writes to one account."""

from __future__ import annotations

import getpass
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oa_spec.errors import OaspecError
from oa_spec.history import checked_account_id
from oa_spec.util.fileio import create_text_exclusive


class LockedError(OaspecError):
    pass


STALE_AFTER_VARIABLE = "OASPEC_LOCK_STALE_SECONDS"
DEFAULT_STALE_AFTER = 6 * 3600.0  # longer than any apply; a run that old has died or hung


def lock_path(state_dir: Path, account: str) -> Path:
    return state_dir / "locks" / f"{checked_account_id(account)}.lock"


def current_user() -> str:
    try:
        return os.environ.get("OASPEC_USER") or getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


def read_holder(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        return {"pid": None, "host": "?", "user": "?", "operation": "?", "time": "?"}
    return data if isinstance(data, dict) else None


def stale_after() -> float:
    """Seconds after which a lock counts as stale whoever holds it (OASPEC_LOCK_STALE_SECONDS)."""
    try:
        return float(os.environ.get(STALE_AFTER_VARIABLE, DEFAULT_STALE_AFTER))
    except ValueError:
        return DEFAULT_STALE_AFTER


def stale_reason(holder: dict[str, Any], now: datetime | None = None) -> str | None:
    """Why the lock is stale (its process is gone from this host, or it is too old); None if it may be live."""
    pid = holder.get("pid")
    if holder.get("host") == socket.gethostname() and isinstance(pid, int) and not _alive(pid):
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def describe_holder(holder: dict[str, Any]) -> str:
    return (f"{holder.get('user')}@{holder.get('host')} (pid {holder.get('pid')}, "
            f"{holder.get('operation')} since {holder.get('time')})")


@contextmanager
def account_lock(state_dir: Path, account: str, operation: str) -> Iterator[None]:
    path = lock_path(state_dir, account)
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": current_user(),
              "operation": operation, "time": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        # The lock appears with its holder already in it: a full disk can fail the lock, never leave it empty.
        create_text_exclusive(path, json.dumps(holder))
    except FileExistsError:
        other = read_holder(path) or {}
        reason = stale_reason(other)
        state = f"the lock is stale: {reason}" if reason else "wait for it to finish"
        raise LockedError(f"account {account} is locked by {describe_holder(other)}; {state}, or if that run "
                          f"is gone, release it with `oaspec unlock {account}`") from None
    except OSError as exc:
        raise OaspecError(f"{path}: cannot take the lock for {account} ({exc.strerror}); nothing was changed: "
                          "free disk space or fix the state directory's permissions, then run again") from None
    try:
        yield
    finally:
        if read_holder(path) == holder:  # still ours: not released by `oaspec unlock` and taken by another run
            path.unlink(missing_ok=True)


def live_holder(holder: dict[str, Any]) -> bool:
    """The holder is a running process on this host, and the lock is not too old to trust."""
    pid = holder.get("pid")
    return (holder.get("host") == socket.gethostname() and isinstance(pid, int) and _alive(pid)
            and stale_reason(holder) is None)


def unlock(state_dir: Path, account: str, force: bool = False) -> dict[str, Any] | None:
    """Remove the lock; returns who held it (None when there was none). A live holder on this host is
    refused unless `force`: releasing it would let a second run interleave its writes with the first."""
    path = lock_path(state_dir, account)
    holder = read_holder(path)
    if holder is not None and not force and live_holder(holder):
        raise LockedError(f"account {account} is locked by {describe_holder(holder)}, which is still running on "
                          "this host; wait for it to finish, or stop it; `oaspec unlock --force` releases it anyway")
    path.unlink(missing_ok=True)
    return holder
