"""`oaspec rollback N`: a plan back to revision N's state, checked and applied like any other."""

from __future__ import annotations

from dataclasses import replace

from oa_spec.apply.gates import RefusedError
from oa_spec.apply.statecheck import limit_problems
from oa_spec.history.revisions import Revision
from oa_spec.kinds.state import AccountState
from oa_spec.plan.model import Plan
from oa_spec.plan.workspace import Workspace, account_plan
from oa_spec.util import clock


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
        ws.state.audit.event("rollback", account_id, "refused", message, refusal="invalid-history")
        raise RefusedError(message, "invalid-history")
    provider = ws.provider(compiled.spec)
    live = provider.read()
    target = _with_renames(revision, live)
    note = f"rollback to revision {number} ({revision.time}, {revision.operation} by {revision.user})"
    managed = ws.history(account_id).managed()
    ap = account_plan(compiled.spec, target, live, provider.writable_kinds, managed, [note],
                      ws.slots_used(account_id, target))
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
