"""What one account's gateway serves: a plain, frozen value built from the applied state.

The gateway does not read the spec models; the lead builds these values from the normalized state
(`AccountGateway.from_mapping`). Secrets never live here as literals from a file: `GatewaySecrets` holds
them after `load_secrets` reads the named environment variables, and its repr hides them.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args

from oa_spec.kinds.state import GatewayMode as Mode
from oa_spec.kinds.state import KeywordMatch as MatchMode
from oa_spec.kinds.state import ReplyMode
from oa_spec.util.secret_policy import secret_value_problem

if TYPE_CHECKING:
    from oa_spec.config.model import AccountSpec, Spec

MODES: tuple[str, ...] = get_args(Mode)
MATCH_MODES: tuple[str, ...] = get_args(MatchMode)
TRANSFER_KEYWORDS_DEFAULT: tuple[str, ...] = ("转人工", "人工客服", "人工服务")


class GatewayConfigError(ValueError):
    """A configuration the gateway cannot serve; the message names the account and the field."""


@dataclass(frozen=True)
class Article:
    title: str
    description: str = ""
    pic_url: str = ""
    url: str = ""


@dataclass(frozen=True)
class Reply:
    """A passive reply: text, or news articles (1 when answering a user message, up to 8 for events)."""

    text: str | None = None
    articles: tuple[Article, ...] = ()

    def __post_init__(self) -> None:
        if (self.text is None) == (not self.articles):
            raise GatewayConfigError("a reply has either text or articles, not both and not neither")


@dataclass(frozen=True)
class KeywordRule:
    name: str
    keywords: tuple[tuple[MatchMode, str], ...]
    replies: tuple[Reply, ...]
    reply_mode: ReplyMode = "reply_all"
    module: str | None = None  # answered by this module's webhook; `replies` when it cannot answer


@dataclass(frozen=True)
class Action:
    """What a click key (or scene) does: a fixed reply, or hand the message to a module."""

    reply: Reply | None = None
    module: str | None = None

    def __post_init__(self) -> None:
        if (self.reply is None) == (self.module is None):
            raise GatewayConfigError("an action has either a reply or a module")


@dataclass(frozen=True)
class FaqEntry:
    id: str
    questions: tuple[str, ...]
    answer: str
    module: str | None = None


@dataclass(frozen=True)
class Webhook:
    url: str
    timeout_s: float = 3.0
    secret_env: str | None = None


@dataclass(frozen=True)
class ModuleConfig:
    id: str
    kind: str = "webhook"
    webhook: Webhook | None = None


@dataclass(frozen=True)
class AnswerPolicies:
    """What a module webhook's answers are held to (gateway/answer_policy.py): the spec's policies (packs, settings,
    severities, own rules) and the served account's own."""

    spec: Spec
    account: AccountSpec


@dataclass(frozen=True)
class GatewaySecrets:
    token: str = field(repr=False)
    aes_key: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AccountGateway:
    account_id: str
    app_id: str
    token_env: str
    aes_key_env: str | None = None
    mode: Mode = "safe"
    subscribe_reply: Reply | None = None
    scene_welcomes: Mapping[str, Reply] = field(default_factory=dict)
    scan_replies: Mapping[str, Reply] = field(default_factory=dict)
    click_actions: Mapping[str, Action] = field(default_factory=dict)
    keyword_rules: tuple[KeywordRule, ...] = ()
    default_reply: Reply | None = None
    transfer_keywords: tuple[str, ...] = TRANSFER_KEYWORDS_DEFAULT
    faq: tuple[FaqEntry, ...] = ()
    modules: Mapping[str, ModuleConfig] = field(default_factory=dict)
    # What webhook answers are held to; None (a configuration built by hand): the core pack's rules alone
    policies: AnswerPolicies | None = field(default=None, repr=False)
    # No applied revision of the account could be read by this worker: it answers every message `success` and
    # does nothing else (no routing, no recording, no URL verification): the spec's own settings may be weaker
    # than the applied revision's, so they must not decide what is accepted (attack review 26)
    unread: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise GatewayConfigError(f"account {self.account_id}: mode {self.mode!r} is not one of "
                                     f"{', '.join(MODES)}")
        if self.mode != "plain" and not self.aes_key_env:
            raise GatewayConfigError(f"account {self.account_id}: mode {self.mode} needs encoding_aes_key")
        named = [("click action", a.module) for a in self.click_actions.values()]
        named += [("keyword rule", r.module) for r in self.keyword_rules] + [("FAQ entry", f.module) for f in self.faq]
        for what, module in named:
            if module is not None and module not in self.modules:
                raise GatewayConfigError(f"account {self.account_id}: a {what} names unknown module {module}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AccountGateway:
        """Build from a plain mapping (the normalized state's shape); unknown keys are an error."""
        return _from_mapping(data)


def load_secrets(config: AccountGateway, environ: Mapping[str, str] | None = None) -> GatewaySecrets:
    """Read the Token and EncodingAESKey from the named variables, and check that every webhook's signing secret
    is set (read again at each call); the error names the variable only."""
    env = os.environ if environ is None else environ
    token = env.get(config.token_env, "")
    if not token:
        raise GatewayConfigError(f"account {config.account_id}: set the Token in environment variable "
                                 f"{config.token_env}")
    if problem := secret_value_problem(config.token_env, token):
        raise GatewayConfigError(f"account {config.account_id}: {problem}")
    aes_key = None
    if config.aes_key_env:
        aes_key = env.get(config.aes_key_env, "")
        if problem := secret_value_problem(config.aes_key_env, aes_key):
            raise GatewayConfigError(f"account {config.account_id}: {problem}")
        if aes_key_bytes(aes_key) is None:
            raise GatewayConfigError(f"account {config.account_id}: environment variable {config.aes_key_env} "
                                     "must hold the 43-character EncodingAESKey (letters, digits, + and /, as the "
                                     "platform's server configuration page shows it)")
    for module in config.modules.values():
        hook = module.webhook
        if hook is None or not hook.secret_env:
            continue
        if not env.get(hook.secret_env):
            raise GatewayConfigError(f"account {config.account_id}: module {module.id}: set its webhook's signing "
                                     f"secret in environment variable {hook.secret_env}")
        if problem := secret_value_problem(hook.secret_env, env[hook.secret_env]):  # signed with it, as pasted
            raise GatewayConfigError(f"account {config.account_id}: module {module.id}: {problem}")
    return GatewaySecrets(token=token, aes_key=aes_key)


def aes_key_bytes(encoding_aes_key: str) -> bytes | None:
    """The 32-byte AES key an EncodingAESKey stands for; None when it is not one (checked at start, so that a
    mistyped key is refused before any worker boots, not by each worker's traceback)."""
    if len(encoding_aes_key) != 43:
        return None
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error:
        return None
    return key if len(key) == 32 else None


def _reply(data: Any) -> Reply:
    if isinstance(data, str):
        return Reply(text=data)
    if not isinstance(data, Mapping):
        raise GatewayConfigError(f"a reply is text or a mapping, not {type(data).__name__}")
    if "articles" in data:
        return Reply(articles=tuple(Article(**dict(a)) for a in data["articles"]))
    return Reply(text=str(data["text"]))


def _action(data: Mapping[str, Any]) -> Action:
    if "module" in data:
        return Action(module=str(data["module"]))
    return Action(reply=_reply(data["reply"]))


def _rule(data: Mapping[str, Any]) -> KeywordRule:
    keywords = tuple((str(k.get("match", "contains")), str(k["keyword"])) for k in data["keywords"])
    for mode, _ in keywords:
        if mode not in MATCH_MODES:
            raise GatewayConfigError(f"keyword rule {data.get('name')}: match {mode!r} is not one of {MATCH_MODES}")
    return KeywordRule(name=str(data.get("name", "")), keywords=keywords,  # type: ignore[arg-type]
                       replies=tuple(_reply(r) for r in data["replies"]),
                       reply_mode=data.get("reply_mode", "reply_all"),
                       module=str(data["module"]) if data.get("module") else None)


def _module(data: Mapping[str, Any]) -> ModuleConfig:
    hook = data.get("webhook")
    webhook = None if hook is None else Webhook(url=str(hook["url"]), timeout_s=float(hook.get("timeout_s", 3.0)),
                                                secret_env=hook.get("secret_env"))
    return ModuleConfig(id=str(data["id"]), kind=str(data.get("kind", "webhook")), webhook=webhook)


_KNOWN = {"account_id", "app_id", "token_env", "aes_key_env", "mode", "subscribe_reply", "scene_welcomes",
          "scan_replies", "click_actions", "keyword_rules", "default_reply", "transfer_keywords", "faq", "modules"}


def _from_mapping(data: Mapping[str, Any]) -> AccountGateway:
    unknown = set(data) - _KNOWN
    if unknown:
        raise GatewayConfigError(f"account {data.get('account_id')}: unknown gateway field(s) "
                                 f"{', '.join(sorted(unknown))}")
    subscribe, default = (None if data.get(key) is None else _reply(data[key])
                          for key in ("subscribe_reply", "default_reply"))
    return AccountGateway(
        account_id=str(data["account_id"]), app_id=str(data["app_id"]), token_env=str(data["token_env"]),
        aes_key_env=data.get("aes_key_env"), mode=data.get("mode", "safe"), subscribe_reply=subscribe,
        default_reply=default,
        scene_welcomes={str(k): _reply(v) for k, v in data.get("scene_welcomes", {}).items()},
        scan_replies={str(k): _reply(v) for k, v in data.get("scan_replies", {}).items()},
        click_actions={str(k): _action(v) for k, v in data.get("click_actions", {}).items()},
        keyword_rules=tuple(_rule(r) for r in data.get("keyword_rules", ())),
        transfer_keywords=tuple(data.get("transfer_keywords", TRANSFER_KEYWORDS_DEFAULT)),
        faq=tuple(FaqEntry(id=str(f["id"]), questions=tuple(f["questions"]), answer=str(f["answer"]),
                           module=f.get("module")) for f in data.get("faq", ())),
        modules={str(m["id"]): _module(m) for m in data.get("modules", ())},
    )
