"""Values and errors of the state backends; the interface itself is oa_spec/history/state.py.

The PostgreSQL backend keeps the contract written there: revisions append-only and numbered per
account (a number taken twice is a RevisionConflict, never an overwrite); a running apply's journal
("started") replaced once by its outcome; every write of a run fenced by its Lease, checked in the same
transaction as the write; the audit trail chained as oa_spec/history/audit.py chains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oa_spec.errors import OaspecError
from oa_spec.history.lock import LockedError
from oa_spec.history.state import AuditNote, Check, DoctorReport, FencedError, Lease, LockRequest, RevisionConflict

Json = dict[str, Any]  # an audit entry or a keyed record, as stored (JSON text in the database)
Managed = dict[str, list[str]]  # kind -> identities, as Revision.managed

__all__ = ["AuditFault", "AuditNote", "BackendError", "BackendUnreachable", "Check", "DoctorReport", "FencedError",
           "Json", "Lease", "LockInfo", "LockRequest", "LockedError", "Managed", "RevisionConflict"]


class BackendError(OaspecError):
    """The backend cannot be reached or used (the message names it, with any password removed)."""


class BackendUnreachable(BackendError):
    """The server did not answer or refused the connection (down, unreachable, or refusing these credentials):
    a gateway replica starts anyway and serves once it answers; every other command stops."""


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
    live: bool  # the lease is unexpired by the database's clock (the one every runner's lease is measured on)

    def describe(self) -> str:
        where = f", {self.ci_job_url}" if self.ci_job_url else ""
        pid = f" pid {self.pid}," if self.pid is not None else ""
        since, until = (t.isoformat(timespec="seconds") for t in (self.acquired_at, self.expires_at))
        return (f"{self.holder}@{self.host} ({self.operation},{pid} since {since}, lease until {until}{where}; "
                f"lock id {self.lock_id})")


@dataclass(frozen=True)
class AuditFault:
    """The first audit entry that does not verify, named by its sequence number."""

    seq: int
    message: str

    def __str__(self) -> str:
        return f"audit entry seq {self.seq}: {self.message}"
