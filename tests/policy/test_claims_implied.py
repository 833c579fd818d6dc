"""Claims implied rather than said (probes 78–81's leftovers, probes 82 and 83): a rhetorical who-else, a secret
described by where it is typed, a shortfall the bank makes up, a loan offered by inviting the reader to a branch;
and careful texts that hold the same words (a question whether something still holds, sharing said to change
nothing, a mortgage priced off the LPR). Each case reads the other way without the change its comment names,
but the careful ones marked as guards: they keep a reading that was tried, or is close, from flagging them."""

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
    # cn_bank_personal._own_channel: the bank's app or an ATM inside the description says what the secret is,
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
    # probes 82 and 83, claims.yaml: approval arranged, the money in before the tea is drunk, a cent short made up,
    # a deposit's upgrade, a reward added to the listed rate, an influencer's account, a rival-free first place
    (f"您这种情况放心申请，我们这边已经跟审批打过招呼了，提交了肯定能过。{PRUDENCE}", "loan.misleading-terms"),
    (f"逢集当天来网点填张贷款申请表，坐那儿喝杯水，走的时候钱已经在卡里了。{PRUDENCE}", "loan.misleading-terms"),
    ("有人问这理财会不会赔？咱客户经理拍着胸脯说了：真要少了一分钱，行里给您补上。", "wealth.no-guaranteed-return"),
    (f"除了普通定期，我们还有“存款增强型”产品：理财1万元起，收益比定期高。{WEALTH_NOTICE}", "wealth.not-deposit"),
    ("春节期间新开一年期定期存款的，在挂牌利率上再给您多算一点。", "deposit.no-improper-inducement"),
    (f"本地快手红人“乡村二妞”也在咱这儿买这款理财，她直播时晒过账户。{WEALTH_NOTICE}", "wealth.testimonial"),
    (f"咱行贷款利息在全县是头一份的低，年化利率（单利）3.45%起。{PRUDENCE}", "ad.absolute-terms"),
    # cn_bank_platform._SHARE: a poster hung on one's Moments
    ("过年回家的老乡，把咱这张春节海报挂到朋友圈，攒够三十个赞，来网点换副对联。", "platform.induced-sharing"),
    # probe 84, claims.yaml: a private bank's understatement
    (f"“澄和”系列理财历经数轮周期，从未让任何一位客户的本金有过折损。{WEALTH_NOTICE}", "wealth.no-guaranteed-return"),
    (f"“澄和”短债理财可以视作一张更灵活的存单：同样的安稳与省心。{WEALTH_NOTICE}", "wealth.not-deposit"),
    ("您可将手机上收到的动态口令转述给前来拜访的客户经理，由其代办。", "pii.no-credential-solicitation"),
    ("新春之际存入三年期定期存款的贵宾，可额外领受一份相当于半年利息的“时光礼金”。", "deposit.no-improper-inducement"),
    ("本行黄金积存的点差之窄，同业难望项背，懂行的藏家自会明白。", "ad.absolute-terms"),
    # probe 86, claims.yaml: a reserve that makes up the return, a return floor, a rhetorical who-ever-lost, a
    # shortfall made up from the bank's own funds, a product named as a saving, deposit insurance claimed for it
    (f"本行已为“月月盈”理财计提风险准备金，波动时会动用准备金补足客户应得收益。{WEALTH_NOTICE}",
     "wealth.no-guaranteed-return"),
    ("“稳健添利”净值型理财设有收益地板：年化跌不破2.80%，点击立即购买。", "wealth.no-guaranteed-return"),
    ("大银行发的理财，您什么时候听说过有人亏过钱？“安鑫”系列火热认购中。", "wealth.no-guaranteed-return"),
    ("净值型理财特别安排：到期净值低于1.0000元，差额部分由本行以自有资金予以补足。欢迎认购。",
     "wealth.no-guaranteed-return"),
    ("“周周存”理财今日开放认购，每周可存可取，3万元起，风险等级R2。", "wealth.not-deposit"),
    ("“安盈”理财账户里的资金同样受存款保险保护，50万以内放心买。", "wealth.not-deposit"),
    # probe 85, claims.yaml testimonial: a quotation signed by a customer, a comment frame, a manager who holds it,
    # an ambassador, a gain told as an experience
    (f"老铁们，这款理财我整了小半年，收益杠杠的！——沈阳客户大刘。点击购买。{WEALTH_NOTICE}", "wealth.testimonial"),
    (f"评论区精选｜@小鹿：跟着推文买了第12期净值型理财，已经续上了！{WEALTH_NOTICE}", "wealth.testimonial"),
    ("基金经理访谈｜“这只基金我自己也跟投了。”本行代销，基金有风险，投资须谨慎。", "wealth.testimonial"),
    (f"奥运冠军李某某作为我行财富品牌形象大使，推荐大家选择“稳享”系列理财。{WEALTH_NOTICE}", "wealth.testimonial"),
    # vocabulary.DESCRIPTORS: an annual fee describes a card on offer
    ("菜单回复【青春卡】：专为18–22岁、住在宿舍里的你设计，可分期、可预借现金，首年免年费。", "loan.student-targeting"),
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
    # cn_bank_platform._EITHER_WAY and _NOTHING_TO_DO_WITH: following or not, all the same; a draw unrelated to it
    ("关注咱公众号能查余额、找附近网点，关不关注都不影响您在柜台办业务，关注也没有奖品。", "platform.induced-follow"),
    ("知识答题抽奖：答完10道题就有一次抽奖机会，跟转发、关注都没关系；奖品为毛巾。", "platform.induced-sharing"),
    # negation: a quotation after a negator is refused whole; 要是有人 frames a scam; 不请 and 不拿 negate
    ("贷款不是“有额度就能借、借了不用还”，逾期会影响征信。借钱前掂量自家收入，量入为出。", "loan.misleading-terms"),
    ("存款利率以挂牌为准，不搞“存款送礼”，要是有人私下承诺返现，请拨打投诉电话。", "deposit.no-improper-inducement"),
    (f"理财讲座上，不请客户上台“现身说法”，也不拿哪位乡亲的收益举例。{WEALTH_NOTICE}", "wealth.testimonial"),
    # negation._ASKED and vocabulary._SAYS_NO: a neighbour's question answered 别点
    ("有乡亲问：帮朋友砍价、助力能领钱吗？别点！那种链接很多是钓鱼网站。", "platform.induced-sharing"),
    # negation._KEYWORD_LABEL: the keyword a reply answers is the customer's word
    (f"关键词回复【保本】：我行发行及代销的理财产品均不承诺保本保收益，本金存在损失的可能。{WEALTH_NOTICE}",
     "wealth.no-guaranteed-return"),
    # vocabulary.FRAUD_FRAME: a message said to circulate, disowned as not the bank's
    ("近期流传的“转发本行海报领红包”消息：经核实，该活动并非本行发起，请勿点击。", "platform.induced-sharing"),
    # probe 86: a parents' loan whose borrower must be employed; a structured deposit's floor explained beside its
    # ceiling; a scam link refused; a notice of what the bank sells on its behalf, published
    (f"孩子上大学的学费还差一些？家长可申请我行个人消费贷款：借款人须为有稳定收入的在职人员。{PRUDENCE}",
     "loan.student-targeting"),
    ("问：结构性存款到期只拿到保底利率，是违约吗？答：不是。合同约定收益在保底利率和最高利率之间浮动。",
     "wealth.no-guaranteed-return"),
    ("陌生链接里的“存款满额抽大奖”“开户送现金”不要点，本行活动只在官方渠道发布。", "deposit.no-improper-inducement"),
    ("代销产品公示：本行代销的理财、基金、保险产品名称及发行机构已在官网公示，欢迎查询。", "wealth.risk-disclaimer"),
    # a letter of thanks for service is no testimonial of returns (a guard: 感谢信 was tried as a testimonial frame)
    (f"员工故事：理财经理小周曾三次劝阻高龄客户购买高风险产品，这位客户后来送来感谢信。{WEALTH_NOTICE}",
     "wealth.testimonial"),
    # vocabulary.CLAUSE_NEGATORS in English
    ("We will never ask you to reply with a one-time passcode. If asked, hang up.", "pii.no-credential-solicitation"),
    # cn_bank_conduct._FACTUAL_ONLY: advice and a computation's floor; vocabulary.GENERIC_CALLS: 办理前 calls nothing
    ("赶集取现提个醒：集上人多，取钱最好避开上午十点到十二点。", "ad.absolute-terms"),
    ("本期结构性存款年化收益率区间1.20%—2.80%，最低按1.20%计算。结构性存款不同于一般性存款，具有投资风险。",
     "ad.absolute-terms"),
    ("存款小知识：保险合同叫保险单，理财有产品说明书，只有存款才会给您存单，办理前可要求工作人员说明产品类型。",
     "wealth.risk-disclaimer"),
])
def test_a_careful_text_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
