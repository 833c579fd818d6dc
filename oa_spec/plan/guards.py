"""Destroy guards: changes users can feel are named in the plan; past the account's limits, apply
needs --allow-destroy. Limits are counts per kind as well as a percentage, since a menu has at most
18 buttons and a percentage rule alone would never fire on it.
"""

from __future__ import annotations

from collections import Counter

from oa_spec.config.model_safety import GuardSpec
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import KINDS, kind_of
from oa_spec.kinds.state import AccountState


def felt(change: Change) -> str | None:
    """Why followers would notice this change, or None."""
    return kind_of(change).felt(change)


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
    deletes = Counter(c.kind for c in changes if c.writable and kind_of(c).removes(c))
    for kind, count in sorted(deletes.items()):
        total = KINDS[kind].live_count(live) or 0
        if total >= guards.percent_min_objects and count * 100 > guards.max_delete_percent * total:
            reasons.append(f"deletes {count} of {total} {kind}s, over {guards.max_delete_percent}%")
    return reasons
