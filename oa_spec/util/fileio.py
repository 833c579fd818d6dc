"""Crash-safe file writes: a reader sees the old file or the new one, never half of one; a read that
cannot block; and a flock that does not wait.

Everything written here is state (history, locks, the audit trail, the local provider's account), so
files are 0600 and every directory created on the way is 0700 (SECURITY.md).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# What link() answers on file systems without hard links (some network and FUSE mounts).
NO_HARD_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK})


def make_private_dirs(directory: Path) -> None:
    """Create `directory` and any missing parents, each 0700 (`mkdir(parents=True)` makes parents 0755)."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, fsync, rename over it, fsync the directory. Files are 0600."""
    tmp = _durable_temporary(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def create_text_exclusive(path: Path, text: str) -> None:
    """Like write_text_atomic, but FileExistsError when `path` exists: the file appears whole, or not at all,
    and never replaces another one (a link, unlike a rename, refuses an existing target)."""
    tmp = _durable_temporary(path, text)
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
        _create_in_place(path, text)  # a file system without hard links: exclusive, though not all-or-nothing
    finally:
        Path(tmp).unlink(missing_ok=True)
    fsync_dir(path.parent)


def _create_in_place(path: Path, text: str) -> None:
    _write_fsynced(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path, text)


def _durable_temporary(path: Path, text: str) -> str:
    """A fsynced 0600 temporary file holding `text`, beside `path`; removed again if writing it fails."""
    make_private_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    _write_fsynced(fd, Path(tmp), text)
    return tmp


def _write_fsynced(fd: int, path: Path, text: str) -> None:
    """Write `text` to the open file `fd` (at `path`) and fsync it; the file is removed if that fails."""
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


PROBE_BYTES = 4096  # a block: more than an audit entry takes (an empty file can often still be made on a full disk)


def probe_room(path: Path, size: int = PROBE_BYTES) -> None:
    """OSError unless `size` bytes written to a new file at `path` and fsynced fit now: the directory is writable
    and neither the disk nor the quota is full. The file is removed again either way."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(bytes(size))  # a buffered write writes it all or raises: no short write passes
            f.flush()
            os.fsync(f.fileno())
    finally:
        path.unlink(missing_ok=True)


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable: without this a power loss may undo it."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def create_json_exclusive(path: Path, data: Any) -> None:
    create_text_exclusive(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def sha256_hex(data: bytes) -> str:
    """The sha256 of bytes as read, by which a file the spec read is told apart from what is on disk later."""
    return hashlib.sha256(data).hexdigest()


def read_regular(path: Path, max_bytes: int) -> tuple[int, bytes]:
    """(size, bytes) of a regular file, or (size, b"") when it is over `max_bytes`. Opened without blocking and
    checked after opening: a FIFO or device swapped in for the file is refused, never read (it could block)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size > max_bytes:
            return info.st_size, b""
        with os.fdopen(os.dup(fd), "rb") as handle:
            return info.st_size, handle.read(max_bytes + 1)
    finally:
        os.close(fd)


def try_flock(fd: int) -> bool:
    """Take the flock on `fd` if no one holds it (the kernel releases it with the process)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def flocked(path: Path, wait: float, poll: float, timed_out: Callable[[], Exception]) -> Iterator[None]:
    """The exclusive flock on the file at `path` (made 0600 if missing), waited for up to `wait` seconds, polling
    every `poll`; `timed_out()` is raised past that. The kernel releases it with the process."""
    make_private_dirs(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not try_flock(fd):
            if time.monotonic() >= deadline:
                raise timed_out()
            time.sleep(poll)
        yield
    finally:
        os.close(fd)
