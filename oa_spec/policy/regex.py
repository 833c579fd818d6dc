"""Custom rule patterns, matched in linear time.

A `pattern:` comes from the same pull request as the texts it checks, so it is untrusted: with
Python's backtracking engine `^(a+)+$` against forty `a`s and a `!` runs for minutes. RE2 matches
in time linear in the text; what it cannot do in linear time (backreferences, lookaround) it
refuses to compile, and the rule is refused at validate with the reason.
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
    def finditer(self, text: str) -> Iterator[_Match]: ...


@dataclass(frozen=True)
class LinearPattern:
    """A pattern compiled by RE2: finditer never backtracks."""

    source: str
    compiled: _Compiled

    def matches(self, text: str) -> Iterator[str]:
        for found in self.compiled.finditer(text):
            yield found.group(0)


class PatternError(ValueError):
    """The pattern cannot be matched in linear time, or is not a regular expression at all."""


def compile_linear(pattern: str) -> LinearPattern:
    import re2  # lazily: only specs with pattern rules pay for it

    options: Any = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error on stderr
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(_explain(pattern, exc)) from None
    return LinearPattern(pattern, cast(_Compiled, compiled))


def _explain(pattern: str, exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    for marker, feature in _UNSUPPORTED:
        if marker in pattern:
            return (f"pattern uses {feature}, which needs backtracking (a crafted text can hang validate): "
                    f"rewrite it without ({reason})")
    return f"pattern cannot be matched in linear time or is invalid: {reason}"
