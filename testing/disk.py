"""Disk faults injected at the file layer (os.open, os.fsync and the calls that name a path), never by mounting
anything (the tests run as root, for whom a mode makes nothing unwritable): a read-only file, a directory that
cannot be written, a disk with no room left, and a disk that fills up part-way through a run."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

_WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def unwritable(monkeypatch: pytest.MonkeyPatch, directory: Path, code: int = errno.ENOSPC) -> None:
    """Every write under `directory` fails with `code` from now on: ENOSPC, a full disk (a file opened for writing
    cannot be); EROFS, a read-only one (nor can a name be linked, replaced, removed or made). Reads still work."""
    under = os.fspath(directory)

    def inside(path: Any) -> bool:
        return isinstance(path, str | bytes | os.PathLike) and os.fsdecode(path).startswith(under)

    def refused(path: Any) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path))

    real_open = os.open

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & _WRITES and inside(path):
            raise refused(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    if code != errno.EROFS:
        return
    for name in ("link", "replace", "rename", "unlink", "mkdir", "chmod"):
        real = getattr(os, name)

        def refusing(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if any(inside(arg) for arg in args):
                raise refused(next(arg for arg in args if inside(arg)))
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, refusing)


def no_space(fd: int) -> None:
    """os.fsync on a full disk."""
    raise OSError(errno.ENOSPC, "No space left on device")


def read_only(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Every file named `name` opens for reading only, as on a read-only mount: opening it to write fails."""
    real_open = os.open

    def refusing(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).name == name and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def fills_once_there(monkeypatch: pytest.MonkeyPatch, there: Path, room: int = 4096) -> None:
    """The disk fills up once `there` is on it: from then on only `room` bytes are left, so a small file is
    still written and a larger one fails with ENOSPC (when flushed, where a full disk shows at the latest)."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        if there.exists() and stat.S_ISREG(info.st_mode) and info.st_size > room:
            no_space(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
