"""Carry out a reviewed plan, exactly: refuse a stale one, hold the account's lock, record a revision.

A failure part-way stops the account's apply; the revision records which changes landed, and since
every plan is a diff against what is live, running plan/apply again converges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from oa_spec.errors import OaspecError, ProviderError
from oa_spec.history.lock import account_lock, current_user
from oa_spec.history.revisions import Revision
from oa_spec.plan import AccountPlan, Plan
from oa_spec.state import AccountState
from oa_spec.workspace import Workspace, account_plan, desired_digest, git_commit, now, run_parallel


class StalePlanError(OaspecError):
    pass


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


def apply_plan(ws: Workspace, plan: Plan, parallelism: int = 1, extra: dict[str, str] | None = None) -> list[
        ApplyResult]:
    """Apply every account of the plan; one account's failure does not stop the others."""
    from_spec = plan.source == "spec"
    operation = "apply" if from_spec else "rollback"

    def one(ap: AccountPlan) -> ApplyResult:
        try:
            return apply_account(ws, ap, operation, plan.source, check_spec=from_spec, extra=extra or {})
        except OaspecError as exc:
            return ApplyResult(ap.account, len(ap.actionable), error=str(exc),
                               pending=[c.address for c in ap.actionable])

    return run_parallel(one, plan.accounts, parallelism)


def apply_account(ws: Workspace, ap: AccountPlan, operation: str, source: str, check_spec: bool = True,
                  extra: dict[str, str] | None = None) -> ApplyResult:
    compiled = ws.account(ap.account)
    if check_spec and desired_digest(compiled.desired) != ap.desired_digest:
        raise StalePlanError(f"{ap.account}: the spec changed since this plan was made; run `oaspec plan` again "
                             "and review the new plan")
    actionable = ap.actionable
    result = ApplyResult(ap.account, len(actionable))
    with account_lock(ws.state_dir, ap.account, operation):
        provider = ws.provider(compiled.spec)
        try:
            live_before = provider.read()
            if live_before.fingerprint() != ap.live_fingerprint:
                raise StalePlanError(f"{ap.account}: the live account changed since this plan was made; run "
                                     "`oaspec plan` again and review the new plan")
            if not actionable:
                return result
            applied: list[str] = []
            try:
                for change in actionable:
                    provider.apply(change)
                    applied.append(change.address)
            except ProviderError as exc:
                result.error = f"{ap.account}: {exc}"
            except BaseException as exc:  # interrupted: record what landed, then let it propagate
                _record(ws, ap, operation, source, live_before, None, applied, f"interrupted ({type(exc).__name__})",
                        extra)
                raise
            live_after = _read_after(provider.read)
        finally:
            provider.close()
        result.applied = len(applied)
        result.pending = [c.address for c in actionable[len(applied):]]
        result.revision = _record(ws, ap, operation, source, live_before, live_after, applied, result.error, extra)
    return result


def _read_after(read: Callable[[], AccountState]) -> AccountState | None:
    """The account after the writes; None when it cannot be read (the revision says so)."""
    try:
        return read()
    except ProviderError:
        return None


def _record(ws: Workspace, ap: AccountPlan, operation: str, source: str, before: AccountState,
            after: AccountState | None, applied: list[str], error: str | None,
            extra: dict[str, str] | None) -> Revision:
    store = ws.history(ap.account)
    revision = Revision(
        number=store.next_number(), account=ap.account, time=now(), user=current_user(), operation=operation,
        status="failed" if error else "applied", spec_digest=ap.desired_digest, desired=ap.desired,
        live_before=before, live_after=after, changes=list(ap.actionable), applied=applied,
        git_commit=git_commit(ws.spec_path), source=source, error=error, extra=dict(extra or {}),
    )
    store.save(revision)
    return revision


def rollback_plan(ws: Workspace, account_id: str, number: int) -> Plan:
    """A plan that brings the account back to revision `number`'s desired state."""
    compiled = ws.account(account_id)
    revision = ws.history(account_id).get(number)
    provider = ws.provider(compiled.spec)
    try:
        live = provider.read()
    finally:
        provider.close()
    target = _with_renames(revision, live)
    ap = account_plan(account_id, compiled.spec.provider.type, target, live, provider.writable_kinds,
                      [f"rollback to revision {number} ({revision.time}, {revision.operation} by {revision.user})"])
    return Plan([ap], spec_path=str(ws.spec_path), source=f"rollback:{account_id}:{number}", created_at=now())


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
