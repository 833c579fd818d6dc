"""A module webhook's answer held to what every text of the spec is held to, before a follower gets it.

The bank's service answers at serve time, so no plan or reviewer ever sees what it says: its text, each article's
title and description, and its links (each article's url and picurl, and links inside a text) go through the same
rule engine `validate` runs (oa_spec/policy), with the spec's packs, settings (`allowed_domains`), severities and
own rules. A finding at error severity refuses the answer as unusable: the reply's own text answers, and the
access log and metrics name the rules, never the answer or the follower (attack review 69 F2). The rules are
configured once per served configuration, as the FAQ ranker is built, never per message.
"""

from __future__ import annotations

from collections.abc import Sequence

from oa_spec.config.fields import SeverityOverride
from oa_spec.gateway.config import AnswerPolicies, Reply
from oa_spec.gateway.outbound import WebhookError
from oa_spec.kinds.state import AccountState, NewsArticle
from oa_spec.kinds.state import Reply as StateReply

_WARM_UP = Reply(text="您的余额为 1,234.56 元，详情见 https://bank.example.cn/balance")
REFUSED = "refused_policy"  # the access log's and metrics' outcome of a message whose webhook answer was refused


class RefusedAnswer(WebhookError):
    """A webhook answer some rule refuses; names the module and the rules, never the answer."""

    def __init__(self, module: str, rules: Sequence[str]) -> None:
        super().__init__(f"module {module}: webhook answer refused by policy ({', '.join(rules)})")
        self.rules = tuple(rules)


class AnswerRules:
    """The rules of one served configuration, ready for its webhooks' answers."""

    def __init__(self, policies: AnswerPolicies | None) -> None:
        from oa_spec.config.model import AccountSpec, Spec
        from oa_spec.policy.deployed import StateRules
        from oa_spec.util import clock

        if policies is None:  # no spec given (a configuration built by hand): the core pack's rules, https links
            account = AccountSpec(id="served", name="served")  # not the account's id, which need not be one
            policies = AnswerPolicies(Spec(version=1, bank="served", accounts=[account]), account)
        today = clock.now().astimezone(clock.BEIJING).date()
        policies = as_validate_holds(policies)
        self._rules = StateRules(policies.spec, policies.account, "webhook answer", today)
        self.refused(_WARM_UP)  # the rules' words and segmenter load now, not on a follower's first answer

    def refused(self, reply: Reply) -> tuple[str, ...]:
        """The ids of the rules that refuse `reply` at error severity, sorted; () when it may be sent."""
        findings = [f for state in _as_states(reply) for f in self._rules.findings(state)]
        return tuple(sorted({f.rule for f in findings if f.severity == "error"}))


def as_validate_holds(policies: AnswerPolicies) -> AnswerPolicies:
    """The policies with what validate refuses undone: a regulated rule's severity lowered (the bank's or the
    account's) is dropped, and a pack OASPEC_REQUIRED_PACKS pins is enabled. serve starts on a spec whatever its
    policy findings (what it serves passed them when applied), so with `severity: {pii.no-credential-solicitation:
    off}` a webhook's answer asking for the SMS code reached the follower (attack review 76 F4)."""
    from oa_spec.policy.engine import required_packs
    from oa_spec.policy.packs import REGULATED

    def kept(severity: dict[str, SeverityOverride]) -> dict[str, SeverityOverride]:
        return {rule: level for rule, level in severity.items() if rule not in REGULATED or level == "error"}

    bank, own = policies.spec.policies, policies.account.policies
    named = {pack if isinstance(pack, str) else pack.name for pack in bank.packs}
    packs = [*bank.packs, *(name for name in required_packs() if name not in named)]
    spec = policies.spec.model_copy(update={"policies": bank.model_copy(update={"severity": kept(bank.severity),
                                                                                 "packs": packs})})
    account = policies.account.model_copy(update={"policies": own.model_copy(update={"severity": kept(own.severity)})})
    return AnswerPolicies(spec, account)


def _as_states(reply: Reply) -> list[AccountState]:
    """The answer as replies of an applied state, read as the rollback gate reads one: a text, or a news reply whose
    articles' titles and descriptions are texts and whose url and picurl are links; a news reply of several articles
    also as one text of all its cards in order, so a claim split across them (稳盈1号理财产品 on one, 保本保收益 on
    the next) is read whole, as the follower reads the message (attack review 71 F2)."""
    if reply.text is not None:
        return [AccountState(default_reply=StateReply(text=reply.text))]
    news = tuple(NewsArticle(title=a.title, digest=a.description, content_url=a.url, cover_url=a.pic_url)
                 for a in reply.articles)
    states = [AccountState(default_reply=StateReply(text="", media="news", news=news))]
    if len(news) > 1:
        from oa_spec.policy.deployed import card_text  # with the rules, which AnswerRules loads lazily

        states.append(AccountState(default_reply=StateReply(text=" ".join(card_text(a) for a in news))))
    return states
