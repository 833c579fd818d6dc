"""Probes 71 and 72's readings: claims reworded past the catalogue's words (a top rate as a ceiling, a deposit
insurance said to cover everything, a gift in English or added to the interest, a share paid in kind, a follow
that unlocks something, customers' screenshots) and careful texts that hold the words a checker flags (a deposit
that denies being an investment, a correction written with ≠, a scam quoted in an anti-fraud notice, the bank's
system sending a code, an app's anti-fraud corner). Each case reads the other way without the change its comment
names. Probe 73's (careful texts mostly) are marked."""

from __future__ import annotations

import pytest

from tests.policy.helpers import FUND_NOTICE, PRUDENCE, WEALTH_NOTICE, text_rules_on

DEPOSIT_INSURED = "依法受存款保险保障。"


@pytest.mark.parametrize(("text", "rule"), [
    # cn_bank_deposits._TOP_RATE: the top rate named as a ceiling, the floor left out
    ("黄金挂钩结构性存款开放预约，年化收益率上探3.8%。结构性存款不同于一般性存款，具有投资风险，请谨慎投资。",
     "deposit.structured-disclaimer"),
    ("结构性存款限时认购，行情给力的话年化收益能摸到四个多点的天花板。结构性存款不同于一般性存款，具有投资风险。",
     "deposit.structured-disclaimer"),
    # cn_bank_deposits._STATE_BACKED, DEPOSIT_SAFETY and _RISK_DENIED: deposit insurance said to cover all of it
    ("三年期整存整取上线，存款不管多少都有存款保险全额兜着，风险为零。", "deposit.insurance-wording"),
    (f"大额存单今日发售，20万元起存。不管您存五十万还是五百万，半点风险都沾不上。{DEPOSIT_INSURED}",
     "deposit.insurance-wording"),
    # cn_bank_finance._DEPOSIT_ACT: a deposit made in English; claims.yaml fund_gifts: a lucky draw
    (f"New money deposit ≥ 5万 = 1 次 lucky draw，一年期定期年利率1.45%，{DEPOSIT_INSURED}",
     "deposit.no-improper-inducement"),
    # vocabulary.A_SERVICE: an anti-fraud lecture offered beside the gift does not make the text a warning
    (f"重阳敬老月，各网点为老年客户准备了反诈讲座服务。新办一笔一年期定期的长辈，离开时都会多一桶花生油。{DEPOSIT_INSURED}",
     "deposit.no-improper-inducement"),
    # vocabulary.FRAUD_FRAME: 以…名义 said by the bank of its own gift is no scam's guise
    (f"大额存单即日起发售。新资金到账后，我们会以“开门红包”的名义往您账户里补一笔现金。{DEPOSIT_INSURED}",
     "deposit.no-improper-inducement"),
    # cn_bank_platform._SHARE and _REWARD: likes stored up and exchanged, a second life from a friend's click
    ("转发这条帖去朋友圈，储够28个赞就可以换电影票。", "platform.induced-sharing"),
    ("答题闯关卡住了？找好友帮你点一下，就能多一次复活机会！", "platform.induced-sharing"),
    # vocabulary.FRAUD_FRAME: a 防骗指数 quiz is a game, not a warning (probe 77)
    ("“你的防骗指数有多高？”测一测：完成10道题后，分享到朋友圈方可查看测评结果和防骗指数。",
     "platform.induced-sharing"),
    # cn_bank_platform._FOLLOW: followers by other names and in English
    ("扫大堂二维码成为我们公众号的粉丝，就能在门口领一把定制雨伞。", "platform.induced-follow"),
    ("Follow 我们的公众号，才能 unlock 你的年度账单完整版。", "platform.induced-follow"),
    ("扫码关注我们，柜台出示关注页面即可换购一桶食用油。", "platform.induced-follow"),
    # vocabulary.FRAUD_FRAME: 反诈专区 is a menu, not an anti-fraud warning
    ("客户问：防骗资料怎么下载？客服答：资料在公众号菜单“反诈专区”里，您得先成为我们的关注用户，系统才会把下载"
     "入口推给您。", "platform.induced-follow"),
    # negation.NOT_NEGATING: 还不上 is the customer's, the offer after it is not negated
    (f"先用后还，到期还不上也能一直往后延，年化利率（单利）5%起。{PRUDENCE}", "loan.misleading-terms"),
    # claims.yaml testimonial: screenshots of what customers got
    (f"后台好多客户发来了这期理财的到账截图，快来看看大家都拿了多少！{WEALTH_NOTICE}", "wealth.testimonial"),
    # cn_bank_deposits._RISK_DENIED: 一丁点 (probe 73)
    ("三年期大额存单今日发行，年利率1.75%。钱存在咱这儿，一丁点风险都没有。", "deposit.insurance-wording"),
    # cn_bank_conduct._STATISTIC: a rate of the bank's customers with no source (probe 73)
    ("本行大额存单续存率超过85%，老客户用脚投票。三年期年利率1.75%，20万元起存。", "ad.data-citation"),
    # cn_bank_conduct._OTHER_BANK: cheaper than the bank next door (probe 73)
    (f"“薪享贷”年化利率（单利）3.45%起，比隔壁某商业银行同类产品便宜一大截。{PRUDENCE}", "marketing.no-disparagement"),
    # cn_bank_platform._SHARE, _REWARD and _FOLLOW (probe 74): friends tagged, a post for the friends to see, a
    # link sent to the family in Cantonese, a coupon in English, the follow button described
    ("评论区@三位好友，抽10人送定制保温杯。", "platform.induced-sharing"),
    ("让你的朋友圈看见这份答题卷，发出后凭截图到网点换一盒鸡蛋。", "platform.induced-sharing"),
    ("各位街坊，将呢条链接发畀屋企人，佢哋每㩒开一次，你就多一张抽奖券喔！", "platform.induced-sharing"),
    ("Follow us and get a ¥10 coupon instantly — just tap the QR code.", "platform.induced-follow"),
    ("长按识别二维码，进公众号主页点一下那个绿色按钮，再回复“红包”即可领取。", "platform.induced-follow"),
    # vocabulary.DAILY_PRICE: a price per day in English (probe 74)
    ("Borrow ¥10,000 for just ¥2 a day — XX快贷 Quick Loan, apply now. Please borrow responsibly 理性借贷.",
     "loan.apr-disclosure"),
    # cn_bank_finance._PURCHASE: buy, in English (probe 74)
    (f"Buy ¥5,000 of XX Index Fund 基金 and take home a free ¥50 supermarket card. {FUND_NOTICE}",
     "fund.no-lottery-sales"),
    # negation.NOT_NEGATING: 不到一分钟 is a short time, not a negation (probe 74)
    (f"小李打开手机银行点了两下，不到一分钟钱就到了。XX快贷年化利率（单利）4.35%起。{PRUDENCE}",
     "loan.misleading-terms"),
    # cn_bank_agency._NAMED_PRODUCT: a brand in quotation marks before its kind (probe 75)
    (f"“月月享”固收+理财，风险等级PR3（中风险），1万元起购，手机银行“理财”频道即可购买。{WEALTH_NOTICE}",
     "agency.issuer-disclosure"),
    # cn_bank_credit._OWN_CREDIT: a loan named by its brand prices the bank's own credit (probe 75)
    (f"“家装贷”月利率0.27%，折合年化利率（单利）3.24%，期限1至5年。{PRUDENCE}", "loan.apr-method"),
    # cn_bank_conduct._PERSONS_WECHAT: a manager's own WeChat (probe 75)
    (f"想了解配置方案？添加专属客户经理小李的微信，一对一为您挑选理财产品。{WEALTH_NOTICE}",
     "marketing.personal-wechat-diversion"),
    # cn_bank_conduct._STATISTIC and _OTHER_BANK (probe 75)
    ("92%的受访用户表示，新版手机银行“大字模式”让转账更省心。快来体验吧！", "ad.data-citation"),
    (f"城南商业银行三年期年利率还不到2%，本行三年期定期年利率2.15%，存款就该选对银行。{DEPOSIT_INSURED}",
     "marketing.no-disparagement"),
    # cn_bank_platform._FOLLOW: the follow shown at the counter (probe 75)
    ("到任一网点出示已关注本公众号的页面，即可领取环保购物袋一个，数量有限。", "platform.induced-follow"),
    # negation.CLAUSE_END: a title's 】 ends its clause, so its 未 negates nothing after it (probe 75)
    ("【积分兑换未到账】请在对话框回复您的姓名、身份证号及绑定手机号，客服核实后为您补发。",
     "pii.no-credential-solicitation"),
    # cn_bank_platform._REWARD: a bar of soap handed out to each household (probe 76)
    ("下乡宣传记录：大家帮行里的公众号点个关注，下次来村里每户发一块肥皂。", "platform.induced-follow"),
    # cn_bank_platform._SHARE and _REWARD: a friend's clicks raise the odds; an extra spin in English (probe 78)
    ("客服答复：您的好友点开您发出的链接越多，您在抽奖池里的权重就越高。", "platform.induced-sharing"),
    ("Share this post with 5 friends and get an extra spin on the lucky wheel!", "platform.induced-sharing"),
    # vocabulary.DAILY_PRICE: RMB a day (probe 78)
    (f"Need cash? Borrow RMB 10,000 for just RMB 1.5 a day with 华辰e贷 — apply in the app. {PRUDENCE}",
     "loan.apr-disclosure"),
    # cn_bank_platform._SHARE and _REWARD (probe 79): a village's group, a Moments post, relatives pulled into a
    # group, one more chance to draw
    ("防诈知识答题做完，把页面转到你们屯的微信群，截个图给柜台，就能领一斤鸡蛋。", "platform.induced-sharing"),
    ("中秋活动：发个朋友圈配上咱农商行的海报，留够半天，拿手机来网点换一袋月饼。", "platform.induced-sharing"),
    ("拉五个亲戚进咱行的客户群，送一桶花生油，拉得越多送得越多。", "platform.induced-sharing"),
    ("重阳节敬老活动，把活动页转给三个老伙计，就多一次抽小米的机会。", "platform.induced-sharing"),
    # vocabulary.ENGLISH_WORDS: forward (probe 80)
    ("Forward this post to five friends and send us the screenshot to unlock your 10-yuan coupon.",
     "platform.induced-sharing"),
    # cn_bank_platform._SHARE: posted to "your" Moments (probe 81)
    ("把活动海报发到你的朋友圈，保留2小时不删，凭截图到网点领一份小礼品。", "platform.induced-sharing"),
    # cn_bank_platform._FOLLOW: only followers' answers count (probe 80)
    ("本次金融知识竞赛欢迎所有人作答。说明：只有本公众号粉丝的答卷才计入排名和奖品评选，其他答卷仅供练习。",
     "platform.induced-follow"),
    # cn_bank_finance._PURCHASE and cn_bank_conduct._PERSONS_WECHAT (probe 80)
    (f"本行代销XX基金管理有限公司“XX债券基金”，份额确认后我们还会额外奖励您一个50元现金红包。{FUND_NOTICE}",
     "fund.no-lottery-sales"),
    (f"本行消费贷年化利率（单利）3.6%-15%。具体能批多少，扫下方客户经理王经理的个人二维码。{PRUDENCE}",
     "marketing.personal-wechat-diversion"),
    # claims.yaml guarantee: a net value nobody has seen fall
    (f"这些年买过的客户，有谁见过它的净值往下走过一天？本行代销的固收类理财。{WEALTH_NOTICE}",
     "wealth.no-guaranteed-return"),
])
def test_a_claim_reworded_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # cn_bank_finance._a_deposit_said_to_be_one: a deposit that says it is no investment
    (f"大额存单不是理财，是实打实的存款：20万元起存，三年期年利率2.15%。{DEPOSIT_INSURED}", "wealth.not-deposit"),
    # vocabulary.NEGATORS: ≠
    ("银行代理≠银行推出：本网点代销的年金保险由XX人寿承保并承担保险责任，本行仅为代理机构。", "insurance.not-deposit"),
    # vocabulary.WARNING_MARKERS: 退群举报 is an anti-fraud warning
    ("遇到说“零风险、稳拿高回报”的理财群，直接退群举报！本行工作人员不会向您作此类承诺。", "wealth.testimonial"),
    # cn_bank_finance._FLOOR_FIGURE: a floor rate stated with its figure (保底利率年化1.05%) is the disclosure
    ("问：结构性存款保本吗？答：结构性存款不同于一般性存款，具有投资风险，收益可能仅为保底利率年化1.05%。",
     "deposit.structured-disclaimer"),
    # vocabulary.GENERIC_CALLS: 放款前 is a time, not a call, so the quoted scam is a warning's
    ("【防骗提醒】近期有人冒充银行发送短信，称“日息万分之三、无抵押、当天放款”，要求先交“保证金”。正规贷款放款前"
     "不会收取任何费用。收到此类信息请勿回复，如有疑问请拨打我行官方客服电话核实。", "loan.apr-disclosure"),
    # claims.yaml loan_misleading not_claims: 以免影响征信 is a reason to repay, not credit checks waived
    (f"个人消费贷款开放线上申请，年化利率（单利）3.2%起。请按时还款，以免影响征信。{PRUDENCE}",
     "loan.misleading-terms"),
    # cn_bank_personal._the_bank_sends: the system sends the code to the customer's phone
    ("在本行手机银行绑定他行卡时，系统会向您的预留手机号发送验证码，请仅在本行App的绑卡页面内输入。",
     "pii.no-credential-solicitation"),
    # vocabulary.FRAUD_FRAME: what a scammer asked of him, told as a story (probe 73)
    ("真实故事：李先生接到“公检法”电话，对方让他把身份证号、银行卡号和验证码都报过去，幸好柜员及时劝阻。",
     "pii.no-credential-solicitation"),
    # negation.asked_by_customer: a run of questions before one answer is the customer's (probe 73)
    ("问：微信客服能帮我查余额吗？只要我把卡号发给你？答：不需要，也不建议。请通过手机银行查询。",
     "pii.no-credential-solicitation"),
    # vocabulary.MENTIONED: a term in quotation marks asked about (probe 73)
    ("“理财存款”到底是啥？其实并没有这种产品——理财是理财，存款是存款。谁这么跟您介绍，都要多留个心眼。",
     "wealth.not-deposit"),
    # cn_bank_agency._NAME: deposit insurance's mark in quotation marks is no product (probe 75)
    ("存款保险小知识：最高偿付限额为人民币50万元。本行已依法投保存款保险，“存款保险”标识可在各网点门口查看。",
     "agency.issuer-disclosure"),
    # cn_bank_agency.agency_disclosure: the bank's private banking names its own product (私人银行“臻享”): the other
    # side of reading “臻享”固收+理财 as a brand
    (f"私人银行“臻享”固收+理财第15期开放认购，风险等级R2（中低风险），10万元起购。{WEALTH_NOTICE}",
     "agency.issuer-disclosure"),
    # textkit.claims: 保不保本 asks, its 保本 claims nothing (probe 76)
    (f"主播：弹幕有朋友问这款理财保不保本，我直说：它是非保本浮动收益型，可能亏损本金。{WEALTH_NOTICE}",
     "wealth.no-guaranteed-return"),
    # cn_bank_agency._NOT_BRAND: 有人问 is no fund's brand (probe 76)
    (f"主播：有人问债券基金是不是稳赚，我得说清楚，债基也会亏损。{FUND_NOTICE}", "agency.issuer-disclosure"),
    # vocabulary.FRAUD_FRAME: 任何人让您… warns (probe 76)
    ("协理员提示：社保卡密码请本人在机具上输入，任何人让您说出密码都不要告诉。", "pii.no-credential-solicitation"),
    # cn_bank_credit.apr_method: a daily price quoted as what other adverts say (probe 76)
    ("提醒各位：贷款广告只写“月息几厘”“每天几块钱”的，一定问清年化利率。本行消费贷年化利率（单利）3.6%起，欢迎咨询办理，"
     "请量入为出。", "loan.apr-method"),
    # cn_bank_conduct.ABSOLUTE_EXEMPT: the best time is after a risk assessment: advice (probe 76)
    (f"理财小贴士：购买理财的最佳时机是先完成风险测评、了解产品风险等级之后。{WEALTH_NOTICE}", "ad.absolute-terms"),
    # vocabulary.FORBIDDEN_LIST: the words of a list introduced as forbidden are named (probe 77)
    ("【内部培训·合规用语】理财宣传材料不得出现：保本、保收益、稳赚、零风险、本金无忧、收益有保障、刚性兑付；必须标注"
     "“理财非存款、产品有风险、投资须谨慎”。", "wealth.no-guaranteed-return"),
    ("【合规提示】贷款文案禁用：无门槛、零门槛、秒批、秒到账、人人可贷、不看征信、包过、零利息；“免息”须写明适用条件。",
     "loan.misleading-terms"),
    # vocabulary.NOT_CALLING: a student customer applying is reported, not called for (probe 77)
    ("【员工须知】不得进入校园推介消费贷款，不得以“学生专享”“大学生专属”等名义设计或宣传贷款产品，发现学生客户申请"
     "消费贷须按规定处理。", "loan.student-targeting"),
    # cn_bank_conduct.ABSOLUTE_EXEMPT: a structured deposit's lowest tier is its disclosure (probe 77)
    ("结构性存款由本行发行：结构性存款不同于一般性存款，具有投资风险，谨慎投资。年化收益率区间1.00%-2.60%，其中1.00%为"
     "最低档收益率。", "ad.absolute-terms"),
    # negation._ASKED: Q: asks (probe 78's pinyin reading makes the question's 保本 a word)
    ("Q:结构性存款 baoben ma?A:结构性存款不同于一般性存款,具有投资风险,收益可能仅为保底利率年化1.05%。",
     "wealth.no-guaranteed-return"),
    # cn_bank_finance._NOT_REQUIRED: a gift said to need no purchase (probe 78)
    (f"基金定投知识讲座，现场赠送记账本，参加讲座无需购买基金。{FUND_NOTICE}", "fund.no-lottery-sales"),
    # cn_bank_personal._BRACKETED_KEYWORD: a keyword in brackets to reply with (probe 78)
    ("回复【改密】获取修改登录密码的操作指引。", "pii.no-credential-solicitation"),
    # claims.yaml loan_misleading not_claims: repaying on time keeps the record clean (probe 79)
    ("授信额度批下来不等于要一次借完，按需借款、量入为出，按时还款不影响征信，欢迎来网点咨询。",
     "loan.misleading-terms"),
    # claims.yaml credential: the 报 of 海报 asks for nothing (probe 79)
    ("【海报·网点】学生办借记卡：带身份证、学生证来网点就能开，这张卡只能存钱取钱，没有借钱功能。",
     "pii.no-credential-solicitation"),
    # vocabulary.WARNING_MARKERS: 留意那些 warns
    ("零利率？留意那些“免息”背后的服务费：看贷款，先看年化利率。", "loan.misleading-terms"),
    # vocabulary.CLAUSE_NEGATORS: 不展示 turns round the screenshots
    (f"我们直播间不展示任何客户的收益截图，也不拿谁买了来做推荐。{FUND_NOTICE}", "wealth.testimonial"),
])
def test_a_careful_text_with_the_same_words_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
