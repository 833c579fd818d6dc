"""Claims said plainly, without a call to act: of a product the sentence names, to the reader, of the bank's
own product; gains said as the result of holding; and careful texts that share their words (a belief
refuted, what does not follow, words listed as words, a quoted question answered no). Each case reads the
other way without the mechanism its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import text_rules_on

GUARANTEE = "wealth.no-guaranteed-return"


@pytest.mark.parametrize(("text", "rule"), [
    # of a product its own sentence names, with no call to act (textkit.said_of_a_product)
    ("分红险的分红年年有，一年比一年多，这是写进合同的。", GUARANTEE),
    ("指数基金定投满三年，从没有人亏过钱；坚持住，收益自然就来了。", GUARANTEE),
    # to the reader (您的本金), or of one policy pointed at (这份保险)
    ("外汇宝做美元，汇率波动再大也伤不到您的本金。", GUARANTEE),
    ("这份保险存满三年，到手收益就是确定的百分之十二，没有任何变数。", GUARANTEE),
    # a gain as the result of holding, growing every year, fixed in writing, a principal kept, a loss asked
    # about rhetorically (claims.yaml guarantee)
    ("这只债基跑了五年没有一年是负的，放心拿着就是赚。", GUARANTEE),
    ("黄金这东西只会越来越值钱，现在买进积存金就是赚到。", GUARANTEE),
    ("美元存着稳稳吃汇差，换汇就等于白捡收益，外汇宝了解一下。", GUARANTEE),
    ("年金险每年返钱，收益白纸黑字写死了，比存银行强多了。", GUARANTEE),
    ("哪怕市场再差，这只基金也能给您守住本金。", GUARANTEE),
    ("银行自己出品的理财，还能让您亏了不成？", GUARANTEE),
    # the same in other voices: a record with a count between (没有哪一期让客户亏过), a payout no less than
    # written (一分也不会比合同写的少), the top of a range whatever happens, slang (稳如老狗)
    ("客服小美：亲，这款理财您放一百个心，到现在为止还没有哪一期让客户亏过本金哦～", GUARANTEE),
    ("我行“颐年”年金保险，交费五年，终身按月领取，领到的钱一分也不会比合同写的少。", GUARANTEE),
    ("结构性存款挂钩汇率，不管汇率怎么走，都能拿到最高那档收益。", GUARANTEE),
    ("外币理财锁定美元高息，收益稳如老狗，到期自动回到您账户。", GUARANTEE),
    # the seller's own family money in it
    ("理财经理小陈：我自己家里的钱也全放在这款理财里，您放心跟着买。", "wealth.testimonial"),
    # bad credit invited, a monthly payment as the price, card and PIN asked to be left (留下)
    ("哪怕征信花了，也可以来试试我们的信用贷，通过率超高。", "loan.misleading-terms"),
    ("车贷月供低至每月1888元，首付两成开回家。", "loan.apr-disclosure"),
    ("參加抽獎請留下您的銀行卡號及密碼，以便獎金直接匯入。", "pii.no-credential-solicitation"),
    # every issue paid at the top of its range, so buying means getting it all; a monthly payment as the price
    ("第二类是我行代销的“安盈”系列理财，过去三年每一期都按基准上限兑付，可以说买了就能拿满。", GUARANTEE),
    ("我行装修分期，最高可贷30万，每月只需还款1280元起，当天审批当天放款，欢迎来电咨询。", "loan.apr-disclosure"),
    # 手慢无 urges a purchase: the text promotes what it names (vocabulary.CALLS)
    ("暴富机会来了！这款理财年化高达8%，手慢无。", "marketing.inducing-terms"),
    # the state's backing claimed for the bank's own product, without a call to act
    ("这款理财有国家背书，安全放心。", "marketing.no-regulator-endorsement"),
    ("持牌经营、监管备案，这款理财产品的资金安全有国家盯着，您只管安心。", "marketing.no-regulator-endorsement"),
    # a customer's gain told by amounts (claims.yaml testimonial)
    ("张阿姨去年买了十万这款理财，今年光收益就拿了五千多，直夸产品好。", "wealth.testimonial"),
    ("很多老客户跟我说，这款基金让他们的养老钱翻了一番。", "wealth.testimonial"),
    ("我的一个客户退休前买了这款年金险，现在每月多领三千块，老两口天天去旅游。", "wealth.testimonial"),
    # an academic institution or a professional (广告法 art. 25(2): 学术机构, 专业人士) recommending it
    ("某大学金融研究院推荐这款养老理财，认为是当下的稳健之选。", "wealth.testimonial"),
    ("知名律师、注册会计师都在买这只基金，您还在等什么？", "wealth.testimonial"),
    # a policy given a deposit's name (cn_bank_agency: “…存款…” 由…承保, 这张“…存单”)
    ("这份“养老存款计划”由安和人寿承保，存满十年后每月领钱。", "insurance.not-deposit"),
    ("定期快到期了吧？先别急着转存，换成这张“五年期存单”，多一份保障。（XX人寿年金保险，本行代理销售）",
     "insurance.not-deposit"),
])
def test_a_claim_said_plainly_is_a_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # what is said not to follow (vocabulary.UNRELATED: 并不代表)
    ("客服回复：您好，净值型理财的净值会随市场波动，过去没有出现亏损并不代表以后不会亏损，我们无法向您承诺保本。",
     GUARANTEE),
    # a belief refuted (vocabulary.FRAUD_FRAME: 以为…其实)
    ("很多人以为买理财就能稳赚，其实任何投资都可能亏损，请理性看待收益。", GUARANTEE),
    # a quoted question answered no (vocabulary.NEGATIVE_ANSWER after the closing quotation mark)
    ("常见问题：问“银行理财都保本吗？”答：不是。银行理财不得承诺保本保收益，请以产品说明书为准。", GUARANTEE),
    # words listed as words (vocabulary.UNRELATED: 等词)
    ("内部培训｜文案红线：保本、零风险、稳赚、收益有保障等词一律不得用于理财宣传。", GUARANTEE),
    # 理赔 is a claim settled, not a loss paid by the bank (claims.yaml guarantee: (?<!理)赔)
    ("客户王先生反馈：“车险理赔材料是网点帮我整理好的。”理赔由保险公司负责，网点可协助提交材料。", GUARANTEE),
    # a belief others hold, then set straight (vocabulary.FRAUD_FRAME: 总觉得…分清楚)
    ("家里老人总觉得银行理财就是存款，这里帮大家分清楚：理财产品由理财公司发行，银行代销，不是存款，不受存款保险保障。",
     "wealth.not-deposit"),
    # buying through official channels is advice, not a call (vocabulary.NOT_CALLING), so a scam's quoted yield
    # is not the bank's performance shown
    ("近期有不法分子发布“某银行内部保本理财，年化12%，名额有限”的虚假信息。本行郑重声明：从未发行此类产品，"
     "请通过官方渠道购买。", "wealth.past-performance-disclaimer"),
    # a call that is forbidden calls for nothing (text.analyse: a negated call)
    ("基金销售不得以抽奖、赠送实物等方式诱导购买，本行严格遵守。", "fund.risk-disclaimer"),
    # a reader's question (negation.asked_by_customer: 网友问)
    ("最近有网友问：哪家银行理财收益最高？我们的回答是：收益与风险并存，请根据自身情况选择。",
     "wealth.unsupported-superlatives"),
    # a customer's term quoted back (您提到的“存款型保险”) is no policy named as a deposit
    ("客服答复：您提到的“存款型保险”本行并无此类产品。您购买的是安澜人寿两全保险，属于保险合同，不是存款。",
     "insurance.not-deposit"),
    # an institution's data cited, a professional who recommends nothing
    ("据某研究院发布的报告显示，居民储蓄率持续上升。理财非存款，产品有风险，投资须谨慎。", "wealth.testimonial"),
    ("本期投资者教育讲座邀请律师讲解理财合同条款，不推荐任何具体产品。", "wealth.testimonial"),
    # a price said to move and a return not promised, then prudence urged, is a risk warning; so is a fall
    # said possible with no gain promised
    ("黄金价格会波动，积存金不保证收益，请理性投资。", "ad.investment-risk-warning"),
    ("金价受多种因素影响，可能上涨也可能下跌，积存金定投不能保证盈利。", "ad.investment-risk-warning"),
])
def test_a_careful_text_with_the_same_words_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


LOAN_TERMS = "loan.misleading-terms"


@pytest.mark.parametrize(("text", "rule"), [
    # principal and gains promised without the catalogue's words (probe 58, claims.yaml guarantee): the stake
    # back at least, a loss made up by the seller, a figure fixed for good, paid out in full, never lost in Cantonese
    ("这款理财到期后您至少能拿回放进去的钱，理财非存款，产品有风险，投资须谨慎。", GUARANTEE),
    ("这只基金要是跌了，差额由我们补足。基金有风险，投资须谨慎。", GUARANTEE),
    ("您好，这款理财到期给您3.2%，这个数是定死的，您放心。理财非存款，产品有风险，投资须谨慎。", GUARANTEE),
    ("这款年金险交多少领多少，一分都不会打水漂。由安和人寿保险股份有限公司承保，本行代理销售。", GUARANTEE),
    ("呢只基金买咗从来冇蚀过。基金有风险，投资须谨慎。", GUARANTEE),
    # approval promised and checks waived in other words (claims.yaml loan_misleading)
    ("信用贷申请一律通过，年化利率（单利）6%起，请理性借贷。", LOAN_TERMS),
    ("消费贷无需查询信用记录，年化利率（单利）6%起，请理性借贷。", LOAN_TERMS),
    ("没有社保、没有流水也照样能贷，年化利率（单利）6%起，请理性借贷。", LOAN_TERMS),
    ("经营贷点几下就批，年化利率（单利）4%起，请理性借贷。", LOAN_TERMS),
    ("消费贷不还也不会有什么后果，年化利率（单利）6%起，请理性借贷。", LOAN_TERMS),
])
def test_a_promise_paraphrased_is_a_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # a figure said not to be fixed; a saying named to be denied; a credit check the bank does; interest waived
    # on a stated condition (catalogue: 免息 with a condition is no claim)
    ("净值型理财的收益率不是定死的，会随市场波动。理财非存款，产品有风险，投资须谨慎。", GUARANTEE),
    ("理财产品没有“交多少领多少”的说法，净值会波动。理财非存款，产品有风险，投资须谨慎。", GUARANTEE),
    ("贷款前本行会查询您的征信，审批结果以系统评估为准，年化利率（单利）6%起，请理性借贷。", LOAN_TERMS),
    ("30天免息券：首次借款且30天内全额还款的，按年化利率（单利）7.2%计算的利息全免。请理性借贷。", LOAN_TERMS),
])
def test_a_careful_text_near_a_paraphrased_promise_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
