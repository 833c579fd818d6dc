"""The platform's limits on what the spec compiles to: every leaf button as it is deployed (a `module:` button becomes
a view of its module entry's url or a click of its key) and the link domains of the conditional menus as deployed.

What a module's entry breaks is reported once, at that field of the module, naming the buttons that are deployed
with it (attack review 47, F2: a module's key, url and domain escaped every check, and apply stopped half-way)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from oa_spec import limits
from oa_spec.config.compile import deployed_leaves, leaf_button
from oa_spec.config.diagnostics import Position
from oa_spec.config.model import AccountSpec, ButtonSpec
from oa_spec.config.model_services import ModuleSpec
from oa_spec.kinds.state import Button
from oa_spec.util.urls import pasted_markup, split_url

Loc = tuple[str | int, ...]
MAX_USES_NAMED = 3  # the buttons a diagnostic names; the rest are counted


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
    if button.key is not None and limits.utf8_len(button.key) > limits.KEY_BYTES:
        problems.append(Problem("key", f"key is {limits.utf8_len(button.key)} bytes; the limit is "
                                f"{limits.KEY_BYTES}", "use a shorter key"))
    if button.url is not None:
        url, size = button.url, limits.utf8_len(button.url)
        if size > limits.URL_BYTES:
            problems.append(Problem("url", f"url is {size} bytes; the limit is {limits.URL_BYTES}",
                                    "use a shorter link"))
        parts = split_url(url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
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
    shown = [f"{checker.find(at)[1]} ({name})" for at, name in users[:MAX_USES_NAMED]]
    more = len(users) - MAX_USES_NAMED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def menu_leaves(account: AccountSpec) -> Iterable[tuple[Loc, ButtonSpec]]:
    """Every leaf button of the default and conditional menus, with its location."""
    menus: list[tuple[Loc, list[ButtonSpec]]] = [(("menu",), account.menu or [])]
    menus += [(("conditional_menus", i, "menu"), m.menu) for i, m in enumerate(account.conditional_menus)]
    for where, buttons in menus:
        for i, top in enumerate(buttons):
            if top.sub_buttons:
                yield from (((*where, i, "sub_buttons", j), sub) for j, sub in enumerate(top.sub_buttons))
            else:
                yield (*where, i), top
