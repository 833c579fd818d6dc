"""Conditional menus (个性化菜单): a menu for one segment. The platform knows them only by match rule
and menuid and cannot edit one, so a diff pairs them by rule and replaces a changed one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, Flow, ImportContext, Kind, distinct, nameable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.menu import export_buttons, holdable_buttons, menu_diff
from oa_spec.kinds.state import AccountState, ConditionalMenu, MatchRule


def rule_key(menu: ConditionalMenu) -> str:
    """The identity ownership records for a conditional menu: its rule, since the platform has no names."""
    return menu.match.describe()


def spec_name(menu: ConditionalMenu) -> str:
    """The name import gives a conditional menu in the spec (and so in every address after import)."""
    return menu.name.replace("/", "／")


class ConditionalMenuKind(Kind):
    name = "conditional_menu"
    label = "conditional menu"
    state_type = ConditionalMenu
    # Deleted first (before the tag it matches goes); created after tags and the default menu.
    ranks: ClassVar[Mapping[Action, int]] = {"delete": 0, "replace": 7, "create": 7}
    collection = "conditional_menus"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        def live_rule(menu: ConditionalMenu) -> MatchRule:
            # A tag renamed in this plan keeps its id, so a live menu on it still matches the new name.
            tag = menu.match.tag
            return replace(menu.match, tag=context.renames.get(tag, tag)) if tag else menu.match

        unpaired = list(live.conditional_menus)
        changes = []
        for want in desired.conditional_menus:
            address = build(account, self.name, want.name)
            same_rule = [m for m in unpaired if live_rule(m) == want.match]
            if not same_rule:
                changes.append(Change("create", self.name, want.name, address, None, want))
                continue
            have = next((m for m in same_rule if m.buttons == want.buttons), same_rule[0])
            unpaired.remove(have)
            if have.buttons != want.buttons:
                changes.append(Change("replace", self.name, want.name, address, have, want,
                                      reason="conditional menus cannot be edited: the new one is added, then the "
                                             "old one deleted"))
        for have in unpaired:
            duplicate = any(live_rule(have) == w.match for w in desired.conditional_menus)
            reason = f"stale duplicate (menuid {have.menuid}) of a menu with the same rule" if duplicate else ""
            changes.append(Change("delete", self.name, have.name, build(account, self.name, have.name), have, None,
                                  reason=reason))
        return changes

    def felt(self, change: Change) -> str | None:
        if change.action == "delete":
            return "followers in this segment fall back to the default menu"
        return None

    def live_count(self, state: AccountState) -> int:
        return len(state.conditional_menus)

    def details(self, change: Change) -> list[str]:
        old = change.before.buttons if isinstance(change.before, ConditionalMenu) else ()
        new = change.after.buttons if isinstance(change.after, ConditionalMenu) else ()
        menu = change.resource
        assert isinstance(menu, ConditionalMenu)
        return [f"  match: {menu.match.describe()}", *menu_diff(old, new)]

    def identities(self, state: AccountState) -> set[str]:
        return {rule_key(m) for m in state.conditional_menus}

    def identity(self, change: Change) -> str:
        menu = change.resource
        assert isinstance(menu, ConditionalMenu)
        return rule_key(menu)

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        tags = set(context.adopt.get("tags", ()))  # TAG exports first: the tags the spec declares
        named = [m for m in _declarable(live.conditional_menus, context) if _on_declared_tag(m, tags, context)
                 and nameable(_address(context.account, m), spec_name(m), context)]
        entries: list[dict[str, Any]] = [{"name": spec_name(m), "match": _rule(m.match),
                                          "menu": export_buttons(m.buttons, _address(context.account, m), context)}
                                         for m in named]
        held = distinct([e for e in entries if holdable_buttons(_where(context, e), e["menu"], context)],
                        lambda entry: str(entry["name"]), lambda entry: _where(context, entry), context)
        if not held:
            return {}
        context.adopt["conditional_menus"] = [entry["name"] for entry in held]
        return {"conditional_menus": held}


def _on_declared_tag(menu: ConditionalMenu, tags: set[str], context: ImportContext) -> bool:
    """A rule's tag must be one the spec declares: a menu on a tag left out (or reserved) is left out too."""
    if menu.match.tag is None or menu.match.tag in tags:
        return True
    context.notes.append(f"{_address(context.account, menu)} (menuid {menu.menuid}) matches the tag "
                         f"{menu.match.tag!r}, which the imported spec does not declare: left out, so oaspec leaves "
                         "it alone")
    return False


def _address(account: str, menu: ConditionalMenu) -> str:
    return build(account, "conditional_menu", spec_name(menu))


def _where(context: ImportContext, entry: dict[str, Any]) -> str:
    return build(context.account, "conditional_menu", entry["name"])


def _rule(match: MatchRule) -> dict[str, Any]:
    rule = Flow()
    if match.tag is not None:
        rule["tag"] = match.tag
    if match.client_platform_type is not None:
        rule["client_platform_type"] = limits.CLIENT_PLATFORM_NAMES.get(match.client_platform_type,
                                                                        match.client_platform_type)
    return rule


def _declarable(menus: tuple[ConditionalMenu, ...], context: ImportContext) -> list[ConditionalMenu]:
    """Conditional menus a spec can declare: one per rule (the newest, which is what users see), and
    none on privacy rules the platform refuses today (65320)."""
    newest: dict[MatchRule, ConditionalMenu] = {}
    for menu in sorted(menus, key=lambda m: int(m.menuid or 0)):
        where = f"{_address(context.account, menu)} (menuid {menu.menuid})"
        if menu.match.legacy:
            context.notes.append(f"{where} matches on {menu.match.describe()}: the platform no longer allows such "
                                 "rules (65320), so it is not declared; set prune: {conditional_menus: true} to "
                                 "delete it")
            continue
        if menu.match in newest:
            older = newest[menu.match]
            context.notes.append(f"{_address(context.account, older)} (menuid {older.menuid}) and {where} have the "
                                 "same rule; only the newest is declared: the next plan deletes the stale one")
        newest[menu.match] = menu
    return list(newest.values())


CONDITIONAL_MENU = ConditionalMenuKind()
