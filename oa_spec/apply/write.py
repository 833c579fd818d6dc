"""One account's writes: journal first, then each change in plan order, then read back, verify and
record the revision (and what oaspec now manages). A failure part-way records what landed.

Before each change the run checks that its lock is still its own (the fencing token): a run that was
paused past its lease, or cut off from a shared state, stops before the platform sees another write."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from oa_spec.apply.outcome import ApplyResult, StorageError
from oa_spec.apply.reconcile import interrupted_journal, reconcile
from oa_spec.config.model import AccountSpec
from oa_spec.errors import OaspecError, PartlyWritten, ProviderError
from oa_spec.history import audit, provenance
from oa_spec.history.lock import SendFence
from oa_spec.history.revisions import INTERRUPTED, Revision
from oa_spec.history.state import Lease, UnauditedRevision
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState
from oa_spec.kinds.template import added_templates
from oa_spec.plan.diff import diff
from oa_spec.plan.model import AccountPlan
from oa_spec.plan.scope import Managed, after_apply, scope
from oa_spec.plan.workspace import Workspace
from oa_spec.util import clock


class AccountWrite:
    """One account's writes under its lock, after apply_plan checked them: in order, verified, recorded."""

    def __init__(self, ws: Workspace, ap: AccountPlan, source: str, operation: str, extra: dict[str, str],
                 lease: Lease) -> None:
        self.ws, self.ap, self.source, self.operation, self.extra = ws, ap, source, operation, extra
        self.lease = lease
        self.applied: list[Change] = []
        self.partly: dict[str, str] = {}  # address -> what a change that landed left behind (PartlyWritten)
        self.dropped: list[Change] = []  # sent and answered OK, but not kept by the platform (verify)
        self.number: int | None = None  # the revision's number, fixed by the journal entry
        self.with_revision: Callable[[Change], bool] = _never  # takes effect only once the revision is recorded

    def execute(self, account: AccountSpec, live_before: AccountState, managed_before: Managed) -> ApplyResult:
        """The writes, once every account of the plan passed its checks (apply_plan, under the lock)."""
        actionable = self.ap.actionable
        result = ApplyResult(self.ap.account, len(actionable))
        provider = self.ws.provider(account)
        self.with_revision = provider.lands_with_revision
        store = self.ws.history(self.ap.account)
        journal = interrupted_journal(store)
        if journal is not None:  # a killed run's record, before this run's number is taken
            reconcile(store, journal, live_before, provider, self.lease)
        self.journal(live_before, managed_before)
        cut_off = False  # stopped by the state (lock lost, backend gone) before the next write was sent
        fence = SendFence(lambda: store.check(self.lease))
        provider.guard_sends(fence)
        try:
            for change in actionable:
                fence.confirm()
                try:
                    provider.apply(change)
                except PartlyWritten as exc:  # it landed, and left something for the next plan: record it as such
                    self.applied.append(change)
                    self.partly[change.address] = exc.left
                    raise
                except ProviderError:
                    raise
                except OaspecError as exc:  # the send fence (lock lost, state gone) stopped the change part-way:
                    raise ProviderError(str(exc)) from None  # its earlier requests may have landed
                self.applied.append(change)
        except ProviderError as exc:
            result.error = _named(self.ap.account, str(exc))
        except OaspecError as exc:
            cut_off = True
            result.error = (f"{self.ap.account}: stopped after {len(self.applied)} of {len(actionable)} changes, "
                            f"before writing {actionable[len(self.applied)].address}: {exc}")
        except BaseException as exc:  # interrupted (a bug, Ctrl-C): record what landed, then let it propagate
            owned = self._with_in_flight(after_apply(managed_before, self.applied, self.ap.desired, False),
                                         managed_before)
            self.record(live_before, None, added_templates(owned, provider.added_templates, self.applied),
                        f"interrupted ({type(exc).__name__})")
            raise
        finally:
            provider.guard_sends(None)
        live_after = _read_after(provider.read)
        managed = after_apply(managed_before, self.applied, self.ap.desired, result.error is None, live_after)
        if result.error is not None and not cut_off:
            managed = self._with_in_flight(managed, managed_before)
        managed = added_templates(managed, provider.added_templates, self.applied)  # owned by template_id
        result.pending = [c.address for c in actionable[len(self.applied):]]  # never sent
        if result.error is None:
            result.error = self.verify(account, live_after, managed, provider.writable_kinds)
        result.applied = len(self.applied)
        result.dropped = [c.address for c in self.dropped]
        result.partly = dict(self.partly)
        try:
            result.revision = self.record(live_before, live_after, managed, result.error)
        except StorageError as exc:  # the writes happened: report them, and why they are not recorded
            result.error = f"{result.error}; {exc}" if result.error else str(exc)
            if not exc.recorded:  # what lands with the revision did not land
                landed = {c.address for c in self._landed_unrecorded()}
                result.applied = len(landed)
                result.pending = [c.address for c in actionable if c.address not in landed]
        return result

    def _with_in_flight(self, managed: Managed, managed_before: Managed) -> Managed:
        """`managed`, still owning what the change the run stopped in (a failed write, an exception raised
        inside it) may have made: its outcome is unknown, and it may have landed."""
        actionable = self.ap.actionable
        if self.partly or len(self.applied) >= len(actionable):  # no change was in flight
            return managed
        tried = after_apply(managed_before, [*self.applied, actionable[len(self.applied)]], self.ap.desired, False)
        return _union(managed, tried)

    def verify(self, account: AccountSpec, live_after: AccountState | None, managed: Managed,
               writable: frozenset[str]) -> str | None:
        """Re-read after the last write: the platform may silently drop or alter something. A change still
        differing (as reconcile.py finds what landed: by diff) moves from `applied` to `dropped`: the revision
        and its audit entry list exactly the changes that landed."""
        if live_after is None:
            return f"{self.ap.account}: the account could not be read back after apply; run plan to check it"
        residual = [c for c in diff(self.ap.account, self.ap.desired, scope(account, self.ap.desired, live_after,
                                                                           managed).live, writable) if c.writable]
        if not residual:
            return None
        unkept = {c.address for c in residual}
        self.dropped = [c for c in self.applied if c.address in unkept]
        self.applied = [c for c in self.applied if c.address not in unkept]
        return (f"{self.ap.account}: verification failed: after apply the account still differs from the plan at "
                + ", ".join(f"{c.address} ({c.action})" for c in residual)
                + "; the platform did not keep these changes")

    def journal(self, before: AccountState, managed_before: Managed) -> None:
        """Before the first write, a revision that owns every object the plan touches; the run's own record
        replaces it. A run killed mid-apply (SIGKILL, power loss) leaves it behind, so history shows the
        attempt and the next plan still owns whatever landed (instead of calling it a takeover)."""
        landed = after_apply(managed_before, list(self.ap.actionable), self.ap.desired, False)
        self.record(before, None, _union(managed_before, landed), INTERRUPTED, audit_result="started")

    def record(self, before: AccountState, after: AccountState | None, managed: Managed,
               error: str | None, audit_result: str | None = None) -> Revision:
        """Save the revision (created by the journal, replaced by the outcome) and its audit entry.
        StorageError when either cannot be written, saying what landed on the account all the same."""
        store = self.ws.history(self.ap.account)
        journal = self.number is None
        if self.number is None:
            try:
                self.number = store.next_number()
            except OaspecError as exc:
                raise StorageError(self._unrecorded(True, str(exc))) from None
        revision = Revision(
            number=self.number, account=self.ap.account, time=clock.real_timestamp(),
            user=provenance.recorded_user(), operation=self.operation, status="failed" if error else "applied",
            spec_digest=self.ap.desired_digest, desired=self.ap.desired, live_before=before, live_after=after,
            changes=list(self.ap.actionable), applied=[c.address for c in self.applied], partly=dict(self.partly),
            dropped=[c.address for c in self.dropped],
            git_commit=(self.provenance["git"] or {}).get("commit"), source=self.source, error=error,
            extra=dict(self.extra), managed={kind: sorted(items) for kind, items in managed.items()},
            provenance={**self.provenance, "lock_id": self.lease.lock_id},  # whose journal it is (State.running)
        )
        note = audit.revision_note(revision, audit_result)
        try:
            if journal:
                store.begin(revision, self.lease, note)
            else:
                store.finish(revision, self.lease, note)
        except UnauditedRevision as exc:  # the files state: the revision landed, its audit entry did not
            raise StorageError(f"{self.ap.account}: {self._landed()}; revision {self.number} records them in "
                               f"history, but {exc}", recorded=True) from None
        except OaspecError as exc:
            raise StorageError(self._unrecorded(journal, str(exc))) from None
        return revision

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """Read once per run: the journal and the outcome record the same work tree and job."""
        return provenance.collect(self.ws.spec_path, self.ws.state_dir, self.ws.project.as_read())

    def _landed(self) -> str:
        return f"{len(self.applied)} of {len(self.ap.actionable)} changes landed on the account"

    def _landed_unrecorded(self) -> list[Change]:
        """The changes that landed though the run's revision was not recorded: not those that only the revision
        puts in effect (the replies `oaspec serve` answers from the newest recorded revision)."""
        return [c for c in self.applied if not self.with_revision(c)]

    def _unrecorded(self, journal: bool, why: str) -> str:
        if journal:
            return f"{self.ap.account}: apply stopped before any write, nothing was changed: {why}"
        landed = self._landed_unrecorded()
        waiting = [c.address for c in self.applied if c not in landed]
        counted, served, again = self._landed(), "", ""
        if waiting:
            named = f" ({', '.join(c.address for c in landed)})" if landed else ""
            counted = f"{len(landed)} of {len(self.ap.actionable)} changes landed on the account{named}"
            served = (f"; the {len(waiting)} served by `oaspec serve` ({', '.join(waiting)}) did not land: they take "
                      "effect only with a recorded revision, and followers still get what the last recorded revision "
                      "holds")
            again = "; that apply writes them again"
        return (f"{self.ap.account}: {counted}, but their outcome could not be recorded: {why}{served}; history shows "
                f"revision {self.number} as interrupted until the next apply reconciles it with the live account"
                f"{again}")


def _never(change: Change) -> bool:
    return False


def _union(a: Managed, b: Managed) -> Managed:
    """Owned in either: when a write's outcome is unknown, oaspec keeps owning what it may have made."""
    return {kind: a.get(kind, set()) | b.get(kind, set()) for kind in {*a, *b}}


def _named(account: str, message: str) -> str:
    """Prefix the account once: the WeChat provider's messages already start with it."""
    return message if message.startswith(f"{account}: ") else f"{account}: {message}"


def _read_after(read: Callable[[], AccountState]) -> AccountState | None:
    """The account after the writes; None when it cannot be read (the revision says so): the platform
    failed, or the state that says which drafts are oaspec's is out of reach."""
    try:
        return read()
    except OaspecError:  # ProviderError, or the state backend gone
        return None
