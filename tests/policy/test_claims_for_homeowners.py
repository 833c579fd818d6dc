"""Probe 168 (a bank's texts for new homeowners and families renovating) and the tuning part's other misses:
the paraphrase families they showed, each in other words than the probe's, and the careful texts that share
their words."""

from __future__ import annotations

import pytest

from tests.policy.helpers import PRUDENCE, WEALTH_NOTICE, text_rules_on

_ISSUED = "安和理财发行，本行代销。" + WEALTH_NOTICE


@pytest.mark.parametrize(("text", "rule"), [
    # a loan's speed likened to an everyday thing, same-day money, an errand's time with the job done
    ("家装贷放款快得跟外卖一样，线上申请。" + PRUDENCE, "loan.misleading-terms"),
    ("装修贷上午提交申请，下午就能动工。" + PRUDENCE, "loan.misleading-terms"),
    ("装修贷从申请到放款，泡杯茶的工夫就办好了，欢迎申请。" + PRUDENCE, "loan.misleading-terms"),
    # a bad record listed then waved through; interest waived in other words
    ("逾期过？网贷多？这些统统不影响您申请本行家装贷，欢迎咨询。" + PRUDENCE, "loan.misleading-terms"),
    ("本行家装贷先用后还，免收利息，欢迎申请。" + PRUDENCE, "loan.misleading-terms"),
    # used or bought like a deposit of any term, or as safe as the deposit it is set beside
    ("“安家”理财跟您熟悉的三年期存单一个用法，到期一起回来。" + _ISSUED, "wealth.not-deposit"),
    ("“安家”理财：买法像存单，三年期，到期自动回款。" + _ISSUED, "wealth.not-deposit"),
    ("有人问这款理财和定期存款谁更安全，其实一样安全。" + _ISSUED, "wealth.not-deposit"),
    # the principal held fast, or safe in everyday words
    ("“安家”理财多年来牢牢护住了大家的本金，欢迎认购。" + _ISSUED, "wealth.no-guaranteed-return"),
    ("闲钱转入本行代销的“安家”理财，本金妥妥的，欢迎认购。" + _ISSUED, "wealth.forbidden-descriptors"),
    # first of its kind with how it runs between; the bank the most of a quality
    ("“安家”理财是同业当中做得最稳健的一款，欢迎认购。" + _ISSUED, "wealth.unsupported-superlatives"),
    ("办房贷最贴心的银行就是我行，欢迎咨询。", "ad.absolute-terms"),
    ("我行就是办房贷最省事的银行。", "ad.absolute-terms"),
    # an instalment's price as a sum added each month; an expert's "sound choice"; a crowd's word of gain
    ("冰箱用信用卡分期，每月只需多还50元，轻松到家。", "card.apr-display"),
    ("本行首席经济学家点评：“安康”年金险是为养老做准备的稳健选择，欢迎预约。本行代理销售，承保机构为安和人寿。",
     "wealth.testimonial"),
    ("邻居们都夸，用“安家”理财打理闲钱，收益不错。" + _ISSUED, "wealth.testimonial"),
    # the other banks' demands set against ours
    ("别家银行的房贷还要跑好几趟网点，咱们这儿方便多了，欢迎申请。" + PRUDENCE, "marketing.no-disparagement"),
])
def test_the_probes_paraphrase_families_are_claims(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # the down payment's shares listed, no rate among them
    ("首套房商业贷款首付比例不低于20%，二套不低于30%，申请前可先试算月供，请量入为出。", "loan.apr-disclosure"),
    # a borrower with a bad record refused, not welcomed
    ("本行不给征信有严重逾期的客户发放家装贷，审批以实际结果为准。" + PRUDENCE, "loan.misleading-terms"),
    # interest computed at a stated rate and then waived on a condition
    ("新客首借30天内全额还款，按年化利率（单利）7.2%计算的利息全免，逾期按合同计息。" + PRUDENCE,
     "loan.misleading-terms"),
    # the monthly sum shown with the annual rate; a crowd's word that is no gain
    ("信用卡账单分期每月只需还300元，年化利率（单利）约13%。", "card.apr-display"),
    ("大家都在说理财要分散配置，本行提醒您量力而行。", "wealth.testimonial"),
    # a bad record said to matter, a deposit told apart from wealth, the bank not the biggest
    ("负债高、征信差，这些都会影响装修贷审批。" + PRUDENCE, "loan.misleading-terms"),
    ("有人问理财和大额存单哪个更稳，答案是不一样：存单受存款保险保障，理财可能亏损。", "wealth.not-deposit"),
    ("我们不是最大的银行，但会用心服务每一位业主。", "ad.absolute-terms"),
])
def test_careful_texts_that_share_their_words_are_not(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize("text", [
    # a wealth descriptor said of the bank's own product outside a promotion (no call to act) is still its claim
    "打工攒下的钱放咱“安心宝”理财里，本金安全，年底连本带利一起取。",
    "本行“安享”理财：给您的收益加一道保险，适合不想操心的您。",
])
def test_a_descriptor_said_of_the_banks_own_wealth_product_counts_outside_a_promotion(text: str) -> None:
    assert "wealth.forbidden-descriptors" in text_rules_on(text)


@pytest.mark.parametrize("text", [
    # the deposit a comparison's 前者 names, and a disclaimer naming what it does not promise
    "大额存单与净值型理财比较：前者受存款保险保障、收益确定，后者净值波动、可能亏损。",
    "您持有的“安享”理财属于非保本浮动收益型产品，本行对本金安全及收益水平不作任何承诺。",
])
def test_a_descriptor_of_a_deposit_or_in_a_disclaimer_is_not_the_banks_claim(text: str) -> None:
    assert "wealth.forbidden-descriptors" not in text_rules_on(text)
