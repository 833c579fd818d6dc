"""`oaspec rollback N`: a plan back to revision N's state, checked and applied like any other."""

from __future__ import annotations

from dataclasses import replace
from typing import NoReturn

from oa_spec.apply.gates import RefusedError
from oa_spec.apply.statecheck import limit_problems
from oa_spec.errors import OaspecError
from oa_spec.history.integrity import RESTORE, disagreement
from oa_spec.history.revisions import Revision
from oa_spec.history.state import AuditCheck
from oa_spec.kinds.state import AccountState
from oa_spec.plan.model import Plan
from oa_spec.plan.scope import Managed, TakeoverError, recorded_tag_ids
from oa_spec.plan.workspace import Workspace, account_plan, live_account
from oa_spec.util import clock


def rollback_plan(ws: Workspace, account_id: str, number: int) -> Plan:
    """A plan that brings the account back to revision `number`'s desired state."""
    compiled = ws.account(account_id)
    revision = _as_written(ws, account_id, number)
    problems = limit_problems(account_id, revision.desired)
    if revision.account != account_id:
        problems.insert(0, f"it records account {revision.account!r}")
    if problems:
        _refuse(ws, account_id, f"{account_id}: rollback refused: revision {number} cannot be deployed as it is (a "
                "damaged or hand-edited history file?): " + "; ".join(problems), "invalid-history")
    if revision.status != "applied":
        _refuse(ws, account_id, _not_applied(ws, account_id, revision), "not-applied")
    if (elsewhere := ws.recorded_against(account_id, revision)) is not None:
        _refuse(ws, account_id, f"{account_id}: rollback refused: revision {number} was recorded against "
                f"{elsewhere}, and the spec now writes to {live_account(compiled.spec)}: its state, names and platform "
                "ids belong to that account, not this one; nothing was written. Roll back with the spec's provider "
                "block as it was then, or write the state you want into the spec and apply it", "other-account")
    managed, recorded = ws.recorded(account_id)
    provider = ws.provider(compiled.spec)
    live = provider.read()
    target = _with_renames(revision, live, managed)
    note = f"rollback to revision {number} ({revision.time}, {revision.operation} by {revision.user})"
    try:  # what oaspec manages comes from history alone: today's adopt: list did not exist at the revision
        ap = account_plan(compiled.spec, target, live, provider.writable_kinds, managed, [note, *recorded],
                          ws.slots_used(account_id, target), adopt=False)
    except TakeoverError as exc:
        raise TakeoverError(f"{account_id}: rollback to revision {number} refused, nothing was written: {exc}. For "
                            "a rollback the spec's adopt: does not count: a rollback takes what oaspec manages from "
                            "history only; to manage such an object, write the state you want into the spec, list "
                            "the object under adopt: and apply the spec instead of rolling back") from None
    # it names its state as every plan does: the person confirming sees where its revision and audit entry go
    return Plan([ap], spec_path=str(ws.spec_path), source=f"rollback:{account_id}:{number}",
                created_at=clock.timestamp(), state=ws.state.identity())


def _as_written(ws: Workspace, account_id: str, number: int) -> Revision:
    """Revision `number`, refused unless its desired state digests to the spec digest it and its audit entries
    record, in an audit trail whose chain verifies (an entry edited to match would break it): a rollback deploys
    what the record holds, and an edited record is not what the revision deployed."""
    store = ws.history(account_id)
    revision = store.get(number)
    try:  # first: a trail that does not verify vouches for no digest it holds
        trail: AuditCheck | None = ws.state.audit.verify()
    except OaspecError:  # no trail at all: the revision has no entry in it, which is said below
        trail = None
    if trail is not None and trail.problem is not None and not trail.torn:  # a torn last line aside (it recovers)
        _refuse(ws, account_id, f"{account_id}: rollback refused: the audit trail does not verify ({trail.problem}), "
                f"so revision {number}'s record cannot be checked against the spec digest it recorded; nothing was "
                "written. Restore the trail from a backup (`oaspec audit verify` must pass), or write the state you "
                "want into the spec and apply it", "edited-history")
    if (edited := disagreement(revision, store.audited_digests().get(number, ()))) is not None:
        _refuse(ws, account_id, f"{account_id}: rollback refused: {store.where(number)}: {edited}; a rollback deploys "
                f"what the record holds, and this is not the record revision {number} wrote; nothing was written. "
                f"To go back, {RESTORE}", "edited-history")
    return revision


def _not_applied(ws: Workspace, account_id: str, revision: Revision) -> str:
    """Why a revision that did not apply in full is no rollback target: what it says it planned was never live."""
    landed = "which of its changes landed is unknown" if revision.open_journal else \
        f"{len(revision.applied)} of {len(revision.changes)} changes landed"
    status = "was interrupted" if (revision.error or "").startswith("interrupted") else revision.status
    before = _nearest_applied(ws, account_id, revision.number)
    where = (f"Revision {before} is the nearest applied revision before it: roll back to that one, or"
             if before is not None else "No revision before it was applied:")
    return (f"{account_id}: rollback refused: revision {revision.number} {status} ({landed}), so the state it "
            "records as desired was never live on the account, and a rollback to it would deploy a configuration "
            f"followers never saw; nothing was written. {where} write the state you want into the "
            f"spec (`oaspec show {revision.number} --account {account_id}` shows what it planned) and apply it")


def _nearest_applied(ws: Workspace, account_id: str, number: int) -> int | None:
    """The newest revision before `number` that applied in full; one that cannot be read is passed over."""
    history = ws.history(account_id)
    for earlier in reversed([n for n in history.numbers() if n < number]):
        try:
            if history.get(earlier).status == "applied":
                return earlier
        except OaspecError:
            continue
    return None


def _refuse(ws: Workspace, account_id: str, message: str, refusal: str) -> NoReturn:
    """Refuse the rollback before any read of the live account, and say so in the audit trail."""
    ws.state.audit.event("rollback", account_id, "refused", message, refusal=refusal)
    raise RefusedError(message, refusal)


def _with_renames(revision: Revision, live: AccountState, managed: Managed) -> AccountState:
    """A tag renamed since the revision is renamed back (same platform id), so it keeps its followers: only a tag
    oaspec still manages by that id (an id recorded against another live account names nothing here)."""
    ours = recorded_tag_ids(managed)
    then = {t.name: t.id for t in (revision.live_after or revision.live_before).tags
            if t.id is not None and t.id in ours}
    now_by_id = {t.id: t.name for t in live.tags}
    tags = tuple(
        replace(t, renamed_from=now_by_id[then[t.name]])
        if t.name in then and now_by_id.get(then[t.name], t.name) != t.name and live.tag(t.name) is None
        else replace(t, renamed_from=None)
        for t in revision.desired.tags
    )
    return replace(revision.desired, tags=tags)
