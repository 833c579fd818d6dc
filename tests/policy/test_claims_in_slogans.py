"""Probe 66's readings: one-line slogans and replies that never use the catalogue's words (顶流影帝都在定投,
名嘴力挺, 一分亏不着, 给钱包穿上防弹衣, 定期换马甲, fixed deposit, 十个申请十个过, 通过率99.9%, 卡背三位dd我);
and free interest on a condition stated, which misleads nobody. Each case reads the other way without the change
its comment names; the last keeps that condition from excusing a bare 新客 offer."""

from __future__ import annotations

import pytest

from tests.policy.helpers import text_rules_on

WEALTH = "安和理财发行、本行代销。理财非存款，产品有风险，投资须谨慎。"
FUND = "恒信基金管理、本行代销。基金有风险，投资须谨慎。"
INSURER = "平和人寿承保，本行代理销售。"
LOAN = "本行消费贷年化利率（单利）7.2%起，请理性借贷。"
CREDENTIALS = "pii.no-credential-solicitation"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml testimonial (probe 66)
    (f"顶流影帝都在定投的指数基金，你还在观望？{FUND}", "wealth.testimonial"),
    (f"名嘴力挺：「這款理財我全家都在買」。{WEALTH}", "wealth.testimonial"),
    (f"三甲医院主任医师现身说法：这份重疾保险我给全家都配齐了。{INSURER}", "wealth.testimonial"),
    (f"🔥买过的都说香！这只纯债基金申购中。{FUND}", "wealth.testimonial"),
    # claims.yaml guarantee; cantonese.tsv 冇得风险; cn_bank_finance._NEAR_PRINCIPAL (metaphors of safety)
    (f"投1万，到期至少拿回10300元！{WEALTH}", "wealth.no-guaranteed-return"),
    (f"这份分红保险，红利年年有、一分亏不着。{INSURER}", "wealth.no-guaranteed-return"),
    (f"呢只理财冇得风险嘅，放心预约购买啦！{WEALTH}", "wealth.no-guaranteed-return"),
    (f"给钱包穿上防弹衣🛡️ 安和养老理财开放认购。{WEALTH}", "wealth.forbidden-descriptors"),
    # claims.yaml not_deposit
    (f"安和理财——定期换马甲：内里还是老味道。{WEALTH}", "wealth.not-deposit"),
    (f"It's just a fixed deposit with a new look：安和养老理财开放认购。{WEALTH}", "wealth.not-deposit"),
    (f"银保联名款“存钱险”上新啦，本行柜台即可投保！{INSURER}", "insurance.not-deposit"),
    # claims.yaml loan_misleading
    (f"十个申请十个过，本行信用贷等你来！{LOAN}", "loan.misleading-terms"),
    (f"通过率99.9%！{LOAN}", "loan.misleading-terms"),
    (f"No threshold，instant approval！{LOAN}", "loan.misleading-terms"),
    # claims.yaml credential; negation.NOT_NEGATING 不差地
    ("宝子们，绑卡失败的把卡背三位dd我就行～", CREDENTIALS),
    ("请一字不差地把卡面那串长数字抄给我们，方便核对。", CREDENTIALS),
    ("【本行提醒】您的账户存在异常，请将登录口令及短信码回传本号，以免冻结。", CREDENTIALS),
])
def test_a_slogan_without_the_catalogues_words_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


def test_interest_free_on_a_condition_stated_is_not_misleading() -> None:
    # cn_bank_credit._FREE_ON_CONDITION: 首笔借款30天内按期还款可享免息
    text = "本行消费贷新客首笔借款30天内按期还款可享免息，年化利率（单利）7.3%起，请理性借贷。"
    assert "loan.misleading-terms" not in text_rules_on(text)


def test_interest_free_for_new_customers_alone_still_misleads() -> None:
    assert "loan.misleading-terms" in text_rules_on(f"新客首月免息！“兴商快贷”随借随还。{LOAN}")


@pytest.mark.parametrize(("text", "rule"), [
    # probe 67: cn_bank_finance._EXPECTED_FIGURE (估计…能拿到4%), _FORECAST (目标回报是8%), RATINGS (拿到五星);
    # cn_bank_conduct._OTHER_BANK (乱收手续费, 系统崩溃)
    (f"您好，这款养老理财按目前的市场情况，估计到期能拿到4%左右的收益。{WEALTH}", "wealth.no-expected-yield"),
    (f"客户经理群消息：我们给这只红利指数基金定的年度目标回报是8%，现在申购正当时。{FUND}", "fund.no-forecast"),
    (f"這隻理財在第三方評級中拿到五星，今日開放認購。{WEALTH}", "wealth.rating-citation"),
    ("隔壁东港银行乱收手续费还经常系统崩溃，来我们这里开户省心多了。", "marketing.no-disparagement"),
    # cn_bank_conduct._STATISTIC and _OF_OUR_CUSTOMERS: a served-customers figure with words between, in businesses
    ("本行普惠金融团队累计服务小微企业超过20万户，值得信赖。", "ad.data-citation"),
    # cn_bank_finance._MONEY_FUND: a money fund named by its share class (货币A) needs the not-a-deposit notice
    ("汇川货币A（基金代码：017260）支持T+0快速赎回，1元起购，由汇川基金管理有限公司管理、本行代销。基金有风险，投资须谨慎。",
     "fund.risk-disclaimer"),
])
def test_other_rules_said_in_other_words_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)
