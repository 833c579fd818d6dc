"""Write a spec from a live account: `oaspec import`. Importing and then planning shows no changes."""

from __future__ import annotations

import re
from typing import Any

import yaml

from oa_spec import limits
from oa_spec.config.model import AccountSpec
from oa_spec.kinds.addresses import build
from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Reply
from oa_spec.providers import Provider


def import_account(account: AccountSpec, provider: Provider) -> tuple[str, list[str]]:
    """The spec text, and notes on what the live account holds that a spec cannot express."""
    account_id = account.id
    live = provider.read()
    notes: list[str] = []
    spec = {"version": 1, "bank": account.name, "accounts": [account_to_spec(account, live, notes)]}
    header = f"# Imported from the live account {account_id}. Review it, then run: oaspec plan -f <this file>\n"
    header += "".join(f"# NOTE: {note}\n" for note in notes)
    return header + yaml.dump(spec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120), notes


def account_to_spec(account: AccountSpec, live: AccountState, notes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": account.id, "name": account.name, "type": account.type,
        "provider": account.provider.model_dump(exclude_defaults=True),
    }
    if not account.verified:
        out["verified"] = False
    tags = [t for t in live.tags
            if t.id not in limits.RESERVED_TAG_IDS and _nameable(build(account.id, "tag", t.name), t.name, notes)]
    if tags:
        out["tags"] = [{"name": t.name} for t in tags]
    if live.menu is not None:
        out["menu"] = _buttons(live.menu.buttons, build(account.id, "menu"), notes)
    menus = [m for m in _declarable(account.id, live.conditional_menus, notes)
             if m.match.tag is None or _nameable(f"{_menu_address(account.id, m)} (menuid {m.menuid}) matches "
                                                 "a tag that", m.match.tag, notes)]
    if menus:
        out["conditional_menus"] = [_conditional(_spec_name(m), m.match,
                                                 _buttons(m.buttons, _menu_address(account.id, m), notes))
                                    for m in menus]
    if live.industry is not None:
        out["industry"] = {"primary": live.industry.primary, "secondary": live.industry.secondary}
    if live.templates:
        out["templates"] = [_template(i, t.name, t.title, t.library_id) for i, t in enumerate(live.templates, 1)]
    replies = _replies(account.id, live, notes)
    if replies:
        out["replies"] = replies
    adopt = {kind: names for kind, names in (
        ("tags", [t.name for t in tags]), ("templates", [t.title for t in live.templates]),
        ("conditional_menus", [_spec_name(m) for m in menus]),
        ("keyword_replies", [r["name"] for r in replies.get("keywords", [])])) if names}
    if adopt:
        out["adopt"] = adopt  # they exist already: manage them as they are, never re-create them
    return out


def _nameable(what: str, name: str, notes: list[str]) -> bool:
    """Spec names become addresses, so they hold no '/'; such a live object is left out, and unmanaged."""
    if "/" not in name:
        return True
    notes.append(f"{what}: {name!r} has a '/' in its name, which a spec name cannot hold: left out, so oaspec "
                 f"leaves it alone; to manage it, declare it under a new name with renamed_from: {name!r}")
    return False


def _spec_name(menu: ConditionalMenu) -> str:
    """The name import gives a conditional menu in the spec (and so in every address after import)."""
    return menu.name.replace("/", "／")


def _menu_address(account: str, menu: ConditionalMenu) -> str:
    return build(account, "conditional_menu", _spec_name(menu))


def _declarable(account: str, menus: tuple[ConditionalMenu, ...], notes: list[str]) -> list[ConditionalMenu]:
    """Conditional menus a spec can declare: one per rule (the newest, which is what users see), and
    none on privacy rules the platform refuses today (65320) or on tags that no longer exist."""
    newest: dict[MatchRule, ConditionalMenu] = {}
    for menu in sorted(menus, key=lambda m: int(m.menuid or 0)):
        if menu.match.legacy:
            notes.append(f"{_menu_address(account, menu)} (menuid {menu.menuid}) matches on "
                         f"{menu.match.describe()}: the platform no longer allows such rules (65320), so it is "
                         "not declared; set prune: {conditional_menus: true} to delete it")
            continue
        if menu.match in newest:
            older = newest[menu.match]
            notes.append(f"{_menu_address(account, older)} (menuid {older.menuid}) and {_menu_address(account, menu)} "
                         f"(menuid {menu.menuid}) have the same rule; only the newest is declared: the next plan "
                         "deletes the stale one")
        newest[menu.match] = menu
    return list(newest.values())


def _buttons(buttons: tuple[Button, ...], where: str, notes: list[str]) -> list[dict[str, Any]]:
    """Buttons as spec entries, leaving out console-only types (their media ids are temporary)."""
    out = []
    for button in buttons:
        if button.sub_buttons:
            subs = _buttons(button.sub_buttons, where, notes)
            if subs:
                out.append({"name": button.name, "sub_buttons": subs})
        elif button.type in limits.BUTTON_TYPES:
            out.append(_button(button))
        else:
            notes.append(f"button {button.name} in {where} is a console-only {button.type} button, which the "
                         "API cannot set: left out; replace it with a click, view or media_id button")
    return out


class _Flow(dict[str, Any]):
    """A mapping written on one line: leaf buttons read best that way."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


def _button(button: Button) -> dict[str, Any]:
    fields = {f: getattr(button, f) for f in limits.BUTTON_ACTION_FIELDS if getattr(button, f) is not None}
    return _Flow(name=button.name, type=button.type, **fields)


def _conditional(name: str, match: MatchRule, buttons: list[dict[str, Any]]) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    if match.tag is not None:
        rule["tag"] = match.tag
    if match.client_platform_type is not None:
        rule["client_platform_type"] = limits.CLIENT_PLATFORM_NAMES.get(match.client_platform_type,
                                                           match.client_platform_type)
    return {"name": name, "match": _Flow(rule), "menu": buttons}


def _template(number: int, name: str, title: str, library_id: str | None) -> dict[str, Any]:
    is_spec_id = bool(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name))  # the local provider keeps spec ids
    out = _Flow(id=name if is_spec_id else f"template-{number}", title=title)
    if library_id:
        out["library_id"] = library_id
    return out


def _reply(reply: Reply | None) -> dict[str, Any] | None:
    return None if reply is None else _Flow(text=reply.text)


def _replies(account: str, live: AccountState, notes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if live.subscribe_reply is not None:
        out["subscribe"] = _reply(live.subscribe_reply)
    if live.default_reply is not None:
        out["default"] = _reply(live.default_reply)
    rules = [r for r in live.keyword_replies if _nameable(build(account, "keyword_reply", r.name), r.name, notes)]
    if rules:
        out["keywords"] = [{"name": r.name, "match": r.match, "keywords": list(r.keywords), "reply": _reply(r.reply)}
                           for r in rules]
    return out
