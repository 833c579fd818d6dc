"""A module webhook's answer is held to the spec's text and link rules before a follower gets it (attack review 69 F2).

The bank's service answered a news reply titled 本行理财保本保收益，年化8%, described 请回复短信验证码领取, linking to
http://evil.example, and the follower got it: only characters and lengths were checked.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from dataclasses import replace
from typing import Any

import pytest

from oa_spec.config.model import Spec
from oa_spec.gateway.answer_policy import AnswerRules
from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.config import AccountGateway, AnswerPolicies, Article, Reply
from oa_spec.gateway.simulator import event_message, text_message
from oa_spec.kinds.state import AccountState, NewsArticle
from oa_spec.kinds.state import Reply as StateReply
from oa_spec.policy.deployed import evaluate_state
from tests.gateway.helpers import ENV_HOOK
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_app import FALLBACK, OPENID, Sent, balance_rule_answered_by, simulator
from tests.gateway.test_outbound import FakeApi

ALLOWED = "m.citybank.example.cn"
SPEC = Spec.model_validate({"version": 1, "bank": "示例城市银行",
                            "policies": {"packs": ["cn-bank"], "settings": {"allowed_domains": [ALLOWED]}},
                            "accounts": [{"id": "citybank", "name": "示例城市银行"}]})
POLICIES = AnswerPolicies(SPEC, SPEC.accounts[0])
CLEAN = {"title": "账户余额", "description": "您的余额为 1,234.56 元", "url": f"https://{ALLOWED}/balance",
         "picurl": f"https://{ALLOWED}/balance.jpg"}
# Each answer's one flaw, and the rule that refuses it
REFUSED = {
    "http-link": ({**CLEAN, "url": f"http://{ALLOWED}/balance"}, ("link.https",)),
    "http-picurl": ({**CLEAN, "picurl": f"http://{ALLOWED}/balance.jpg"}, ("link.https",)),
    "unlisted-host": ({**CLEAN, "url": "https://evil.example/balance"}, ("link.allowed-domains",)),
    "guarantee-title": ({**CLEAN, "title": "本行理财保本保收益，年化8%"}, ("wealth.no-guaranteed-return",)),
    "credential-description": ({**CLEAN, "description": "请回复短信验证码领取"}, ("pii.no-credential-solicitation",)),
}
ATTACK = {"title": "本行理财保本保收益，年化8%", "description": "请回复短信验证码领取", "url": "http://evil.example/phish",
          "picurl": "http://evil.example/p.jpg"}


def _article(fields: dict[str, str]) -> Reply:
    return Reply(articles=(Article(fields["title"], fields["description"], fields["picurl"], fields["url"]),))


@pytest.fixture(scope="module")
def rules() -> AnswerRules:
    return AnswerRules(POLICIES)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_an_answer_with_an_http_link_an_unlisted_host_a_guarantee_or_a_credential_request_is_refused(
        rules: AnswerRules, case: str) -> None:
    fields, wanted = REFUSED[case]
    assert rules.refused(_article(fields)) == wanted


def test_a_clean_answer_passes(rules: AnswerRules) -> None:
    assert rules.refused(_article(CLEAN)) == ()
    assert rules.refused(Reply(text=f"您的余额为 1,234.56 元，明细见 https://{ALLOWED}/detail")) == ()


def test_a_link_inside_a_text_answer_is_held_to_https_and_allowed_domains(rules: AnswerRules) -> None:
    assert rules.refused(Reply(text="您的余额为 1,234.56 元，明细见 http://evil.example/detail")) == (
        "link.allowed-domains", "link.https")


def test_without_a_spec_an_answer_is_still_held_to_the_core_packs_https(rules: AnswerRules) -> None:
    assert AnswerRules(None).refused(_article(REFUSED["http-link"][0])) == ("link.https",)


def test_the_banks_own_rules_refuse_an_answer_at_error_severity_only() -> None:
    rule = {"id": "citybank.no-old-brand", "message": "不得使用旧品牌名", "basis": "本行营销规范",
            "forbidden": ["周周乐"], "scope": ["replies"]}
    old = Reply(text="您的余额为 1,234.56 元，周周乐账户已升级")
    spec = Spec.model_validate({**SPEC.model_dump(mode="json", exclude_defaults=True),
                                "policies": {"packs": ["cn-bank"], "rules": [rule]}})
    assert AnswerRules(AnswerPolicies(spec, spec.accounts[0])).refused(old) == ("citybank.no-old-brand",)
    warned = Spec.model_validate({**SPEC.model_dump(mode="json", exclude_defaults=True),
                                  "policies": {"packs": ["cn-bank"], "rules": [{**rule, "severity": "warning"}]}})
    assert AnswerRules(AnswerPolicies(warned, warned.accounts[0])).refused(old) == ()


def test_a_regulated_rule_lowered_or_a_required_pack_left_out_still_refuses_an_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 76 F4: validate refuses both, but serve starts on such a spec, and an answer asking for the SMS
    code or promising 保本保收益 reached the follower."""
    credential, guarantee = Reply(text="请回复短信验证码领取奖励"), Reply(text="本行理财产品保本保收益，年化8%")
    lowered = Spec.model_validate({
        **SPEC.model_dump(mode="json", exclude_defaults=True),
        "policies": {**SPEC.policies.model_dump(mode="json", exclude_defaults=True),
                     "severity": {"pii.no-credential-solicitation": "off"}},
        "accounts": [{"id": "citybank", "name": "示例城市银行",
                      "policies": {"severity": {"wealth.no-guaranteed-return": "warning"}}}]})
    rules = AnswerRules(AnswerPolicies(lowered, lowered.accounts[0]))
    assert rules.refused(credential) == ("pii.no-credential-solicitation",)
    assert rules.refused(guarantee) == ("wealth.no-guaranteed-return",)
    monkeypatch.setenv("OASPEC_REQUIRED_PACKS", "cn-bank")
    bare = Spec.model_validate({**SPEC.model_dump(mode="json", exclude_defaults=True), "policies": {}})
    assert AnswerRules(AnswerPolicies(bare, bare.accounts[0])).refused(credential) == (
        "pii.no-credential-solicitation",)


def test_no_waiver_covers_a_webhook_answer() -> None:
    # a waiver covers a reviewed text at its address; no one reviewed what the service answers
    today = datetime.date.today()
    waiver = {"rule": "wealth.no-guaranteed-return", "target": "citybank/replies/default", "reason": "存款保险",
              "approved_by": "合规部", "expires": str(today + datetime.timedelta(days=30))}
    spec = Spec.model_validate({**SPEC.model_dump(mode="json", exclude_defaults=True),
                                "policies": {**SPEC.policies.model_dump(mode="json", exclude_defaults=True),
                                             "waivers": [waiver]}})
    title = REFUSED["guarantee-title"][0]["title"]
    reviewed = AccountState(default_reply=StateReply(text=title))
    # the waiver holds for the default reply, at whose address an answer is read
    found = evaluate_state(spec, spec.accounts[0], reviewed, "revision 1", today)
    assert found and all(f.rule == "wealth.no-guaranteed-return" and f.waived for f in found)
    guarantee = _article(REFUSED["guarantee-title"][0])
    assert AnswerRules(AnswerPolicies(spec, spec.accounts[0])).refused(guarantee) == ("wealth.no-guaranteed-return",)


def _served(answer: dict[str, Any], message: dict[str, str] | None = None,
            caplog: pytest.LogCaptureFixture | None = None) -> tuple[Any, GatewayApp, FakeApi]:
    """One follower's message answered by a loopback webhook that answers `answer`, on an account whose
    configuration holds the spec's policies."""
    api = FakeApi(json.dumps(answer, ensure_ascii=False).encode())
    try:
        config: AccountGateway = replace(balance_rule_answered_by(f"{api.url}/hook", 2.0), policies=POLICIES)
        app = GatewayApp([config], environ=ENV_HOOK)
        with running(app) as url:
            result = simulator(url).push(message or text_message("查余额", openid=OPENID))
    finally:
        api.close()
    return result, app, api


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_follower_gets_the_replys_own_text_when_the_webhook_answer_is_refused(case: str) -> None:
    result, app, api = _served({"articles": [REFUSED[case][0]]})
    assert result.reply is not None and result.reply.get("Content") == FALLBACK, result.body
    assert len(api.calls) == 1
    for rule in REFUSED[case][1]:
        assert f'oaspec_gateway_refused_answers_total{{account="citybank",rule="{rule}"}} 1.0' in \
            app.metrics.render().decode()


def test_a_clean_webhook_answer_reaches_the_follower() -> None:
    result, app, _ = _served({"articles": [CLEAN]})
    assert result.reply is not None and result.reply.get("MsgType") == "news", result.body
    assert "oaspec_gateway_refused_answers_total{" not in app.metrics.render().decode()


def test_the_access_log_and_metrics_name_the_rules_never_the_answer_or_the_follower(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        result, app, _ = _served({"articles": [ATTACK]})
    assert result.reply is not None and result.reply.get("Content") == FALLBACK, result.body
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "oa_spec.gateway.access"]
    outcome, rules = line["outcome"].split(":")
    assert outcome == "refused_policy" and rules.split(",") == sorted(rules.split(","))
    assert {"link.allowed-domains", "link.https", "pii.no-credential-solicitation",
            "wealth.no-guaranteed-return"} <= set(rules.split(","))
    metrics = app.metrics.render().decode()
    assert 'oaspec_gateway_requests_total{account="citybank",outcome="refused_policy"} 1.0' in metrics
    for private in (OPENID, "查余额", "evil.example", "保本", "验证码"):
        assert private not in caplog.text and private not in metrics


def test_a_click_whose_webhook_answer_is_refused_gets_no_reply_and_is_counted() -> None:
    # a click on a module's key has no text of its own: nothing rather than what the service said
    result, app, _ = _served({"text": "请回复短信验证码领取"}, event_message("CLICK", "BALANCE", openid=OPENID))
    assert result.body == b"success"
    assert 'rule="pii.no-credential-solicitation"} 1.0' in app.metrics.render().decode()


# A claim split across an article's title and description, as the follower reads the card (attack review 70 F1)
SPLIT = {
    "guarantee": (("稳盈1号理财产品", "保本保收益，年化8%"), ("wealth.no-guaranteed-return",)),
    "credential": (("请回复短信", "验证码领取奖励"), ("pii.no-credential-solicitation",)),
    "no-apr": (("借一万元", "每天只要两块钱，马上申请"), ("loan.apr-disclosure",)),
    "no-disclaimer": (("稳盈1号理财产品", "年化8%，欢迎购买"),
                      ("wealth.past-performance-disclaimer", "wealth.risk-disclaimer")),
}


@pytest.mark.parametrize("case", sorted(SPLIT))
def test_a_claim_split_across_an_answers_title_and_description_is_refused(rules: AnswerRules, case: str) -> None:
    (title, description), wanted = SPLIT[case]
    assert rules.refused(_article({**CLEAN, "title": title, "description": description})) == wanted


@pytest.mark.parametrize("case", ["guarantee", "credential"])
def test_a_claim_split_across_the_articles_of_one_answer_is_refused(rules: AnswerRules, case: str) -> None:
    # attack review 71 F2: each card was read alone, and a click's answer of several articles carried the claim
    (first, second), wanted = SPLIT[case]
    cards = ({**CLEAN, "title": first, "description": ""}, {**CLEAN, "title": second, "description": ""})
    answer = Reply(articles=tuple(Article(c["title"], c["description"], c["picurl"], c["url"]) for c in cards))
    assert rules.refused(answer) == wanted
    assert rules.refused(Reply(articles=answer.articles + answer.articles[:1])) == wanted


def test_a_harmless_answer_split_across_title_and_description_passes(rules: AnswerRules) -> None:
    # read alone, the title's wealth word would lack the disclaimer its description gives
    harmless = {**CLEAN, "title": "十二月理财展望", "description": "理财非存款，产品有风险，投资须谨慎。"}
    assert rules.refused(_article(harmless)) == ()


def test_the_rollback_gate_reads_a_news_reply_as_its_card() -> None:
    # evaluate_state is what the rollback gate runs on the revision it would restore
    title, description = SPLIT["credential"][0]
    card = NewsArticle(title=title, digest=description, content_url=f"https://{ALLOWED}/b")
    state = AccountState(default_reply=StateReply(text="[图文]", media="news", news=(card,)))
    found = evaluate_state(SPEC, SPEC.accounts[0], state, "revision 1", datetime.date.today())
    assert [(f.rule, f.address, f.path) for f in found] == [
        ("pii.no-credential-solicitation", "citybank/replies/default", "replies.default.text.news.0")]
    harmless = replace(card, title="十二月理财展望", digest="理财非存款，产品有风险，投资须谨慎。")
    clean = AccountState(default_reply=StateReply(text="[图文]", media="news", news=(harmless,)))
    assert evaluate_state(SPEC, SPEC.accounts[0], clean, "revision 1", datetime.date.today()) == []


def test_a_refused_answer_that_comes_too_late_sends_the_replys_own_text_through_customer_service() -> None:
    # past the budget the follower gets `success` and the reply goes out later through the customer-service API:
    # the webhook's answer is held to the same rules there, and only the reply's own text goes out
    hook = FakeWebhook(delay_s=0.6, answer={"text": "本行理财保本保收益，请回复短信验证码领取"})
    sent = Sent()
    config = replace(balance_rule_answered_by(hook.url, 2.0), policies=POLICIES)
    app = GatewayApp([config], environ=ENV_HOOK, send_customer_message=sent, budget_s=0.2)
    try:
        with running(app) as url:
            result = simulator(url, deadline_s=2.0).push(text_message("查余额", openid=OPENID))
            deadline = time.monotonic() + 3
            while not sent.messages and time.monotonic() < deadline:
                time.sleep(0.01)
    finally:
        hook.close()
    assert (result.body, result.reply) == (b"success", None)
    assert sent.messages == [("citybank", OPENID, FALLBACK)] and len(hook.calls) == 1
    metrics = app.metrics.render().decode()
    for rule in ("pii.no-credential-solicitation", "wealth.no-guaranteed-return"):
        assert f'rule="{rule}"}} 1.0' in metrics
    assert 'oaspec_gateway_deferred_total{account="citybank"} 1.0' in metrics
