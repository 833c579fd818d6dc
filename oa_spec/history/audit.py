"""The audit trail: an append-only, hash-chained JSON Lines log of every apply, rollback and unlock.

Each entry carries `prev`, the hash of the entry before it, and `hash`, a sha256 over the entry's
canonical JSON (sorted keys, no spaces) including `prev`. Editing a field breaks that entry's hash;
removing or reordering entries breaks the next entry's `prev` and the sequence numbers. An attacker
who can rewrite the whole file can also recompute the chain, so the head hash (printed by
`oaspec audit verify`) or the exported entries must also live somewhere the attacker cannot write:
the bank's log system (see SECURITY.md).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oa_spec.errors import OaspecError
from oa_spec.history import stored_json
from oa_spec.history.audit_lines import line_text, log_lines
from oa_spec.history.audit_tail import end_line, probe_append, read_tail, set_aside, write_all
from oa_spec.history.provenance import identity
from oa_spec.history.state import AuditNote
from oa_spec.kinds.state import digest
from oa_spec.util.fileio import fsync_dir, make_private_dirs

if TYPE_CHECKING:  # revisions.py appends through this module
    from oa_spec.history.revisions import Revision

SCHEMA_VERSION = 1
LOG_NAME = "audit.log"
GENESIS = "sha256:" + "0" * 64  # `prev` of the first entry
MAX_ADDRESSES = 200  # per entry; the revision holds the full list
Entry = dict[str, Any]
REVISION_OPERATIONS = ("apply", "rollback")  # the entries that record a numbered revision
RECOVERY = "audit-recovery"  # the entry that records a torn tail set aside


@dataclass(frozen=True)
class AuditProblem:
    """The first entry that does not verify."""

    path: Path
    line: int  # 1-based
    message: str
    torn: bool = False  # only the last line is damaged, by a write that was cut short (not tampering)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def log_path(state_dir: Path) -> Path:
    return state_dir / LOG_NAME


def canonical(entry: Entry) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class NotCanonical(ValueError):
    """A stored entry that parses, but whose text is not canonical(entry): reformatted, or rewritten so that it
    reads two ways (a key twice) while hashing as one. The text is what ships to the bank's log system."""

    def __init__(self, entry: Entry) -> None:
        super().__init__("was edited: its stored text is not the canonical form of the entry (keys sorted, each once, "
                         "no spaces), which is how oaspec writes every entry: the text was rewritten outside oaspec")
        self.seq = entry.get("seq")


def read_entry(text: str) -> Entry:
    """The entry a stored line (or row) holds, refused (ValueError saying why) unless the text is exactly the
    canonical JSON of one object: the hash covers the parsed entry, so only this ties the bytes to it."""
    try:
        entry = stored_json.parse_object(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a valid entry ({exc.msg}): damaged or truncated") from None
    except ValueError as exc:
        raise ValueError(f"not a valid entry ({exc})") from None
    if canonical(entry) != text:
        raise NotCanonical(entry)
    return entry


def entry_hash(entry: Entry) -> str:
    """sha256 over everything but `hash` itself (so `prev` and `seq` are covered)."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return "sha256:" + hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


# --- appending --------------------------------------------------------------------------------------
def append(state_dir: Path, operation: str, account: str, result: str, **fields: Any) -> Entry:
    """Append one entry, chained to the last one. Safe across threads and processes (flock). A torn write
    at the end of the log (a crash, a full disk) is first set aside and the recovery recorded."""
    path = log_path(state_dir)
    entry = new_entry(operation, account, result, **fields)
    try:
        make_private_dirs(state_dir)
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            entries = [*_recover_torn_tail(fd, path, entry["time"]), entry]
            for previous, this in zip([None, *entries], entries, strict=False):
                _chain(this, canonical(previous) if previous else None, fd)
            write_all(fd, "".join(canonical(e) + "\n" for e in entries).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)  # also releases the flock
        if created:
            fsync_dir(state_dir)
    except OSError as exc:
        raise OaspecError(f"{path}: cannot append to the audit log ({exc.strerror}); this {operation} is not in "
                          "the audit trail: fix the file's permissions or free disk space") from exc
    return entry


def check_appendable(state_dir: Path, refusal: str) -> None:
    """OaspecError saying `refusal` unless an entry can be appended now: before an unlock, recorded once done."""
    path = log_path(state_dir)
    try:
        make_private_dirs(state_dir)
        probe_append(path)
    except OSError as exc:
        raise OaspecError(f"{path}: cannot append to the audit log ({exc.strerror}); {refusal}: fix the file's "
                          "permissions or free disk space, then run again") from None


def new_entry(operation: str, account: str, result: str, **fields: Any) -> Entry:
    """An entry before seq/prev/hash: the same fields in the files log and the PostgreSQL backend."""
    return {
        "schema_version": SCHEMA_VERSION, "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        **identity(), "account": account, "operation": operation, "result": result, **fields,
    }


def _recover_torn_tail(fd: int, path: Path, stamp: str) -> list[Entry]:
    """The recovery entry when the log ends in a torn write (set aside first); nothing otherwise."""
    tail = read_tail(fd)
    if tail.torn_at is None:
        return []
    if completes_chain(tail.last_line, line_text(tail.torn)):  # only its newline was lost: a verified entry stays
        end_line(fd, tail)
        return []
    facts = set_aside(fd, path, tail, stamp)
    return [new_entry(RECOVERY, "-", "torn tail set aside", **facts)]


def _chain(entry: Entry, last: str | None, fd: int) -> None:
    """Set seq, prev and hash from the entry before (its line; read from the log under the caller's lock
    when None is given for the first of a batch)."""
    if last is None:
        last = read_tail(fd).last_line
    previous: Entry | None = None
    if last is not None:
        try:
            previous = stored_json.parse_object(last)
        except ValueError:
            previous = None
    if last is None:
        entry["seq"], entry["prev"] = 1, GENESIS
    elif previous is None or not isinstance(previous.get("seq"), int) or "hash" not in previous:
        # A damaged whole last line (not a torn write): chain to its raw bytes, so verify still names it.
        entry["seq"], entry["prev"] = -1, "sha256:" + hashlib.sha256(last.encode("utf-8")).hexdigest()
    else:
        entry["seq"], entry["prev"] = previous["seq"] + 1, previous["hash"]
    entry["hash"] = entry_hash(entry)


def record_revision(state_dir: Path, revision: Revision, result: str | None = None) -> Entry:
    """The entry for an apply or rollback that recorded `revision` (result: its status, or "started")."""
    note = revision_note(revision, result)
    return append(state_dir, note.operation, revision.account, note.result, **note.fields)


def revision_note(revision: Revision, result: str | None = None) -> AuditNote:
    """What the audit trail says about a revision written (result: its status, or "started" for the journal)."""
    return AuditNote(revision.operation, result or revision.status, {
        "revision": revision.number, "spec_digest": revision.spec_digest, "git_commit": revision.git_commit,
        "git": revision.provenance.get("git"), "decision_time": revision.provenance.get("decision_time"),
        "source": revision.source, "error": None if result == "started" else revision.error,
        "changes": changes_summary(revision), **_live(revision, started=result == "started")})


def reconcile_note(revision: Revision) -> AuditNote:
    """What the audit trail says when a killed run's journal is corrected from the live account."""
    return AuditNote("reconcile", revision.status, {"revision": revision.number,
                                                    "reconciled_operation": revision.operation,
                                                    "changes": changes_summary(revision), **_live(revision)})


def _live(revision: Revision, started: bool = False) -> dict[str, str]:
    """The digest of the live state a revision records after its writes: what `oaspec serve` answers followers from
    and what the spec digest does not cover (attack review 74: an edit of it alone passed `audit verify`); and, once
    the run is over, of what oaspec manages after it, which decides what a plan may delete or take over (attack
    review 78 F2), and of the whole record as written: who, when, the commit, what landed (F4). Not for a journal:
    its record is replaced by its outcome's, whose entry may fail where the record did not."""
    live = {} if revision.live_after is None else {"live_digest": digest(revision.live_after.to_json())}
    return live if started else {**live, "managed_digest": managed_digest(revision.managed),
                                 "record_digest": digest(revision.to_json())}


def managed_digest(managed: Mapping[str, Iterable[str]]) -> str:
    """The digest of what oaspec manages: each kind's names as a set (a kind with none left out)."""
    return digest({kind: sorted(set(names)) for kind, names in managed.items() if names})


def record_event(state_dir: Path, operation: str, account: str, event: str, detail: str, **fields: Any) -> Entry:
    """An entry that is not a revision: a refused apply or rollback (event "refused", with `refusal` naming
    the gate: freeze, stale-plan, tampered-plan, policy, destroy-guard, lock, invalid-history, other-account,
    not-applied, edited-history), a freeze override (with its reason) or the use of a waiver. Refusals write nothing
    to the account, so this entry is their only record."""
    return append(state_dir, operation, account, event, detail=detail, **fields)


def record_unlock(state_dir: Path, account: str, holder: dict[str, Any] | None, forced: bool = False,
                  lock_id: str | None = None, result: str | None = None) -> Entry:
    """The entry for `oaspec unlock`: who released whose lock (and whether --force overrode a live holder)."""
    fields: dict[str, Any] = {"forced": True} if forced else {}
    if lock_id is not None:
        fields["lock_id"] = lock_id
    return append(state_dir, "unlock", account, result or ("released" if holder else "not locked"), holder=holder,
                  **fields)


def changes_summary(revision: Revision) -> dict[str, Any]:
    landed = set(revision.applied)
    actions = Counter(c.action for c in revision.changes if c.address in landed)
    summary: dict[str, Any] = {
        "planned": len(revision.changes), "applied": len(revision.applied),
        "by_action": dict(sorted(actions.items())), "addresses": revision.applied[:MAX_ADDRESSES],
    }
    if len(revision.applied) > MAX_ADDRESSES:
        summary["addresses_omitted"] = len(revision.applied) - MAX_ADDRESSES
    if revision.partly:  # landed, and left something behind: the audit trail says what
        summary["partly"] = dict(list(revision.partly.items())[:MAX_ADDRESSES])
    if revision.dropped:  # answered OK, not kept: not counted as applied, and named here
        summary["dropped"] = revision.dropped[:MAX_ADDRESSES]
    return summary


# --- reading, verifying, exporting ------------------------------------------------------------------
def read_lines(path: Path, whole_only: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, text) of every non-empty line; with `whole_only`, not a torn last line: one without its
    newline that is not a whole entry chained to the line before (audit_lines.py)."""
    previous: str | None = None
    for line in log_lines(path):
        if whole_only and not line.ended and not completes_chain(previous, line.text):
            return
        yield line.number, line.text
        previous = line.text


def completes_chain(previous: str | None, text: str) -> bool:
    """Whether `text` (a last line without its newline) is a whole entry chained to `previous` (the line before;
    None at the start of the log): then only its newline was lost, and it is kept."""
    before: Entry = {"hash": GENESIS, "seq": 0}
    if previous is not None:
        try:
            before = read_entry(previous)
        except ValueError:
            return False
    seq = before.get("seq")
    return isinstance(seq, int) and _check_entry(text, str(before.get("hash")), seq + 1, 0) is None


def recoveries(path: Path) -> list[tuple[int, Entry]]:
    """The torn tails that appends set aside, with their lines: `audit verify` reports them."""
    found = []
    for number, text in read_lines(path, whole_only=True):
        if f'"operation":"{RECOVERY}"' in text:
            try:
                entry = stored_json.parse_object(text)
            except ValueError:
                continue  # verify names it
            if entry.get("operation") == RECOVERY:
                found.append((number, entry))
    return found


def verify(path: Path) -> AuditProblem | None:
    """The first entry that was edited, removed, reordered or damaged, or that records a revision number a
    second time; None when the chain is intact."""
    where_seq = _seq_lines(path)  # a first pass, so a reordering is told apart from a removal
    prev_hash, expected_seq, prev_line = GENESIS, 1, 0
    revisions = RevisionNumbers()
    for number, text, ended in ((line.number, line.text, line.ended) for line in log_lines(path)):
        problem = _check_entry(text, prev_hash, expected_seq, prev_line)
        if problem is None:
            entry = read_entry(text)
            prev_hash, expected_seq, prev_line = entry["hash"], entry["seq"] + 1, number
            problem = revisions.check(entry, number)
            if problem is None:
                continue
            return AuditProblem(path, number, problem)
        if not ended:
            return AuditProblem(path, number, f"the last entry is torn (a write cut short by a crash or a full "
                                f"disk); the next apply, rollback or unlock sets it aside as evidence and resumes "
                                f"the chain from line {prev_line}", torn=True)
        later = where_seq.get(expected_seq)
        if "removed" in problem and later is not None and later > number:
            problem = f"entries reordered: seq {expected_seq} is expected here but is at line {later}"
        return AuditProblem(path, number, problem)
    return None


class RevisionNumbers:
    """Each revision is one "started" entry and one outcome; a second of either means its number was reused."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, int, str], int] = {}  # (account, revision, started|outcome) -> line

    def check(self, entry: Entry, line: int) -> str | None:
        number = entry.get("revision")
        if entry.get("operation") not in REVISION_OPERATIONS or not isinstance(number, int):
            return None
        account = str(entry.get("account"))
        key = (account, number, "started" if entry.get("result") == "started" else "outcome")
        first = self.seen.setdefault(key, line)
        if first == line:
            return None
        return (f"revision {number} of {account} is recorded twice (lines {first} and {line}): its number was "
                "reused for a different revision; the history file of one of them was deleted or overwritten")


def _seq_lines(path: Path) -> dict[int, int]:
    """seq -> line number of the entries that parse."""
    found: dict[int, int] = {}
    for number, text in read_lines(path):
        try:
            seq = stored_json.parse_object(text).get("seq")
        except ValueError:
            continue
        if isinstance(seq, int):
            found.setdefault(seq, number)
    return found


def _check_entry(text: str, prev_hash: str, expected_seq: int, prev_line: int) -> str | None:
    try:
        entry = read_entry(text)
    except ValueError as exc:
        return _described(exc)
    if entry.get("schema_version") != SCHEMA_VERSION:
        return f"unknown schema_version {entry.get('schema_version')!r} (expected {SCHEMA_VERSION})"
    seq = entry.get("seq")
    if entry.get("hash") != entry_hash(entry):
        return f"entry seq {seq} was edited: its content no longer matches its hash"
    if not isinstance(seq, int):
        return "entry has no sequence number"
    if seq == expected_seq and entry.get("prev") == prev_hash:
        return None
    if seq > expected_seq:
        missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}..{seq - 1}"
        return f"entry seq {seq} follows seq {expected_seq - 1}: {missing} removed"
    if seq < expected_seq:
        return f"entry seq {seq} follows seq {expected_seq - 1}: entries reordered (or this one duplicated)"
    where = f"line {prev_line}" if prev_line else "the start of the log"
    return (f"entry seq {seq} does not chain to {where}: that entry was rewritten, or an entry was removed "
            "and the sequence renumbered")


def _described(exc: ValueError) -> str:
    return f"entry seq {exc.seq} {exc}" if isinstance(exc, NotCanonical) else str(exc)


def head(path: Path) -> tuple[int, str]:
    """(entries, hash of the last entry) of a verified log; record the hash outside the state directory."""
    count, last = 0, GENESIS
    for _, text in read_lines(path, whole_only=True):
        count += 1
        last = str(read_entry(text)["hash"])
    return count, last


def export(path: Path, since: date) -> str:
    """Entries from `since` (UTC date) on, as JSON Lines with their hashes, for the bank's log system. (`audit
    export` verifies and exports one copy of the log: files.FilesAudit.verified_export.)"""
    lines = []
    for number, text in read_lines(path, whole_only=True):
        try:
            entry = read_entry(text)
        except ValueError as exc:  # export ships only what verifies: the bytes must be the hashed entry's
            raise OaspecError(f"{path}:{number}: {_described(exc)}; run `oaspec audit verify`") from None
        try:
            day = date.fromisoformat(str(entry["time"])[:10])
        except (ValueError, KeyError, TypeError) as exc:
            raise OaspecError(f"{path}:{number}: not a valid audit entry ({exc}); run `oaspec audit verify`") \
                from None
        if day >= since:
            lines.append(canonical(entry) + "\n")
    return "".join(lines)
