"""Probe 47's readings: a product vouched for by an expert, an insider, a neighbour or a thank-you letter; a
guarantee and a deposit likeness in other words; a loan approved at once or never chased; and the careful
texts that quote those words to explain or warn. Each case reads the other way without its mechanism."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.helpers import reply_spec, run_yaml, text_rules_on

WEALTH_NOTICE = "理财非存款，产品有风险，投资须谨慎。"
FUND_NOTICE = "基金有风险，投资须谨慎。"


@pytest.mark.parametrize("text", [
    f"首席经济学家划重点：明年的机会就在这只债券基金，欢迎申购。{FUND_NOTICE}",  # pointing at this product
    f"某学会会长力挺这只养老基金，点击定投。{FUND_NOTICE}",
    f"理财博主 Amy 亲自实测这款理财三个月，点链接认购同款！{WEALTH_NOTICE}",
    "我自己给爸妈买的就是这款年金险，欢迎咨询投保。",  # an insider's own purchase
    f"街坊陈太话：「买咗呢只基金，年年有钱赚」，即刻申购！{FUND_NOTICE}",  # Cantonese 话 is 说
    f"客户表扬信：“感谢客户经理推荐的理财，把我的积蓄打理得明明白白”，欢迎预约。{WEALTH_NOTICE}",
    f"老客户现身说法：“这款理财让我安心”，欢迎预约。{WEALTH_NOTICE}",
])
def test_a_product_vouched_for_in_other_words_is_a_testimonial(text: str) -> None:
    assert "wealth.testimonial" in text_rules_on(text)


def test_experts_named_in_a_warning_not_to_believe_them_vouch_for_nothing() -> None:
    assert "wealth.testimonial" not in text_rules_on(f"直播里有专家“喊单”推荐理财产品，别轻信！{WEALTH_NOTICE}")


@pytest.mark.parametrize(("text", "rule"), [
    (f"新春理财，本金冇得蚀，即刻喺手机银行认购啦！{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),  # Cantonese
    (f"这款理财收益妥妥落袋，欢迎认购。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    ("这份年金险 = 一张20年期的VIP存单，欢迎预约投保。", "insurance.not-deposit"),  # spaced, words between
    ("“存单”来了：每年存入一万元，连存五年，本行代理的年金保险，欢迎咨询投保。", "insurance.not-deposit"),
    ("系统秒速放款，资料一交马上出额度！点击申请。请理性借贷，按时还款。", "loan.misleading-terms"),
    ("消费贷借了不还也没人催，点击申请。请理性借贷。", "loan.misleading-terms"),
])
def test_a_guarantee_a_deposit_likeness_and_a_loan_term_in_other_words_are_claims(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # a quoted term said to be less than it sounds is explained (and 不代表不审核 denies no review)
    ("“免息”不等于不用还！分期的本金仍需按期归还，逾期会产生罚息并影响征信。春节消费请理性，量入为出。",
     "loan.misleading-terms"),
    ("“零门槛”并不代表不审核，贷款仍需审批。请理性借贷。", "loan.misleading-terms"),
    # typed into the bank's app, not sent here
    ("问：提示“验证码错误”怎么办？答：请确认在App中输入的是最新短信里的验证码。", "pii.no-credential-solicitation"),
])
def test_a_term_explained_and_a_code_typed_in_the_app_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


def test_a_phrase_read_as_other_words_is_quoted_whole(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec(f"新春理财，本金冇得蚀，即刻认购！{WEALTH_NOTICE}"))
    [finding] = [f for f in run.report.findings if f.rule == "wealth.no-guaranteed-return"]
    assert finding.detail == "“不会亏”（本金冇得蚀）"  # read as 不会亏, shown as written
