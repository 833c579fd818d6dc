"""The platform's limits on what the spec compiles to: every leaf button as it is deployed (a `module:` button becomes
a view of its module entry's url or a click of its key), the link domains of the conditional menus as deployed, and
every reply's text (a `{module: X}` reply becomes the module's title and link).

What a module breaks is reported once, at that field of the module, naming the buttons or replies that deploy it
(attack review 47: F2, a module's key, url and domain escaped every check and apply stopped half-way; F7, a module
reply's text escaped the reply limit, and rollback to the revision that held it called the history damaged)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from oa_spec import limits
from oa_spec.config.compile import deployed_leaves, leaf_button, module_reply_text
from oa_spec.config.diagnostics import Position
from oa_spec.config.model import AccountSpec, ButtonSpec, ReplySpec
from oa_spec.config.model_services import ModuleSpec
from oa_spec.kinds.field_limits import BUTTON_VALUE_BYTES, bytes_over, is_http_link
from oa_spec.kinds.state import Button
from oa_spec.util.urls import pasted_markup, split_url

Loc = tuple[str | int, ...]
MAX_USES_NAMED = 3  # the buttons or replies a diagnostic names; the rest are counted


class Checker(Protocol):
    def error(self, loc: Loc, message: str, hint: str, severity: str = "error") -> None: ...
    def find(self, loc: Loc) -> tuple[Position, str]: ...


@dataclass(frozen=True)
class Problem:
    """What the platform would refuse (or a reader should look at) in one field of a deployed button."""

    field: str  # key | url
    message: str  # as said of a button's own field
    hint: str
    severity: str = "error"


def button_problems(button: Button) -> list[Problem]:
    """The limits a deployed leaf button breaks: key and url bytes, an http(s) link, markup pasted into the link."""
    problems = []
    if button.key is not None and (over := bytes_over(button.key, BUTTON_VALUE_BYTES["key"])):
        problems.append(Problem("key", f"key is {over.size} bytes; the limit is {over.limit}", "use a shorter key"))
    if button.url is not None:
        url = button.url
        if over := bytes_over(url, BUTTON_VALUE_BYTES["url"]):
            problems.append(Problem("url", f"url is {over.size} bytes; the limit is {over.limit}",
                                    "use a shorter link"))
        if not is_http_link(url):
            problems.append(Problem("url", f"{url!r} is not an http(s) link", "write a full link: https://host/path"))
        if (markup := pasted_markup(url)) is not None:
            problems.append(Problem("url", f"url {markup[0]}", markup[1], "warning"))
    return problems


def check_buttons(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """Every leaf of the default and conditional menus as it is deployed, whatever rollout gating leaves out
    now (a module is validated before its phase ships): a button's own field is reported where it is written,
    a module's entry once, at the module, with the buttons that open it."""
    modules = {m.id: (i, m) for i, m in enumerate(account.modules)}  # the last of a duplicate id, as compile
    uses: dict[str, list[tuple[Loc, str]]] = {}
    for where, leaf in menu_leaves(account):
        if leaf.module is not None:
            uses.setdefault(leaf.module, []).append(((*loc, *where), leaf.name))
            continue
        button = leaf_button(leaf, {})
        for problem in button_problems(button) if button is not None else []:
            checker.error((*loc, *where, problem.field), problem.message, problem.hint, problem.severity)
    for module_id, users in uses.items():
        if module_id in modules:
            index, module = modules[module_id]
            _module_entry(checker, (*loc, "modules", index, "entry"), module, users)


def _module_entry(checker: Checker, at: Loc, module: ModuleSpec, users: list[tuple[Loc, str]]) -> None:
    button = leaf_button(ButtonSpec(name=users[0][1], module=module.id), {module.id: module})
    deployed = f"buttons with module: {module.id} are deployed with it: {_named(checker, users)}"
    for problem in button_problems(button) if button is not None else []:
        said = problem.message if problem.message.startswith(problem.field) else f"{problem.field} {problem.message}"
        checker.error((*at, problem.field), f"module {module.id}'s entry {said} ({deployed})",
                      f"{problem.hint} (in module {module.id}'s entry: every button with module: {module.id} "
                      "opens it)",
                      problem.severity)


def check_link_domains(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """The platform counts the link domains of every conditional menu together, as deployed (65316): a
    module button links its module entry's domain."""
    sources: dict[str, set[str]] = {}  # domain -> the modules whose entries link it ("" for a button's own url)
    for menu in account.conditional_menus:
        for leaf, button in deployed_leaves(account, menu.menu):
            if button.url and (parts := split_url(button.url)) and parts.hostname:
                sources.setdefault(parts.hostname, set()).add(leaf.module or "")
    if len(sources) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
        named = ", ".join(f"{domain}{_via(modules)}" for domain, modules in sorted(sources.items()))
        checker.error((*loc, "conditional_menus"), f"conditional menus link {len(sources)} domains ({named})",
                      f"the platform allows at most {limits.MAX_CONDITIONAL_LINK_DOMAINS} (65316); a button with "
                      "module: links its module entry's url")


def _via(modules: set[str]) -> str:
    named = sorted(m for m in modules if m)
    return f" (module {', '.join(named)})" if named else ""


def _named(checker: Checker, users: list[tuple[Loc, str]]) -> str:
    shown = [checker.find(at)[1] + (f" ({name})" if name else "") for at, name in users[:MAX_USES_NAMED]]
    more = len(users) - MAX_USES_NAMED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def menu_leaves(account: AccountSpec) -> Iterable[tuple[Loc, ButtonSpec]]:
    """Every leaf button of the default and conditional menus, with its location."""
    menus: list[tuple[Loc, list[ButtonSpec]]] = [(("menu",), account.menu or [])]
    menus += [(("conditional_menus", i, "menu"), m.menu) for i, m in enumerate(account.conditional_menus)]
    for where, buttons in menus:
        yield from located_leaves(where, buttons)


def located_leaves(where: Loc, buttons: list[ButtonSpec]) -> Iterable[tuple[Loc, ButtonSpec]]:
    """A menu's leaf buttons with their locations. Unlike model.leaves, a group with no sub-buttons is a leaf
    here: validation reports it where it is declared, and must not read it as a menu with nothing in it."""
    for i, top in enumerate(buttons):
        if top.sub_buttons:
            yield from (((*where, i, "sub_buttons", j), sub) for j, sub in enumerate(top.sub_buttons))
        else:
            yield (*where, i), top


def check_replies(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """Every reply's text as it is deployed, whatever rollout gating leaves out now: a text where it is written,
    a module's title and link once, at the module, with the replies that send it."""
    modules = {m.id: (i, m) for i, m in enumerate(account.modules)}
    uses: dict[str, list[tuple[Loc, str]]] = {}
    for where, name, reply in located_replies(account):
        if reply.module is not None:
            uses.setdefault(reply.module, []).append(((*loc, *where), name))
        elif over := bytes_over(reply.text or "", limits.REPLY_TEXT_BYTES):
            checker.error((*loc, *where, "text"), f"reply is {over.size} bytes; the limit is {over.limit}",
                          "shorten it or link to an article")
    for module_id, users in uses.items():
        if module_id not in modules:
            continue  # reported where the reply names it
        index, module = modules[module_id]
        if over := bytes_over(module_reply_text(module), limits.REPLY_TEXT_BYTES):
            field = "title" if module.title else "entry"
            checker.error((*loc, "modules", index, field), f"module {module.id}'s reply text (its title and entry "
                          f"url) is {over.size} bytes; the limit is {over.limit} (replies with module: "
                          f"{module.id} send it: {_named(checker, users)})",
                          "shorten the module's title or its entry url, or reply with text: instead")


def located_replies(account: AccountSpec) -> list[tuple[Loc, str, ReplySpec]]:
    """Every reply of the account with its location and the name of what sends it ("" for a single reply)."""
    replies = account.replies
    found: list[tuple[Loc, str, ReplySpec]] = [
        (("replies", name), "", reply) for name in ("subscribe", "default")
        if (reply := getattr(replies, name)) is not None]
    for i, rule in enumerate(replies.keywords):
        found += [(("replies", "keywords", i, *where), rule.name, reply) for where, reply in rule.located_replies()]
    found += [(("replies", "clicks", i, "reply"), "", c.reply) for i, c in enumerate(replies.clicks)]
    found += [(("replies", "scenes", i, "reply"), "", s.reply) for i, s in enumerate(replies.scenes)]
    return found
