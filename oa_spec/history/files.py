"""The files state: `.oaspec/` (--state-dir) as it has always been laid out, behind the state interface.

    history/ACCOUNT/NNNNNN.json   revisions (revisions.py), ownership read from the newest
    locks/ACCOUNT.lock            the account's lock (lock.py)
    locks/ACCOUNT.lock.guard      flocked to create or remove that lock; never removed (lock.guarded)
    audit.log                     the hash-chained audit trail (audit.py)
    local/ACCOUNT.json            the `local` provider's accounts (not state: the platform's stand-in)
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError
from oa_spec.history import audit, checked_account_id, lock
from oa_spec.history.audit_lines import unended_last_line, unended_note
from oa_spec.history.integrity import audit_check, revisions_check
from oa_spec.history.revisions import RevisionStore, recorded_accounts
from oa_spec.history.state import AuditCheck, Check, DoctorReport, Lease, Unlocked

if TYPE_CHECKING:
    from oa_spec.content.record import ContentRecord
    from oa_spec.history.state import State


class FilesAudit:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.path = audit.log_path(state_dir)

    def event(self, operation: str, account: str, result: str, detail: str, lease: Lease | None = None,
              **fields: object) -> None:
        if lease is not None:
            lock.check_fence(self.state_dir, lease)
        audit.record_event(self.state_dir, operation, account, result, detail, **fields)

    def verify(self) -> AuditCheck:
        return check_log(self.path)  # OaspecError when there is no log yet

    def export(self, since: date) -> str:
        return audit.export(self.path, since)

    def verified_export(self, since: date) -> tuple[AuditCheck, str]:
        """Verify and export one read of the log (review 53 F1: a second read shipped an entry edited after the
        verification, and with a torn tail anything appended since): its bytes are copied once, and both run on
        the copy, so what is exported is what was verified; a torn last line bounds it at the entries before."""
        with _snapshot(self.path) as copy:
            try:
                check = _shown_as(check_log(copy), copy, self.path)
                if check.problem is not None and not check.torn:
                    return check, ""
                return check, audit.export(copy, since)
            except OaspecError as exc:
                raise OaspecError(str(exc).replace(str(copy), str(self.path))) from None


def check_log(path: Path) -> AuditCheck:
    """`audit verify` of the log at `path`."""
    problem = audit.verify(path)
    if problem is not None:
        return AuditCheck(str(path), 0, audit.GENESIS, str(problem), problem.torn)
    count, head = audit.head(path)
    notes = tuple(f"{path}:{line}: recovered from a torn write at {entry.get('time')}: "
                  f"{entry.get('torn_bytes')} bytes set aside in {entry.get('evidence')} "
                  f"({entry.get('torn_sha256')}); keep that file as evidence"
                  for line, entry in audit.recoveries(path))
    if (unended := unended_last_line(path)) is not None:  # whole (verify said so), only its newline lost
        notes += (unended_note(path, unended),)
    return AuditCheck(str(path), count, head, notes=notes)


@contextmanager
def _snapshot(path: Path) -> Iterator[Path]:
    """A private copy of the log's bytes as read once, named as the log is."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OaspecError(f"{path}: no audit log yet (apply, rollback and unlock write one)") from None
    with tempfile.TemporaryDirectory(prefix="oaspec-audit-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(data)
        yield copy


def _shown_as(check: AuditCheck, copy: Path, path: Path) -> AuditCheck:
    """The check of the copy, naming the log it was read from."""
    def named(text: str) -> str:
        return text.replace(str(copy), str(path))
    return dataclasses.replace(check, where=str(path), problem=None if check.problem is None else named(check.problem),
                               notes=tuple(named(note) for note in check.notes))


class FilesState:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.audit = FilesAudit(state_dir)

    def describe(self) -> str:
        return f"files state {self.state_dir}"

    def identity(self) -> str:
        return f"files state {self.state_dir.resolve()}"

    def close(self) -> None:
        pass

    def accounts(self) -> list[str]:
        return recorded_accounts(self.state_dir)

    def history(self, account: str) -> RevisionStore:
        return RevisionStore(self.state_dir, account)

    @contextmanager
    def lock(self, account: str, operation: str, timeout: float = 0.0) -> Iterator[Lease]:
        """The account's lock, and no `oaspec publish` of the account running (content/publish_lock.py)."""
        from oa_spec.content.publish_lock import check_no_publish  # content reads the history's account ids

        with lock.account_lock(self.state_dir, account, operation, timeout) as lease:
            check_no_publish(self.state_dir, account, operation, timeout)
            yield lease

    def content(self, account: str) -> ContentRecord:
        from oa_spec.content.record import ContentRecord  # content reads the history's account ids

        return ContentRecord(self.state_dir, account)

    def unlock(self, account: str, lock_id: str | None, force: bool = False) -> Unlocked:
        """Without a lock id, whatever lock is there (a live holder on this host only with `force`); with
        one, only that lock. Either way the audit trail records who tried, and what was there: an audit log
        that cannot take the entry refuses the unlock before anything is released."""
        checked_account_id(account)
        audit.check_appendable(self.state_dir, "nothing was released: an unlock must be in the audit trail")
        try:
            holder = lock.unlock(self.state_dir, account, force, lock_id)
        except lock.LockedError:
            there = lock.read_holder(lock.lock_path(self.state_dir, account))
            if lock_id is not None and _lock_id(there) != lock_id:  # a mistaken id is recorded too: visible
                audit.record_unlock(self.state_dir, account, None, lock_id=lock_id, result="not held")
                if there is not None and there.get("damaged"):  # it has no id: name what can release it
                    raise OaspecError(f"lock {lock_id} does not hold {account}: it is locked by "
                                      f"{lock.describe_holder(there)}, which no lock id names; release it with "
                                      f"{lock.release_hint(account, there)}; nothing was released") from None
                return Unlocked(account, False, lock.describe_holder(there or {}), _lock_id(there))
            raise
        try:
            audit.record_unlock(self.state_dir, account, holder, forced=force, lock_id=lock_id)
        except OaspecError as exc:  # it could a moment ago: the disk filled since
            done = "no lock was held" if holder is None else f"released the lock of {lock.describe_holder(holder)}"
            raise OaspecError(f"account {account}: {done}, but {exc}") from None
        return Unlocked(account, holder is not None, None if holder is None else lock.describe_holder(holder),
                        _lock_id(holder))

    def running(self, account: str, lock_id: str) -> str | None:
        holder = lock.read_holder(lock.lock_path(self.state_dir, checked_account_id(account)))
        if holder is None or holder.get("lock_id") != lock_id or not lock.live_holder(holder):
            return None  # a holder on another host cannot be seen from here: unlock releases it without --force
        return lock.describe_holder(holder)


def files_doctor(state_dir: Path) -> DoctorReport:
    """`oaspec state doctor` for the files state: the directory is writable, history and the audit trail
    read back, and which locks are held (with the reason a lock looks stale)."""
    report = DoctorReport(str(state_dir))
    if not state_dir.is_dir():
        report.checks.append(Check("directory", True, f"{state_dir} does not exist yet: the first apply makes it"))
        return report
    writable = os.access(state_dir, os.W_OK | os.X_OK)
    report.checks.append(Check("directory", writable, "writable" if writable else
                               "not writable by this user: apply could not record anything; fix its permissions"))
    state = FilesState(state_dir)
    try:
        problems = [problem for account in state.accounts() if (problem := _unreadable_newest(state, account))]
        report.checks.append(Check("history", not problems, "; ".join(problems) or
                                   f"{len(state.accounts())} account(s), every newest record readable"))
        if audit.log_path(state_dir).exists():
            report.checks.append(audit_check(state))
        report.checks.append(revisions_check(state))
    except OaspecError as exc:
        report.checks.append(Check("history", False, str(exc)))
    held = sorted((state_dir / "locks").glob("*.lock")) if (state_dir / "locks").is_dir() else []
    details = [f"{path.stem}: {lock.describe_holder(lock.read_holder(path) or {})}"
               + (f" (stale: {reason})" if (reason := lock.stale_reason(lock.read_holder(path) or {})) else "")
               for path in held]
    report.checks.append(Check("locks", True, "; ".join(details) or "none held"))
    return report


def _unreadable_newest(state: FilesState, account: str) -> str | None:
    """Why plan, apply and rollback of the account are refused, if its newest record cannot be read."""
    try:
        state.history(account).managed()
    except OaspecError as exc:
        return str(exc)
    return None


def _lock_id(holder: dict[str, object] | None) -> str | None:
    value = (holder or {}).get("lock_id")
    return value if isinstance(value, str) else None


if TYPE_CHECKING:
    def _is_a_state(state: FilesState) -> State:
        return state  # mypy proves the files state implements the whole interface
