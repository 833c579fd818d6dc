"""Probes 47 and 57's readings: a product vouched for by an expert, a star, an insider, its buyers, a neighbour
or a thank-you letter; a guarantee and a deposit likeness in other words; a loan approved at once or never
chased; and the careful texts that quote those words to explain or warn. Each case reads the other way without
its mechanism."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.helpers import FUND_NOTICE, WEALTH_NOTICE, reply_spec, run_yaml, text_rules_on


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


@pytest.mark.parametrize("text", [
    # probe 57: an expert or a star quoted on the product, one whose own money is in it, a verdict on it, buyers
    # who say it is good, a trainee's gain, a gain beyond what was expected, a customer's message on the return
    "知名主持人在节目里说：“给孩子攒教育金，我选了这份年金险。”欢迎预约投保。",
    f"影视演员王某某倾情推荐这款年金险，欢迎预约投保。{FUND_NOTICE}",
    f"另一家公司的基金经理坦言，他家里人的闲钱就放在这只短债基金里。{FUND_NOTICE}",
    f"某大学教授在讲座中提到这款理财，认为其风险收益特征清晰，适合长期持有。{WEALTH_NOTICE}",
    f"粉丝们买了这款理财都说好，欢迎认购。{WEALTH_NOTICE}",
    f"上期财商训练营的学员李同学按课上教的方法定投沪深300指数基金，坚持了整整18个月，账户已经回本还有盈利。{FUND_NOTICE}",
    f"邻居刘姐买了这款理财，到期比她预想的多拿了好几千。{WEALTH_NOTICE}",
    "客户语音转文字：我前年给儿子投保的那份教育金保险，现金价值已经涨到四万多了。欢迎预约投保。",
])
def test_a_product_vouched_for_by_name_or_by_its_buyers_is_a_testimonial(text: str) -> None:
    assert "wealth.testimonial" in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # books an economist recommends; a view on holding bond funds that names no product (持有 is no brand)
    ("世界读书日｜经济学家推荐的5本理财入门读物，欢迎到网点读书角免费借阅。", "wealth.testimonial"),
    (f"本行研究员观点：近期债券市场波动加大，持有债券基金的投资者宜理性看待短期净值变化，不构成投资建议。{FUND_NOTICE}",
     "agency.issuer-disclosure"),
])
def test_a_book_list_and_a_market_view_vouch_for_no_product(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
