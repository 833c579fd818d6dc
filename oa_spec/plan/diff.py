"""Diff desired against live state: every kind's changes, in apply order (kinds/registry.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from oa_spec.kinds.base import DiffContext, SlotUse
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import TAKEN
from oa_spec.kinds.registry import ALL_KINDS, KINDS, rank
from oa_spec.kinds.state import AccountState, ConditionalMenu
from oa_spec.kinds.tag import tag_renames
from oa_spec.plan.room import delete_first


def diff(account: str, desired: AccountState, live: AccountState,
         writable: frozenset[str] = ALL_KINDS, unmanaged_menus: tuple[ConditionalMenu, ...] = (),
         slots_used: Mapping[str, SlotUse] | None = None) -> list[Change]:
    """Every change that turns `live` into `desired`, in apply order; kinds the provider cannot write
    are marked `writable=False` (shown, never applied). `unmanaged_menus`: the live conditional menus left out
    of `live` by the plan's scope, so that a change can say which of them it puts behind (Scope.unmanaged_menus).
    `slots_used`: the content slots a send is recorded for (DiffContext). A conditional-menu replace the live
    account has no room for while both copies are live is done delete-first (room.py)."""
    context = DiffContext(renames=tag_renames(desired, live), unmanaged_menus=unmanaged_menus,
                          slots_used=slots_used or {})
    changes = [change for kind in KINDS.values() for change in kind.diff(account, desired, live, context)]
    changes = [c if c.kind in writable else replace(c, writable=False) for c in changes]
    changes = sorted(changes, key=rank)  # stable: keeps spec order within a rank
    return delete_first(changes, (*live.conditional_menus, *unmanaged_menus))


def still_left_alone(notes: list[str], changes: list[Change]) -> list[str]:
    """Scope's notes (plan/scope.py) less the "unmanaged, left alone" of each conditional menu the plan deletes with
    the default menu (menu/delete takes them all): a menu the plan deletes is not left alone."""
    taken = [f"unmanaged, left alone: {c.address} (menuid {getattr(c.before, 'menuid', None)}, "
             for c in changes if c.kind == "conditional_menu" and c.reason.startswith(TAKEN)]
    return [note for note in notes if not any(note.startswith(prefix) for prefix in taken)]
