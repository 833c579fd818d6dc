"""What a worker holds for each served account: its configuration, secrets, router and the rules its webhooks'
answers are held to (built once per applied revision), or why it serves the account nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from oa_spec.gateway.answer_policy import AnswerRules
from oa_spec.gateway.config import AccountGateway, FaqEntry, GatewaySecrets, load_secrets
from oa_spec.gateway.protocol import crypt_for
from oa_spec.gateway.router import FaqLookup, Router

FaqFactory = Callable[[tuple[FaqEntry, ...]], FaqLookup]


@dataclass(frozen=True)
class AccountRuntime:
    config: AccountGateway
    secrets: GatewaySecrets
    router: Router
    answers: AnswerRules | None  # what its webhooks' answers are held to, configured once; None: no webhook


@dataclass(frozen=True)
class IdleAccount:
    """A served account this worker accepts nothing for: no applied revision of it was read (`unread`), or the
    applied one cannot be served here and none is in place (`unserved`: a variable it names is not set, at boot or
    after a switch to a stricter mode). Every POST is answered `success` unparsed and acted on by nothing, never the
    platform's 暂时无法提供服务 (which a 404 would be); a GET verifies nothing. `outcome` is its metrics outcome."""

    outcome: str


def default_faq_factory(entries: tuple[FaqEntry, ...]) -> FaqLookup:
    from oa_spec.gateway.faq.ranker import FaqRanker

    return FaqRanker(entries).lookup


def build_runtime(config: AccountGateway, environ: Mapping[str, str] | None = None,
                  faq_factory: FaqFactory = default_faq_factory) -> AccountRuntime:
    keys = load_secrets(config, environ)  # first: a variable not set fails before the FAQ is built for nothing
    faq = faq_factory(config.faq) if config.faq else None
    if keys.aes_key is not None:  # import and build the cipher now, not on a customer's first message
        crypt_for(keys.aes_key, config.app_id).decrypt_ready()
    # only an account whose modules call a webhook needs the rules' engine, whose first build in a worker costs
    # about a quarter of a second: the others start and follow a new revision without it
    webhooks = any(module.webhook is not None for module in config.modules.values())
    return AccountRuntime(config, keys, Router(config, faq=faq), AnswerRules(config.policies) if webhooks else None)
