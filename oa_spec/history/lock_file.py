"""The account lock's file as read, whatever is found at its name: a holder's JSON object, or a damaged lock.

Read without following a link and without blocking, and judged by its shape before its content (review 53
F3): a dangling link read as "no lock" while the exclusive create found its name taken, a FIFO hung every
command, a directory failed them with a raw error, and a pid out of range crashed the liveness check.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any, TypeGuard

from oa_spec.errors import OaspecError
from oa_spec.history import stored_json

__all__ = ["damaged_holder", "is_pid", "read_holder", "remove_lock_file"]

MAX_LOCK_BYTES = 64 * 1024  # a holder's JSON is a few hundred bytes


def read_holder(path: Path) -> dict[str, Any] | None:
    """Who holds the lock at `path`; None only when there is no lock file. Anything else that is not a holder's
    JSON object (a hand edit, a restore, a flipped bit; a symlink, FIFO or directory at its name; a field no
    holder writes, such as a pid out of range) is a damaged lock, which nothing here can check: it holds the
    account until a person releases it (`unlock --force`). Read without following a link or blocking (review
    53 F3: a dangling link read as "no lock" while its name was taken; a FIFO hung every command)."""
    try:
        raw = _read_lock_file(path)
    except FileNotFoundError:
        return None
    except NotALockFile as exc:
        return damaged_holder(str(exc))
    except OSError as exc:
        return damaged_holder(f"it cannot be read ({exc.strerror or exc})")
    try:
        data = stored_json.parse(raw.decode("utf-8"))
    except ValueError:  # (UnicodeDecodeError too)
        return damaged_holder("it is not JSON")
    if not isinstance(data, dict):
        return damaged_holder(f"it holds JSON {type(data).__name__}, not an object")
    pid = data.get("pid")
    if pid is not None and not is_pid(pid):
        return damaged_holder("its pid is not a process id")
    return data


class NotALockFile(OSError):
    """Something other than a regular file is at the lock's name (the message says what)."""


def _read_lock_file(path: Path) -> bytes:
    """The bytes of the regular file at `path`, never through a symlink, never waiting on a FIFO or a device."""
    kind = _shape(os.lstat(path).st_mode)
    if kind:
        raise NotALockFile(f"it is {kind}, not a lock file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link since the lstat
            raise NotALockFile("it is a symbolic link, not a lock file") from None
        raise
    try:
        info = os.fstat(fd)
        kind = _shape(info.st_mode)
        if kind:
            raise NotALockFile(f"it is {kind}, not a lock file")
        if info.st_size > MAX_LOCK_BYTES:  # a sparse 3 GB file read whole was a MemoryError in every command
            raise NotALockFile(f"it is {info.st_size} bytes, more than any lock oaspec writes")
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(MAX_LOCK_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_LOCK_BYTES:  # grew after the fstat
        raise NotALockFile("it grew past the size of any lock oaspec writes while it was read")
    return data


def _shape(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file (None when it is)."""
    if stat.S_ISREG(mode):
        return None
    shapes = {stat.S_ISLNK: "a symbolic link", stat.S_ISDIR: "a directory", stat.S_ISFIFO: "a FIFO",
              stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device"}
    return next((name for test, name in shapes.items() if test(mode)), "not a regular file")


def is_pid(value: object) -> TypeGuard[int]:
    """A process id as a lock records it: an int the kernel could have handed out (1 .. 2**31 - 1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def damaged_holder(why: str) -> dict[str, Any]:
    return {"pid": None, "host": "?", "user": "?", "operation": "?", "time": "?", "damaged": why}


def remove_lock_file(path: Path) -> None:
    """Remove the lock at `path`, whatever its shape (a damaged lock may be a link, a FIFO, an empty directory);
    what cannot be removed is named with what to do."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            path.rmdir()
        else:
            path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OaspecError(f"{path}: the damaged lock cannot be removed ({exc.strerror or exc}); nothing was "
                          "released: look at what it holds, then remove it by hand (`rm -r` it) and run the unlock "
                          "again") from None
