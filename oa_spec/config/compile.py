"""Compile a validated spec into the desired AccountState of each account.

Here modules become what the platform knows (a button pointing at a module becomes a view or click
button; a reply pointing at one becomes a text with its link), and rollout gating leaves out modules
above the account's `rollout.max_phase` (and disabled ones), saying so in the notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from oa_spec import limits
from oa_spec.config.model import (
    AccountSpec,
    ButtonSpec,
    KeywordReplySpec,
    ReplySpec,
    Spec,
    WeChatProviderConfig,
    leaves,
)
from oa_spec.config.model_services import ModuleSpec
from oa_spec.config.validate_gateway import variable
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    EventReply,
    FaqEntry,
    GatewaySettings,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
    WebhookRoute,
)

SERVED_NOTE = ("replies, FAQ entries, the gateway settings and module webhooks are served by `oaspec serve` (gateway: "
               "block): apply records them in the revision the gateway answers from; nothing is written to the "
               "platform's console auto-replies")

if TYPE_CHECKING:
    from oa_spec.content.spec import CompiledArticle


@dataclass
class CompiledAccount:
    spec: AccountSpec
    desired: AccountState
    notes: list[str] = field(default_factory=list)  # what was left out and why
    articles: tuple[CompiledArticle, ...] = ()  # with their sources and texts (content/spec.py)

    @property
    def id(self) -> str:
        return self.spec.id


def has_capability(account: AccountSpec, name: str) -> bool:
    """Declared in `capabilities:`, else what the platform grants this type of account."""
    declared = getattr(account.capabilities, name)
    if declared is not None:
        return bool(declared)
    return limits.CAPABILITIES[name].granted(account.type, account.verified)


def _capabilities_used(account: AccountSpec) -> set[str]:
    menus = [account.menu or [], *(m.menu for m in account.conditional_menus)]
    leaves = [leaf for menu in menus for top in menu for leaf in (top.sub_buttons or [top])]
    used = {"conditional_menus": bool(account.conditional_menus), "template_messages": bool(account.templates),
            "miniprogram_links": any(b.type == "miniprogram" for b in leaves)}
    return {name for name, yes in used.items() if yes}


def deployed_buttons(account: AccountSpec, buttons: list[ButtonSpec]) -> tuple[Button, ...]:
    """A menu's buttons as they are deployed: rollout gating and capabilities applied, and groups left
    with no sub-button dropped. Buttons naming an undeclared module are left out (validate reports them)."""
    return _AccountCompiler(account, notes=False).buttons(buttons)


def deployed_leaves(account: AccountSpec, buttons: list[ButtonSpec]) -> list[tuple[ButtonSpec, Button]]:
    """Each leaf of a menu that is deployed, with the button it is deployed as (validate measures these against
    the platform's limits and names the leaf)."""
    compiler = _AccountCompiler(account, notes=False)
    return [(leaf, button) for leaf in leaves(buttons) if (button := compiler.button(leaf)) is not None]


def leaf_button(spec: ButtonSpec, modules: Mapping[str, ModuleSpec]) -> Button | None:
    """The button a leaf of the spec becomes, whatever rollout gating leaves out: its own fields, or for
    `module:` a view of the module entry's url, else a click of its key. None for a module that is not declared
    or has no entry (validate reports those)."""
    if spec.module is None:
        return Button(name=spec.name, type=spec.type, key=spec.key, url=spec.url, media_id=spec.media_id,
                      article_id=spec.article_id, appid=spec.appid, pagepath=spec.pagepath)
    module = modules.get(spec.module)
    if module is None or module.entry is None:
        return None
    if module.entry.url:
        return Button(name=spec.name, type="view", url=module.entry.url)
    return Button(name=spec.name, type="click", key=module.entry.key)


def module_reply_text(module: ModuleSpec) -> str:
    """The text a `{module: X}` reply becomes: the module's title (its id when it has none) and its entry's link."""
    url = module.entry.url if module.entry is not None else None
    title = module.title or module.id
    return f"{title}：{url}" if url else title


def gateway_routing(account: AccountSpec) -> AccountState:
    """Only the gateway settings and module webhooks the spec declares: the settings serve answers with for an
    account whose applied revision records none, and what import compares the applied routing with."""
    compiler = _AccountCompiler(account, notes=False)
    return AccountState(gateway=compiler.gateway(), webhooks=compiler.webhooks())


def compile_spec(spec: Spec) -> list[CompiledAccount]:
    compiled = [compile_account(a) for a in spec.accounts]
    for one in compiled:
        note = severity_note({**spec.policies.severity, **one.spec.policies.severity})
        if note:
            one.notes.append(note)
    return compiled


SEVERITY_NOTE = "policies.severity sets "  # how the note starts: a PR comment's summary never cuts it


def severity_note(overrides: Mapping[str, str]) -> str:
    """The rules the spec's `severity:` switches off or sets to warning, said in the plan beside the findings: a
    line that silences a rule is a change the reviewer sees, whatever the diff shows (attack review 50 F3)."""
    lowered = [f"{rule} {level}" for rule, level in sorted(overrides.items()) if level in ("off", "warning")]
    if not lowered:
        return ""
    return f"{SEVERITY_NOTE}{', '.join(lowered)}: a rule off is not checked, one at warning does not block apply"


def compile_account(account: AccountSpec) -> CompiledAccount:
    compiler = _AccountCompiler(account)
    state = compiler.state()
    if not account.content.articles:
        return CompiledAccount(account, state, compiler.notes)
    from oa_spec.content.spec import resolved  # lazy: only accounts with articles need the content modules

    articles = resolved(account).articles  # found, checked and rendered by validate
    return CompiledAccount(account, replace(state, articles=tuple(a.state for a in articles)), compiler.notes,
                           articles)


class _AccountCompiler:
    def __init__(self, account: AccountSpec, notes: bool = True) -> None:
        self.account = account
        self.modules = {m.id: m for m in account.modules}
        self.notes: list[str] = []
        for m in account.modules if notes else ():
            if not m.enabled:
                self.notes.append(f"module {m.id} is disabled: its buttons and replies are left out")
            elif m.phase > account.rollout.max_phase:
                self.notes.append(f"module {m.id} is phase {m.phase}, above rollout.max_phase "
                                  f"{account.rollout.max_phase}: validated, but left out of this plan")
        if notes and account.gateway is not None:
            self.notes.append(SERVED_NOTE)
        # With capabilities.strict false, what the account may not use is left out (validate warns).
        self.lacks = {name for name in limits.CAPABILITIES if not has_capability(account, name)}
        for name in sorted(self.lacks & _capabilities_used(account)):
            self.notes.append(f"the account lacks {name}: {limits.CAPABILITIES[name].rule}; left out")

    def deployed(self, module_id: str) -> ModuleSpec | None:
        module = self.modules.get(module_id)
        if module is None or not module.enabled or module.phase > self.account.rollout.max_phase:
            return None
        return module

    def state(self) -> AccountState:
        a = self.account
        return AccountState(
            menu=Menu(self.buttons(a.menu)) if a.menu is not None else None,
            conditional_menus=() if "conditional_menus" in self.lacks else tuple(
                ConditionalMenu(
                    name=m.name,
                    match=MatchRule(tag=m.match.tag, client_platform_type=limits.CLIENT_PLATFORM_TYPES.get(
                        m.match.client_platform_type or "")),
                    buttons=self.buttons(m.menu),
                )
                for m in a.conditional_menus
            ),
            tags=tuple(Tag(t.name, renamed_from=t.renamed_from) for t in a.tags),
            templates=() if "template_messages" in self.lacks else tuple(
                Template(title=t.title, name=t.id, library_id=t.library_id) for t in a.templates),
            industry=Industry(a.industry.primary, a.industry.secondary)
            if a.industry and "template_messages" not in self.lacks else None,
            subscribe_reply=self.reply(a.replies.subscribe),
            default_reply=self.reply(a.replies.default),
            keyword_replies=self.keyword_rules(),
            faq=self.faq(),
            click_replies=self.event_replies([(c.key, c.reply) for c in a.replies.clicks]),
            scene_replies=self.event_replies([(s.scene, s.reply) for s in a.replies.scenes]),
            gateway=self.gateway(),
            webhooks=self.webhooks(),
        )

    def gateway(self) -> GatewaySettings | None:
        """How serve talks to the platform: planned and recorded, so a mode switch is reviewed (names of
        variables only: their values are read by serve from its environment)."""
        gateway = self.account.gateway
        if gateway is None:
            return None
        provider = self.account.provider
        app_id = gateway.app_id or (provider.app_id if isinstance(provider, WeChatProviderConfig) else "")
        aes_key_env = variable(gateway.encoding_aes_key) if gateway.encoding_aes_key else None
        return GatewaySettings(gateway.mode, app_id, variable(gateway.token), aes_key_env)

    def webhooks(self) -> tuple[WebhookRoute, ...]:
        """Where serve sends deployed modules' messages, and the click key that reaches each: planned and
        recorded, so that moving followers' data to another host is reviewed."""
        if self.account.gateway is None:
            return ()
        return tuple(
            WebhookRoute(m.id, m.webhook.url, float(m.webhook.timeout_seconds),
                         variable(m.webhook.signing_secret) if m.webhook.signing_secret else None,
                         m.entry.key if m.entry is not None and m.entry.key else None)
            for m in self.account.modules if m.webhook is not None and self.deployed(m.id) is not None)

    def keyword_rules(self) -> tuple[KeywordRule, ...]:
        """The spec's rules in its order; a served account answers with the first that matches, so there each
        rule records which one it follows, and a reordered spec is a change the plan shows."""
        rules = [rule for r in self.account.replies.keywords if (rule := self.keyword_rule(r)) is not None]
        if self.account.gateway is not None:
            rules = [replace(rule, follows=rules[i - 1].name if i else "") for i, rule in enumerate(rules)]
        return tuple(rules)

    def keyword_rule(self, spec: KeywordReplySpec) -> KeywordRule | None:
        """The rule with the replies that reach a customer (a reply linking an undeployed module does not)."""
        replies = [reply for _, r in spec.located_replies() if (reply := self.reply(r)) is not None]
        if not replies:
            return None
        return KeywordRule(spec.name, spec.match, tuple(spec.keywords), replies[0], tuple(replies[1:]),
                           spec.reply_mode)

    def event_replies(self, specs: list[tuple[str, ReplySpec]]) -> tuple[EventReply, ...]:
        """Click and scene replies: the platform sends those events to the bank's server, so only a served
        account answers them."""
        if self.account.gateway is None:
            return ()
        return tuple(EventReply(key, reply) for key, spec in specs if (reply := self.reply(spec)) is not None)

    def faq(self) -> tuple[FaqEntry, ...]:
        """The FAQ of deployed customer_service modules; only a served account answers one."""
        if self.account.gateway is None:
            return ()
        return tuple(FaqEntry(e.id, tuple(e.questions), e.answer.text,
                              e.module if e.module is None or self.deployed(e.module) else None)
                     for m in self.account.modules if self.deployed(m.id) is not None for e in m.faq)

    def buttons(self, specs: list[ButtonSpec]) -> tuple[Button, ...]:
        out = []
        for spec in specs:
            if spec.sub_buttons is not None:
                subs = self.buttons(spec.sub_buttons)
                if subs:
                    out.append(Button(name=spec.name, sub_buttons=subs))
                continue
            button = self.button(spec)
            if button is not None:
                out.append(button)
        return tuple(out)

    def button(self, spec: ButtonSpec) -> Button | None:
        if spec.module is None and spec.type == "miniprogram" and "miniprogram_links" in self.lacks:
            return None
        if spec.module is not None and self.deployed(spec.module) is None:
            return None
        return leaf_button(spec, self.modules)

    def reply(self, spec: ReplySpec | None) -> Reply | None:
        if spec is None:
            return None
        if spec.module is None:
            return Reply(text=spec.text or "")
        module = self.deployed(spec.module)
        # On a served account a module with a webhook answers itself; the text is what a customer gets
        # when the webhook cannot answer.
        served = module is not None and module.webhook is not None and self.account.gateway is not None
        if module is None or (module.entry is None and not served):
            return None
        return Reply(text=module_reply_text(module), module=module.id if served else None)
