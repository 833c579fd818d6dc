"""The state backend interface: everything oaspec keeps between runs, wherever it is kept.

Two implementations are meant to sit behind it: the files under `.oaspec/` (the embedded default) and
PostgreSQL (backend/postgres.py), which CI runners that start empty can share.

The contract every implementation keeps:
- Revisions are append-only and numbered per account; `append` of a number that exists raises
  RevisionConflict (another run won), never overwrites. A running apply first records its revision as
  "started" (`begin`) and replaces it with the final record once (`finish`), so a run that dies leaves a
  visible started entry, never a half-written final one.
- A lock is held through a Lease: an id, and a fencing token that grows with every acquisition of that
  account's lock. Every write made for a run passes its Lease; the backend checks, in the same
  transaction as the write, that the token is still the newest, so a run that lost its lock (paused,
  partitioned, its lease expired and another run took over) cannot write.
- The audit trail keeps the hash chain of oa_spec/history/audit.py (same `canonical`, `entry_hash`,
  GENESIS), so `audit verify` answers the same on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from oa_spec.errors import OaspecError

Json = dict[str, Any]
Managed = dict[str, list[str]]  # kind -> identities, as Revision.managed


class BackendError(OaspecError):
    """The backend cannot be reached or used (the message names it, with any password removed)."""


class RevisionConflict(OaspecError):
    """Another run recorded this revision number first."""


class LockedError(OaspecError):
    """The account's lock is held by another run (the message names the holder and how to release it)."""


class FencedError(OaspecError):
    """This run's lock was taken over (or released); its writes are refused."""


@dataclass(frozen=True)
class LockRequest:
    """Who asks for a lock, shown to anyone who finds the account locked."""

    holder: str  # user
    host: str
    operation: str  # "apply", "rollback", ...
    pid: int | None = None
    ci_job_url: str | None = None


@dataclass(frozen=True)
class LockInfo:
    """A held lock as the backend records it."""

    account: str
    lock_id: str
    fencing_token: int
    holder: str
    host: str
    operation: str
    pid: int | None
    ci_job_url: str | None
    acquired_at: datetime
    expires_at: datetime

    def describe(self) -> str:
        where = f", {self.ci_job_url}" if self.ci_job_url else ""
        pid = f" pid {self.pid}," if self.pid is not None else ""
        since, until = (t.isoformat(timespec="seconds") for t in (self.acquired_at, self.expires_at))
        return (f"{self.holder}@{self.host} ({self.operation},{pid} since {since}, lease until {until}{where}; "
                f"lock id {self.lock_id})")


@dataclass(frozen=True)
class Lease:
    """What a run holds while it has an account's lock; every write of the run carries it."""

    account: str
    lock_id: str
    fencing_token: int


@dataclass(frozen=True)
class AuditNote:
    """An audit entry to chain in the same transaction as a revision write: neither lands without the other.

    `fields` as audit.record_revision passes them (revision, spec_digest, changes, ...)."""

    operation: str
    result: str
    fields: Json = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFault:
    """The first audit entry that does not verify, named by its sequence number."""

    seq: int
    message: str

    def __str__(self) -> str:
        return f"audit entry seq {self.seq}: {self.message}"


@dataclass
class Check:
    """One line of `oaspec state doctor`."""

    name: str
    ok: bool
    detail: str


@dataclass
class DoctorReport:
    backend: str  # the redacted address
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


class StateBackend(Protocol):
    """Everything oaspec keeps between runs. Writes take the run's Lease (fencing) where a lock applies."""

    lease_seconds: float  # how long a lock lasts without renewal; the heartbeat renews every third of it

    def describe(self) -> str:
        """Where the state lives, safe to print (no password)."""
        ...

    def close(self) -> None: ...

    # --- revisions -------------------------------------------------------------------------------
    def numbers(self, account: str) -> list[int]: ...
    def next_number(self, account: str) -> int: ...
    def get(self, account: str, number: int) -> Json:
        """The revision's JSON (Revision.to_json); OaspecError naming known numbers when absent."""
        ...

    def append(self, account: str, record: Json, lease: Lease | None, audit: AuditNote | None = None) -> None:
        """Insert a final revision; RevisionConflict if its number exists, FencedError if the lease is stale.

        Without a lease the write is not fenced (copying a state); the unique number still holds."""
        ...

    def begin(self, account: str, record: Json, lease: Lease | None, audit: AuditNote | None = None) -> None:
        """Journal a running apply: reserve the number with a "started" record."""
        ...

    def finish(self, account: str, record: Json, lease: Lease, audit: AuditNote | None = None) -> None:
        """Replace the started record of the same number with the final one (once)."""
        ...

    def started(self, account: str) -> list[int]:
        """Numbers whose run began and never finished (a crash or a lost connection)."""
        ...

    def latest_applied(self, account: str) -> Json | None: ...

    # --- locks -----------------------------------------------------------------------------------
    def acquire(self, account: str, request: LockRequest, timeout: float = 0.0) -> Lease:
        """Take the lock (waiting up to `timeout` seconds) or raise LockedError naming the holder."""
        ...

    def renew(self, lease: Lease) -> None:
        """Extend the lease (the heartbeat); FencedError if it was taken over or released."""
        ...

    def release(self, account: str, lock_id: str) -> LockInfo | None:
        """Release exactly the lock with this id; returns what was released, None if that id is not held."""
        ...

    def unlock(self, account: str, lock_id: str) -> LockInfo | None:
        """Release exactly that lock (by hand: `oaspec unlock ACCOUNT --lock-id ID`) and audit who did it."""
        ...

    def lock_info(self, account: str) -> LockInfo | None: ...

    # --- audit trail -----------------------------------------------------------------------------
    def audit_append(self, operation: str, account: str, result: str, **fields: Any) -> Json:
        """Append one entry chained to the head; concurrent appends never fork the chain."""
        ...

    def audit_verify(self) -> AuditFault | None: ...
    def audit_head(self) -> tuple[int, str]:
        """(entries, hash of the last entry): keep it outside the database."""
        ...

    def audit_export(self, since: date) -> str:
        """Entries from `since` (UTC date) on, as JSON Lines with their hashes."""
        ...

    # --- ownership: what oaspec manages on each account ------------------------------------------
    def managed(self, account: str) -> Managed: ...
    def set_managed(self, account: str, managed: Managed, lease: Lease) -> None: ...

    # --- keyed records (gateway idempotency keys, published slots, ...) ---------------------------
    def put_record(self, namespace: str, key: str, value: Json, lease: Lease | None = None) -> None: ...
    def insert_record(self, namespace: str, key: str, value: Json) -> bool:
        """Insert only if absent (an idempotency key); False if the key was already there."""
        ...

    def get_record(self, namespace: str, key: str) -> Json | None: ...
    def list_records(self, namespace: str, prefix: str = "") -> dict[str, Json]: ...
    def delete_record(self, namespace: str, key: str, lease: Lease | None = None) -> bool: ...
