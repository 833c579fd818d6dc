"""Destroy guards: changes users can feel are named in the plan; past the account's limits, apply
needs --allow-destroy. Limits are counts per kind as well as a percentage, since a menu has at most
18 buttons and a percentage rule alone would never fire on it.
"""

from __future__ import annotations

from collections import Counter

from oa_spec.config.model import GuardSpec
from oa_spec.kinds.state import AccountState, Menu, Tag
from oa_spec.plan.model import Change

_LIVE_COUNTS = {"tag": lambda s: len(s.tags), "template": lambda s: len(s.templates),
                "conditional_menu": lambda s: len(s.conditional_menus)}


def felt(change: Change) -> str | None:
    """Why followers would notice this change, or None."""
    before, after = change.before, change.after
    if change.kind == "tag" and change.action == "delete" and isinstance(before, Tag) and before.count:
        return f"{before.count} followers lose this tag"
    if change.kind == "menu" and change.action == "delete":
        return "removes the whole menu (and every conditional menu with it)"
    if (change.kind == "menu" and isinstance(before, Menu) and isinstance(after, Menu)
            and not {b.name for b in before.buttons} & {b.name for b in after.buttons}):
        return "replaces the whole menu: no top-level button stays"
    if change.kind == "template" and change.action == "delete":
        return "messages sent with this template (balance alerts, notices) fail until it is added back"
    if change.kind == "conditional_menu" and change.action == "delete":
        return "followers in this segment fall back to the default menu"
    return None


def tripped(changes: list[Change], live: AccountState, guards: GuardSpec) -> list[str]:
    """Why apply must have --allow-destroy for these changes; empty when the guards let them through."""
    reasons = []
    felt_changes = [(c, why) for c in changes if c.writable and (why := felt(c))]
    per_kind = Counter(c.kind for c, _ in felt_changes)
    limits: dict[str, int] = {str(kind): count for kind, count in guards.max_destroy.items()}
    for kind, count in sorted(per_kind.items()):
        allowed = limits.get(kind, 0)
        if count > allowed:
            listed = "; ".join(f"{c.address} ({why})" for c, why in felt_changes if c.kind == kind)
            reasons.append(f"{count} {kind} change(s) users can feel, over the limit of {allowed}: {listed}")
    deletes = Counter(c.kind for c in changes if c.writable and c.action == "delete")
    for kind, count in sorted(deletes.items()):
        total = _LIVE_COUNTS[kind](live) if kind in _LIVE_COUNTS else 0
        if total >= guards.percent_min_objects and count * 100 > guards.max_delete_percent * total:
            reasons.append(f"deletes {count} of {total} {kind}s, over {guards.max_delete_percent}%")
    return reasons
