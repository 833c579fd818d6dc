"""Conditional menus (个性化菜单): a menu for one segment. The platform knows them only by match rule
and menuid and cannot edit one, so a diff pairs them by rule and replaces a changed one. Where two rules
overlap, the spec's order is the precedence (precedence.py): the plan re-creates what it takes to keep it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, Flow, ImportContext, Kind, distinct, nameable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.menu import export_buttons, holdable_buttons, menu_diff
from oa_spec.kinds.precedence import Forced, ages, creation_order, forced, handed_over, overlap, overtaken
from oa_spec.kinds.state import AccountState, ConditionalMenu, MatchRule
from oa_spec.util.urls import url_host

STALE = "stale duplicate"  # how a delete's reason starts when another menu with the same rule stays
# How a create's or replace's reason names an unmanaged menu it puts behind (always the reason's last parts).
OVERTAKES = "followers matching both this rule and the unmanaged menu "
# How the delete of a live menu oaspec leaves alone starts its reason when menu/delete takes it (see _taken).
TAKEN = "taken with the default menu"
# How the two halves of a replace done delete-first start their reasons (see delete_first).
DELETE_FIRST = "replaced delete-first"
# How a replace's reason says it adds first (kept out of the halves of one done delete-first).
_ADDS_FIRST = "conditional menus cannot be edited: the new one is added, then the old one deleted"



def link_domains(menus: Iterable[ConditionalMenu]) -> set[str]:
    """The link domains the platform counts across conditional menus, all of them together (65316): the hosts
    of their view buttons (wechat-api.md §1.3)."""
    return {host for menu in menus for top in menu.buttons for b in (top.sub_buttons or (top,))
            if b.type == "view" and b.url and (host := url_host(b.url))}


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
        wants, have = desired.conditional_menus, live.conditional_menus
        live_rule = _live_rule(context)
        paired = _pair(wants, have, live_rule)
        made = _made(account, wants, have, paired)
        gone = _deletes(account, wants, have, paired, live_rule, {change.key for change in made},
                        context.unmanaged_menus)
        taken = _taken(account, context.unmanaged_menus) if desired.menu is None and live.menu is not None else []
        return [*gone, *taken, *(_overtaking(change, context.unmanaged_menus) for change in made)]

    def felt(self, change: Change) -> str | None:
        """A delete that leaves a segment on the default menu; any change that moves the followers who match an
        unmanaged menu too onto it or off it (the reason names it, see _overtaking and _deletes)."""
        start = change.reason.find(OVERTAKES)
        switched = change.reason[start:] if start >= 0 else None
        if change.reason.startswith(TAKEN):
            return "followers in this segment lose this menu, and the default menu goes too"
        if self.removes(change):
            fallback = "followers in this segment fall back to the default menu"
            return f"{fallback}; {switched}" if switched else fallback
        return switched

    def removes(self, change: Change) -> bool:
        """A stale duplicate's delete takes nothing away: its rule keeps a menu."""
        return change.action == "delete" and not change.reason.startswith(STALE)

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


def _live_rule(context: DiffContext) -> Callable[[ConditionalMenu], MatchRule]:
    def live_rule(menu: ConditionalMenu) -> MatchRule:
        # A tag renamed in this plan keeps its id, so a live menu on it still matches the new name.
        tag = menu.match.tag
        return replace(menu.match, tag=context.renames.get(tag, tag)) if tag else menu.match

    return live_rule


def _made(account: str, wants: tuple[ConditionalMenu, ...], have: tuple[ConditionalMenu, ...],
          paired: list[int | None]) -> list[Change]:
    """The creates and replaces, in the order that leaves the menu listed first the newest of any two that
    overlap: the new and changed menus, and the unchanged ones re-created to keep that order."""
    age = ages(have)
    kept = [age[k] if k is not None and have[k].buttons == want.buttons else None
            for want, k in zip(wants, paired, strict=True)]
    rules = [want.match for want in wants]
    extra = forced(rules, kept)
    changes = []
    for i in creation_order({i for i, a in enumerate(kept) if a is None} | set(extra), rules):
        k = paired[i]
        before = None if k is None else have[k]
        why = _forced_reason(wants, extra[i]) if i in extra else _made_reason(wants, i, before)
        changes.append(Change("create" if before is None else "replace", "conditional_menu", wants[i].name,
                              build(account, "conditional_menu", wants[i].name), before, wants[i], reason=why))
    return changes


def _deletes(account: str, wants: tuple[ConditionalMenu, ...], have: tuple[ConditionalMenu, ...],
             paired: list[int | None], live_rule: Callable[[ConditionalMenu], MatchRule], remade: set[str],
             unmanaged: tuple[ConditionalMenu, ...]) -> list[Change]:
    """The live menus the spec does not pair, deleted: each naming the unmanaged menus whose followers it hands
    them to, unless the copy of its rule that stays is made now (`remade`), the newest, which keeps them."""
    age = ages(have)
    newest = {live_rule(have[k]): k for k in sorted(range(len(have)), key=lambda k: age[k])}
    kept = {w.match: have[k] for w, k in zip(wants, paired, strict=True) if k is not None and w.name not in remade}
    changes = []
    for k in sorted(set(range(len(have))) - {k for k in paired if k is not None}):
        keeper = next((w for w in wants if w.match == live_rule(have[k])), None)
        change = _gone(account, have[k], keeper, shown=newest[live_rule(have[k])] == k)
        if keeper is None or keeper.name not in remade:
            ahead = handed_over(have[k], kept.get(keeper.match) if keeper else None, unmanaged)
            change = _switching(change, ahead, "it instead of this one")
        changes.append(change)
    return changes


def _taken(account: str, unmanaged: tuple[ConditionalMenu, ...]) -> list[Change]:
    """The plan deletes the default menu, and menu/delete deletes every conditional menu with it (wechat-api.md
    §1.1): each live one oaspec leaves alone is deleted too, and shown, guarded and recorded as such."""
    return [Change("delete", "conditional_menu", m.name, build(account, "conditional_menu", m.name), m, None,
                   reason=f"{TAKEN}: menu/delete removes every conditional menu, this one (menuid {m.menuid}) too, "
                          "though oaspec does not manage it")
            for m in unmanaged]


def _overtaking(change: Change, unmanaged: tuple[ConditionalMenu, ...]) -> Change:
    """A create or replace, naming each unmanaged menu it becomes newer than for followers matching both."""
    before = None if change.before is None else _menu(change.before)
    return _switching(change, overtaken(_menu(change.after).match, before, unmanaged), "this menu instead of it")


def _switching(change: Change, menus: list[ConditionalMenu], sees: str) -> Change:
    """The change, its reason naming each unmanaged menu whose followers (those who match both) switch menus:
    the platform shows the newest that fits, so a change here moves them (a switch nobody declared)."""
    parts = [change.reason] if change.reason else []
    parts += [f"{OVERTAKES}{m.name} ({m.match.describe()}, menuid {m.menuid}) will see {sees}" for m in menus]
    return replace(change, reason="; ".join(parts))


def delete_first(change: Change, why: str) -> tuple[Change, Change]:
    """A replace as a delete of the old copy and then an add of the new one, for an account with no room for
    both copies at once (`why`, plan/room.py). The delete ranks with the deletes, ahead of every add; between the
    two the segment sees the default menu, which the delete's reason says (felt: the destroy guard counts it)."""
    rest = [part for part in change.reason.split("; ") if part and part != _ADDS_FIRST]
    head = f"{DELETE_FIRST} ({why})"
    gone = replace(change, action="delete", after=None,
                   reason=f"{head}: the old copy (menuid {_menu(change.before).menuid}) is deleted before its new "
                          "copy is added, so followers in this segment see the default menu for a moment")
    made = replace(change, action="create", before=None,
                   reason="; ".join([f"{head}: the new copy, added once the old one is gone", *rest]))
    return gone, made


def _menu(resource: object) -> ConditionalMenu:
    assert isinstance(resource, ConditionalMenu)
    return resource


def _pair(wants: tuple[ConditionalMenu, ...], have: tuple[ConditionalMenu, ...],
          live_rule: Callable[[ConditionalMenu], MatchRule]) -> list[int | None]:
    """For each desired menu, the live one (an index in `have`) it pairs with by rule: among copies of a rule,
    one with the same buttons, else the newest (the one followers see); None: it is to be created."""
    age = ages(have)
    free = set(range(len(have)))
    paired: list[int | None] = []
    for want in wants:
        same = [k for k in free if live_rule(have[k]) == want.match]
        k = max(same, key=lambda k: (have[k].buttons == want.buttons, age[k]), default=None)
        if k is not None:
            free.discard(k)
        paired.append(k)
    return paired


def _gone(account: str, menu: ConditionalMenu, keeper: ConditionalMenu | None, shown: bool) -> Change:
    """A live menu the spec does not pair: stale when a declared menu (`keeper`) has its rule (the segment keeps
    that one). `shown`: it is the newest of its rule, the copy followers see today."""
    reason = "" if keeper is None else (f"{STALE} (menuid {menu.menuid}) of a menu with the same rule "
                                        f"({keeper.name}), which stays: the segment keeps its menu")
    if keeper is not None and shown and menu.buttons != keeper.buttons:
        reason += f"; followers in it see this copy's buttons today, and {keeper.name}'s after this plan"
    return Change("delete", "conditional_menu", menu.name, build(account, "conditional_menu", menu.name), menu,
                  None, reason=reason)


def _made_reason(wants: tuple[ConditionalMenu, ...], i: int, before: ConditionalMenu | None) -> str:
    """Why a menu is (re)created, and which overlapping menus it takes precedence over (those listed after it)."""
    parts = [] if before is None else [_ADDS_FIRST]
    behind = [w.name for w in wants[i + 1:] if overlap(wants[i].match, w.match)]
    if behind:
        parts.append(f"listed before {', '.join(behind)}, whose rule overlaps: followers matching both see this "
                     "menu")
    return "; ".join(parts)


def _forced_reason(wants: tuple[ConditionalMenu, ...], why: Forced) -> str:
    """Why a menu whose buttons stay is re-created: the platform shows the newest menu, the spec's order says
    the one listed first."""
    later = wants[why.later].name
    if why.in_plan:
        return (f"re-created to keep precedence: listed before {later}, whose rule overlaps and which this plan "
                "makes newer; followers matching both keep seeing this menu")
    return (f"re-created to keep precedence as the spec lists it: {later}, listed after it with an overlapping "
            f"rule, is newer on the platform; followers matching both now see this menu instead of {later}")


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
    """Conditional menus a spec can declare, newest first: one per rule (the newest, which is what users see),
    and none on privacy rules the platform refuses today (65320)."""
    newest: dict[MatchRule, ConditionalMenu] = {}
    oldest_first = [menu for _, menu in sorted(zip(ages(menus), menus, strict=True), key=lambda pair: pair[0])]
    for menu in oldest_first:
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
    # Newest first: the spec's order is the precedence (precedence.py), as the platform matches them.
    return [menu for menu in reversed(oldest_first) if newest.get(menu.match) is menu]


CONDITIONAL_MENU = ConditionalMenuKind()
