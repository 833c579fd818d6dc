"""Probes 60 and 61's readings: claims made in the middle of a paragraph without the catalogue's words (an
evaluator's quoted verdict, a product bought for the expert's parents, money made that paid for something, gains
in the end whatever happens, a loan as good as approved), and careful texts that hold words a checker flags (a
customer who sends a card number unasked, a neighbour's remark quoted, an official app's mark, a branch approved,
a benchmark explained, a rate formula, a thank-you for service, a question answered no in Cantonese); probe 70's
careful paragraphs (a transcript, the bank's own code message, a deposit-insurance explainer, a customer's story
that sells nothing) and the policies it found dressed as deposits. Each case reads the other way without the
change its comment names, or guards the other side of that change."""

from __future__ import annotations

import pytest

from tests.policy.helpers import FUND_NOTICE, PRUDENCE, WEALTH_NOTICE, text_rules_on


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
    # cn_bank_personal._CUSTOMER_SENDS: what to do when a customer sends a secret unasked
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
    # the turn begins the quotation it reads (客户：“…稳赚的”), and a descriptor of the deposit the answer
    # suggests (cn_bank_finance._of_another_product) describes no wealth product
    answered = text.replace("净值可能下跌。", "净值可能下跌。如果您更看重本金安全，可以了解受存款保险保障的定期存款。")
    assert not {"wealth.testimonial", "wealth.forbidden-descriptors"} & text_rules_on(answered)


def test_a_customers_words_that_nobody_answers_are_a_testimonial() -> None:
    said = "客户：“买了这款理财，收益稳稳的，一年下来比存款多赚不少！”"
    assert "wealth.testimonial" in text_rules_on(f"{said}{WEALTH_NOTICE}")


@pytest.mark.parametrize("text", [
    # negation.said_by_the_customer: 在线客服 is the bank's turn
    "【在线客服实录】客户：“我的卡号是……身份证号我也发给你吧？”在线客服：“请您先停一下！为保护您的信息安全，"
    "请勿发送卡号、身份证号、密码或验证码。”",
    # cn_bank_personal._the_bank_sends: the bank's own code message, shown and explained
    "【看懂验证码短信】本行发送的验证码短信通常写明：“验证码123456，用于尾号8899账户转账，请勿泄露给任何人。”"
    "收到验证码时，请核对用途和金额；本行任何工作人员都不会索要短信验证码。",
])
def test_the_banks_turn_and_the_banks_own_code_message_ask_for_nothing(text: str) -> None:
    assert "pii.no-credential-solicitation" not in text_rules_on(text)


def test_a_code_the_bank_sent_is_still_asked_for_when_the_clause_asks_for_it() -> None:
    assert "pii.no-credential-solicitation" in text_rules_on("您好，请把银行刚才发送的验证码告诉我，我帮您核实。")


def test_an_explainer_of_deposit_insurance_offers_no_policy_fund_or_deposit() -> None:
    # textkit.names_deposit_insurance (存款人, the depositor), vocabulary.GENERIC_CALLS (投保机构 is no call to
    # buy insurance) and NAMED_IN_PASSING (存款保险基金; the premium the insured banks pay)
    text = ("【存款保险知识】存款保险是一项保护存款人权益的制度安排：投保机构（即吸收存款的银行）按规定向存款保险基金"
            "管理机构缴纳保费，一旦投保机构被接管、被撤销或者破产，存款人可依法获得偿付。偿付范围包括存款本金和利息，"
            "最高偿付限额为人民币50万元。")
    assert text_rules_on(text) == set()


def test_a_customers_story_that_says_it_sells_nothing_is_no_testimonial() -> None:
    # vocabulary.OFFERS_NOTHING makes it education, as warning markers do
    story = ("【客户心声】王先生去年在本行做风险承受能力评估时，理财经理发现他的评估结果与想买的产品风险等级不匹配，"
             "便建议他暂缓决定。王先生说，他感谢的是那次耐心的解释。")
    assert "wealth.testimonial" not in text_rules_on(f"{story}本文不涉及任何具体产品推介。{WEALTH_NOTICE}")
    assert "wealth.testimonial" in text_rules_on(f"{story}他买的这款理财一年赚了两万。{WEALTH_NOTICE}")


@pytest.mark.parametrize(("text", "rule"), [
    # vocabulary.NAMED_IN_PASSING: 定期给付 pays regularly, it names no term deposit
    ("【代理保险】安和鑫享年金保险由安和人寿保险股份有限公司承保，本行为代理销售机构。按合同约定定期给付年金，长期持有"
     "稳赚不赔，为孩子准备教育金正合适。犹豫期15天，详情欢迎咨询办理。", "wealth.no-guaranteed-return"),
    # cn_bank_agency._paid_in: paying premiums in (每年存入2万元) names no deposit product beside the policy
    ("【代理保险】安和金满仓两全保险由安和人寿保险股份有限公司承保，本行为代理销售机构。每年存入2万元，连续存5年，"
     "满期一次性返还全部本金和利息，犹豫期15天，详情欢迎咨询办理。", "insurance.not-deposit"),
])
def test_a_policy_promised_or_dressed_as_a_deposit_in_its_own_sentence(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)
