"""Disk faults injected at the file layer (os.open, os.fsync), never by mounting anything: a read-only file,
a disk with no room left, and a disk that fills up part-way through a run."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest


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
