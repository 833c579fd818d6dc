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
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": current_user(),
              "operation": operation, "time": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        other = read_holder(path) or {}
        reason = stale_reason(other)
        state = f"the lock is stale: {reason}" if reason else "wait for it to finish"
        raise LockedError(f"account {account} is locked by {describe_holder(other)}; {state}, or if that run "
                          f"is gone, release it with `oaspec unlock {account}`") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(holder, f)
        f.flush()
        os.fsync(f.fileno())
    try:
        yield
    finally:
        if read_holder(path) == holder:  # still ours: not released by `oaspec unlock` and taken by another run
            path.unlink(missing_ok=True)


def unlock(state_dir: Path, account: str) -> dict[str, Any] | None:
    """Remove the lock; returns who held it (None when there was none)."""
    path = lock_path(state_dir, account)
    holder = read_holder(path)
    path.unlink(missing_ok=True)
    return holder
