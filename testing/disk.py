"""A directory that cannot be written, injected at the file layer (as tests/history/test_storage_faults.py does):
the tests run as root, for whom a mode makes nothing unwritable, and nothing is ever mounted for them."""

from __future__ import annotations

import errno
import os
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
