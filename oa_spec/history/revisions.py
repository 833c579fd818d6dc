"""Every apply records a revision: what was planned, what landed, and the account before and after.

Revisions are numbered per account, like Helm releases; `rollback N` plans back to revision N and
records the result as a new revision. Each is one JSON file, written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from oa_spec.errors import OaspecError
from oa_spec.history import ACCOUNT_ID, audit, audit_numbers, checked_account_id, stored_json
from oa_spec.history.lock import check_fence
from oa_spec.history.migrations import REVISIONS
from oa_spec.history.state import AuditNote, Lease, RevisionConflict, UnauditedRevision
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import dump_change, load_change
from oa_spec.kinds.state import AccountState
from oa_spec.util.fileio import create_json_exclusive, write_json_atomic

SCHEMA_VERSION = 1
# The journal revision's error until the run records its outcome; left behind only by a run that was killed
# or could not record its outcome (see reconcile.py).
INTERRUPTED = ("interrupted: the run stopped before it finished (killed, or the machine went down); which of the "
               "changes landed is unknown: run plan to see what is left, and apply again")
Status = Literal["applied", "failed"]


def misplaced(record: dict[str, Any], account: str, number: int) -> None:
    """ValueError when a record names another account or number than its place: one copied from another account's
    history or restored under the wrong number would be served and read as this one (attack review 73)."""
    if record.get("account") != account or record.get("number") != number:
        said = [repr(record.get(name))[:80] for name in ("number", "account")]  # from the file: bounded, escaped
        raise ValueError(f"it records revision {said[0]} of account {said[1]}, not revision {number} of {account}")


def unknown_ownership(account: str) -> str:
    """What follows the name of an account's unreadable newest revision and how to restore it, on either state.
    No older revision stands in for it: one still lists what the newest released, which someone else (the CRM,
    the console) may have made again since under the same name; that older list would have a plan delete it,
    or take it over without adopt:."""
    return (f"until then what oaspec manages on {account} is unknown (an older revision may list objects this one "
            f"released and someone else made again since), so plan, apply and rollback of {account} are refused "
            "and nothing was written; history, show, audit and other accounts carry on")


def owned(managed: object) -> dict[str, set[str]]:
    """A revision's `managed` as sets; ValueError unless it is kinds mapped to lists of identities."""
    if not isinstance(managed, dict) or not all(
            isinstance(kind, str) and isinstance(items, list) and all(isinstance(i, str) for i in items)
            for kind, items in managed.items()):
        raise ValueError("'managed' is not kinds mapped to lists of names")
    return {kind: set(items) for kind, items in managed.items()}


@dataclass
class Revision:
    number: int
    account: str
    time: str  # ISO 8601, UTC
    user: str
    operation: str  # "apply" or "rollback"
    status: Status
    spec_digest: str
    desired: AccountState
    live_before: AccountState
    live_after: AccountState | None
    changes: list[Change]  # what the plan held
    applied: list[str]  # addresses of the changes that landed, in order
    # of those, the ones that left something behind (a replaced conditional menu's old copy): address -> what
    partly: dict[str, str] = field(default_factory=dict)
    # sent and answered OK, but not on the account when it was read back (verification): not in `applied`
    dropped: list[str] = field(default_factory=list)
    git_commit: str | None = None
    source: str = "spec"
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # host, CI job, override reasons
    managed: dict[str, list[str]] = field(default_factory=dict)  # what oaspec manages after this revision
    # git {commit, dirty, diff_digest}, os_user, host, ci {system, job, actor, url}, decision_time (OASPEC_NOW)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def open_journal(self) -> bool:
        """Written when its run started, and neither finished nor reconciled since: the run is still going,
        or was killed (`State.running` tells which)."""
        return self.error == INTERRUPTED and "reconciled" not in self.extra

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION, "number": self.number, "account": self.account,
            "time": self.time, "user": self.user, "operation": self.operation, "status": self.status,
            "spec_digest": self.spec_digest, "git_commit": self.git_commit, "source": self.source,
            "error": self.error, "extra": self.extra, "applied": self.applied, "partly": self.partly,
            "dropped": self.dropped, "managed": self.managed,
            "provenance": self.provenance,
            "changes": [dump_change(c) for c in self.changes],
            "desired": self.desired.to_json(), "live_before": self.live_before.to_json(),
            "live_after": None if self.live_after is None else self.live_after.to_json(),
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Revision:
        return Revision(
            number=data["number"], account=data["account"], time=data["time"], user=data["user"],
            operation=data["operation"], status=data["status"], spec_digest=data["spec_digest"],
            git_commit=data.get("git_commit"), source=data.get("source", "spec"), error=data.get("error"),
            extra=data.get("extra", {}), applied=list(data["applied"]), partly=dict(data.get("partly") or {}),
            dropped=list(data.get("dropped") or []),
            managed=data.get("managed", {}),
            provenance=data.get("provenance", {}),
            changes=[load_change(c) for c in data["changes"]],
            desired=AccountState.from_json(data["desired"]),
            live_before=AccountState.from_json(data["live_before"]),
            live_after=None if data["live_after"] is None else AccountState.from_json(data["live_after"]),
        )


def recorded_accounts(state_dir: Path) -> list[str]:
    """The accounts that have a history directory; OaspecError when the history directory cannot be listed
    (saying "no revisions yet" about a history oaspec cannot read would mislead). A directory whose name is no account
    id is none oaspec made, and is passed over: it stopped `history`, `audit verify` and `state doctor` for every
    account (attack review 78's note)."""
    root = state_dir / "history"
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OaspecError(f"{root}: cannot list the history directory ({exc.strerror}); fix its permissions "
                          "(it must be readable by the user running oaspec)") from None
    return sorted(name for name in names if ACCOUNT_ID.fullmatch(name) and (root / name).is_dir())


class RevisionStore:
    def __init__(self, state_dir: Path, account: str) -> None:
        self.account = checked_account_id(account)
        self.state_dir = state_dir
        self.dir = state_dir / "history" / account

    def _path(self, number: int) -> Path:
        return self.dir / f"{number:06d}.json"

    def numbers(self) -> list[int]:
        """The recorded numbers; OaspecError when the directory exists but cannot be listed (an empty answer
        would make apply start again at 1 and overwrite, and history say there is nothing)."""
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise OaspecError(f"{self.dir}: cannot list this account's revisions ({exc.strerror}); fix the "
                              "directory's permissions (it must be readable by the user running oaspec)") from None
        return sorted(int(name[:-5]) for name in names
                      if name.endswith(".json") and name[:-5].isascii() and name[:-5].isdigit())

    def next_number(self) -> int:
        """One past the highest number ever used: on disk, or in the audit trail (a deleted or unreadable
        newest record must not hand its number to a different revision)."""
        numbers = self.numbers()
        on_disk = numbers[-1] if numbers else 0
        return max(on_disk, audit_numbers.highest_revision(self.state_dir, self.account)) + 1

    def audited_digests(self) -> dict[int, set[str]]:
        return audit_numbers.audited_digests(audit_numbers.account_lines(
            self.state_dir, self.account, "to check the revisions against it"), self.account)

    def audited_sends(self) -> dict[str, str]:
        return audit_numbers.sent_slots(audit_numbers.account_lines(
            self.state_dir, self.account, "to check the sends against it"), self.account)

    def where(self, number: int) -> str:
        return str(self._path(number))

    def get(self, number: int) -> Revision:
        record = self._record(number)
        try:
            return Revision.from_json(record)
        except (ValueError, KeyError, TypeError) as exc:
            raise self._corrupt(number, exc) from exc

    def _record(self, number: int, remedy: str = "restore it from backup",
                then: str = "other revisions are unaffected") -> dict[str, Any]:
        """The stored record, upgraded to the current schema; OaspecError naming the file, what to do and what
        follows, if unusable."""
        path = self._path(number)
        if not path.is_file():
            known = self.numbers()
            hint = f"known revisions: {known[0]}..{known[-1]}" if known else "this account has no revisions yet"
            raise OaspecError(f"account {self.account} has no revision {number} ({hint})")
        try:
            record = REVISIONS.upgrade(stored_json.parse_object(path.read_text(encoding="utf-8")), SCHEMA_VERSION)
            misplaced(record, self.account, number)
            return record
        except ValueError as exc:
            raise self._corrupt(number, exc, remedy, then) from exc
        except OSError as exc:
            raise OaspecError(f"{path}: the revision record cannot be read ({exc.strerror}); fix its permissions "
                              f"or {remedy}; {then}") from None

    def _corrupt(self, number: int, exc: Exception, remedy: str = "restore it from backup",
                 then: str = "other revisions are unaffected") -> OaspecError:
        return OaspecError(f"{self._path(number)}: the revision record is corrupt ({exc}); {remedy}; {then}")

    def managed(self) -> dict[str, set[str]]:
        """What oaspec manages on this account: what its newest revision records. OaspecError when that record
        cannot be read (see unknown_ownership): no older one stands in for it."""
        numbers = self.numbers()
        if not numbers:
            return {}
        remedy = ("restore the file from a backup or from the git history of the state directory, after copying "
                  "the damaged one elsewhere as evidence")
        record = self._record(numbers[-1], remedy, unknown_ownership(self.account))
        try:
            return owned(record.get("managed", {}))
        except ValueError as exc:
            raise self._corrupt(numbers[-1], exc, remedy, unknown_ownership(self.account)) from None

    def create(self, revision: Revision) -> Path:
        """Record a new revision; refuses a number that is already on disk instead of overwriting it."""
        path = self._path(revision.number)
        try:
            create_json_exclusive(path, revision.to_json())
        except FileExistsError:
            raise RevisionConflict(f"{path}: revision {revision.number} of {self.account} exists already; nothing was "
                              "changed; refusing to overwrite a recorded revision") from None
        return path

    def discard(self, number: int) -> None:
        """Remove a journal record whose run stopped before any write (its audit entry failed)."""
        self._path(number).unlink(missing_ok=True)

    def save(self, revision: Revision) -> Path:
        """Replace a revision this run created (its journal record) with its outcome."""
        path = self._path(revision.number)
        write_json_atomic(path, revision.to_json())
        return path

    # --- the state interface (history/state.py AccountHistory): the run's journal and outcome ------------
    def begin(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        """The journal and its audit entry; if the entry cannot be written, the journal is removed again
        (it would stand for an attempt that never started)."""
        check_fence(self.state_dir, lease)
        self._write(self.create, revision)
        try:
            audit.append(self.state_dir, note.operation, self.account, note.result, **note.fields)
        except OaspecError:
            self.discard(revision.number)
            raise

    def finish(self, revision: Revision, lease: Lease, note: AuditNote) -> None:
        check_fence(self.state_dir, lease)
        self._write(self.save, revision)
        try:
            audit.append(self.state_dir, note.operation, self.account, note.result, **note.fields)
        except OaspecError as exc:
            raise UnauditedRevision(str(exc)) from None

    def check(self, lease: Lease) -> None:
        check_fence(self.state_dir, lease)

    def marker(self) -> tuple[int, int]:
        """One directory listing and one stat."""
        try:
            numbers = self.numbers()
        except OaspecError:
            return (0, 0)
        if not numbers:
            return (0, 0)
        try:
            return numbers[-1], os.stat(self._path(numbers[-1])).st_mtime_ns
        except OSError:
            return numbers[-1], 0

    def _write(self, write: Callable[[Revision], Path], revision: Revision) -> None:
        try:
            write(revision)
        except OSError as exc:
            raise OaspecError(f"{self.dir}: cannot write revision {revision.number} ({exc.strerror}); free disk "
                              "space or fix the state directory's permissions") from None
