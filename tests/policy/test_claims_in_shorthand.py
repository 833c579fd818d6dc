"""Probes 40, 42, 43 and 45: claims in pinyin, shorthand, dialect and subtle copy, and careful texts that share their
words; each case reads the other way without the mechanism or lexicon entry its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import text_rules_on


@pytest.mark.parametrize(("text", "rule"), [
    ("现金管理类理财0风险，随时可赎，扫码购买", "wealth.no-guaranteed-return"),  # 0 for 零
    ("保险版“定期存款”：年金险每年存1万，欢迎咨询办理", "insurance.not-deposit"),  # a policy as a deposit's version
    ("装修贷日lv万5，额度最高30万，扫码申请", "loan.apr-disclosure"),  # 万5, the trade's 万分之五
    ("dxs借款无需父母同意，马上到账", "loan.student-targeting"),  # the parents named, not as the borrower
    ("分析师解读：这只混合基金后市可期，欢迎申购", "wealth.testimonial"),
    ("大V同款理财，粉丝已赚翻，立即抢购", "wealth.testimonial"),
    ("金融博士jiao授都在定投的指数基金，一键开启", "wealth.testimonial"),
    ("大额存单存入满20万，抽iPhone", "deposit.no-improper-inducement"),
    ("新客首购基金满1000元，返现50元", "fund.no-lottery-sales"),  # 首购 buys
    ("zui高收益的基金，立即申购", "wealth.unsupported-superlatives"),
])
def test_probe_40_short_texts_in_pinyin_and_shorthand_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("“理财非存款”是什么意思？即理财不受存款保险保障，可能亏损", "wealth.risk-disclaimer"),  # explains, sells nothing
    ("贷款申请须通过资质和征信审核，并非人人可贷", "loan.borrow-responsibly"),  # 并非人人可贷 invites no one
])
def test_probe_40_explanations_and_refusals_are_not_offers(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("消费贷日利率万分之二点五，随借随还，年化利率详询客户经理，点击申请。请理性借贷。", "loan.apr-disclosure"),
    ("集齐5张“防诈卡”即可兑换定制雨伞，卡片可通过好友赠送获得。", "platform.induced-sharing"),
    ("“买了安澜年金险，退休每月多领两千，心里踏实。”——来自本行客户赵先生。", "wealth.testimonial"),
    ("本行首家推出“一键养老”理财账户，欢迎咨询办理。", "ad.absolute-terms"),  # first to launch, not a first branch
])
def test_probe_42_subtle_claims_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("关于“保本”，我们必须说清楚：本行代销的理财产品都已经不再向客户承诺保本。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),  # a topic in quotation marks
    ("客户问：“这款理财能保证收益吗？”答：不能。理财非存款，产品有风险，投资须谨慎。", "wealth.forbidden-descriptors"),
    ("按照监管规定，商业银行不得将理财产品作为存款进行宣传，本行所有理财宣传材料均醒目标注“理财非存款”。",
     "wealth.risk-disclaimer"),  # a label named, no product described
    ("保险理赔小课堂：出险后请保留票据，理赔款将存入您投保时指定的银行账户。", "insurance.not-deposit"),
    ("借款合同印花税按借款金额的万分之零点五计税，由借贷双方依法缴纳。", "loan.apr-disclosure"),
    ("网点“共享雨伞”人人可借，用完请放回门口伞架。", "loan.misleading-terms"),
    ("有额度就能借？并非如此。授信额度只是上限，每次借款仍需审核。", "loan.misleading-terms"),
    ("请关注养老金领取资格认证时间，逾期未认证可能暂停发放。", "platform.induced-follow"),
    ("客户刘女士分享：保险理赔时，网点工作人员帮她整理材料，理赔款三天就到账了。", "wealth.testimonial"),
    ("服务没有终点，我们力争把每一次服务都做到最好。", "ad.absolute-terms"),
    ("【合规培训】宣传中禁用“最好”“最强”“第一”“唯一”“国家级”等绝对化用语。", "ad.absolute-terms"),
])
def test_probe_42_careful_texts_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("本期结构性存款挂钩黄金，不管金价涨还是跌，到期都按上限那一档给您结算，放心认购。", "wealth.no-guaranteed-return"),
    ("这只偏债基金历史上任何时候买入、持有两年都是赚的，相当于给收益上了一把锁，欢迎申购。",
     "wealth.no-guaranteed-return"),
    ("群消息：新一期“定期宝”理财开放认购啦，存三个月，到期本息自动转回您的银行卡。", "wealth.not-deposit"),
    ("【存单变保单】定期到期的客户注意啦，转存这款“鑫存宝”保险，存五年，本金全额保全。", "insurance.not-deposit"),
    ("银行和保险公司联合推出的养老储蓄计划，年金险形式，存满10年后每年领取利息。", "insurance.not-deposit"),  # no call
    ("我们支行行长的母亲也买了这款年金险，老人家说每年领钱那天心里特别踏实，欢迎投保。", "wealth.testimonial"),
    ("某高校金融研究院院长接受我行专访时表示，这只养老目标基金是退休规划的好选择。", "wealth.testimonial"),
    ("用户评价★★★★★：“在这家银行买理财五年了，从来没亏过。”本期理财火热认购中。", "wealth.testimonial"),
    ("粤语推文：借钱唔使审批，唔睇信用记录，即刻到手，快啲嚟搵我哋！", "loan.misleading-terms"),
    ("经营贷新规：有营业执照就给批，流水不看、负债不问，当天放款。", "loan.misleading-terms"),
    ("上海话：侬要借铜钿伐？贷款勿要啥资料，征信勿查，今朝就到账。", "loan.misleading-terms"),
    ("尊敬的客户，请打开手机的屏幕共享功能，客服将一步步指导您完成账户安全检测。", "pii.no-credential-solicitation"),
    ("您的网银U盾证书已过期，请在对话框中输入网银登录密码进行更新。", "pii.no-credential-solicitation"),
    ("Dear客户，请reply您的card number和CVV，以完成security check，谢谢。", "pii.no-credential-solicitation"),
])
def test_probe_43_the_weakest_categories_in_other_words_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("直播间答疑：养老理财也是净值型，不保本，不保证收益。理财非存款、产品有风险、投资须谨慎。", "ad.label"),
    ("如您在外部网站被要求输入卡号、有效期和CVV，请停止操作并致电我行官方客服核实。", "pii.no-credential-solicitation"),
    ("存款保险：被保险存款的最高偿付限额为每位存款人人民币50万元，本金和利息合并计算。", "insurance.not-deposit"),
    ("江州农商银行推出保管箱（保险箱）线上预约服务，租金按年收取。", "insurance.not-deposit"),
    ("王先生被人以“存单变保单、利息更高”为由签了保单。提醒：签字前请看清文件抬头。", "insurance.not-deposit"),
])
def test_probe_43_careful_texts_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("本行与安泰人寿共同推出“福寿年年”年金保险，趸交期交均可，欢迎咨询。", "insurance.not-deposit"),  # launched "with"
    ("反诈宣传周：把这篇推文转发到家人群并截图给客户经理，即可领取定制雨伞一把。", "platform.induced-sharing"),
])
def test_probe_45_a_launch_with_an_insurer_and_a_campaign_named_anti_fraud_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "存款保险保障的是存款本金和利息，理财、基金、保险等投资产品不在保障范围内。",
    "提示：存款保险覆盖的只是存款，本行代销的年金保险不属于存款。",
])
def test_probe_45_what_deposit_insurance_covers_is_no_likeness(text: str) -> None:
    assert not {"insurance.not-deposit", "wealth.not-deposit"} & text_rules_on(text)
