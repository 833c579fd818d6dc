"""After a crash: what did the interrupted run actually land?

Before its first write, an apply records a journal revision ("interrupted", nothing applied) and
replaces it with its outcome at the end. A run killed in between (SIGKILL, power loss), or one whose
disk filled before it could record its outcome, leaves the journal behind, and history would say that
none of its changes landed. The next run holding the account's lock compares the journal's changes
with the live account and records what landed: the revision is updated (its `applied` list, its live
state after, a `reconciled` note) and the audit trail gets a `reconcile` entry. A replace whose old copy is
still live landed in part, and is recorded with what it left behind (`partly`), as a run that finished records it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError
from oa_spec.history import audit
from oa_spec.history.provenance import recorded_user
from oa_spec.history.revisions import Revision
from oa_spec.history.state import AccountHistory, Lease
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, ConditionalMenu
from oa_spec.kinds.template import claimed
from oa_spec.plan.diff import diff
from oa_spec.util import clock

if TYPE_CHECKING:  # the workspace opens history stores; this module only uses one
    from oa_spec.config.model import AccountSpec
    from oa_spec.plan.model import Plan
    from oa_spec.plan.workspace import Workspace
    from oa_spec.providers.base import Provider


def interrupted_journal(store: AccountHistory) -> Revision | None:
    """The newest revision when it is a journal its run never replaced (None when unreadable: the caller
    already reports unreadable records)."""
    numbers = store.numbers()
    if not numbers:
        return None
    try:
        newest = store.get(numbers[-1])
    except OaspecError:  # managed() names the damaged record; there is nothing to reconcile from it
        return None
    return newest if newest.open_journal else None


def reconcile(store: AccountHistory, journal: Revision, live: AccountState, provider: Provider,
              lease: Lease) -> Revision:
    """Record which of the journal's changes are live now, in history and in the audit trail (and in the
    provider's own records: Provider.settle_writes)."""
    provider.settle_writes()
    owned = replace(live, templates=claimed(live.templates, journal.managed))  # its templates by template_id
    residual = {c.address for c in diff(journal.account, journal.desired, owned, provider.writable_kinds)}
    landed = [c.address for c in journal.changes if c.address not in residual]
    missing = [c.address for c in journal.changes if c.address in residual]
    partly = {c.address: left for c in journal.changes if c.address not in residual and (left := left_behind(c, live))}
    when = clock.real_timestamp()
    journal.applied = landed
    journal.partly = partly
    journal.live_after = live
    journal.status = "failed" if missing or partly else "applied"
    journal.error = (f"interrupted: the run stopped before it recorded its outcome; reconciled at {when} from the "
                     f"live account: {len(landed)} of {len(journal.changes)} changes had landed"
                     + "".join(f"; {address} landed in part: {left}" for address, left in partly.items())
                     + (f"; not landed: {', '.join(missing)}" if missing else ""))
    journal.extra["reconciled"] = {"time": when, "user": recorded_user(), "landed": len(landed),
                                   "planned": len(journal.changes)}
    store.finish(journal, lease, audit.reconcile_note(journal))
    return journal


def left_behind(change: Change, live: AccountState) -> str | None:
    """What of a replaced resource's old copy is still live (None: nothing). The platform cannot edit a conditional
    menu, so a replace adds the new copy and then deletes the old one; a run killed between the two landed the new
    copy (nothing is left at the change's address) and left the old one live, under another name (attack review
    39): the replace landed only in part."""
    old = change.before
    if change.action != "replace" or not isinstance(old, ConditionalMenu) or not old.menuid:
        return None
    if not any(menu.menuid == old.menuid for menu in live.conditional_menus):
        return None
    return f"the old copy (menuid {old.menuid}) was still live when this run was reconciled; the next plan deletes it"


def settle_plan(ws: Workspace, plan: Plan) -> list[Revision]:
    """Reconcile the journals killed runs left behind on the plan's accounts: an apply with nothing to do
    must still correct a record that says a landed change was not applied."""
    return [r for ap in plan.accounts if (r := settle(ws, ws.account(ap.account).spec))]


def settle(ws: Workspace, account: AccountSpec) -> Revision | None:
    """Reconcile a journal a killed run left behind (under the account's lock), when there is one."""
    store = ws.history(account.id)
    if interrupted_journal(store) is None:
        return None
    with ws.state.lock(account.id, "reconcile") as lease:
        journal = interrupted_journal(store)  # again, under the lock: another run may have reconciled it
        if journal is None:
            return None
        provider = ws.provider(account)
        return reconcile(store, journal, provider.read(), provider, lease)
