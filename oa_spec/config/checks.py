"""The platform's limits and the spec's cross-references, checked on a spec whose shapes are right:
byte lengths, counts, button types, module and tag references, secrets, capabilities, duplicates."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from typing import Any

from oa_spec import limits
from oa_spec.config.compile import deployed_buttons, has_capability
from oa_spec.config.compiled_limits import (
    check_buttons,
    check_link_domains,
    check_replies,
    located_leaves,
    menu_leaves,
)
from oa_spec.config.diagnostics import Diagnostic, Position
from oa_spec.config.load import LoadedSpec
from oa_spec.config.locate import Loc, Locator, container_paths, join_path
from oa_spec.config.model import SECRET_FIELDS, AccountSpec, ButtonSpec, Spec, WeChatProviderConfig
from oa_spec.config.validate_gateway import check_gateway
from oa_spec.kinds.field_limits import button_name_bytes, bytes_over, keyword_bytes
from oa_spec.util.display import fold
from oa_spec.util.redact import holds_a_credential
from oa_spec.util.secret_policy import (
    ALLOWED_API_BASES_VARIABLE,
    GLUED,
    SECRET_VARIABLE_PREFIX,
    api_base_allowance_problem,
    secret_variable_problem,
    variable_named,
)


class Checker:
    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.diagnostics: list[Diagnostic] = []

    def error(self, loc: Loc, message: str, hint: str, severity: str = "error") -> None:
        pos, path = self.locator.find(loc)
        self.diagnostics.append(Diagnostic(pos, path, message, hint, severity))  # type: ignore[arg-type]

    def warn(self, loc: Loc, message: str, hint: str) -> None:
        self.error(loc, message, hint, "warning")

    def find(self, loc: Loc) -> tuple[Position, str]:
        """Where a spec path sits in the files, and its readable path."""
        return self.locator.find(loc)

    def unique(self, loc: Loc, values: Sequence[str], what: str, names: bool = False) -> None:
        """Each value once. Names are compared folded (display.fold): two a reviewer cannot tell apart collide."""
        first: dict[str, int] = {}
        for i, value in enumerate(values):
            key = fold(value) if names else value
            if key not in first:
                first[key] = i
            elif values[first[key]] == value:
                self.error((*loc, i), f"duplicate {what} {value!r}", f"each {what} must be unique")
            else:
                self.error((*loc, i), f"{what} {value!r} looks the same as {values[first[key]]!r} (item "
                           f"{first[key] + 1})", f"each {what} must be unique; a reviewer cannot tell these apart")

    def address_part(self, loc: Loc, name: str, what: str, hint: str = "") -> None:
        """A name that becomes part of a plan address (citybank/tags/NAME) cannot hold the separator."""
        if "/" in name:
            self.error(loc, f"{what} {name!r} contains '/', which separates the parts of a plan address",
                       "use another character, such as '-' or the full-width '／'" + hint)

    def interpolations(self, loaded: LoadedSpec) -> None:
        """`${...}` outside a secret field; the secrets' variables are checked per account."""
        paths = container_paths(loaded.data) if loaded.interpolations else {}
        for item in loaded.interpolations:
            if item.key not in SECRET_FIELDS:
                path = join_path(paths.get(id(item.container), ""), item.key)
                self.diagnostics.append(Diagnostic(item.position, path, "${...} is only allowed in secret fields",
                                                   "write the value itself; only " + ", ".join(sorted(SECRET_FIELDS))
                                                   + " come from the environment"))

    def secret(self, loc: Loc, account: AccountSpec) -> None:
        """Where the AppSecret comes from and where it goes; neither is for a pull request to choose."""
        if not isinstance(account.provider, WeChatProviderConfig):
            return
        provider, at = account.provider, (*loc, "provider")
        name = provider.secret_variable
        if problem := secret_variable_problem(name):
            self.error((*at, "app_secret"), problem, f"write ${{{SECRET_VARIABLE_PREFIX}<ACCOUNT>_SECRET}} and "
                       "store the AppSecret under that name in the CI secret store")
        elif not os.environ.get(name):  # a warning: validate needs no secrets (fork pull requests have none)
            named = variable_named(name)
            self.warn((*at, "app_secret"), f"{named} is not set; plan and apply need it",
                      f"export {name}=... (in CI, from the secret store)" if named.endswith(name) else GLUED)
        if problem := api_base_allowance_problem(provider.api_base, os.environ):
            hint = (f"if the bank routes through this host, set {ALLOWED_API_BASES_VARIABLE}={provider.api_base!r} in "
                    "the CI settings (not in the spec)") if not holds_a_credential(provider.api_base) else (
                "api_base is the API's address (https://HOST); a key or token belongs in the CI secret store, "
                "never in the spec")
            self.error((*at, "api_base"), problem, hint)

    def spec(self, spec: Spec) -> None:
        self.unique(("accounts",), [a.id for a in spec.accounts], "account id")
        self.one_account_per_app(spec)
        if not spec.accounts:
            self.warn(("accounts",), "the spec declares no accounts", "add an account under accounts:")
        for i, account in enumerate(spec.accounts):
            self.account(("accounts", i), account)
        if spec.state is not None and not os.environ.get(spec.state.variable):
            name = spec.state.variable  # a warning: validate keeps no state and needs no secret
            self.warn(("state", "variable"), f"environment variable {name} is not set; plan, apply and the "
                      "record commands need it (the shared state's address)",
                      f"export {name}=postgresql://HOST/DB (in CI, from the secret store; the password in PGPASSWORD)")

    def one_account_per_app(self, spec: Spec) -> None:
        """Two accounts on one app would each take the other's drafts for its own and send the same article
        twice (each its own clientmsgid, quota count and lock), and overwrite each other's menu (attack review 72)."""
        first: dict[str, tuple[int, str]] = {}
        for i, account in enumerate(spec.accounts):
            if not isinstance(account.provider, WeChatProviderConfig):
                continue
            app = account.provider.app_id
            if app not in first:
                first[app] = (i, account.id)
                continue
            number, other = first[app]
            self.error(("accounts", i, "provider", "app_id"), f"account {account.id!r} names the app {app}, which "
                       f"account {other!r} (accounts[{number}]) names already: two accounts on one app would each "
                       "take the other's drafts, send every article twice and write one menu, without locking each "
                       "other out",
                       "declare the app once; for another app (a test account), give its own app_id")

    def account(self, loc: Loc, account: AccountSpec) -> None:
        modules = {m.id: m for m in account.modules}
        self.secret(loc, account)
        check_gateway(self, loc, account)
        self.unique((*loc, "modules"), [m.id for m in account.modules], "module id")
        self.tags(loc, account)
        self.capabilities(loc, account)
        if account.menu is not None:
            self.menu((*loc, "menu"), account.menu, modules)
            self.left_empty((*loc, "menu"), account, account.menu, conditional=False)
        self.conditional_menus(loc, account, modules)
        check_buttons(self, loc, account)
        self.templates(loc, account)
        self.replies(loc, account, modules)
        check_replies(self, loc, account)
        template_ids = {t.id for t in account.templates}
        for i, module in enumerate(account.modules):
            if module.template and module.template not in template_ids:
                self.error((*loc, "modules", i, "template"), f"no template with id {module.template!r}",
                           self._closest(module.template, template_ids, "declare it under templates:"))
        self.unique((*loc, "content", "streams"), [s.id for s in account.content.streams], "stream id")
        tag_names = {t.name for t in account.tags}
        audiences = [((*loc, "modules", i), m.audience.tags) for i, m in enumerate(account.modules)]
        audiences += [((*loc, "content", "streams", i), s.audience.tags) for i, s in enumerate(account.content.streams)]
        for at, tags in audiences:
            for j, tag in enumerate(tags):
                if tag not in tag_names:
                    self.error((*at, "audience", "tags", j), f"no tag named {tag!r}",
                               self._closest(tag, tag_names, "declare it under tags:"))

    def capabilities(self, loc: Loc, account: AccountSpec) -> None:
        """Fail at plan time, not half-way through apply with 48001/65306 (octoDNS's strict_supports)."""
        miniprogram = next(((*loc, *where) for where, b in menu_leaves(account) if b.type == "miniprogram"), None)
        used = {"conditional_menus": (*loc, "conditional_menus") if account.conditional_menus else None,
                "template_messages": (*loc, "templates") if account.templates else None,
                "miniprogram_links": miniprogram}
        kind = f"{'' if account.verified else 'unverified '}{account.type} account"
        for name, where in used.items():
            if where is None or has_capability(account, name):
                continue
            message = f"this {kind} cannot use {name.replace('_', ' ')}: {limits.CAPABILITIES[name].rule}"
            if account.capabilities.strict:
                self.error(where, message, f"remove them, or if the account has this permission declare "
                           f"capabilities: {{{name}: true}}")
            else:
                self.warn(where, message + "; left out of the plan (capabilities.strict is false)",
                          "remove them from the spec to silence this warning")

    def _closest(self, value: str, known: Iterable[str], otherwise: str) -> str:
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
        return f"did you mean {close[0]!r}?" if close else otherwise

    def tags(self, loc: Loc, account: AccountSpec) -> None:
        names = [t.name for t in account.tags]
        self.unique((*loc, "tags"), names, "tag name", names=True)
        if len(names) > limits.MAX_TAGS:
            self.error((*loc, "tags", limits.MAX_TAGS), f"{len(names)} tags; an account keeps at most "
                       f"{limits.MAX_TAGS}", "remove tags or merge segments")
        for i, tag in enumerate(account.tags):
            self.address_part((*loc, "tags", i, "name"), tag.name, "tag name",
                              "; a live tag keeps its followers when renamed: give the new name renamed_from: OLD")
            if over := bytes_over(tag.name, limits.TAG_NAME_BYTES):
                self.error((*loc, "tags", i, "name"), f"tag name is {over.size} bytes in UTF-8; the limit is "
                           f"{over.limit}", f"shorten it (a Chinese character is 3 bytes: at most {over.limit // 3})")
            if tag.renamed_from is not None and tag.renamed_from in names:
                self.error((*loc, "tags", i, "renamed_from"), f"{tag.renamed_from!r} is still declared as a tag",
                           "remove the old tag when you rename it")
            elif tag.renamed_from and tag.renamed_from in [t.renamed_from for t in account.tags[:i]]:
                self.error((*loc, "tags", i, "renamed_from"), f"{tag.renamed_from!r} is renamed twice",
                           "a live tag takes one new name: keep one renamed_from")

    def menu(self, loc: Loc, buttons: list[ButtonSpec], modules: dict[str, Any]) -> None:
        if not buttons:
            self.error(loc, "the menu has no buttons", "add 1 to 3 buttons, or remove menu: to have none")
        elif len(buttons) > limits.MAX_TOP_BUTTONS:
            self.error((*loc, limits.MAX_TOP_BUTTONS), f"{len(buttons)} top-level buttons; the platform allows "
                       f"at most {limits.MAX_TOP_BUTTONS}", "group the extra buttons under sub_buttons")
        self.unique(loc, [b.name for b in buttons], "button name", names=True)  # the plan pairs them by name
        for i, button in enumerate(buttons):
            self.button((*loc, i), button, modules, top=True)
        keys = [b.key for b in _leaves(buttons) if b.key]
        for key in {k for k in keys if keys.count(k) > 1}:
            self.warn(loc, f"click key {key!r} is used by more than one button",
                      "give each button its own key so the server can tell them apart")

    def button(self, loc: Loc, button: ButtonSpec, modules: dict[str, Any], top: bool) -> None:
        if over := bytes_over(button.name, button_name_bytes(top)):
            level = "top-level" if top else "sub-button"
            self.error((*loc, "name"), f"{level} name {button.name!r} is {over.size} bytes in UTF-8; the limit is "
                       f"{over.limit}", f"shorten it (a Chinese character is 3 bytes: at most {over.limit // 3})")
        else:
            display = limits.TOP_NAME_DISPLAY_CHARS if top else limits.SUB_NAME_DISPLAY_CHARS
            if len(button.name) > display and not button.name.isascii():
                self.warn((*loc, "name"), f"{button.name!r} is wider than the {display} characters WeChat "
                          "shows", "the client cuts it with '...'; shorten it")
        if button.sub_buttons is not None:
            self.group(loc, button, modules, top)
            return
        actions = [f for f in ("type", "module") if getattr(button, f) is not None]
        if len(actions) != 1:
            self.error(loc, "a button needs exactly one of type:, module: or sub_buttons:",
                       "for example: type: view with url:, or module: balance-query")
            return
        if button.module is not None:
            for f in limits.BUTTON_ACTION_FIELDS:
                if getattr(button, f) is not None:
                    self.error((*loc, f), f"`{f}` is not used by a button with module: (it opens the module's "
                               "entry)", "remove it; the module's entry: url or key is what the button opens")
            self.module_ref((*loc, "module"), button.module, modules)
            return
        assert button.type is not None
        required = limits.BUTTON_REQUIRED_FIELDS[button.type]
        for f in required:
            if not getattr(button, f):
                self.error(loc, f"a {button.type} button needs `{f}`", f"add {f}: ...")
        for f in limits.BUTTON_ACTION_FIELDS:
            if getattr(button, f) is not None and f not in required:
                self.error((*loc, f), f"`{f}` is not used by a {button.type} button",
                           f"remove it, or use a type that takes {f}")
        # (its key and url as deployed: compiled_limits.check_buttons)

    def group(self, loc: Loc, button: ButtonSpec, modules: dict[str, Any], top: bool) -> None:
        assert button.sub_buttons is not None
        if not top:
            self.error((*loc, "sub_buttons"), "a sub-button cannot have sub_buttons",
                       "a WeChat menu has two levels only")
            return
        for f in ("type", "module", *limits.BUTTON_ACTION_FIELDS):
            if getattr(button, f) is not None:
                self.error((*loc, f), f"a button with sub_buttons has no `{f}`",
                           "move the action into a sub-button, or drop sub_buttons")
        count = len(button.sub_buttons)
        if not 1 <= count <= limits.MAX_SUB_BUTTONS:
            where = (*loc, "sub_buttons", limits.MAX_SUB_BUTTONS) if count else (*loc, "sub_buttons")
            self.error(where, f"{count} sub-buttons; a group holds 1 to {limits.MAX_SUB_BUTTONS}",
                       "split the group or remove buttons" if count else "add a sub-button or remove the group")
        self.unique((*loc, "sub_buttons"), [b.name for b in button.sub_buttons], "button name", names=True)
        for i, sub in enumerate(button.sub_buttons):
            self.button((*loc, "sub_buttons", i), sub, modules, top=False)

    def left_empty(self, loc: Loc, account: AccountSpec, buttons: list[ButtonSpec], conditional: bool) -> None:
        """A menu whose every button rollout gating (or a missing capability) leaves out would be deployed
        empty, which the platform refuses (40016, 65307) half-way through apply. Compiling it to no menu
        instead would delete the live one: it is an error here."""
        if not buttons or deployed_buttons(account, buttons):
            return
        modules = {m.id: m for m in account.modules}
        reasons: list[str] = []
        for leaf in _leaves(buttons):
            module = modules.get(leaf.module) if leaf.module is not None else None
            if module is not None and module.entry is not None and (module.entry.url or module.entry.key):
                reasons.append(f"module {module.id} is disabled" if not module.enabled else
                               f"module {module.id} is phase {module.phase}")
            elif leaf.type == "miniprogram" and not has_capability(account, "miniprogram_links"):
                reasons.append(f"{leaf.name!r} is a mini-program button the account cannot use")
            else:
                return  # left out for a reason reported already (no such module, no entry, no action)
        code = 65307 if conditional else 40016
        self.error(loc, f"with rollout.max_phase {account.rollout.max_phase} this menu has no buttons left "
                   f"({'; '.join(dict.fromkeys(reasons))}); the platform refuses an empty menu ({code})",
                   "keep a button that is deployed now, or raise rollout.max_phase"
                   + ("; or leave this conditional menu out until its modules ship" if conditional else
                      " (removing menu: would delete the live menu)"))

    def module_ref(self, loc: Loc, module_id: str, modules: dict[str, Any], reply: bool = False) -> None:
        module = modules.get(module_id)
        if module is None:
            self.error(loc, f"no module with id {module_id!r}",
                       self._closest(module_id, modules, "declare it under modules:"))
        elif reply and module.webhook is not None:  # the gateway calls it (validate_gateway.py)
            return
        elif module.entry is None or not (module.entry.url or module.entry.key):
            self.error(loc, f"module {module_id!r} has no entry url or key to link to",
                       "give the module entry: {url: https://...} or entry: {key: ...}")

    def conditional_menus(self, loc: Loc, account: AccountSpec, modules: dict[str, Any]) -> None:
        menus = account.conditional_menus
        if not menus:
            return
        here = (*loc, "conditional_menus")
        if account.menu is None:
            self.error(here, "conditional menus need a default menu", "declare menu: as well (the platform "
                       "refuses conditional menus without one, 65303)")
        if len(menus) > limits.MAX_CONDITIONAL_MENUS:
            self.error((*here, limits.MAX_CONDITIONAL_MENUS), f"{len(menus)} conditional menus; the limit is "
                       f"{limits.MAX_CONDITIONAL_MENUS}", "merge segments")
        self.unique(here, [m.name for m in menus], "conditional menu name", names=True)
        rules = [(m.match.tag, m.match.client_platform_type) for m in menus]
        tag_names = {t.name for t in account.tags}
        for i, menu in enumerate(menus):
            self.address_part((*here, i, "name"), menu.name, "conditional menu name")
            if rules.index(rules[i]) != i:
                self.error((*here, i, "match"), f"same match rule as {menus[rules.index(rules[i])].name!r}",
                           "the platform would show only the newest one; merge them")
            if menu.match.tag is None and menu.match.client_platform_type is None:
                self.error((*here, i, "match"), "empty match rule", "set tag: or client_platform_type:")
            if menu.match.tag is not None and menu.match.tag not in tag_names:
                self.error((*here, i, "match", "tag"), f"no tag named {menu.match.tag!r}",
                           self._closest(menu.match.tag, tag_names, "declare it under tags:"))
            self.menu((*here, i, "menu"), menu.menu, modules)
            if has_capability(account, "conditional_menus"):
                self.left_empty((*here, i, "menu"), account, menu.menu, conditional=True)
        check_link_domains(self, loc, account)

    def templates(self, loc: Loc, account: AccountSpec) -> None:
        here = (*loc, "templates")
        if len(account.templates) > limits.MAX_TEMPLATES:
            self.error((*here, limits.MAX_TEMPLATES), f"{len(account.templates)} templates; an account keeps at "
                       f"most {limits.MAX_TEMPLATES}", "remove templates you no longer send")
        self.unique(here, [t.id for t in account.templates], "template id")
        self.unique(here, [t.title for t in account.templates], "template title", names=True)
        if account.industry is not None:
            for f in ("primary", "secondary"):
                value = getattr(account.industry, f)
                if value not in limits.INDUSTRY_IDS:
                    self.error((*loc, "industry", f), f"unknown industry {value!r}",
                               self._closest(value, limits.INDUSTRY_IDS, "see the industry table in the README"))
        elif account.templates:
            self.error(here, "templates need an industry", "set industry: {primary: 金融业/银行, secondary: ...}")

    def replies(self, loc: Loc, account: AccountSpec, modules: dict[str, Any]) -> None:
        here = (*loc, "replies")
        for name in ("subscribe", "default"):
            reply = getattr(account.replies, name)
            if reply is not None:
                self.reply((*here, name), reply, modules)
        rules = account.replies.keywords
        if len(rules) > limits.MAX_KEYWORD_RULES:
            self.error((*here, "keywords", limits.MAX_KEYWORD_RULES), f"{len(rules)} keyword rules; the limit "
                       f"is {limits.MAX_KEYWORD_RULES}", "merge rules")
        self.unique((*here, "keywords"), [r.name for r in rules], "keyword rule name", names=True)
        for i, rule in enumerate(rules):
            at = (*here, "keywords", i)
            self.address_part((*at, "name"), rule.name, "keyword rule name")
            if len(rule.keywords) > limits.MAX_KEYWORDS_PER_RULE:
                self.error((*at, "keywords"), f"{len(rule.keywords)} keywords; a rule has at most "
                           f"{limits.MAX_KEYWORDS_PER_RULE}", "split the rule")
            # (validate_gateway checks what a pattern may be)
            for j, keyword in enumerate(rule.keywords):
                if over := bytes_over(keyword, keyword_bytes(rule.match)):
                    self.error((*at, "keywords", j), f"keyword is {over.size} bytes; the limit is {over.limit}",
                               "shorten it")
            replies = rule.located_replies()
            if len(replies) > limits.MAX_REPLIES_PER_RULE:
                self.error((*at, "replies"), f"{len(replies)} replies; a rule has at most "
                           f"{limits.MAX_REPLIES_PER_RULE}", "split the rule or drop a reply")
            for where, reply in replies:
                self.reply((*at, *where), reply, modules)

    def reply(self, loc: Loc, reply: Any, modules: dict[str, Any]) -> None:
        """(its text as deployed: compiled_limits.check_replies)"""
        if reply.module is not None:
            self.module_ref((*loc, "module"), reply.module, modules, reply=True)


def _leaves(buttons: list[ButtonSpec]) -> list[ButtonSpec]:
    return [leaf for _, leaf in located_leaves((), buttons)]

