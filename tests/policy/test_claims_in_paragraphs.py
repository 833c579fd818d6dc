"""Probes 60 and 61's readings: claims made in the middle of a paragraph without the catalogue's words (an
evaluator's quoted verdict, a product bought for the expert's parents, money made that paid for something, gains
in the end whatever happens, a loan as good as approved), and careful texts that hold words a checker flags (a
customer who sends a card number unasked, a neighbour's remark quoted, an official app's mark, a branch approved,
a benchmark explained, a rate formula, a thank-you for service, a question answered no in Cantonese). Each case
reads the other way without the change its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import FUND_NOTICE, WEALTH_NOTICE, text_rules_on

PRUDENCE = "请理性借贷，按时还款。"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml testimonial (probe 61)
    (f"研究院负责人在点评这类理财时表示，这类产品“兼顾流动性与稳健性，值得中老年客户优先考虑”。{WEALTH_NOTICE}",
     "wealth.testimonial"),
    (f"今晚连线的嘉宾说，这款理财是他给自己父母配的。{WEALTH_NOTICE}", "wealth.testimonial"),
    (f"财经大V老周说，这只基金是他自己一直在定投的，他愿意拿名声给它站台。{FUND_NOTICE}", "wealth.testimonial"),
    (f"隔壁陈叔去年买了这只基金，赚到的钱正好够交一年物业费。{FUND_NOTICE}", "wealth.testimonial"),
    # claims.yaml guarantee (probe 61)
    (f"只要坚持定投满三年，到头来都能赚到钱，时间会帮您把亏损抹平。{FUND_NOTICE}", "wealth.no-guaranteed-return"),
    (f"这款理财背后有银行托底，钱放在这里不可能打水漂。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    # claims.yaml not_deposit (probe 61)
    ("客服：您好，“安和存享90天”属于存单式的产品，到期自动回到您的账户。由安和理财有限责任公司发行，本行代理销售。"
     f"{WEALTH_NOTICE}", "wealth.not-deposit"),
    # claims.yaml loan_misleading (probe 61)
    (f"消费贷对过往记录没什么要求，之前有逾期也一样能批下来。年化利率（单利）4.2%起。{PRUDENCE}",
     "loan.misleading-terms"),
    (f"信用贷提交申请后系统一眨眼就完成审批，年化利率（单利）4.6%起。{PRUDENCE}", "loan.misleading-terms"),
    (f"只要在本地连续缴纳半年社保，经营贷基本就是稳批，年化利率（单利）3.8%起。{PRUDENCE}", "loan.misleading-terms"),
])
def test_a_claim_in_the_middle_of_a_paragraph_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # cn_bank_conduct._CUSTOMER_SENDS: what to do when a customer sends a secret unasked
    ("员工培训：如客户主动在对话中发来完整卡号，应提醒其立即撤回。", "pii.no-credential-solicitation"),
    # cn_bank_agency._NAMED_PRODUCT: a remark quoted after 理财 names no product
    (f"常有客户问：“邻居说某款理财‘已帮她赚了不少’，我也能买吗？”我们的回答是：别人的收益不代表您的收益。{WEALTH_NOTICE}",
     "agency.issuer-disclosure"),
    # claims.yaml endorsement: an official app's mark, a branch the regulator approved
    ("开通手机银行第一步：在应用商店下载本行官方App，请认准官方认证标识。", "marketing.no-regulator-endorsement"),
    ("【行业资讯】近日，金融监管总局批准本行设立青石分行。新分行预计于明年第一季度开业，届时可在新网点办理开户、转账等"
     "基础业务。", "marketing.no-regulator-endorsement"),
    # cn_bank_finance._BENCHMARK_CAVEAT: 并不是实际收益, 不是收益承诺
    ("理财知识：银行理财产品不再使用“预期收益率”的说法，而是展示业绩比较基准，业绩比较基准2.5%是管理人设定的目标，"
     "并不是产品的实际收益，更不是收益承诺。", "wealth.benchmark-not-promise"),
    # cn_bank_credit._PERIODIC_PRICE: a rate in a formula is no price shown first
    (f"问：日利率怎么换算成年化利率？答：年化利率（单利）=日利率×365。例如年化利率7.3%（单利）对应的日利率为0.02%。"
     f"本行贷款宣传均以年化利率为准，点击了解。{PRUDENCE}", "loan.apr-method"),
    # claims.yaml testimonial: a customers' voice column that thanks the staff
    (f"【客户心声】感谢李伯伯寄来表扬信，他说理财经理耐心为他讲解了产品说明书。{WEALTH_NOTICE}", "wealth.testimonial"),
    # cantonese.tsv: 唔系 is 不是, 即系 is 就是, so the question is answered no
    ("【保險小貼士】有長輩問：買咗儲蓄保險係咪即係存錢？唔係。保險係保險合同，唔係銀行存款。本行代理銷售嘅「瑞祥傳家分紅保險」"
     "由瑞祥人壽保險股份有限公司承保。", "insurance.not-deposit"),
])
def test_a_careful_paragraph_with_the_same_words_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # probe 64: claims.yaml endorsement (a licence news item: 经…批准，…正式开业); cn_bank_conduct._said_by_the_customer
    ("【行业资讯】11月18日，经国家金融监督管理总局批准，XX理财有限责任公司正式开业，注册资本50亿元。",
     "marketing.no-regulator-endorsement"),
    ("【在线客服记录】客户：我的卡被锁了，我直接把验证码发给你，你帮我解锁行吗？客服：请勿发送验证码！本行客服不会索要您的验证码。",
     "pii.no-credential-solicitation"),
])
def test_a_licence_notice_and_a_customers_own_turn_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


def test_a_greeting_to_the_customer_is_not_the_customers_turn() -> None:
    assert "pii.no-credential-solicitation" in text_rules_on("尊敬的客户：请回复您刚收到的验证码完成验证。")


def test_what_the_customer_says_in_a_transcript_is_not_the_banks_claim() -> None:
    # negation.said_by_the_customer, read by every claims.yaml category (probe 70)
    text = ("【客服对话】客户：“这个理财能保本吗？我只想要稳赚的。”客服：“您好，本行代销的理财产品均为非保本浮动"
            f"收益型，不承诺本金和收益，净值可能下跌。”{WEALTH_NOTICE}")
    assert "wealth.no-guaranteed-return" not in text_rules_on(text)
