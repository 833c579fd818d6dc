"""Carry out a reviewed plan, exactly: re-derive it from the spec and the live account under every
account's lock, refuse it (writing nothing) unless it is the same, then write and record a revision.

A failure part-way stops the account's apply; the revision records which changes landed, and since
every plan is a diff against what is live, running plan/apply again converges.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from oa_spec.apply.freeze import active_windows, describe
from oa_spec.apply.statecheck import limit_problems
from oa_spec.config.compile import CompiledAccount
from oa_spec.config.model import AccountSpec
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.history import audit, provenance
from oa_spec.history.lock import LockedError, account_lock
from oa_spec.history.reconcile import interrupted_journal, reconcile
from oa_spec.history.revisions import INTERRUPTED, Revision
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import dump_change
from oa_spec.kinds.state import AccountState
from oa_spec.plan.diff import diff
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.plan.scope import Managed, after_apply, scope
from oa_spec.plan.workspace import Workspace, account_plan, run_parallel
from oa_spec.policy import Finding
from oa_spec.policy.deployed import evaluate_state
from oa_spec.util import clock


class GateError(OaspecError):
    """Apply or rollback refused before any write; `refusal` names the gate, for the audit trail."""

    refusal = "refused"


class StalePlanError(GateError):
    refusal = "stale-plan"


class TamperedPlanError(GateError):
    """The plan file does not follow from the spec and the live account: edited, spliced or truncated."""

    refusal = "tampered-plan"


class RefusedError(GateError):
    """A freeze window, the destroy guard or a policy error."""

    def __init__(self, message: str, refusal: str) -> None:
        super().__init__(message)
        self.refusal = refusal


class StorageError(OaspecError):
    """History or the audit trail could not be written; the message says what did and did not land."""


@dataclass
class ApplyOptions:
    allow_destroy: bool = False
    override_freeze: bool = False
    reason: str = ""  # why the freeze was overridden: recorded in the revision and the audit trail


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


@dataclass
class _Ready:
    """One account checked under its lock: the changes as re-derived now, and what they were derived from."""

    compiled: CompiledAccount
    ap: AccountPlan
    live: AccountState
    managed: Managed
    extra: dict[str, str]
    waived: list[Finding]


def apply_plan(ws: Workspace, plan: Plan, options: ApplyOptions | None = None, parallelism: int = 1,
               accounts: list[str] | None = None) -> list[ApplyResult]:
    """Check every account, under all their locks, before the first write of any; then write each
    (one account's failed write does not stop the others).

    Nothing in the plan is trusted: `accounts` (the spec's, narrowed by --account) says which accounts
    to apply; None means the plan's own, for a plan made in this process. Each account's changes are
    derived again from its target state (what the spec compiles to now; for a rollback made in this
    process, the revision's state) and the live account, and must equal the plan's, writability
    included. Any refusal is recorded in the audit trail and raised: nothing is written."""
    options = options or ApplyOptions()
    operation = "apply" if plan.source == "spec" else "rollback"
    ids = list(accounts) if accounts is not None else [a.account for a in plan.accounts]
    by_id = {a.account: a for a in plan.accounts}
    _refuse_all(ws, operation, _plan_shape_problems(ws, plan, ids, by_id))
    targets = {i: ws.account(i).desired if plan.source == "spec" else by_id[i].desired for i in ids}
    gates: dict[str, tuple[dict[str, str], list[Finding]]] = {}
    problems: list[tuple[str, GateError]] = []
    for account_id in ids:
        try:
            gates[account_id] = _check_gates(ws, account_id, targets[account_id], plan.source, options)
        except GateError as exc:
            problems.append((account_id, exc))
    _refuse_all(ws, operation, problems)
    with ExitStack() as locks:
        for account_id in sorted(ids):
            try:
                locks.enter_context(account_lock(ws.state_dir, account_id, operation))
            except LockedError as exc:
                _refuse_all(ws, operation, [(account_id, _as_gate(exc, "lock"))])

        def derive(account_id: str) -> _Ready | tuple[str, GateError]:
            try:
                return _derive(ws, account_id, targets[account_id], by_id.get(account_id), options,
                               *gates[account_id])
            except ProviderError as exc:  # an account that cannot be read cannot be checked
                return account_id, RefusedError(str(exc), "unreadable")
            except OaspecError as exc:  # a refusal, or a takeover the live account now needs
                return account_id, _as_gate(exc, "refused")

        checked = run_parallel(derive, ids, parallelism)
        problems = [c for c in checked if isinstance(c, tuple)]
        if problems and all(exc.refusal == "unreadable" for _, exc in problems):
            return _unread(ws, operation, problems, ids, by_id)  # a failed read, not a refusal: per account
        _refuse_all(ws, operation, problems)
        ready = [c for c in checked if isinstance(c, _Ready)]

        def write(one: _Ready) -> ApplyResult:
            if not one.ap.actionable:  # nothing to write, but a killed run's record is still corrected
                store = ws.history(one.ap.account)
                journal = interrupted_journal(store)
                if journal is not None:
                    reconcile(store, journal, one.live, ws.provider(one.compiled.spec).writable_kinds)
                return ApplyResult(one.ap.account, 0)
            try:
                _record_allowances(ws, operation, one)
            except OaspecError as exc:  # the audit trail cannot take the override or waiver this write relies on
                pending = [c.address for c in one.ap.actionable]
                return ApplyResult(one.ap.account, len(pending), pending=pending, error=(
                    f"{one.ap.account}: {operation} stopped before any write, nothing was changed: {exc}"))
            try:
                return _Run(ws, one.ap, plan.source, operation, one.extra).execute(one.compiled.spec, one.live,
                                                                                  one.managed)
            except OaspecError as exc:
                return ApplyResult(one.ap.account, len(one.ap.actionable), error=str(exc),
                                   pending=[c.address for c in one.ap.actionable])

        return run_parallel(write, ready, parallelism)


def _unread(ws: Workspace, operation: str, problems: list[tuple[str, GateError]], ids: list[str],
            by_id: dict[str, AccountPlan]) -> list[ApplyResult]:
    """An account that cannot be read cannot be checked, so nothing of the plan is written: each account's
    result says why (the read error, or the account that could not be read)."""
    errors = dict(problems)
    for account_id, exc in problems:
        audit.record_event(ws.state_dir, operation, account_id, "refused", str(exc), refusal=exc.refusal)
    results = []
    for account_id in ids:
        actionable = by_id[account_id].actionable if account_id in by_id else []
        error = str(errors[account_id]) if account_id in errors else (
            f"{account_id}: not applied: {', '.join(errors)} could not be read, and a plan is checked whole before "
            "any write")
        results.append(ApplyResult(account_id, len(actionable), error=error, pending=[c.address for c in actionable]))
    return results


def _plan_shape_problems(ws: Workspace, plan: Plan, ids: list[str],
                         by_id: dict[str, AccountPlan]) -> list[tuple[str, GateError]]:
    """A plan that names an account twice, one the spec lacks, or (a rollback) lacks its account."""
    problems: list[tuple[str, GateError]] = []
    if len(by_id) != len(plan.accounts):
        problems.append(("", TamperedPlanError("the plan lists an account more than once (was the plan file "
                                               "edited?); make a new plan with `oaspec plan --out`")))
    known = {c.id for c in ws.accounts}
    problems += [(a, TamperedPlanError(f"{a}: the plan holds an account that is not in {ws.spec_path} (was the "
                                       "plan made from another spec, or edited?)")) for a in by_id if a not in known]
    problems += [(a, TamperedPlanError(f"{a}: not in {ws.spec_path}")) for a in ids if a not in known]
    if plan.source != "spec":
        problems += [(a, TamperedPlanError(f"{a}: the rollback plan holds nothing for this account"))
                     for a in ids if a not in by_id]
    return problems


def _as_gate(exc: OaspecError, refusal: str) -> GateError:
    if isinstance(exc, GateError):
        return exc
    return RefusedError(str(exc), refusal)


def _refuse_all(ws: Workspace, operation: str, problems: list[tuple[str, GateError]]) -> None:
    """Record every refusal in the audit trail, then refuse with all of them: nothing was written."""
    if not problems:
        return
    for account_id, exc in problems:
        audit.record_event(ws.state_dir, operation, account_id, "refused", str(exc), refusal=exc.refusal)
    if len(problems) == 1:
        raise problems[0][1]
    raise RefusedError("\n".join(str(exc) for _, exc in problems), problems[0][1].refusal)


def _record_allowances(ws: Workspace, operation: str, one: _Ready) -> None:
    """A freeze override (with its reason) and every waiver the write relies on go into the audit trail."""
    if not one.ap.actionable:
        return
    account = one.ap.account
    if "freeze_override" in one.extra:
        audit.record_event(ws.state_dir, operation, account, "freeze-override", one.extra["freeze_override"])
    seen: set[tuple[str, str]] = set()
    for finding in one.waived:  # one entry per waived rule and address (a text may hit a rule several times)
        waiver = finding.waiver
        assert waiver is not None
        if (finding.rule, finding.address) in seen:
            continue
        seen.add((finding.rule, finding.address))
        audit.record_event(ws.state_dir, operation, account, "waiver-used", f"{finding.rule} at {finding.address}",
                           rule=finding.rule, address=finding.address, target=waiver.target,
                           approved_by=waiver.approved_by, reason=waiver.reason, ticket=waiver.ticket,
                           expires=None if waiver.expires is None else waiver.expires.isoformat())


def _derive(ws: Workspace, account_id: str, target: AccountState, given: AccountPlan | None, options: ApplyOptions,
            extra: dict[str, str], waived: list[Finding]) -> _Ready:
    """Under the account's lock: read it, derive the changes again, and hold the plan to them."""
    compiled = ws.account(account_id)
    provider = ws.provider(compiled.spec)
    managed, _ = ws.history(account_id).managed()
    live = provider.read()
    fresh = account_plan(compiled.spec, target, live, provider.writable_kinds, managed)
    remake = "make a new plan with `oaspec plan --out` and review it"
    if given is None:
        if fresh.changes:
            raise TamperedPlanError(f"{account_id}: the plan holds nothing for this account, but it differs from "
                                    f"the spec at {', '.join(c.address for c in fresh.changes)} (a plan made with "
                                    "--account needs the same --account on apply; or was the plan file edited?); "
                                    f"{remake}")
    elif given.desired.to_json() != target.to_json():
        raise StalePlanError(f"{account_id}: the plan's desired state is not what the spec compiles to now: the "
                             f"spec changed since this plan was made, or the plan file was edited; {remake}")
    elif given.live_fingerprint != live.fingerprint():
        raise StalePlanError(f"{account_id}: the live account changed since this plan was made; run "
                             "`oaspec plan` again and review the new plan")
    elif [dump_change(c) for c in fresh.changes] != [dump_change(c) for c in given.changes]:
        raise TamperedPlanError(f"{account_id}: the plan's changes do not follow from the spec and the live "
                                f"account (was the plan file edited?); {remake}")
    extra = {**extra, **_destroy_gate(account_id, fresh.guard, options)}
    return _Ready(compiled, fresh, live, managed, extra, waived)


def _check_gates(ws: Workspace, account_id: str, target: AccountState, source: str,
                 options: ApplyOptions) -> tuple[dict[str, str], list[Finding]]:
    """Policy errors and freeze windows, checked before any lock and any read: (revision extras, the
    waived findings the write relies on)."""
    extra: dict[str, str] = {}
    compiled = ws.account(account_id)
    if source == "spec":  # the target is what the spec compiles to: the spec's own findings are about it
        findings = [*ws.policy.for_account(account_id), *ws.bank_wide_findings()]
    else:  # a rollback: today's policies on the revision's state (a pack turned on since then, a waiver expired)
        where = "revision " + source.rsplit(":", 1)[-1]
        findings = evaluate_state(ws.spec, compiled.spec, target, where, clock.now().astimezone(clock.BEIJING).date())
    blocking = [f for f in findings if f.blocking]
    if blocking:
        raise RefusedError(f"{account_id}: refused: {len(blocking)} policy error(s) no waiver covers: "
                           + "; ".join(f"{f.rule} at {f.address} ({f.position}: {f.text()})" for f in blocking)
                           + ". No flag overrides a policy error: fix it, or add a waiver with reason, approver "
                           "and expiry", "policy")
    windows = active_windows([*ws.spec.freeze, *compiled.spec.freeze], clock.now())
    if windows and not options.override_freeze:
        raise RefusedError(f"{account_id}: apply refused inside the freeze window "
                           f"{', '.join(describe(w) for w in windows)}; for an approved emergency change pass "
                           "--override-freeze --reason \"...\" (recorded in history and the audit trail)", "freeze")
    if windows:
        if not options.reason.strip():
            raise RefusedError("--override-freeze needs --reason \"...\": the reason is recorded", "freeze")
        extra["freeze_override"] = f"{', '.join(w.name for w in windows)}: {options.reason.strip()}"
    return extra, [f for f in findings if f.waived]


def _destroy_gate(account: str, guard: list[str], options: ApplyOptions) -> dict[str, str]:
    if guard and not options.allow_destroy:
        raise RefusedError(f"{account}: apply refused by the destroy guard: " + " | ".join(guard)
                           + ". Review these changes; to go ahead, pass --allow-destroy to this command",
                           "destroy-guard")
    return {"allow_destroy": "; ".join(guard)} if guard else {}


class _Run:
    """One account's writes under its lock, after apply_plan checked them: in order, verified, recorded."""

    def __init__(self, ws: Workspace, ap: AccountPlan, source: str, operation: str, extra: dict[str, str]) -> None:
        self.ws, self.ap, self.source, self.operation, self.extra = ws, ap, source, operation, extra
        self.applied: list[Change] = []
        self.number: int | None = None  # the revision's number, fixed by the journal entry

    def execute(self, account: AccountSpec, live_before: AccountState, managed_before: Managed) -> ApplyResult:
        """The writes, once every account of the plan passed its checks (apply_plan, under the lock)."""
        actionable = self.ap.actionable
        result = ApplyResult(self.ap.account, len(actionable))
        provider = self.ws.provider(account)
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
    problems = limit_problems(account_id, revision.desired)
    if revision.account != account_id:
        problems.insert(0, f"it records account {revision.account!r}")
    if problems:
        message = (f"{account_id}: rollback refused: revision {number} cannot be deployed as it is (a damaged or "
                   f"hand-edited history file?): " + "; ".join(problems))
        audit.record_event(ws.state_dir, "rollback", account_id, "refused", message, refusal="invalid-history")
        raise RefusedError(message, "invalid-history")
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
