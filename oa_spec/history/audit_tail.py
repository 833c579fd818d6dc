"""The end of the audit log: its last entry, a torn write after it, and whether one more entry fits.

An append is one write of one line; a crash or a full disk can cut it short, leaving bytes without a
final newline. Left there, the next entry would glue onto them and the chain could never verify again.
So the appender sets those bytes aside in a file of their own (evidence, never deleted), cuts the log
back to its last whole line, and records the recovery as an entry that `audit verify` reports. Bytes
that are a whole entry chaining to the log, with only the newline lost, are no torn write: the appender
ends their line instead (audit_lines.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from oa_spec.history.audit_lines import line_text
from oa_spec.util.fileio import fsync_dir, probe_room

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Tail:
    last_line: str | None  # the last whole, non-empty line
    torn_at: int | None  # offset of bytes after the last newline (a torn write), or None
    torn: bytes = b""


def read_tail(fd: int) -> Tail:
    """Read backwards from the end of the open log until the last whole line is isolated."""
    data, position = b"", os.lseek(fd, 0, os.SEEK_END)
    while position > 0 and b"\n" not in _whole(data).rstrip(b"\n"):
        step = min(_CHUNK, position)
        position -= step
        data = os.pread(fd, step, position) + data
    whole = _whole(data)
    torn = data[len(whole):]
    body = whole.rstrip(b"\n")
    last = line_text(body.rsplit(b"\n", 1)[-1]) if body else None
    return Tail(last, position + len(whole) if torn else None, torn)


def _whole(data: bytes) -> bytes:
    """`data` up to and including its last newline: what follows it is a torn write."""
    return data[:data.rfind(b"\n") + 1]


def set_aside(fd: int, log: Path, tail: Tail, stamp: str) -> dict[str, object]:
    """Copy the torn bytes to an evidence file beside the log, then cut the log back to its last whole line.
    Returns the facts the recovery entry records."""
    assert tail.torn_at is not None
    evidence = log.with_name(f"{log.name}.torn-{stamp.replace(':', '')}-{tail.torn_at}")
    out = os.open(evidence, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        write_all(out, tail.torn)
        os.fsync(out)
    finally:
        os.close(out)
    fsync_dir(log.parent)
    os.ftruncate(fd, tail.torn_at)
    os.fsync(fd)
    return {"evidence": evidence.name, "offset": tail.torn_at, "torn_bytes": len(tail.torn),
            "torn_sha256": "sha256:" + hashlib.sha256(tail.torn).hexdigest()}


def end_line(fd: int, tail: Tail) -> None:
    """End a last line that lost only its newline (or had it turned into a `\\r`): the entry stays where it is,
    in the chain, and the next entry follows it. The caller's write and fsync make it durable."""
    assert tail.torn_at is not None
    os.ftruncate(fd, tail.torn_at + len(tail.torn.removesuffix(b"\r")))
    write_all(fd, b"\n")


def write_all(fd: int, data: bytes) -> None:
    """os.write may write less than asked (a nearly full disk); a short write must not pass as a whole one."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]



def probe_append(log: Path) -> None:
    """OSError unless the log can take one more entry now: it opens for appending (not read-only, not refused),
    and a block written and flushed beside it fits (the disk or the quota is not full). Opened as an append
    opens it, so a log that does not exist yet is created (empty: a log of no entries); nothing else is left."""
    os.close(os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    probe_room(log.with_name(f".{log.name}.probe-{os.getpid()}"))
