"""The PostgreSQL state behind the state interface (oa_spec/history/state.py): what `--state URL` opens.

A thin layer over PostgresBackend: an account's history is the backend seen for one account, a lock is
held with a heartbeat (heartbeat.py) on a second connection opened with the first lock, and the audit
trail is the database's chain. A revision and its audit entry are written in one transaction, so the
files state's "recorded but not audited" cannot happen here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from oa_spec.backend.base import BackendError, BackendUnreachable
from oa_spec.backend.heartbeat import hold
from oa_spec.backend.pg_rows import account_entries, revision_place
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from oa_spec.history import audit_numbers, checked_account_id
from oa_spec.history.lock import lock_request
from oa_spec.history.revisions import Revision
from oa_spec.history.state import AuditCheck, AuditNote, Lease, Unlocked

if TYPE_CHECKING:
    from oa_spec.backend.pg_content import PostgresContent
    from oa_spec.history.state import State


class PostgresHistory:
    def __init__(self, backend: PostgresBackend, account: str) -> None:
        self.backend = backend
        self.account = checked_account_id(account)

    def numbers(self) -> list[int]:
        return self.backend.numbers(self.account)

    def get(self, number: int) -> Revision:
        return self.backend.get(self.account, number)

    def managed(self) -> dict[str, set[str]]:
        return {kind: set(items) for kind, items in self.backend.managed(self.account).items()}

    def next_number(self) -> int:
        return self.backend.next_number(self.account)

    def audited_digests(self) -> dict[int, set[str]]:
        with self.backend.transaction("reading the audit trail's revision entries") as conn:
            return audit_numbers.audited_digests(account_entries(conn, self.account), self.account)

    def audited_sends(self) -> dict[str, str]:
        with self.backend.transaction("reading the audit trail's sends") as conn:
            return audit_numbers.sent_slots(account_entries(conn, self.account), self.account)

    def where(self, number: int) -> str:
        return revision_place(self.backend.describe(), self.account, number)

    def begin(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        self.backend.begin(self.account, revision, lease, note)

    def finish(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        self.backend.finish(self.account, revision, lease, note)

    def check(self, lease: Lease) -> None:
        self.backend.check(lease)

    def marker(self) -> tuple[int, int]:
        return self.backend.marker(self.account)


class PostgresAudit:
    def __init__(self, backend: PostgresBackend) -> None:
        self.backend = backend

    def event(self, operation: str, account: str, result: str, detail: str, lease: Lease | None = None,
              **fields: object) -> None:
        self.backend.audit_append(operation, account, result, lease, detail=detail, **fields)

    def verify(self) -> AuditCheck:
        """The length and head hash printed are those of the snapshot verified, not a later read."""
        done = self.backend.audit_check()
        return AuditCheck(self.backend.describe(), done.entries, done.head, None if done.fault is None else
                          str(done.fault))

    def export(self, since: date) -> str:
        return self.backend.audit_export(since)

    def verified_export(self, since: date) -> tuple[AuditCheck, str]:
        """Verified and exported in one snapshot (review 52): rows appended meanwhile are in neither."""
        done = self.backend.audit_check(since)
        return (AuditCheck(self.backend.describe(), done.entries, done.head, None if done.fault is None else
                           str(done.fault)), done.exported or "")


class PostgresState:
    def __init__(self, backend: PostgresBackend) -> None:
        self.backend = backend
        self.audit = PostgresAudit(backend)
        self._renewer: PostgresBackend | None = None  # the heartbeats' connection, opened with the first lock
        self._renewer_made = threading.Lock()

    def describe(self) -> str:
        return self.backend.describe()

    def identity(self) -> str:
        return self.backend.identity()

    def close(self) -> None:
        self.backend.close()
        if self._renewer is not None:
            self._renewer.close()

    def accounts(self) -> list[str]:
        return self.backend.accounts()

    def history(self, account: str) -> PostgresHistory:
        return PostgresHistory(self.backend, account)

    @contextmanager
    def lock(self, account: str, operation: str, timeout: float = 0.0) -> Iterator[Lease]:
        with hold(self.backend, self._heartbeat_backend(), checked_account_id(account), lock_request(operation),
                  timeout) as lease:
            yield lease

    def _heartbeat_backend(self) -> PostgresBackend:
        with self._renewer_made:
            if self._renewer is None:  # connects on its first renewal; one for all the run's locks
                self._renewer = PostgresBackend(self.backend.dsn, self.backend.lease_seconds)
            return self._renewer

    def content(self, account: str) -> PostgresContent:
        from oa_spec.backend.pg_content import PostgresContent

        return PostgresContent(self, account)

    def unlock(self, account: str, lock_id: str | None, force: bool = False) -> Unlocked:
        """Only by lock id: in a shared state "whatever lock is there" may be a run on another runner that
        is alive and writing. Without an id, say which lock it is and how to release exactly that one."""
        held = self.backend.lock_info(checked_account_id(account))
        if lock_id is None:
            if held is None:
                return Unlocked(account, False, None, None)
            raise OaspecError(f"account {account} is locked by {held.describe()}; to release exactly this lock run "
                              f"`oaspec unlock {account} --lock-id {held.lock_id} --force` (--force because its lease "
                              "may be live: the run renews it while it runs)")
        try:
            released = self.backend.unlock(account, lock_id, force)  # audited, whether it released anything or not
        except BackendError as exc:
            raise type(exc)(f"{exc}; {self._unlock_failed(account, lock_id, exc)}") from None
        if released is not None:
            return Unlocked(account, True, released.describe(), released.lock_id)
        now = self.backend.lock_info(account)
        return Unlocked(account, False, None if now is None else now.describe(), None if now is None else now.lock_id)

    def _unlock_failed(self, account: str, lock_id: str, exc: BackendError) -> str:
        """What a failed unlock left: its audit entry and the release are one transaction, so both or neither."""
        if isinstance(exc, BackendUnreachable):  # never connected: nothing was sent
            return "nothing was released"
        try:
            held = self.backend.lock_info(account)
        except OaspecError:
            held = None
        if held is not None and held.lock_id == lock_id:
            return "nothing was released: an unlock and its audit entry are one transaction, and it did not commit"
        return (f"nothing was released by this unlock, unless its transaction committed as the connection failed: "
                f"then its audit entry is in the trail with it; `oaspec unlock {account}` shows the lock held now")

    def running(self, account: str, lock_id: str) -> str | None:
        held = self.backend.lock_info(checked_account_id(account))
        return held.describe() if held is not None and held.lock_id == lock_id and held.live else None


if TYPE_CHECKING:
    def _is_a_state(state: PostgresState) -> State:
        return state  # mypy proves the PostgreSQL state implements the whole interface
