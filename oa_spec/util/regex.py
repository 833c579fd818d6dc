"""Patterns from the spec (custom policy rules, keyword replies), matched in linear time.

A pattern comes from the same pull request as the texts it checks, and a keyword pattern meets every
customer's message, so both are untrusted: with Python's backtracking engine `^(a+)+$` against forty
`a`s and a `!` runs for minutes. RE2 matches in time linear in the text; what it cannot do in linear
time (backreferences, lookaround) it refuses to compile, and the spec is refused at validate with the
reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

# What RE2 lacks, in words a rule author can act on.
_UNSUPPORTED = (("\\1", "backreferences (\\1, (?P=name))"), ("(?P=", "backreferences (\\1, (?P=name))"),
                ("(?=", "lookahead (?=...)"), ("(?!", "lookahead (?!...)"), ("(?<=", "lookbehind (?<=...)"),
                ("(?<!", "lookbehind (?<!...)"))


class _Match(Protocol):
    def group(self, index: int = 0) -> str: ...


class _Compiled(Protocol):
    programsize: int

    def finditer(self, text: str) -> Iterator[_Match]: ...


@dataclass(frozen=True)
class LinearPattern:
    """A pattern compiled by RE2: finditer never backtracks."""

    source: str
    compiled: _Compiled

    @property
    def size(self) -> int:
        """Instructions of the compiled program: what matching costs per character, roughly."""
        return self.compiled.programsize

    def matches(self, text: str) -> Iterator[str]:
        for found in self.compiled.finditer(text):
            yield found.group(0)


class PatternError(ValueError):
    """The pattern cannot be matched in linear time, or is not a regular expression at all."""


class PatternSet:
    """Many patterns matched in one pass over the text (RE2's set): the cost does not grow with their number."""

    def __init__(self, patterns: list[str]) -> None:
        import re2

        self._set: Any = re2.Set.SearchSet(_options())
        for pattern in patterns:
            try:
                self._set.Add(pattern)
            except re2.error:
                compile_linear(pattern)  # raises PatternError with RE2's reason, in words an author can act on
                raise PatternError(f"pattern {pattern!r} cannot be matched with the others") from None
        try:
            self._set.Compile()
        except re2.error:  # RE2's memory budget for the set; Match on an uncompiled set would crash
            raise PatternError(f"{len(patterns)} patterns are too large to match together") from None

    def first(self, text: str) -> int | None:
        """The index of the first pattern (in the order given) that matches somewhere in `text`."""
        found = self._set.Match(text)
        return min(found) if found else None


def compile_linear(pattern: str) -> LinearPattern:
    import re2  # lazily: only specs with patterns pay for it

    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as exc:
        raise PatternError(_explain(pattern, exc)) from None
    return LinearPattern(pattern, cast(_Compiled, compiled))


def _options() -> Any:
    import re2

    options: Any = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error on stderr
    return options


def _explain(pattern: str, exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    for marker, feature in _UNSUPPORTED:
        if marker in pattern:
            return (f"pattern uses {feature}, which needs backtracking (a crafted text could make matching run "
                    f"for minutes): rewrite it without ({reason})")
    return f"pattern cannot be matched in linear time or is invalid: {reason}"
