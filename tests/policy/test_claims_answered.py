"""A question the text answers itself: asked whether a product differs from a deposit, and answered that it does
not (跟存定期有区别吗？没有！), the answer's no affirms the likeness; asked by the customer (弹幕问…？) it is still
the bank's answer that says it. Wordings written for these tests, none of them a corpus line; the careful texts
keep the reading narrow (an answer that says yes, or that goes on to the difference)."""

from __future__ import annotations

import pytest

from tests.policy.helpers import WEALTH_NOTICE, text_rules_on

ISSUER = "由澄江理财有限责任公司发行，本行代理销售。"
INSURER = "由长宁人寿保险股份有限公司承保，本行代理销售。"


@pytest.mark.parametrize(("text", "rule"), [
    # textkit.answered_alike: the no to a difference asked is a likeness said
    (f"澄江季季盈理财和三个月定期有区别吗？没有！到期照样本息到账。{ISSUER}{WEALTH_NOTICE}", "wealth.not-deposit"),
    (f"有朋友问：“这款理财跟存活期有什么不同？”——说白了没啥不同，就是利息多点。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    (f"Q：这款长宁年金险跟存钱有啥差别？A：基本上没差别，每年交一笔，到期连本带息拿回。{INSURER}",
     "insurance.not-deposit"),
    (f"评论区问这份增额寿和存单有区别么？一样的，钱都在银行这边。{INSURER}", "insurance.not-deposit"),
])
def test_a_likeness_answered_to_a_difference_asked_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # the answer says it differs, or begins on the difference
    (f"澄江季季盈理财和定期存款有区别吗？有，理财不保本，收益随市场波动。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    (f"问：这款理财跟存定期有什么不一样？答：不一样的地方在于本金可能亏损。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    (f"问：理财和存款有区别吗？答：区别很大，理财非存款，不受存款保险保障。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    (f"这份年金险和存单有区别吗？当然有，保险不是存款，提前退保可能损失本金。{INSURER}", "insurance.not-deposit"),
])
def test_a_difference_answered_is_not_a_likeness(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


TESTIMONIAL = "wealth.testimonial"


@pytest.mark.parametrize("text", [
    # claims.yaml testimonial: buying, a span of time held, then what it earned
    f"同事小吴认购了这款澄江季季盈，半年以后挣了两千出头。{ISSUER}{WEALTH_NOTICE}",
    f"群友小林照着直播认购了第3期，三个月后拿到了一笔够交半年房租的收益。{ISSUER}{WEALTH_NOTICE}",
    f"表姐配置了这款理财，两个季度后赚出了一部新手机。{ISSUER}{WEALTH_NOTICE}",
])
def test_a_buyers_gain_over_the_time_held_is_a_testimonial(text: str) -> None:
    assert TESTIMONIAL in text_rules_on(text)


@pytest.mark.parametrize("text", [
    # a term, a holding period or a rule of the product, with no one's gain told
    f"这款理财认购后需持有一年，到期后按净值兑付，收益以实际为准。{ISSUER}{WEALTH_NOTICE}",
    f"买了这款理财三个月后可申请赎回，赎回款次一工作日到账。{ISSUER}{WEALTH_NOTICE}",
])
def test_a_holding_period_told_is_not_a_testimonial(text: str) -> None:
    assert TESTIMONIAL not in text_rules_on(text)


@pytest.mark.parametrize(("text", "expected"), [
    # textkit._answered_within: a claim read across the customer's question into the answer is the answer's
    ("问：我现在没有工作，能借吗？答：可以的，有我行借记卡就能申请，年化利率（单利）8%起，请理性借贷。", True),
    # ... while the answer that says no claims nothing
    ("问：没有工作能借吗？答：不可以，申请需有稳定收入，年化利率（单利）8%起，请理性借贷。", False),
])
def test_a_claim_read_into_the_answer_is_the_answer_s(text: str, expected: bool) -> None:
    assert ("loan.misleading-terms" in text_rules_on(text)) is expected
