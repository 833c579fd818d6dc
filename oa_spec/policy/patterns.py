"""The rule packs' regular expressions, compiled on first use, and never for a text that cannot match.

Compiling the ~170 patterns of the rule packs and the vocabulary at import was the largest cost of
`oaspec validate`: Python's `re` parses and compiles in Python, and a class of CJK characters (every
`[^,，;；。]`) costs a 64K-entry bitmap. Most of them match none of a spec's texts. Every match of a
pattern holds a word of each of its anchor groups (`policy.anchors`), kept in data/pattern_anchors.json:
a string lacking them is answered "no match" without compiling. Once compiled, a pattern is searched
directly (sre's own prefix scan is faster than looking for the anchors).

A pattern the anchors file lacks (edited, the file not regenerated) is compiled on its first search: a
stale file is slower, never wrong, and tests/policy/test_anchors.py fails until it is regenerated
(`python -m oa_spec.policy.anchors`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Protocol

from oa_spec.util import precompiled

ANCHORS_FILE = "data/pattern_anchors.json"
_SOURCES: dict[str, None] = {}  # the package's anchorable patterns, in the order made


@cache
def _stored() -> dict[str, list[list[str]]]:
    loaded: dict[str, list[list[str]]] = json.loads(
        resources.files("oa_spec.policy").joinpath(ANCHORS_FILE).read_text(encoding="utf-8"))
    return loaded


def sources() -> tuple[str, ...]:
    """The patterns made so far that anchors can skip (no flags), for the anchors file."""
    return tuple(_SOURCES)


ANCHOR_CHECKS = 64


class Pattern:
    """`re.compile(pattern, flags)`, deferred; answers as re.Pattern does."""

    __slots__ = ("_anchors", "_checks", "_compiled", "_flags", "_lacking", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._anchors: tuple[tuple[str, ...], ...] | None = None  # read on the first search
        self._compiled: re.Pattern[str] | None = None
        self._lacking: str | None = None  # the last string found without the anchors
        self._checks = 0  # anchor checks of fresh strings so far (see _cannot_match)
        # The package's own patterns, flagless (under IGNORECASE a literal word is no anchor): what the
        # anchors file covers; a test's patterns are not the package's.
        if not flags and sys._getframe(1).f_globals.get("__name__", "").startswith("oa_spec."):
            _SOURCES[pattern] = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = precompiled.compile(self.pattern, self._flags)
        return self._compiled

    def _cannot_match(self, string: str) -> bool:
        """Does `string` lack every word of one of the anchor groups? Then no part of it can match. A pattern
        asked about many fresh strings (each sentence of a long text, say) is compiled instead: looking for
        its many anchor words in each would cost more than the search."""
        if self._compiled is not None:
            return False
        if string is self._lacking:  # a caller stepping through a long text asks again and again
            return True
        self._checks += 1
        if self._checks > ANCHOR_CHECKS:
            self.compiled()
            return False
        if self._anchors is None:
            stored = _stored().get(self.pattern) if not self._flags else None
            self._anchors = tuple(tuple(group) for group in stored or ())
        for group in self._anchors:
            for word in group:
                if word in string:
                    break
            else:
                self._lacking = string
                return True
        return False

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._cannot_match(string) else self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return iter(()) if self._cannot_match(string) else self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        return [] if self._cannot_match(string) else self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return string if self._cannot_match(string) else self.compiled().sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | None]:
        return [string] if self._cannot_match(string) else self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r})"


AnyPattern = Pattern | re.Pattern[str]  # what a text is searched with: either answers alike


class Searchable(Protocol):
    """A compiled pattern, or several searched as one (`lexicon.Alternation`)."""

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None: ...
