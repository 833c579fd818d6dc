"""Compile the policy's patterns without building the same character class hundreds of times.

For every character class that holds a character beyond Latin-1 (the clause class [^,;。!?\\n] alone
occurs hundreds of times in the cn-bank rules, and re turns an alternation of single characters such
as 赚(?:了|到) into a class too), `re` builds and compresses a 64K-entry bitmap, once per occurrence:
about half of what compiling the policy's patterns cost. That step is a pure function of the class when
the pattern is case-sensitive, so inside `shared_charsets()` each class is built once.

It wraps `re._compiler._optimize_charset`, private to CPython (3.11 to 3.13 share its signature and
only read its result). Where it is missing or its signature differs, patterns compile as before,
only slower; the compiled programs are the same either way (tests/policy/test_charsets.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from re import _compiler  # type: ignore[attr-defined]
from typing import Any

_Optimizer = Callable[..., Any]
_ORIGINAL: _Optimizer | None = getattr(_compiler, "_optimize_charset", None)
_EXPECTED = ("charset", "iscased", "fixup", "fixes")
SUPPORTED = _ORIGINAL is not None and _ORIGINAL.__code__.co_varnames[:4] == _EXPECTED
MAX_CLASSES = 4096  # distinct classes kept; the cn-bank rules hold about 400

_built: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
_depth = 0


def _shared(charset: list[tuple[Any, Any]], iscased: Any = None, fixup: Any = None, fixes: Any = None) -> Any:
    assert _ORIGINAL is not None
    if fixup is not None:  # case-insensitive: the result depends on more than the class
        return _ORIGINAL(charset, iscased, fixup, fixes)
    key = tuple(charset)
    try:
        built = _built.get(key)
    except TypeError:  # a class re never builds today; compile it as re would
        return _ORIGINAL(charset)
    if built is None:
        built = _ORIGINAL(charset)
        if len(_built) < MAX_CLASSES:
            _built[key] = built
    return built


@contextmanager
def shared_charsets() -> Iterator[None]:
    """Within the block, re builds each case-sensitive character class once (nested and threads alike)."""
    global _depth
    if not SUPPORTED:
        yield
        return
    with _lock:
        _depth += 1
        _compiler._optimize_charset = _shared
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _compiler._optimize_charset = _ORIGINAL
