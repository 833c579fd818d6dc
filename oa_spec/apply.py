"""Carry out a reviewed plan, exactly: refuse a stale one, hold the account's lock, record a revision.

A failure part-way stops the account's apply; the revision records which changes landed, and since
every plan is a diff against what is live, running plan/apply again converges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from oa_spec import clock
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.freeze import active_windows, describe
from oa_spec.history import audit, provenance
from oa_spec.history.lock import account_lock
from oa_spec.history.reconcile import interrupted_journal, reconcile, settle
from oa_spec.history.revisions import INTERRUPTED, Revision
from oa_spec.ownership import Managed, after_apply, scope
from oa_spec.plan import AccountPlan, Change, Plan, diff
from oa_spec.spec.model import AccountSpec
from oa_spec.state import AccountState
from oa_spec.workspace import Workspace, account_plan, desired_digest, run_parallel


class StalePlanError(OaspecError):
    pass


class StorageError(OaspecError):
    """History or the audit trail could not be written; the message says what did and did not land."""


class RefusedError(OaspecError):
    """Apply refused before any write: a freeze window or the destroy guard."""


@dataclass
class ApplyOptions:
    allow_destroy: bool = False
    override_freeze: bool = False
    reason: str = ""  # why the freeze was overridden: recorded in the revision


@dataclass
class ApplyResult:
    account: str
    planned: int
    applied: int = 0
    revision: Revision | None = None  # None when there was nothing to do, or nothing could start
    error: str | None = None
    pending: list[str] = field(default_factory=list)  # addresses that did not land

    @property
    def ok(self) -> bool:
        return self.error is None


def apply_plan(ws: Workspace, plan: Plan, options: ApplyOptions | None = None,
               parallelism: int = 1) -> list[ApplyResult]:
    """Apply every account of the plan; one account's failure does not stop the others."""
    options = options or ApplyOptions()
    if plan.allow_destroy:
        options = replace(options, allow_destroy=True)
    from_spec = plan.source == "spec"

    def one(ap: AccountPlan) -> ApplyResult:
        try:
            return apply_account(ws, ap, plan.source, options, check_spec=from_spec)
        except OaspecError as exc:
            return ApplyResult(ap.account, len(ap.actionable), error=str(exc),
                               pending=[c.address for c in ap.actionable])

    return run_parallel(one, plan.accounts, parallelism)


def apply_account(ws: Workspace, ap: AccountPlan, source: str, options: ApplyOptions,
                  check_spec: bool = True) -> ApplyResult:
    compiled = ws.account(ap.account)
    if check_spec and desired_digest(compiled.desired) != ap.desired_digest:
        raise StalePlanError(f"{ap.account}: the spec changed since this plan was made; run `oaspec plan` again "
                             "and review the new plan")
    actionable = ap.actionable
    if not actionable:
        settle(ws, compiled.spec)  # else "nothing to do" would leave a crashed run's record wrong
        return ApplyResult(ap.account, 0)
    extra = _check_gates(ws, ap, options)
    operation = "apply" if source == "spec" else "rollback"
    with account_lock(ws.state_dir, ap.account, operation):
        run = _Run(ws, ap, source, operation, extra)
        return run.execute(compiled.spec, options)


def _check_gates(ws: Workspace, ap: AccountPlan, options: ApplyOptions) -> dict[str, str]:
    """Policy errors and freeze windows, checked before the lock and before any write."""
    extra: dict[str, str] = {}
    blocking = ws.blocking_findings(ap.account)  # from the spec as it is now: waivers may have expired
    if blocking:
        raise RefusedError(f"{ap.account}: apply refused: {len(blocking)} policy error(s) no waiver covers: "
                           + "; ".join(f"{f.rule} at {f.address} ({f.position})" for f in blocking)
                           + ". No flag overrides a policy error: fix it, or add a waiver with reason, approver "
                           "and expiry")
    windows = active_windows([*ws.spec.freeze, *ws.account(ap.account).spec.freeze], clock.now())
    if windows and not options.override_freeze:
        raise RefusedError(f"{ap.account}: apply refused inside the freeze window "
                           f"{', '.join(describe(w) for w in windows)}; for an approved emergency change pass "
                           "--override-freeze --reason \"...\" (recorded in history and the audit trail)")
    if windows:
        if not options.reason.strip():
            raise RefusedError("--override-freeze needs --reason \"...\": the reason is recorded")
        extra["freeze_override"] = f"{', '.join(w.name for w in windows)}: {options.reason.strip()}"
    return extra


def _destroy_gate(account: str, guard: list[str], options: ApplyOptions) -> dict[str, str]:
    if guard and not options.allow_destroy:
        raise RefusedError(f"{account}: apply refused by the destroy guard: " + " | ".join(guard)
                           + ". Review these changes; to go ahead, pass --allow-destroy (or apply a plan made "
                           "with plan --allow-destroy)")
    return {"allow_destroy": "; ".join(guard)} if guard else {}


class _Run:
    """One account's apply under its lock: stale check, writes in order, verify, record."""

    def __init__(self, ws: Workspace, ap: AccountPlan, source: str, operation: str, extra: dict[str, str]) -> None:
        self.ws, self.ap, self.source, self.operation, self.extra = ws, ap, source, operation, extra
        self.applied: list[Change] = []
        self.number: int | None = None  # the revision's number, fixed by the journal entry

    def execute(self, account: AccountSpec, options: ApplyOptions) -> ApplyResult:
        actionable = self.ap.actionable
        result = ApplyResult(self.ap.account, len(actionable))
        managed_before, _ = self.ws.history(self.ap.account).managed()
        provider = self.ws.provider(account)
        live_before = provider.read()
        if live_before.fingerprint() != self.ap.live_fingerprint:
            raise StalePlanError(f"{self.ap.account}: the live account changed since this plan was made; run "
                                 "`oaspec plan` again and review the new plan")
        # A saved plan is a file: its changes and guard must follow from its desired state and the live
        # account, or someone edited it after review.
        expected = account_plan(account, self.ap.desired, live_before, provider.writable_kinds, managed_before)
        if [c.to_json() for c in expected.actionable] != [c.to_json() for c in actionable]:
            raise StalePlanError(f"{self.ap.account}: the plan's changes do not follow from its desired state and "
                                 "the live account (was the plan file edited?); make a new plan with "
                                 "`oaspec plan --out` and review it")
        self.extra.update(_destroy_gate(self.ap.account, expected.guard, options))
        store = self.ws.history(self.ap.account)
        journal = interrupted_journal(store)
        if journal is not None:  # a killed run's record, before this run's number is taken
            reconcile(store, journal, live_before, provider.writable_kinds)
        self.journal(live_before, managed_before)
        try:
            for change in actionable:
                provider.apply(change)
                self.applied.append(change)
        except ProviderError as exc:
            result.error = _named(self.ap.account, str(exc))
        except BaseException as exc:  # interrupted: record what landed, then let it propagate
            self.record(live_before, None, after_apply(managed_before, self.applied, self.ap.desired, False),
                        f"interrupted ({type(exc).__name__})")
            raise
        live_after = _read_after(provider.read)
        managed = after_apply(managed_before, self.applied, self.ap.desired, result.error is None)
        if result.error is not None and len(self.applied) < len(actionable):  # the failed write may have landed
            tried = after_apply(managed_before, [*self.applied, actionable[len(self.applied)]], self.ap.desired, False)
            managed = _union(managed, tried)
        if result.error is None:
            result.error = self.verify(account, live_after, managed, provider.writable_kinds)
        result.applied = len(self.applied)
        result.pending = [c.address for c in actionable[len(self.applied):]]
        try:
            result.revision = self.record(live_before, live_after, managed, result.error)
        except StorageError as exc:  # the writes happened: report them, and why they are not recorded
            result.error = f"{result.error}; {exc}" if result.error else str(exc)
        return result

    def verify(self, account: AccountSpec, live_after: AccountState | None, managed: Managed,
               writable: frozenset[str]) -> str | None:
        """Re-read after the last write: the platform may silently drop or alter something."""
        if live_after is None:
            return f"{self.ap.account}: the account could not be read back after apply; run plan to check it"
        residual = [c for c in diff(self.ap.account, self.ap.desired, scope(account, self.ap.desired, live_after,
                                                                           managed).live, writable) if c.writable]
        if not residual:
            return None
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
            self.number = store.next_number()
        revision = Revision(
            number=self.number, account=self.ap.account, time=clock.real_timestamp(),
            user=provenance.recorded_user(), operation=self.operation, status="failed" if error else "applied",
            spec_digest=self.ap.desired_digest, desired=self.ap.desired, live_before=before, live_after=after,
            changes=list(self.ap.actionable), applied=[c.address for c in self.applied],
            git_commit=(self.provenance["git"] or {}).get("commit"), source=self.source, error=error,
            extra=dict(self.extra), managed={kind: sorted(items) for kind, items in managed.items()},
            provenance=self.provenance,
        )
        try:
            store.create(revision) if journal else store.save(revision)
        except OSError as exc:
            raise StorageError(self._unrecorded(journal, f"{store.dir}: cannot write revision {self.number} "
                                                         f"({exc.strerror})")) from None
        try:
            audit.record_revision(self.ws.state_dir, revision, audit_result)
        except OaspecError as exc:
            if journal:  # nothing was written to the account: the journal record has no attempt to stand for
                store.discard(self.number)
                raise StorageError(self._unrecorded(journal, str(exc))) from None
            raise StorageError(f"{self.ap.account}: {self._landed()}; revision {self.number} records them in "
                               f"history, but {exc}") from None
        return revision

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """Read once per run: the journal and the outcome record the same work tree and job."""
        return provenance.collect(self.ws.spec_path, self.ws.state_dir)

    def _landed(self) -> str:
        return f"{len(self.applied)} of {len(self.ap.actionable)} changes landed on the account"

    def _unrecorded(self, journal: bool, why: str) -> str:
        if journal:
            return f"{self.ap.account}: apply stopped before any write, nothing was changed: {why}"
        return (f"{self.ap.account}: {self._landed()}, but their outcome could not be recorded: {why}; history "
                f"shows revision {self.number} as interrupted until the next apply reconciles it with the live "
                "account; free disk space or fix the state directory's permissions")


def _union(a: Managed, b: Managed) -> Managed:
    """Owned in either: when a write's outcome is unknown, oaspec keeps owning what it may have made."""
    return {kind: a.get(kind, set()) | b.get(kind, set()) for kind in {*a, *b}}


def _named(account: str, message: str) -> str:
    """Prefix the account once: the WeChat provider's messages already start with it."""
    return message if message.startswith(f"{account}: ") else f"{account}: {message}"


def _read_after(read: Callable[[], AccountState]) -> AccountState | None:
    """The account after the writes; None when it cannot be read (the revision says so)."""
    try:
        return read()
    except ProviderError:
        return None


def rollback_plan(ws: Workspace, account_id: str, number: int) -> Plan:
    """A plan that brings the account back to revision `number`'s desired state."""
    compiled = ws.account(account_id)
    revision = ws.history(account_id).get(number)
    provider = ws.provider(compiled.spec)
    live = provider.read()
    target = _with_renames(revision, live)
    note = f"rollback to revision {number} ({revision.time}, {revision.operation} by {revision.user})"
    managed, unreadable = ws.history(account_id).managed()
    ap = account_plan(compiled.spec, target, live, provider.writable_kinds, managed, [note, *unreadable])
    return Plan([ap], spec_path=str(ws.spec_path), source=f"rollback:{account_id}:{number}",
                created_at=clock.timestamp())


def _with_renames(revision: Revision, live: AccountState) -> AccountState:
    """A tag renamed since the revision is renamed back (same platform id), so it keeps its followers."""
    then = {t.name: t.id for t in (revision.live_after or revision.live_before).tags if t.id is not None}
    now_by_id = {t.id: t.name for t in live.tags}
    tags = tuple(
        replace(t, renamed_from=now_by_id[then[t.name]])
        if t.name in then and now_by_id.get(then[t.name], t.name) != t.name and live.tag(t.name) is None
        else replace(t, renamed_from=None)
        for t in revision.desired.tags
    )
    return replace(revision.desired, tags=tags)
