"""Tags (用户标签): paired by name; a rename keeps the tag's id and so its followers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, ImportContext, Kind, distinct, nameable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Tag


def managed_live_tags(live: AccountState) -> dict[str, Tag]:
    """The live tags a spec can name: not the platform's reserved ones (星标组, ...)."""
    return {t.name: t for t in live.tags if t.id not in limits.RESERVED_TAG_IDS}


def tag_renames(desired: AccountState, live: AccountState) -> dict[str, str]:
    """old name -> new name for every rename the plan will carry out."""
    have = managed_live_tags(live)
    return {t.renamed_from: t.name for t in desired.tags
            if t.renamed_from and t.name not in have and t.renamed_from in have}


class TagKind(Kind):
    name = "tag"
    label = "tag"
    state_type = Tag
    # Deletes free a slot of the 100 before creates; after conditional menus that match a deleted tag
    # are gone, before the menus created on a new one.
    ranks: ClassVar[Mapping[Action, int]] = {"delete": 1, "create": 2, "update": 2}
    collection = "tags"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        have = managed_live_tags(live)
        renames = context.renames
        changes = []
        for tag in desired.tags:
            if tag.name in have:
                continue
            address = build(account, "tag", tag.name)
            old_name = next((old for old, new in renames.items() if new == tag.name), None)
            if old_name is not None:
                old = have[old_name]
                changes.append(Change("update", "tag", tag.name, address, old, replace(tag, id=old.id, count=old.count),
                                      reason=f"renamed from {old_name}; keeps its {old.count} followers"))
            else:
                changes.append(Change("create", "tag", tag.name, address, None, tag))
        wanted = {t.name for t in desired.tags} | set(renames)
        for name, tag in have.items():
            if name not in wanted:
                # The platform also drops a deleted tag from the rules of conditional menus that still match it.
                reasons = [f"also removed from the rule of conditional menu {m.name}"
                           for m in live.conditional_menus if m.match.tag == name]
                changes.append(Change("delete", "tag", name, build(account, "tag", name), tag, None,
                                      reason="; ".join(reasons)))
        return changes

    def felt(self, change: Change) -> str | None:
        before = change.before
        if change.action == "delete" and isinstance(before, Tag) and before.count:
            return f"{before.count} followers lose this tag"
        return None

    def live_count(self, state: AccountState) -> int:
        return len(state.tags)

    def details(self, change: Change) -> list[str]:
        before, after = change.before, change.after
        if isinstance(before, Tag) and isinstance(after, Tag):
            return [f"  name: {before.name} -> {after.name}"]
        return []

    def identities(self, state: AccountState) -> set[str]:
        return {t.name for t in state.tags}

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        def where(name: str) -> str:
            return build(context.account, "tag", name)

        named = [t.name for t in managed_live_tags(live).values() if nameable(where(t.name), t.name, context)]
        names = distinct(named, str, where, context)
        if not names:
            return {}
        context.adopt["tags"] = names
        return {"tags": [{"name": n} for n in names]}


TAG = TagKind()
