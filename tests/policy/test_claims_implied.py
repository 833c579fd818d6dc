"""Claims implied rather than said (probes 78–81's leftovers and probes 82–83): a rhetorical who-else, a secret
described by where it is typed, a shortfall the bank makes up, a loan offered by inviting the reader to a branch;
and careful texts that hold the same words (a question whether something still holds, sharing said to change
nothing, a mortgage priced off the LPR). Each case reads the other way without the change its comment names,
but the first careful one: it guards the question 还…吗 the rhetorical reading must leave alone."""

from __future__ import annotations

import pytest

from tests.policy.helpers import PRUDENCE, WEALTH_NOTICE, text_rules_on


@pytest.mark.parametrize(("text", "rule"), [
    # vocabulary.FRAUD_FRAME: a rhetorical question whether anything beats it is no question (还…吗)
    ("三年期大额存单年利率2.15%，全城还能找到比这更高的吗？欢迎到网点办理。", "ad.absolute-terms"),
    ("三年期存款利率给到这个水平，您说整个城区还能找到第二家吗？欢迎到网点咨询办理。", "ad.absolute-terms"),
    # vocabulary.CLAUSE_NEGATORS: 没有第二家 and 没有对手 claim, they do not negate
    ("办社保卡就来俺行，全县没有第二家能比俺服务好。", "ad.absolute-terms"),
    (f"同期限的固收+产品我们逐一比过，“季季盈”没有对手。点击认购。{WEALTH_NOTICE}", "wealth.unsupported-superlatives"),
    # claims.yaml superlative: the rival named by its brand in quotation marks
    (f"同类现金管理类理财里，还有谁的收益比“天天盈”更高？立即申购。{WEALTH_NOTICE}", "wealth.unsupported-superlatives"),
    # cn_bank_conduct._own_channel: the bank's app or an ATM inside the description says what the secret is,
    # not where it goes; the chat is where it goes
    ("积分兑换请在对话框里输入您平时登录手机银行用的那串字符，系统自动核验。", "pii.no-credential-solicitation"),
    ("升级账户安全等级：打开页面后，在第二个框里填上您平时在ATM取钱时按的那六位。", "pii.no-credential-solicitation"),
    ("登录遇到问题？把您网银登录时输入的那串字母加数字私信给我们，我们帮您看看。", "pii.no-credential-solicitation"),
    # claims.yaml credential: the code's digits described, the card face's 16 digits filled in
    ("阿嬷，等下手机会收到一条短信，里面有六个数字，你回复给我就好。", "pii.no-credential-solicitation"),
    ("领奖时请在本页面填写持卡人姓名、卡面上的16位数字和有效期。", "pii.no-credential-solicitation"),
    # claims.yaml guarantee: the principal kept apart and handed back, a shortfall made up, a payout never below
    (f"这款理财在设计上就把本金那部分单独护住了，到期至少原样拿回。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    (f"净值型理财：万一到期收益没达到说明书写的水平，差额由我行补足。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    ("【代理保险】这款分红险往年的分红从来没低于过利益演示的中档水平，今年照样跑不了，欢迎到网点了解投保。",
     "wealth.no-guaranteed-return"),
    # cn_bank_credit._INVITATION: come to the branch to apply
    ("【海报】养殖贷来了！三到五年期，随借随还，客户经理上门服务，欢迎养殖户来网点申请。", "loan.borrow-responsibly"),
    # claims.yaml loan_misleading: 保过, and a blacklisted borrower told not to fear
    (f"快贷保过！年化利率(单利)6.5%起，点击申请。{PRUDENCE}", "loan.misleading-terms"),
    (f"以前贷款有逾期、上了失信名单的阿兄也免惊，来找我们就有办法借到啦。{PRUDENCE}", "loan.misleading-terms"),
])
def test_an_implied_claim_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # vocabulary.FRAUD_FRAME: a question whether it still holds says nothing (还…吗 without a comparison; a guard)
    (f"很多人问：银行理财还保本吗？资管新规以后，理财产品不再承诺保本。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    # cn_bank_credit._LPR_PRICED: a rate set off the LPR by basis points is the contract's formula
    (f"華辰房貸：首套房貸款年利率3.05%（LPR減30個基點），歡迎預約辦理。{PRUDENCE}", "loan.apr-method"),
    # cn_bank_platform._NO_SHARE_NEEDED: share or not, all the same
    ("这篇防骗文章觉得有用，可以转俾屋企老人睇，转唔转都冇奖品。", "platform.induced-sharing"),
    ("中秋来网点答三道防诈题，送一袋月饼；门口的海报想拍就拍，发不发朋友圈都一样领。", "platform.induced-sharing"),
])
def test_a_careful_text_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
