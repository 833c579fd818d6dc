"""Carry out a reviewed plan, exactly: re-derive it from the spec and the live account under every
account's lock, refuse it (writing nothing) unless it is the same, then write and record a revision.

A failure part-way stops the account's apply; the revision records which changes landed, and since
every plan is a diff against what is live, running plan/apply again converges.
"""

from __future__ import annotations

from contextlib import ExitStack

from oa_spec.apply.gates import GateError, RefusedError, as_gate, check_gates, plan_shape_problems, rederive
from oa_spec.apply.outcome import ApplyOptions, ApplyResult, Ready
from oa_spec.apply.reconcile import interrupted_journal, reconcile
from oa_spec.apply.write import AccountWrite
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.history.lock import LockedError
from oa_spec.history.state import Lease
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.plan.workspace import Workspace, run_parallel
from oa_spec.policy import Finding


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
    _refuse_all(ws, operation, plan_shape_problems(ws, plan, ids, by_id))
    targets = {i: ws.account(i).desired if plan.source == "spec" else by_id[i].desired for i in ids}
    gates: dict[str, tuple[dict[str, str], list[Finding]]] = {}
    problems: list[tuple[str, GateError]] = []
    for account_id in ids:
        try:
            gates[account_id] = check_gates(ws, account_id, targets[account_id], plan.source, options)
        except GateError as exc:
            problems.append((account_id, exc))
    _refuse_all(ws, operation, problems)
    leases: dict[str, Lease] = {}
    with ExitStack() as locks:
        for account_id in sorted(ids):
            try:
                leases[account_id] = locks.enter_context(ws.state.lock(account_id, operation, options.lock_timeout))
            except LockedError as exc:
                _refuse_all(ws, operation, [(account_id, as_gate(exc, "lock"))])

        def derive(account_id: str) -> Ready | tuple[str, GateError]:
            try:
                return rederive(ws, account_id, targets[account_id], by_id.get(account_id), options,
                                *gates[account_id], made_from=plan.spec_path if plan.source == "spec" else None)
            except ProviderError as exc:  # an account that cannot be read cannot be checked
                return account_id, RefusedError(str(exc), "unreadable")
            except OaspecError as exc:  # a refusal, or a takeover the live account now needs
                return account_id, as_gate(exc, "refused")

        checked = run_parallel(derive, ids, parallelism)
        problems = [c for c in checked if isinstance(c, tuple)]
        if problems and all(exc.refusal == "unreadable" for _, exc in problems):
            return _unread(ws, operation, problems, ids, by_id)  # a failed read, not a refusal: per account
        _refuse_all(ws, operation, problems)
        ready = [c for c in checked if isinstance(c, Ready)]

        def write(one: Ready) -> ApplyResult:
            lease = leases[one.ap.account]
            if not one.ap.actionable:  # nothing to write, but a killed run's record is still corrected
                store = ws.history(one.ap.account)
                journal = interrupted_journal(store)
                if journal is not None:
                    reconcile(store, journal, one.live, ws.provider(one.compiled.spec), lease)
                return ApplyResult(one.ap.account, 0)
            try:
                _record_allowances(ws, operation, one, lease)
            except OaspecError as exc:  # the audit trail cannot take the override or waiver this write relies on
                pending = [c.address for c in one.ap.actionable]
                return ApplyResult(one.ap.account, len(pending), pending=pending, error=(
                    f"{one.ap.account}: {operation} stopped before any write, nothing was changed: {exc}"))
            try:
                return AccountWrite(ws, one.ap, plan.source, operation, one.extra, lease).execute(
                    one.compiled.spec, one.live, one.managed)
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
        ws.state.audit.event(operation, account_id, "refused", str(exc), refusal=exc.refusal)
    results = []
    for account_id in ids:
        actionable = by_id[account_id].actionable if account_id in by_id else []
        error = str(errors[account_id]) if account_id in errors else (
            f"{account_id}: not applied: {', '.join(errors)} could not be read, and a plan is checked whole before "
            "any write")
        results.append(ApplyResult(account_id, len(actionable), error=error, pending=[c.address for c in actionable]))
    return results


def _refuse_all(ws: Workspace, operation: str, problems: list[tuple[str, GateError]]) -> None:
    """Record every refusal in the audit trail, then refuse with all of them: nothing was written."""
    if not problems:
        return
    for account_id, exc in problems:
        ws.state.audit.event(operation, account_id, "refused", str(exc), refusal=exc.refusal)
    if len(problems) == 1:
        raise problems[0][1]
    raise RefusedError("\n".join(str(exc) for _, exc in problems), problems[0][1].refusal)


def _record_allowances(ws: Workspace, operation: str, one: Ready, lease: Lease) -> None:
    """A freeze override (with its reason) and every waiver the write relies on go into the audit trail."""
    if not one.ap.actionable:
        return
    account = one.ap.account
    if "freeze_override" in one.extra:
        ws.state.audit.event(operation, account, "freeze-override", one.extra["freeze_override"], lease)
    seen: set[tuple[str, str]] = set()
    for finding in one.waived:  # one entry per waived rule and address (a text may hit a rule several times)
        waiver = finding.waiver
        assert waiver is not None
        if (finding.rule, finding.address) in seen:
            continue
        seen.add((finding.rule, finding.address))
        ws.state.audit.event(operation, account, "waiver-used", f"{finding.rule} at {finding.address}", lease,
                             rule=finding.rule, address=finding.address, target=waiver.target,
                             approved_by=waiver.approved_by, reason=waiver.reason, ticket=waiver.ticket,
                             expires=None if waiver.expires is None else waiver.expires.isoformat())
