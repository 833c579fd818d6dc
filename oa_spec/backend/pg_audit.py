"""The audit trail in PostgreSQL: the same hash chain as oa_spec/history/audit.py, one row per entry.

An append runs in one transaction holding the head row's lock (SELECT ... FOR UPDATE), so concurrent
appends from many runners queue on it and each chains to the one before; the head row also records
the last (seq, hash), so deleting the newest rows is caught as well as editing or removing older ones.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from oa_spec.backend.base import AuditFault, BackendError, Json
from oa_spec.errors import OaspecError
from oa_spec.history.audit import GENESIS, RevisionNumbers, canonical, entry_hash, read_entry

if TYPE_CHECKING:
    import psycopg


def append_entry(conn: psycopg.Connection[Any], entry: Json) -> Json:
    """Chain `entry` (made by audit.new_entry, like the files log) to the head and store it; the caller runs
    this inside a transaction."""
    row = conn.execute("SELECT seq, hash FROM oaspec_audit_head WHERE id = 1 FOR UPDATE").fetchone()
    if row is None:  # the migration inserts it, and oaspec never deletes it: a cause, not an internal error (review 78)
        raise BackendError("the audit trail's head row (oaspec_audit_head) is missing: the table was tampered with or "
                          "damaged, and nothing can be chained to it; restore it from the database's backup "
                          "(`oaspec audit verify` names what else is wrong)")
    entry["seq"], entry["prev"] = int(row[0]) + 1, str(row[1])
    entry["hash"] = entry_hash(entry)
    store_entry(conn, entry)
    return entry


def store_entry(conn: psycopg.Connection[Any], entry: Json) -> None:
    """Insert an already chained entry and move the head to it (also used to copy a files log verbatim)."""
    conn.execute("INSERT INTO oaspec_audit (seq, hash, entry_time, entry) VALUES (%s, %s, %s, %s)",
                 (entry["seq"], entry["hash"], str(entry.get("time", "?")), canonical(entry)))
    conn.execute("UPDATE oaspec_audit_head SET seq = %s, hash = %s WHERE id = 1", (entry["seq"], entry["hash"]))


@dataclass(frozen=True)
class Verified:
    """What one verification read: the first fault, or the chain's length and last hash (GENESIS when empty),
    and the entries exported with it."""

    fault: AuditFault | None
    entries: int = 0
    head: str = GENESIS
    exported: str | None = None  # the entries asked for (verify's `since`), from the snapshot verified


SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def verify(conn: psycopg.Connection[Any], since: date | None = None) -> Verified:
    """The first entry that was edited, removed or reordered (or a head that lost its newest rows), read in one
    snapshot: the head row first, then every row, so an entry another runner appends meanwhile (its row and the
    head move together) is in neither, not taken for rows removed from the end (review 51 F1). With `since`,
    and no fault, also the entries from `since` on, read in that same snapshot: `audit export` ships what was
    verified, never rows appended or changed after the verification (review 52)."""
    with _snapshot(conn):
        verified = _verify_here(conn)
        if since is None or verified.fault is not None:
            return verified
        return dataclasses.replace(verified, exported=export(conn, since))


@contextlib.contextmanager
def _snapshot(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """One REPEATABLE READ, READ ONLY transaction; inside a migration's copy, that transaction's own view."""
    from psycopg.pq import TransactionStatus

    own = conn.info.transaction_status == TransactionStatus.IDLE
    with conn.transaction():
        if own:
            conn.execute(SNAPSHOT)
        yield


def _verify_here(conn: psycopg.Connection[Any]) -> Verified:
    head_row = conn.execute("SELECT seq, hash FROM oaspec_audit_head WHERE id = 1").fetchone()
    scanned = _scan(conn)
    if isinstance(scanned, AuditFault):
        return Verified(scanned)
    last_seq, last_hash = scanned
    if head_row is None:
        return Verified(AuditFault(last_seq + 1, "the chain's head row is missing: the table was tampered with"))
    head_seq, head_hash = int(head_row[0]), str(head_row[1])
    if last_seq > head_seq:
        return Verified(AuditFault(head_seq + 1, f"is past the head row (seq {head_seq}): a row was inserted "
                                                 "without oaspec's append, or the head row was set back"))
    if last_seq < head_seq or last_hash != head_hash:
        return Verified(AuditFault(head_seq, f"the head records seq {head_seq}, but the last entry is seq "
                                             f"{last_seq}: entries were removed from the end"))
    return Verified(None, last_seq, last_hash)


def _scan(conn: psycopg.Connection[Any]) -> tuple[int, str] | AuditFault:
    """Every row in order, checked and chained: the last (seq, hash), or the first fault."""
    prev_hash, expected = GENESIS, 1
    revisions = RevisionNumbers()  # a number recorded twice, as on the files state
    with conn.cursor() as cur:
        cur.execute("SELECT seq, hash, entry, entry_time FROM oaspec_audit ORDER BY seq")
        for seq, stored_hash, text, entry_time in cur:
            entry = _check(int(seq), str(stored_hash), str(text), str(entry_time), prev_hash, expected)
            if isinstance(entry, AuditFault):
                return entry
            reused = revisions.check(entry, int(seq))
            if reused is not None:
                return AuditFault(int(seq), reused.replace("(lines ", "(seq "))
            prev_hash, expected = str(stored_hash), int(seq) + 1
    return expected - 1, prev_hash


def _check(seq: int, stored_hash: str, text: str, entry_time: str, prev_hash: str,
           expected: int) -> Json | AuditFault:
    """The entry, when it verifies; else the fault."""
    try:
        entry = read_entry(text)
    except ValueError as exc:
        return AuditFault(seq, str(exc))
    if entry.get("hash") != entry_hash(entry) or stored_hash != entry.get("hash") or entry.get("seq") != seq:
        return AuditFault(seq, "was edited: its content no longer matches its hash")
    if entry_time != str(entry.get("time", "?")):  # a column outside the hash: it must say what the entry says
        return AuditFault(seq, "was edited: its entry_time column no longer matches the entry's own time")
    if seq > expected:
        missing = f"seq {expected}" if seq == expected + 1 else f"seq {expected}..{seq - 1}"
        return AuditFault(seq, f"follows seq {expected - 1}: {missing} removed")
    if entry.get("prev") != prev_hash:
        return AuditFault(seq, f"does not chain to seq {expected - 1}: that entry was rewritten or replaced")
    return entry


def head(conn: psycopg.Connection[Any]) -> tuple[int, str]:
    row = conn.execute("SELECT count(*), max(seq) FROM oaspec_audit").fetchone()
    if not row or not row[0]:
        return 0, GENESIS
    last = conn.execute("SELECT hash FROM oaspec_audit WHERE seq = %s", (row[1],)).fetchone()
    return int(row[0]), str(last[0]) if last else GENESIS


def export(conn: psycopg.Connection[Any], since: date) -> str:
    """Entries from `since` on, chosen by the entry's own (hashed) time, as the files state does: the
    entry_time column is outside the hash, and a role that may UPDATE could move an entry out of the export.
    A row that is not exactly its entry's canonical text is refused, as on the files state: it is not shipped."""
    lines = []
    with conn.cursor() as cur:
        cur.execute("SELECT seq, entry FROM oaspec_audit ORDER BY seq")
        for seq, text in cur:
            try:
                entry = read_entry(str(text))
            except ValueError as exc:
                raise OaspecError(f"{AuditFault(int(seq), str(exc))}; run `oaspec audit verify`") from None
            try:
                day = date.fromisoformat(str(entry["time"])[:10])
            except (ValueError, KeyError, TypeError):
                day = since  # an entry without a readable time is exported rather than hidden
            if day >= since:
                lines.append(canonical(entry) + "\n")
    return "".join(lines)
