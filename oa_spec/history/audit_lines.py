"""The audit log's lines, by the one rule every reader and the appender share.

A line ends at its `\\n` and nowhere else (a `\\r` just before it is dropped: a log copied through tools
that write CRLF still verifies). A last line without its `\\n` is a write cut short. It is torn unless it
is a whole entry that chains to the one before, with only its newline lost (or turned into a `\\r`):
then it is a verified entry, counted, exported and kept, and the next append ends its line instead of
setting it aside (audit.py decides which).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oa_spec.errors import OaspecError


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, counting every `\n`
    text: str  # without its line end
    ended: bool  # followed by its `\n`


def line_text(raw: bytes) -> str:
    """The text of one line of the log, without its `\\n` (or the `\\r` left where the newline was)."""
    return raw.removesuffix(b"\n").removesuffix(b"\r").decode("utf-8", errors="replace")


def log_lines(path: Path) -> Iterator[Line]:
    """Every non-empty line of the log, split on `\\n` only."""
    try:
        f = path.open("rb")
    except FileNotFoundError:
        raise OaspecError(f"{path}: no audit log yet (apply, rollback and unlock write one)") from None
    with f:
        for number, raw in enumerate(f, start=1):
            text = line_text(raw)
            if text.strip():
                yield Line(number, text, raw.endswith(b"\n"))


def unended_last_line(path: Path) -> int | None:
    """The number of the last line when it has no `\\n` (a write cut short), else None."""
    last = deque(log_lines(path), maxlen=1)
    return last[0].number if last and not last[0].ended else None


def unended_note(path: Path, line: int) -> str:
    """What `audit verify` says of a whole last entry that lost only its newline."""
    return (f"{path}:{line}: the last entry has no final newline (a write cut short by its last byte, or the "
            "newline changed); the entry is whole and chains, so it counts and is exported, and the next apply, "
            "rollback or unlock ends its line")
