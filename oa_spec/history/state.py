"""The state interface: everything oaspec keeps between runs goes through it.

Revisions (and the journal of a running apply), what oaspec manages on each account, the account locks
and the audit trail. Two implementations keep the same contract:
- FilesState (history/files.py): the `.oaspec/` directory, unchanged on disk; the default.
- PostgresState (backend/pg_state.py): one PostgreSQL database that every CI runner shares.
`--state URL` / OASPEC_STATE chooses (open_state); commands that need no state never open one.

The contract, whatever keeps the state:
- A run holds an account's lock as a Lease; every write it makes for that account passes the lease, and
  is refused (FencedError) once the lock is no longer this run's (released by hand, expired and taken).
- A revision is begun (its journal: the number is taken, the attempt is visible) before the first write
  to the account and finished once; each write lands with its audit entry.
- The audit trail is one hash chain (history/audit.py), so `audit verify` answers the same everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from oa_spec.errors import OaspecError

if TYPE_CHECKING:
    from oa_spec.content.record import ContentStore
    from oa_spec.history.revisions import Revision

STATE_VARIABLE = "OASPEC_STATE"
LEASE_VARIABLE = "OASPEC_LOCK_LEASE_SECONDS"
DEFAULT_LEASE_SECONDS = 60.0  # a run that dies frees its accounts within this; the heartbeat renews it


class FencedError(OaspecError):
    """This run's lock was released or taken over; its writes are refused."""


class RevisionConflict(OaspecError):
    """Another run recorded this revision number first."""


class UnauditedRevision(OaspecError):
    """The revision was recorded but its audit entry was not (the files state writes them one by one)."""


@dataclass(frozen=True)
class Lease:
    """What a run holds while it has an account's lock; every write of the run carries it."""

    account: str
    lock_id: str
    fencing_token: int  # grows with every acquisition (PostgreSQL); 0 in the files state, where the id fences


@dataclass(frozen=True)
class LockRequest:
    """Who asks for a lock: shown to anyone who finds the account locked."""

    holder: str  # the user
    host: str
    operation: str  # "apply", "rollback", ...
    pid: int | None = None
    ci_job_url: str | None = None


@dataclass(frozen=True)
class AuditNote:
    """An audit entry to write together with a revision (history/audit.py makes them)."""

    operation: str
    result: str
    fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditCheck:
    """What `audit verify` found: the first bad entry, or the chain's length and head hash."""

    where: str
    entries: int
    head: str
    problem: str | None = None
    torn: bool = False  # only the last entry is damaged, by a write cut short (the next append recovers)
    notes: tuple[str, ...] = ()  # recoveries from torn writes, to keep as evidence


@dataclass(frozen=True)
class Unlocked:
    """What `oaspec unlock` did: released this lock, or found another one (or none) and left it."""

    account: str
    released: bool
    holder: str | None  # the holder released, or the one still holding the lock; None when not locked
    lock_id: str | None


@dataclass
class Check:
    """One line of `oaspec state doctor`."""

    name: str
    ok: bool
    detail: str


@dataclass
class DoctorReport:
    backend: str  # where the state is, safe to print
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


class AccountHistory(Protocol):
    """One account's revisions and ownership."""

    account: str

    def numbers(self) -> list[int]: ...
    def get(self, number: int) -> Revision: ...
    def managed(self) -> dict[str, set[str]]:
        """What oaspec manages on the account, as its newest revision records; OaspecError naming that record
        and what to do when it cannot be read (then what oaspec owns is unknown: no older one stands in)."""
        ...

    def next_number(self) -> int: ...
    def audited_digests(self) -> dict[int, set[str]]:
        """Revision number -> the spec digests its audit entries record (history/integrity.py checks them)."""
        ...

    def audited_sends(self) -> dict[str, str]:
        """Content slot -> when `oaspec publish` recorded it as sent, as the audit trail says (content/slots.py)."""
        ...

    def where(self, number: int) -> str:
        """Where revision `number` is kept, as an error names it: its file, or its row in the database."""
        ...

    def begin(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        """Record the journal of a run about to write; RevisionConflict if the number is taken. On failure
        nothing is recorded."""
        ...

    def finish(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        """Replace the journal with the outcome; UnauditedRevision if only the revision landed."""
        ...

    def check(self, lease: Lease) -> None:
        """FencedError unless the lease still holds the lock (checked before each write to the platform)."""
        ...

    def marker(self) -> tuple[int, int]:
        """(newest number, when it was last written, ns): changes whenever a revision is recorded or a journal
        replaced by its outcome; cheap enough for `oaspec serve` to poll several times a second."""
        ...


class AuditTrail(Protocol):
    def event(self, operation: str, account: str, result: str, detail: str, lease: Lease | None = None,
              **fields: object) -> None:
        """An entry that is not a revision: a refusal, a freeze override, a waiver used."""
        ...

    def verify(self) -> AuditCheck: ...
    def export(self, since: date) -> str:
        """Entries from `since` (UTC) on, as JSON Lines with their hashes."""
        ...

    def verified_export(self, since: date) -> tuple[AuditCheck, str]:
        """The trail verified, and the entries from `since` on of exactly what was verified (none when it found
        a fault, but the whole entries before a torn last one): `audit export` ships nothing unverified."""
        ...


class State(Protocol):
    @property
    def audit(self) -> AuditTrail: ...

    def describe(self) -> str:
        """Where the state is, safe to print (never a password)."""
        ...

    def identity(self) -> str:
        """Which store this is, as a plan records and shows it: the same for every spelling of its address,
        different for another store, and naming no host or role (a plan is posted to the pull request)."""
        ...

    def close(self) -> None: ...
    def accounts(self) -> list[str]:
        """The accounts that have revisions."""
        ...

    def history(self, account: str) -> AccountHistory: ...
    def lock(self, account: str, operation: str, timeout: float = 0.0) -> AbstractContextManager[Lease]:
        """The account's lock for the body of the `with`, waiting up to `timeout` seconds; LockedError
        naming the holder and how to release it."""
        ...

    def unlock(self, account: str, lock_id: str | None, force: bool = False) -> Unlocked:
        """Release exactly the lock `lock_id` (or, in the files state, whatever lock is there) and record
        who did it in the audit trail."""
        ...

    def running(self, account: str, lock_id: str) -> str | None:
        """The run holding the account's lock under `lock_id`, described, when it is alive by the test unlock
        uses (its process on this host, a lease it keeps renewing); None otherwise."""
        ...

    def content(self, account: str) -> ContentStore:
        """The account's content record: drafts, uploaded images and every send of `oaspec publish`."""
        ...


def lease_seconds() -> float:
    """How long a shared lock lasts without its heartbeat (OASPEC_LOCK_LEASE_SECONDS)."""
    text = os.environ.get(LEASE_VARIABLE, "")
    if not text:
        return DEFAULT_LEASE_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1.0 <= value <= 86400.0:
        raise OaspecError(f"{LEASE_VARIABLE}={text!r}: give the lock lease in seconds, from 1 to 86400")
    return value


def state_address(option: str | None, spec_variable: str | None) -> str | None:
    """The state's address: `option` (--state, or OASPEC_STATE through it) first, then the environment
    variable the spec's `state:` block names; None means the files state."""
    if option:
        return option
    if not spec_variable:
        return None
    url = os.environ.get(spec_variable)
    if not url:
        raise OaspecError(f"the spec's state: block keeps the state in the database named by {spec_variable}, "
                          f"which is not set here: export {spec_variable}=postgresql://HOST/DB (in CI, from the "
                          "secret store; the password in PGPASSWORD), or pass --state URL")
    return url


def open_state(url: str | None, state_dir: Path, connect: bool = True, serving: bool = False) -> State:
    """The state at `url` (--state or OASPEC_STATE), or the files under `state_dir` without one. Without
    `connect`, a PostgreSQL state connects on first use (a gateway worker boots while the database is down);
    `serving` (the gateway) waits less for a connection (SERVE_CONNECT_TIMEOUT_SECONDS)."""
    if not url:
        from oa_spec.history.files import FilesState

        return FilesState(state_dir)
    from oa_spec.backend import open_postgres, postgres_address
    from oa_spec.backend.pg_connect import CONNECT_TIMEOUT_SECONDS, SERVE_CONNECT_TIMEOUT_SECONDS
    from oa_spec.backend.pg_state import PostgresState

    timeout = SERVE_CONNECT_TIMEOUT_SECONDS if serving else CONNECT_TIMEOUT_SECONDS
    if not connect:
        from oa_spec.backend.postgres import PostgresBackend

        return PostgresState(PostgresBackend(postgres_address(url), lease_seconds(), timeout))
    return PostgresState(open_postgres(url, lease_seconds(), timeout))
