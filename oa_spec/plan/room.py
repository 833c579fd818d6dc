"""What the platform has room for while a plan is applied: a plan holds no change the platform must refuse.

The platform's caps count every live object, the ones oaspec leaves alone too: 100 tags (45056), 25 templates
(45026), 20 conditional menus (65305) and 3 link domains across them (65316). An apply passes through states the
spec never shows: deletes run before adds (kinds/registry.py), and a conditional-menu replace adds the new copy
before it deletes the old one, so both copies are live for a moment. `delete_first` turns each replace with no room
for that into a delete and an add (plan/diff.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oa_spec import limits
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import delete_first as split
from oa_spec.kinds.registry import rank
from oa_spec.kinds.state import Button, ConditionalMenu
from oa_spec.util.urls import url_host


@dataclass(frozen=True)
class _Step:
    """An add of a conditional menu in an apply: `index` in the plan's changes, and the menus live while it runs
    (for a replace added first, the old copy and the new one both)."""

    index: int
    during: tuple[ConditionalMenu, ...]


def delete_first(changes: list[Change], live_menus: Sequence[ConditionalMenu]) -> list[Change]:
    """The changes (in apply order), each conditional-menu replace that has no room to add its new copy beside the
    old one done delete-first instead. `live_menus`: every live conditional menu, unmanaged ones too."""
    while (step := _crowded(changes, live_menus)) is not None:
        relief = _relief(changes, step)
        if relief is None:
            return changes  # no replace makes room: the limit is the spec's own (validate)
        room = ("no slot for a new copy beside the old one" if len(step.during) > limits.MAX_CONDITIONAL_MENUS
                else "no room for the new copy's link domains beside the old one's")
        when = "" if relief == step.index else f" when {changes[step.index].key} is added"
        gone, made = split(changes[relief], f"{room}: with both copies live{when}, {_problem(step.during)}")
        changes = sorted([*changes[:relief], gone, made, *changes[relief + 1:]], key=rank)
    return changes


def _crowded(changes: list[Change], live: Sequence[ConditionalMenu]) -> _Step | None:
    """The first add of a conditional menu the platform has no room for, in apply order."""
    return next((step for step in _steps(changes, live) if _problem(step.during)), None)


def _steps(changes: list[Change], live: Sequence[ConditionalMenu]) -> list[_Step]:
    ours = [(i, c) for i, c in enumerate(changes) if c.writable and c.kind == "conditional_menu"]
    gone = [c.before for _, c in ours if c.action == "delete" and isinstance(c.before, ConditionalMenu)]
    current = tuple(m for m in live if not any(_same(m, g) for g in gone))
    steps = []
    for i, change in ours:
        if change.action in ("create", "replace") and isinstance(change.after, ConditionalMenu):
            during = (*current, change.after)
            steps.append(_Step(i, during))
            old = change.before
            current = during if not isinstance(old, ConditionalMenu) else tuple(m for m in during
                                                                                 if not _same(m, old))
    return steps


def _relief(changes: list[Change], step: _Step) -> int | None:
    """The replace to do delete-first so that `step` has room: the step itself, else a later one whose old copy
    is live during it and takes the room (a slot, or a domain no other menu links)."""
    later = [i for i, c in enumerate(changes) if i >= step.index and c.writable and c.kind == "conditional_menu"
             and c.action == "replace" and isinstance(c.before, ConditionalMenu)]
    for i in later:
        old = changes[i].before
        assert isinstance(old, ConditionalMenu)
        without = tuple(m for m in step.during if not _same(m, old))
        if len(without) < len(step.during) and (len(step.during) > limits.MAX_CONDITIONAL_MENUS
                                                or len(_domains(without)) < len(_domains(step.during))):
            return i
    return None


def _problem(during: Sequence[ConditionalMenu]) -> str:
    """What the platform refuses in these menus live at once; "" when it takes them."""
    if len(during) > limits.MAX_CONDITIONAL_MENUS:
        return (f"the account would hold {len(during)} conditional menus and the platform keeps at most "
                f"{limits.MAX_CONDITIONAL_MENUS} (65305)")
    linked = _domains(during)
    if len(linked) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
        return (f"the live conditional menus would link {len(linked)} domains ({', '.join(sorted(linked))}) and the "
                f"platform allows at most {limits.MAX_CONDITIONAL_LINK_DOMAINS} (65316)")
    return ""


def _domains(menus: Sequence[ConditionalMenu]) -> set[str]:
    """The link domains the platform counts: the hosts of view buttons (wechat-api.md §1.3)."""
    return {host for m in menus for b in _leaves(m.buttons) if b.type == "view" and b.url and (host := url_host(b.url))}


def _leaves(buttons: Sequence[Button]) -> list[Button]:
    return [leaf for b in buttons for leaf in (_leaves(b.sub_buttons) if b.sub_buttons else [b])]


def _same(a: ConditionalMenu, b: ConditionalMenu) -> bool:
    return a is b or (bool(a.menuid) and a.menuid == b.menuid)
