"""The default custom menu (自定义菜单): one per account, set as a whole by menu/create."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import (
    DiffContext,
    Flow,
    ImportContext,
    Kind,
    diff_singleton,
    held,
    holdable,
    over_bytes,
)
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.field_limits import BUTTON_VALUE_BYTES, button_name_bytes, is_http_link
from oa_spec.kinds.state import AccountState, Button, Menu
from oa_spec.util.display import excerpt, fold, pad, value_problem, width


class MenuKind(Kind):
    name = "menu"
    label = "menu"
    state_type = Menu
    # Before conditional menus (the platform needs a default menu first); menu/delete also wipes every
    # conditional menu, so it runs last.
    ranks: ClassVar[Mapping[Action, int]] = {"create": 6, "update": 6, "delete": 9}

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        changes = diff_singleton(account, self.name, desired.menu, live.menu)
        menus = [*((m, "") for m in live.conditional_menus), *((m, ", unmanaged") for m in context.unmanaged_menus)]
        if changes and changes[0].action == "delete" and menus:
            taken = ", ".join(f"{m.name} (menuid {m.menuid}, {m.match.describe()}{whose})" for m, whose in menus)
            changes = [replace(changes[0], reason=f"menu/delete also deletes every conditional menu: {taken}")]
        return changes

    def felt(self, change: Change) -> str | None:
        before, after = change.before, change.after
        if change.action == "delete":
            return "removes the whole menu (and every conditional menu with it)"
        if (isinstance(before, Menu) and isinstance(after, Menu)
                and not {b.name for b in before.buttons} & {b.name for b in after.buttons}):
            return "replaces the whole menu: no top-level button stays"
        return None

    def details(self, change: Change) -> list[str]:
        old = change.before.buttons if isinstance(change.before, Menu) else ()
        new = change.after.buttons if isinstance(change.after, Menu) else ()
        return menu_diff(old, new)

    def identities(self, state: AccountState) -> set[str]:
        return {"menu"} if state.menu is not None else set()

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        if live.menu is None:
            return {}
        where = build(context.account, "menu")
        buttons = export_buttons(live.menu.buttons, where, context)
        return {"menu": buttons} if holdable_buttons(where, buttons, context) else {}


def menu_diff(old: tuple[Button, ...], new: tuple[Button, ...], indent: str = "  ") -> list[str]:
    """Button by button, matched by name (the n-th of a name with the n-th: a live menu may repeat one):
    '+' added, '-' removed, '~' changed, with a group's buttons under it; unchanged ones are elided."""
    lines: list[str] = []
    everything = [b for top in (*old, *new) for b in (top, *top.sub_buttons)]
    column = max([width(b.name) for b in everything] + [4]) + 2
    old_keys, new_keys = _keyed(old), _keyed(new)
    old_by_key = dict(zip(old_keys, old, strict=True))
    for i, (key, button) in enumerate(zip(new_keys, new, strict=True)):
        before = old_by_key.get(key)
        if before is None:
            lines.append(f"{indent}+ {pad(button.name, column)}{button.describe()}")
            lines += [f"{indent}    + {pad(s.name, column)}{s.describe()}" for s in button.sub_buttons]
        elif before != button:
            both_groups = bool(before.sub_buttons and button.sub_buttons)
            shown = "" if both_groups else f"{before.describe()} -> {button.describe()}"
            lines.append(f"{indent}~ {pad(button.name, column)}{shown}".rstrip())
            # A group's buttons, each: also when a leaf becomes a group (its new buttons) or a group a leaf.
            lines += menu_diff(before.sub_buttons, button.sub_buttons, indent + "    ")
        elif old_keys.index(key) != i:
            lines.append(f"{indent}~ {pad(button.name, column)}(moved to position {i + 1})")
    for key, button in zip(old_keys, old, strict=True):
        if key not in new_keys:
            lines.append(f"{indent}- {pad(button.name, column)}{button.describe()}")
    return lines


def _keyed(buttons: tuple[Button, ...]) -> list[tuple[str, int]]:
    """Each button as (name, how many before it had that name)."""
    seen: dict[str, int] = {}
    keys = []
    for button in buttons:
        keys.append((button.name, seen.get(button.name, 0)))
        seen[button.name] = keys[-1][1] + 1
    return keys


def export_buttons(buttons: tuple[Button, ...], where: str, context: ImportContext) -> list[dict[str, Any]]:
    """Buttons as spec entries, leaving out console-only types (their media ids are temporary)."""
    out: list[dict[str, Any]] = []
    for button in buttons:
        if button.sub_buttons:
            subs = export_buttons(button.sub_buttons, where, context)
            if subs:
                out.append({"name": button.name, "sub_buttons": subs})
        elif button.type in limits.BUTTON_TYPES:
            fields = {f: getattr(button, f) for f in limits.BUTTON_ACTION_FIELDS if getattr(button, f) is not None}
            out.append(Flow(name=button.name, type=button.type, **fields))
        else:
            context.notes.append(f"button {button.name} in {where} is a console-only {button.type} button, which "
                                 "the API cannot set: left out; replace it with a click, view or media_id button")
    return out


def holdable_buttons(where: str, buttons: list[dict[str, Any]], context: ImportContext) -> bool:
    """Whether the spec can hold a menu as export_buttons wrote it. One with a name, text or value it refuses
    is left out whole: declared without that button, the next plan would take the button off the live menu."""
    names = [b["name"] for top in buttons for b in (top, *top.get("sub_buttons", ()))]
    return held(where, _refused(buttons), context) and holdable(where, buttons, context, names=names)


def _refused(buttons: list[dict[str, Any]]) -> str | None:
    """What the spec refuses beyond names and texts: buttons side by side that look alike, a value that could
    pass for another (config/checks.py and fields.ExactValue), a link that is not http(s), a name, key or link over
    its byte limit."""
    for level in (buttons, *(top.get("sub_buttons", []) for top in buttons)):
        folded = [fold(b["name"]) for b in level]
        same = next((b["name"] for i, b in enumerate(level) if folded.index(folded[i]) != i), None)
        if same is not None:
            return f"two buttons side by side are named {excerpt(same)}"
    for button, level in ((b, "top-level" if b is top else "sub-button")
                          for top in buttons for b in (top, *top.get("sub_buttons", ()))):
        name = button["name"]
        if problem := over_bytes(f"the {level} name {excerpt(name)}", name, button_name_bytes(level == "top-level")):
            return problem
        for field in limits.BUTTON_ACTION_FIELDS:
            value = button.get(field)
            if isinstance(value, str) and (problem := value_problem(value)):
                return f"the {field} {excerpt(value)} of button {excerpt(name)} {problem}"
            if field == "url" and isinstance(value, str) and not is_http_link(value):
                return f"the url {excerpt(value)} of button {excerpt(name)} is not an http(s) link"
            limit = BUTTON_VALUE_BYTES.get(field, 0)
            if isinstance(value, str) and limit and (problem := over_bytes(
                    f"the {field} {excerpt(value)} of button {excerpt(name)}", value, limit)):
                return problem
    return None


MENU = MenuKind()
