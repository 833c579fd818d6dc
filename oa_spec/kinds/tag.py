"""Tags (用户标签): paired by name; a rename keeps the tag's id and so its followers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, ImportContext, Kind, distinct, held, nameable, over_bytes
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, ConditionalMenu, MatchRule, Tag
from oa_spec.util.display import excerpt

# How a tag delete's reason names an unmanaged conditional menu whose rule the platform rewrites (always the
# reason's last parts): oaspec leaves that menu in place, so followers see what its rule becomes.
REWRITES = "the platform drops it from the rule of the unmanaged conditional menu "


def managed_live_tags(live: AccountState) -> dict[str, Tag]:
    """The live tags a spec can name: not the platform's reserved ones (星标组, ...)."""
    return {t.name: t for t in live.tags if t.id not in limits.RESERVED_TAG_IDS}


def tag_renames(desired: AccountState, live: AccountState) -> dict[str, str]:
    """old (live) name -> new name for every rename the plan will carry out: a spec's renamed_from, and a managed
    tag renamed on the platform since the last apply (plan/scope.py marks it with the name oaspec knows it by, in
    its renamed_from) back to the spec's name, or on to the name the spec renames it to."""
    have = managed_live_tags(live)
    known = {t.renamed_from: t.name for t in have.values() if t.renamed_from}  # oaspec's name -> live name
    renames: dict[str, str] = {}
    for tag in desired.tags:
        if tag.name in have:
            continue
        old = tag.renamed_from if tag.renamed_from in have else known.get(tag.name) or known.get(tag.renamed_from or "")
        if old is not None and old not in renames:
            renames[old] = tag.name
    return renames


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
                                      reason=f"{_renamed(old, tag.name)}; keeps its {old.count} followers"))
            else:
                changes.append(Change("create", "tag", tag.name, address, None, tag))
        wanted = {t.name for t in desired.tags} | set(renames)
        for name, tag in have.items():
            if name not in wanted:
                changes.append(Change("delete", "tag", name, build(account, "tag", name), tag, None,
                                      reason=_dropped_from_rules(name, live.conditional_menus,
                                                                 context.unmanaged_menus)))
        return changes

    def felt(self, change: Change) -> str | None:
        """Followers who lose the tag; and those an unmanaged menu's rewritten rule now matches (see REWRITES)."""
        before = change.before
        if change.action != "delete" or not isinstance(before, Tag):
            return None
        start = change.reason.find(REWRITES)
        parts = [f"{before.count} followers lose this tag"] if before.count else []
        parts += [change.reason[start:]] if start >= 0 else []
        return "; ".join(parts) or None

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

        named = [t.name for t in managed_live_tags(live).values() if nameable(where(t.name), t.name, context)
                 and held(where(t.name), over_bytes(f"the name {excerpt(t.name)}", t.name, limits.TAG_NAME_BYTES),
                          context)]
        names = distinct(named, str, where, context)
        if not names:
            return {}
        context.adopt["tags"] = names
        return {"tags": [{"name": n} for n in names]}


def _renamed(old: Tag, new: str) -> str:
    """Why a live tag takes a new name: the spec renames it, or renames back what staff renamed in the console."""
    if old.renamed_from is None:
        return f"renamed from {old.name}"
    since = f"renamed on the platform to {old.name} since oaspec last applied it (tag id {old.id})"
    return f"{since}: renamed back to the spec's name" if old.renamed_from == new else f"{since}: renamed to {new}"


def _dropped_from_rules(name: str, managed: tuple[ConditionalMenu, ...], unmanaged: tuple[ConditionalMenu, ...]) -> str:
    """The platform also drops a deleted tag from the rules of the conditional menus that still match it: a
    managed one is deleted first by the same plan (kinds/conditional_menu.py ranks), an unmanaged one stays, its
    rule widened."""
    reasons = [f"also removed from the rule of conditional menu {m.name}" for m in managed if m.match.tag == name]
    reasons += [f"{REWRITES}{m.name} (menuid {m.menuid}): {m.match.describe()} -> {_widened(m.match)}"
                for m in unmanaged if m.match.tag == name]
    return "; ".join(reasons)


def _widened(rule: MatchRule) -> str:
    """What a rule becomes without its tag, and whom it then matches."""
    rest = replace(rule, tag=None)
    if rest == MatchRule():
        return "(empty), which matches every follower"
    if not rest.legacy:
        return f"{rest.describe()}, which matches every follower on that client"
    return f"{rest.describe()}, which matches every follower with those fields"


TAG = TagKind()
