"""Which conditional menu a follower sees when the rules of two match them: the platform shows the newest
(wechat-api.md §2: matching is newest first), and oaspec plans that order from the spec: the menu listed first
wins. A change that would make a menu newer than one listed before it with an overlapping rule re-creates
that one after it, so the live precedence is always the spec's order (and a rollback restores it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oa_spec.kinds.state import ConditionalMenu, MatchRule

Age = tuple[int, int]  # (menuid, position in menu/get): larger is newer


def overlap(a: MatchRule, b: MatchRule) -> bool:
    """Whether one follower can match both rules. Conservative: they overlap unless a field both rules set
    differs (one client platform, one sex, one region), since a follower can carry any number of tags."""
    mine, theirs = dict(a.legacy), dict(b.legacy)
    for rule, fields in ((a, mine), (b, theirs)):
        if rule.client_platform_type is not None:
            fields["client_platform_type"] = rule.client_platform_type
    return all(mine[k] == theirs[k] for k in mine.keys() & theirs.keys())


def ages(menus: Sequence[ConditionalMenu]) -> list[Age]:
    """How new each live menu is: the platform numbers menus as it makes them (menuid), and lists them in
    that order; a menu without a numeric menuid counts as the oldest."""
    return [(-1 if (n := _number(m)) is None else n, i) for i, m in enumerate(menus)]


def overtaken(rule: MatchRule, before: ConditionalMenu | None,
              others: Sequence[ConditionalMenu]) -> list[ConditionalMenu]:
    """The menus in `others` (live, left alone by the plan) that a menu with `rule`, made now, becomes newer
    than where some follower matches both: each overlapping one newer than `before`, the live copy it replaces
    (None, a create: each overlapping one). Conservative: a menu of unknown age counts as newer."""
    return [m for m in others if overlap(rule, m.match) and (before is None or not _older(m, before))]


def handed_over(gone: ConditionalMenu, keeper: ConditionalMenu | None,
                others: Sequence[ConditionalMenu]) -> list[ConditionalMenu]:
    """The menus in `others` (live, left alone) that followers matching both their rule and `gone`'s see once
    `gone` is deleted: each overlapping one `gone` was ahead of (not provably older than it), and not behind
    `keeper`, the live copy of `gone`'s rule that stays unchanged (None: none stays). Conservative as above."""
    return [m for m in others if overlap(gone.match, m.match) and not _older(gone, m)
            and (keeper is None or not _older(m, keeper))]


def _older(a: ConditionalMenu, b: ConditionalMenu) -> bool:
    """Whether the platform made `a` before `b` (menuids grow); False when either has no numeric menuid."""
    first, second = _number(a), _number(b)
    return first is not None and second is not None and first < second


def _number(menu: ConditionalMenu) -> int | None:
    return int(menu.menuid) if menu.menuid and menu.menuid.isdigit() else None


@dataclass(frozen=True)
class Forced:
    """Why a menu whose buttons stay is re-created: `later` (an index in the spec) overlaps it and is listed
    after it, but is (or, once this plan ran, would be) newer."""

    later: int
    in_plan: bool  # True: `later` is (re)created by this plan; False: it is newer on the platform already


def forced(rules: Sequence[MatchRule], kept: Sequence[Age | None]) -> dict[int, Forced]:
    """The unchanged menus (a live age in `kept`; None: created or replaced anyway) that must be re-created
    so that of any two overlapping menus the one listed first is the newest."""
    made = {i for i, age in enumerate(kept) if age is None}
    pairs = overlapping_pairs(rules)
    out: dict[int, Forced] = {}
    grew = True
    while grew:  # terminates: each pass adds an index to `made` or stops
        grew = False
        for i, j in pairs:
            if i in made:
                continue
            older = kept[i]
            if j in made or (older is not None and (later := kept[j]) is not None and older < later):
                out[i] = Forced(j, j in made)
                made.add(i)
                grew = True
    return out


def creation_order(indices: set[int], rules: Sequence[MatchRule]) -> list[int]:
    """The order to (re)create these menus in: spec order, except that a menu is made after every
    overlapping one listed after it (the newest wins)."""
    left = sorted(indices)
    order = []
    while left:  # the last one left never waits for a later one, so each pass picks one
        pick = next(i for i in left if not any(j > i and overlap(rules[i], rules[j]) for j in left))
        order.append(pick)
        left.remove(pick)
    return order


def overlapping_pairs(rules: Sequence[MatchRule]) -> list[tuple[int, int]]:
    """(i, j), i < j: the indices of every two rules one follower can match at once."""
    return [(i, j) for i in range(len(rules)) for j in range(i + 1, len(rules)) if overlap(rules[i], rules[j])]
