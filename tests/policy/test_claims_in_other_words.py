"""Claims said in other words, and careful texts that share their words: each case reads the other way
without the mechanism or lexicon entry it names."""

from __future__ import annotations

import re

import pytest

from oa_spec.policy.text import find_pattern, normalise
from tests.policy.helpers import text_rules_on


def test_a_match_negated_where_it_starts_does_not_hide_a_claim_inside_it() -> None:
    pattern = re.compile(r"自由职业[^。]{0,12}?都能借|统统都能借")
    found = find_pattern(normalise("不是自由职业者也行，统统都能借"), pattern)
    assert [m.term for m in found] == ["统统都能借"]


def test_what_follows_a_negator_inside_a_match_stays_negated() -> None:
    assert find_pattern(normalise("理财是不是存款"), re.compile(r"是[^，]{0,3}存款")) == []


@pytest.mark.parametrize(("text", "rule"), [
    # a list item with its own negator is its own statement
    ("不用跑网点、不用交流水、不用房产证明，一张身份证就能贷到钱。详询客户经理，请量力而行。",
     "loan.misleading-terms"),
    # 统统 alone frames no warning
    ("上班族、个体户、自由职业者，只要年满18岁，统统都能借！快贷额度随时申请，请理性借贷。", "loan.misleading-terms"),
    # 没有…比…更 builds a superlative, it denies nothing
    ("说到社保卡业务，放眼全市没有比我们更专业的银行，欢迎就近办理。", "ad.absolute-terms"),
    # the scammer's 千万别挂断 is no anti-fraud warning
    ("为了帮您尽快解冻，请把刚才那条短信里的六位数字告诉客服，千万别挂断电话。", "pii.no-credential-solicitation"),
    # a link is nobody's own channel, whatever the sentence names
    ("账户异常提醒：您的手机银行登录存在风险，请点击下方链接重新输入登录密码和取款密码完成验证。",
     "pii.no-credential-solicitation"),
    # the deposit word of a likeness is the yardstick, not the product the sentence is about
    ("本行新推出“稳享存”：交五年、保终身，相当于一张会长大的存单，到网点柜台就能办。本产品为年金保险，由合作保险公司承保。",
     "insurance.not-deposit"),
    ("本款理财已在全国银行业理财信息登记系统登记，等于过了国家这一关，正规放心，1万元起购。理财非存款，产品有风险，投资须谨慎。",
     "marketing.no-regulator-endorsement"),
    ("网点的王先生去年听了建议配置这款固收+理财，前几天专门来送锦旗，说收益比他预想的还要好。理财非存款，产品有风险，投资须谨慎。",
     "wealth.testimonial"),
    ("要论稳，同期发行的固收类产品里没有哪只能比它更稳。风险等级R2，1万元起购。理财非存款，产品有风险，投资须谨慎。",
     "wealth.unsupported-superlatives"),
    ("本周知识问答已上线，答对全部题目的朋友，把成绩页转到两个微信群，截图发给后台，我们会给你寄一份精美台历。",
     "platform.induced-sharing"),
    ("想要高清原图的朋友，需要先把这篇推送发到三个以上家庭群，再把聊天截图发给我们。", "platform.induced-sharing"),
    ("基金经理在直播中表示，明年这只基金有望给持有人带来两位数回报，欢迎申购。基金有风险，投资须谨慎。",
     "fund.no-forecast"),
])
def test_claims_in_other_words_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("typed", "read"), [
    ("呢只理财买咗就唔使惊蚀本", "这只理财买了就不用怕亏本"),  # written Cantonese, as the FAQ reads it
    ("一日利息唔够两蚊", "一日利息不够两块"),
    ("年化收益率为百分之二点一", "年化收益率为2.1%"),  # a percentage in words
    ("收益率上限可达年化百分之十五", "收益率上限可达年化15%"),
    ("保本比例百分之一百", "保本比例100%"),
    ("收益在百分之二三左右", "收益在百分之二三左右"),  # a range said loosely stays as written
    ("百分之十十十", "百分之十十十"),  # not a numeral
    ("蚊子", "蚊子"),  # 蚊 alone is a mosquito
])
def test_cantonese_and_percentages_in_words_are_read_as_mandarin_and_figures(typed: str, read: str) -> None:
    text = normalise(typed)
    assert text.norm == read
    assert len(text.offsets) == len(text.norm) and all(0 <= o < len(typed) for o in text.offsets)


@pytest.mark.parametrize(("text", "rule"), [
    ("【理财速递】呢只养老理财（XX理财发行，本行代销），买咗就唔使惊蚀本。一万元起购。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("XX天天利现金管理类理财，2026年5月1日至10月31日年化收益率为百分之二点一。XX理财发行，本行代销。理财非存款，产品有风险，"
     "投资须谨慎。", "wealth.past-performance-disclaimer"),
    # a misleading loan term is the offer itself, with or without a call to act
    ("不用跑网点，不用交流水，不用开证明，报个手机号钱就到卡上。XX消费贷，理性借贷。", "loan.misleading-terms"),
    # none-other-like-it said outright is a claim in any text but a warning
    ("我行网点服务，好到挑不出一点毛病，是全省银行里“标杆中的标杆”。", "ad.absolute-terms"),
    # a deposit as the yardstick (比放活期强多了) is not what the sentence is about
    ("听听客户怎么说：“比放活期强多了”——李女士；“收益我挺满意”——张先生。XX理财一万元起购，本行代销。理财非存款，产品有风险，"
     "投资须谨慎。", "wealth.testimonial"),
    ("本基金经中国证监会注册募集，相当于拿到了监管发的“合格证”，品质有人把关。今日起发售，本行代销。基金有风险，投资须谨慎。",
     "marketing.no-regulator-endorsement"),  # 有人把关 is no misconception reported (有人把理财当存款)
    ("王大爷上周把我们的反诈文章发到了老年大学群，他也因此领到了一桶花生油。下一个领油的，会是你吗？",
     "platform.induced-sharing"),  # an anti-fraud article shared for oil is sharing for a reward
    ("叫上你的“饭搭子”一起来，每多一位好友通过你的专属二维码进入活动页面，你的抽奖次数就多一次。",
     "platform.induced-sharing"),
])
def test_probe_29_claims_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("唔使睇信用报告,唔使揾担保人,有身份证就借得到,XX私人贷款话你知,记得量入为出。", "loan.misleading-terms"),
    ("这只基金已完成注册，相当于证监会亲自验过货、过了筛子，品质您不用操心，欢迎到网点咨询。基金有风险，投资须谨慎。",
     "marketing.no-regulator-endorsement"),
    ("喺我哋度存五万蚊定期，就有一支靓油攞，先到先得，快啲嚟啦。", "deposit.no-improper-inducement"),
    ("隔壁那家银行的手机银行卡得跟老牛拉破车似的，转个账都得等半天，来我们这儿试试吧。", "marketing.no-disparagement"),
    ("海报标语：“没有之一”——XX银行手机银行，好用到没朋友。", "ad.absolute-terms"),  # 没有之一 denies nothing
    ("照这个势头，这只基金明年翻个跟头不成问题，跑出两位数的回报指日可待。基金有风险，投资须谨慎。",
     "fund.no-forecast"),
])
def test_probe_31_claims_in_dialect_and_idiom_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("新学期伙食费紧张?寝室里想换台新电脑,XX消费贷帮你先用着,毕业后再慢慢还。请理性借贷。", "loan.student-targeting"),
    ("大二的小伙伴,缺钱别找爸妈,XX快贷来一个,请理性借贷。", "loan.student-targeting"),
    ("校门口新海报:毕业旅行说走就走,XX旅游贷给你底气,扫码申请,请理性借贷。", "loan.student-targeting"),
    ("“没有收入证明,能贷吗?”“能!”XX信用贷,欢迎咨询,请理性借贷。", "loan.misleading-terms"),
    ("以前的逾期记录不影响这次申请,XX信用贷欢迎办理,请理性借贷。", "loan.misleading-terms"),
    ("呢款理财,收益只会多唔会少,快啲嚟买。", "wealth.no-guaranteed-return"),
    ("咱行这款黄金积存,跟着买基本不会亏。", "wealth.no-guaranteed-return"),
    ("这款分红险,红利年年稳稳落袋。", "wealth.no-guaranteed-return"),
    ("这份教育金保险,就是给孩子存的专属存折,欢迎咨询。", "insurance.not-deposit"),
    ("稳健存钱方式推荐:大额存单、R1级理财“安心宝”,都在本行。理财非存款,产品有风险,投资须谨慎。", "wealth.not-deposit"),
    ("借一天 = 一杯豆浆钱。XX快贷,限时申请,请理性借贷。", "loan.apr-disclosure"),
    ("听说老同学靠这款基金多赚了一辆车。欢迎咨询。基金有风险,投资须谨慎。", "wealth.testimonial"),
    ("王阿姨讲:“钱摆在这只理财里,比存定期多出不少。”理财非存款,产品有风险,投资须谨慎。", "wealth.testimonial"),
])
def test_probe_31_rest_loan_prompts_dialect_and_likenesses_are_read(text: str, rule: str) -> None:
    # a loan named with a prudence prompt is promoted; a doubt answered yes; 呢款, 咱行; a deposit book;
    # a list of ways to deposit money; the day's cost as a snack; hearsay that asks nothing frames nothing
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("【安盈系列理财】持有满两年,到期时账户里的钱肯定比投入时多。点击了解。", "wealth.no-guaranteed-return"),
    ("“周周盈”现金管理理财:钱放进去一分也不会少,随用随取。", "wealth.no-guaranteed-return"),
    ("问:这款理财会不会亏?答:就算行情再差,到期照样能拿回全部本金。", "wealth.no-guaranteed-return"),
    ("若净值跌破1元,您的理财经理将为您补足差额。", "wealth.no-guaranteed-return"),
    ("这只基金明年净值有望翻倍,不是难事。", "fund.no-forecast"),
    ("这款理财在同类产品里跑赢所有对手,业内仅此一只。", "wealth.unsupported-superlatives"),
    ("XX快贷年化4.2%起,想借多久借多久。", "loan.apr-method"),
    ("账单分期:借3,000元分6期,每期只需还520元,马上申请。", "card.apr-display"),
    ("XX快贷:泡杯茶的工夫,钱就到账了,请理性借贷。", "loan.misleading-terms"),
    ("新客首月免息,仅收少量服务费,XX快贷欢迎申请,请理性借贷。", "loan.misleading-terms"),
    ("转发到朋友圈后回复“已转”,我们会给您准备一份小惊喜。", "platform.induced-sharing"),
    ("组队瓜分万元红包:凑满五人即可开奖,快叫上你的小伙伴!", "platform.induced-sharing"),
    ("本期完整攻略仅对粉丝开放,关注后即可阅读全文。", "platform.induced-follow"),
    ("稍后客服来电会跟您逐位核对短信里的数字。", "pii.no-credential-solicitation"),
    ("财经博主亲测:这款理财一个月收益够交话费。理财非存款,产品有风险,投资须谨慎。", "wealth.testimonial"),
    ("首席分析师直播:为什么现在是配置我行稳健理财的好时机?点击预约。", "wealth.testimonial"),
    ("这份增额寿每年交3万,收益比大额存单还高,欢迎咨询。", "insurance.not-deposit"),
    ("全市都找不到比这更低的房贷利率,马上申请。", "ad.absolute-terms"),
    ("别再把钱存在那些随时爆雷的小银行了,来我们这儿办理定期。", "marketing.no-disparagement"),
])
def test_probe_32_claims_in_long_copy_are_read(text: str, rule: str) -> None:
    # certainty in other words; a claim said of the bank's product by its brand, in an answer, by its staff;
    # an annual rate without its method; a fixed payment as the price; 组队, 惊喜, a gate to read on
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("这款R2理财由XX理财发行、本行代销。您把它当成一张利息"
     "高点的定期存单就行。理财非存款,产品有风险,投资须谨慎。", "wealth.not-deposit"),
    ("材料交给我们,没有批不下来的房贷,请理性借贷。", "loan.misleading-terms"),
    ("征信有点瑕疵也不要紧,XX快贷照样能借,请理性借贷。", "loan.misleading-terms"),
    ("这是躺着也能赚钱的好产品:本行代销的XX年金保险。", "wealth.no-guaranteed-return"),
    ("XX医院的王主任也给自己买了这款年金保险。", "wealth.testimonial"),
    ("那些小银行动不动就限制取款,来我们这儿存大额存单吧。", "marketing.no-disparagement"),
    ("本市没有哪家银行能快过我们的放款速度,欢迎申请。", "ad.absolute-terms"),
    ("这只基金是全国首只同类产品。基金有风险,投资须谨慎。", "wealth.unsupported-superlatives"),
])
def test_probe_33_claims_in_long_copy_are_read(text: str, rule: str) -> None:
    # a likeness whose own deposit word is the yardstick; a record said not to matter; no loan refused;
    # a claim in a text that says the bank sells the product; none faster than us; the province's first
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("换作是我,就把闲钱放进这款稳盈理财,到期稳稳拿收益。", "wealth.no-guaranteed-return"),
    ("在读研究生也能用这款分期付款买电脑,年化利率(单利)10%起。", "loan.student-targeting"),
    ("专为19至23岁在校人群设计的消费贷,点击申请,请理性借贷。", "loan.student-targeting"),
    ("近一周贷款通过率100%,提交即到账,年化利率(单利)8%起。", "loan.misleading-terms"),
    ("我行首席分析师说:要是她,就把奖金全买这款理财。", "wealth.testimonial"),
    ("王教授是知名专家,他自己就买了这款基金。基金有风险,投资须谨慎。", "wealth.testimonial"),
    ("隔壁那家银行的理财去年大面积破净,来我们这儿看看吧。", "marketing.no-disparagement"),
])
def test_probe_34_advice_insiders_and_priced_instalments_are_read(text: str, rule: str) -> None:
    # advice in the first person (换作是我) calls to act; instalments with an annual rate are promoted; an
    # expert who would buy it or did; every application approved
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("【稳盈理财】王经理:跟着我买的客户,没有一位到期拿回来比买的时候少。", "wealth.no-guaranteed-return"),
    ("这款增额寿账户价值只会往上走,欢迎咨询。", "wealth.no-guaranteed-return"),
    ("定投这只指数基金三年,从来没人亏过。", "wealth.no-guaranteed-return"),
    ("【安享理财】5万元起存,180天到期,利息约900元。", "wealth.not-deposit"),
    ("这个理财就是把钱存在我们银行,只是按净值算。", "wealth.not-deposit"),
    ("快贷上线:输入手机号就有额度,提交即通过。", "loan.misleading-terms"),
    ("白领信用贷,闭眼借,额度用不完就是亏。", "loan.misleading-terms"),
    ("只要有社保,贷款百分百能批。", "loan.misleading-terms"),
    ("客户李女士给理财经理发来微信:“跟你买的基金全红了!”", "wealth.testimonial"),
    ("某知名歌手也是我行私行客户,配置方案里就有这款信托计划。", "wealth.testimonial"),
    ("扫码关注即可参与大转盘抽奖。", "platform.induced-follow"),
    ("未关注用户无法查看本期利率表,请先关注。", "platform.induced-follow"),
])
def test_probe_35_sellers_titles_and_loans_in_new_words_are_read(text: str, rule: str) -> None:
    # a seller's own product (跟着我买), a text titled with the product; a wealth product 起存 with interest;
    # approval on submission, borrow blind; a customer's chat; a gate to view (无法查看, 请先关注)
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("比定期更灵活、一样稳当:60天持有期理财,“类存款”新选择,立即购买。", "wealth.not-deposit"),
    ("您可以把这款理财理解成一张利息更高的定期存单。", "wealth.not-deposit"),
    ("现金分期:20000元分24期,每月只还930元,马上申请。", "card.apr-display"),
    ("经营贷利率又降了,已经是3字头,有需要的老板找我聊。", "loan.apr-disclosure"),
    ("把活动海报挂在朋友圈满3小时,凭截图到网点领取一袋大米。", "platform.induced-sharing"),
    ("参与抽奖前请先成为本服务号的订阅用户。", "platform.induced-follow"),
    ("短信里收到的那个码截图发我,我帮你激活。", "pii.no-credential-solicitation"),
    ("认购本期新发基金,可额外获得价值50元的基金份额。基金有风险,投资须谨慎。", "fund.no-lottery-sales"),
    ("论放款速度,咱们在全市就没输过谁。欢迎申请。", "ad.absolute-terms"),
    ("九成以上的客户用过我行手机银行后都表示很满意。", "ad.data-citation"),
])
def test_probe_37_claims_a_week_of_bank_teams_would_write_are_read(text: str, rule: str) -> None:
    # a deposit-like product; instalments counted (分24期) and priced per month; a rate by its first digit;
    # a poster left on Moments; the code the phone received; extra fund units; the city never beaten
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("我们支行李姐说了:这期理财就是躺赚,到期连本带息一分不少。", "wealth.no-guaranteed-return"),
    ("返乡的大学生看过来,咱行“青春贷”学生专享,随借随还。", "loan.student-targeting"),
    ("请各位果农把身份证号填写在下面的表格里。", "pii.no-credential-solicitation"),
    ("老乡王大哥说:“钱放咱行理财,比放在家里强多了!”", "wealth.testimonial"),
    ("无论市场如何,“鼎盛”系列理财都将守护您的每一分本金。", "wealth.no-guaranteed-return"),
    ("首席策略师观点:“眼下正是配置这只平衡基金的黄金窗口。”基金有风险,投资须谨慎。", "wealth.testimonial"),
    ("客户答谢会上王女士说,在本行配置理财后资产年年"
     "跑赢通胀。理财非存款,产品有风险,投资须谨慎。", "wealth.testimonial"),
])
def test_probe_38_a_branch_employees_copy_is_read(text: str, rule: str) -> None:
    # the branch speaking of 这期理财; 看过来 calls; an ID number into a form; better than keeping it at home;
    # (probe 39, a head office's polished copy) principal guarded, a strategist's window, a client beating inflation
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # the proof is sent in the next sentence, the prize comes in the one after it
    ("把这篇推送转给两位同事。转好了吗?截图发到后台。我们每周抽十位,寄出一份定制日历。", "platform.induced-sharing"),
    # asked, then told step by step: the reward waits at the end of the steps
    ("还没关注我们?点右上角的加号。关注完以后,回复“月饼”,中秋礼盒就会送到你家。", "platform.induced-follow"),
    ("拉上邻居都来扫一下我们公众号的码,满五人送一个环保袋。", "platform.induced-follow"),
    ("活动海报请帮忙扩散,每位扩散的朋友都有一份谢礼。", "platform.induced-sharing"),
    ("先点右上角成为我们的粉丝,系统才会把课程链接发给你。", "platform.induced-follow"),
    ("这条推文甩到同学群,截图给客服,给你安排一盒月饼。", "platform.induced-sharing"),
])
def test_rewards_told_sentences_away_from_the_share_are_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("您刚兑换的美元现钞请当面点清。个人外币现钞兑换需凭本人有效身份证件办理，汇率以办理时牌价为准。",
     "wealth.no-guaranteed-return"),  # 刚兑换 holds 刚兑
    ("您刚兑换的美元现钞请当面点清。个人外币现钞兑换需凭本人有效身份证件办理，汇率以办理时牌价为准。",
     "ad.investment-risk-warning"),  # the documents it takes and its time call for nothing
    ("孩子出国留学的学费周转，可由家长作为借款人申请留学贷款，需提供家长收入证明与录取通知书，年化利率（单利）3.9%起。"
     "请理性借贷，按时还款。",
     "loan.student-targeting"),  # the parents borrow
    ("线上开立二类账户时，需按页面提示上传身份证照片并完成人脸识别，信息仅用于身份核验。",
     "pii.no-credential-solicitation"),  # the bank's own page
    ("客服回复：很抱歉，根据监管规定，购买基金不能赠送礼品或返现，您看到的“申购送好礼”信息并非本行发布，请注意甄别。",
     "fund.no-lottery-sales"),  # a message disowned
    ("本周六上午风力最大可达7级，网点户外宣传活动顺延，请客户注意出行安全。", "ad.absolute-terms"),  # a bound
    ("什么是“预期收益率”？资管新规实施后，银行理财已不再使用预期收益率，改为展示业绩比较基准，实际收益随净值波动。",
     "wealth.benchmark-not-promise"),  # a benchmark explained, none shown
    ("本行是存款保险投保机构，本行吸收的存款依照《存款保险条例》受到保护。", "insurance.not-deposit"),
    ("信用卡当月消费满5笔且每笔满88元，可兑换一张电影票，名额有限，详见活动细则。", "marketing.inducing-terms"),
    ("今天是本年度理财产品定期报告披露的最后一天，已购客户可登录手机银行查看。理财非存款，产品有风险，投资须谨慎。",
     "marketing.inducing-terms"),  # a quota or a date stated, as the catalogue's list of inducing words has neither
    ("行史回眸：1952年，江州县成立首个农村信用社，本行即由此发展而来。", "ad.absolute-terms"),  # history, dated
    ("外汇兑换提示：汇率随市场波动，本行不对汇率走势作任何保证，结汇购汇请按真实需求办理，个人年度便利化额度为等值5万美元。",
     "ad.investment-risk-warning"),  # done as needed: no call to trade
    ("毕业已工作的青年购房，可申请个人住房公积金贷款，首套五年以上年利率2.85%，需连续缴存公积金满6个月，请理性借贷。",
     "loan.apr-method"),  # the provident fund's rate, set by policy
    ("信用卡账单提醒：本期最低还款额为人民币356.00元，请于到期还款日前还款，以免影响征信。", "loan.misleading-terms"),
    ("国家助学贷款在校期间免息，由财政贴息。", "loan.misleading-terms"),
    ("“无门槛、秒到账”的网贷往往暗藏高额费用，请谨慎借贷。", "loan.misleading-terms"),
    ("大额存单属于存款，理财属于投资，二者不可混为一谈。购买前请看清产品类型和风险等级，如遇员工将理财说成存款，可拨打投诉电话。",
     "wealth.risk-disclaimer"),  # 购买前 calls for no purchase
    ("活动规则：每位用户每日签到可得1积分；分享活动页面不会增加抽奖次数或中奖概率。", "platform.induced-sharing"),
    ("开通短信通知服务：在本行App“账户设置”中勾选即可，开通后交易动态码将发送至您预留的手机号。",
     "pii.no-credential-solicitation"),
    # probe 30: the hardest careful texts
    ("【行业观察】受LPR下调影响，本月息差继续收窄，银行贷款定价更趋精细化。", "loan.apr-disclosure"),  # 息差 is no 月息
    ("网点适老化改造完成：无障碍通道实现零门槛通行，轮椅可直达贷款业务专区。", "loan.misleading-terms"),
    ("2006年1月，全国个人征信系统正式运行；此后“人人可贷”的粗放时代结束，本行所有贷款均须查询征信。",
     "loan.misleading-terms"),  # named in quotation marks, outside a promotion
    ("【招聘】个贷客户经理：负责消费贷款营销与贷后管理，底薪加绩效，绩效按当月放款额的0.1%计提，五险一金齐全。",
     "loan.apr-disclosure"),
    ("活动奖品兑换细则敬请关注后续公告，中奖客户届时可凭中奖短信到网点领取。", "platform.induced-follow"),
    ("微信平台规定：以红包、积分等奖励诱导用户分享或关注公众号的，将被限制功能。本号所有活动均不设分享奖励。",
     "platform.induced-sharing"),
    ("客户：我把验证码发给你们吧？客服：请不要发送！本行客服不会通过任何渠道向您索要验证码。",
     "pii.no-credential-solicitation"),
    ("而家存錢仲有冇禮品送？冇喇，銀行唔可以用送禮嚟吸收存款，大家唔好信啲「存錢送金」嘅宣傳。",
     "deposit.no-improper-inducement"),
    ("家长课堂：孩子上大学后，如何引导其理性消费？不借网贷、不出借身份证、遇到“学生贷”推销立即拒绝。",
     "loan.student-targeting"),
    ("我们不敢说自己是最好的银行，但每一笔业务都会认真对待。", "ad.absolute-terms"),
    ("您申请的电子回单已生成，交易流水号202611240930152718，可在手机银行“回单查询”中下载。", "pii.card-masking"),
    ("行史回眸｜1994年本行开办保值储蓄；2018年资管新规发布后，本行理财产品逐步告别预期收益型与保本型，全面实现净值化。",
     "wealth.no-guaranteed-return"),
    ("还没关注我们?欢迎点右上角关注。之后我们每周推送防诈知识,帮您守好钱袋子。", "platform.induced-follow"),
    ("关注我们?点完右上角后,接着回复“网点”,就能查到最近网点的地址。", "platform.induced-follow"),
    ("客户张先生分享:“理财经理耐心讲解了产品风险,没有催我买。”本文不构成任何产品推荐。", "wealth.testimonial"),
    ("听说有“稳赚不赔”的基金?别信!基金有风险,投资须谨慎。", "wealth.no-guaranteed-return"),
    ("XX银行已停止向在校大学生营销信用卡,如有疑问请咨询客服。理性借贷,珍惜信用。", "loan.student-targeting"),
    ("本行助学贷款仅用于学费和住宿费,请同学们理性借贷,按时还款。", "loan.student-targeting"),
    ("XX消费贷额度最高20万元,年化利率(单利)3.6%起,学生及无固定收入者请勿申请。请理性借贷。", "loan.student-targeting"),
    ("大学生如何守护信用?不要借用他人身份办理贷款,理性借贷。", "loan.student-targeting"),
    ("毕业季求职提醒:应届生小心“培训贷”,签合同前看清条款,理性借贷。", "loan.student-targeting"),
    ("校园安全课:同学们要珍惜个人信用,理性借贷,远离不良网贷。", "loan.student-targeting"),
    ("本行公众号已开通预约取号,关注后点击菜单即可查看附近网点排队情况。", "platform.induced-follow"),
    ("免息券:单笔借款满2,000元抵扣首期利息,上限50元。年化利率(单利)7.2%起,请理性借贷。", "loan.misleading-terms"),
    ("据《XX金融时报》2026年9月发布的《银行理财排名》,本行理财位列第5位。"
     "理财非存款,产品有风险,投资须谨慎。", "wealth.rating-citation"),
    ("本行手机银行已升级，登录后可查看理财产品风险等级和业绩比较基准。", "wealth.risk-disclaimer"),  # a feature
    ("关于“这款理财会不会亏”:不保本,净值会波动。理财非存款,产品有风险,投资须谨慎。", "wealth.no-guaranteed-return"),
    ("这份年金保险由XX人寿承保,生存金按合同约定领取,本行代理销售。", "deposit.no-improper-inducement"),
    ("常听人说“理财存款”,这是一个不准确的说法:理财不是存款。", "wealth.not-deposit"),
    ("比如月费率0.6%的分期,折合年化约13%。本行消费贷年化利率(单利)4%起,以审批为准,请理性借贷。", "loan.apr-method"),
    ("【家长必读】孩子读大学的费用,家长可用本人名义申请"
     "XX消费贷,年化利率(单利)3.9%起,请理性借贷。", "loan.student-targeting"),
    ("积分来自正常消费,不因分享或关注公众号获得。", "platform.induced-follow"),
    ("客服可能请您提供卡号后四位核对身份,但不会索要密码。", "pii.no-credential-solicitation"),
    ("养老金账户可选储蓄、理财、基金、保险产品。", "insurance.not-deposit"),
    ("经金融监管总局批准,本行发行绿色金融债券,募集资金用于环保项目。", "marketing.no-regulator-endorsement"),
    ("问:理财的预期收益率是多少?答:净值型产品不设预期收益率。", "wealth.no-expected-yield"),
    ("更正:昨日推文中“稳赚不赔”的表述有误,该理"
     "财不保本。理财非存款,产品有风险,投资须谨慎。", "wealth.no-guaranteed-return"),
    ("【员工培训】宣传中禁用“包过”“秒批”等词,应如实说明申请条件。", "loan.misleading-terms"),
    ("客户留言:感谢客服提醒,我没把验证码告诉骗子。", "pii.no-credential-solicitation"),
    ("客户反馈:谢谢理财经理讲清了年金险和存款的区别。", "wealth.testimonial"),
    ("据中国理财网《理财市场报告(2025年)》(2026年5月发布"
     "),本行理财规模位居前列。理财非存款,产品有风险,投资须谨慎。", "wealth.unsupported-superlatives"),
    ("原海报“全市最好的理财”属不当表述,已修改。", "ad.absolute-terms"),
    ("提醒:“存款送礼品”“买基金返现”属于不规范营销,本行不开展。", "deposit.no-improper-inducement"),
    ("客户说:“原来总以为保险和存款差不多,现在知道不一样了。”", "insurance.not-deposit"),
    ("信用卡免息期最长56天;未全额还款的,自记账日起按日计息。", "loan.apr-disclosure"),
    ("零门槛?想多了,贷款要看收入和信用。", "loan.misleading-terms"),
    ("黄金积存1克起存,金价随市场波动,可能出现亏损。", "wealth.not-deposit"),
    ("客服:您说的“不看征信”或“当天放款”本行都做不到,贷款须审核。", "loan.misleading-terms"),
    ("本行截至2025年末理财产品余额(含代销)500亿元。", "wealth.risk-disclaimer"),
    ("【投教】读懂理财产品说明书:业绩比较基准不是收益承诺。", "wealth.risk-disclaimer"),
    ("根据《公开募集证券投资基金销售机构监督管理办法》,基金宣传不得预测收益。", "fund.risk-disclaimer"),
    ("表彰通报:理财经理李某主动劝阻客户购买超出风险承受能力的产品,被评为“消保之星”。", "wealth.rating-citation"),
    ("如有工作人员向您承诺保本,请拨打投诉电话。", "wealth.no-guaranteed-return"),
    ("如对方要求您提供验证码,请立即挂断。", "pii.no-credential-solicitation"),
    ("欢迎把反诈文章分享给家人(分享无任何奖励)。", "platform.induced-sharing"),
    ("各网点注意:学生身份客户申请消费贷款的,应予以拒绝。", "loan.student-targeting"),
    ("家长助学贷:借款人为收入稳定的学生家长,年化利率(单利)4%起,请理性借贷。", "loan.student-targeting"),
    ("新生办理校园借记卡,仅为储蓄卡,不附带任何贷款或信用卡。", "loan.student-targeting"),
    ("免息分期说明:利息由商户承担,借款人年化利率为0%(单利)。", "loan.misleading-terms"),
    ("理财知识竞赛面向市民,答题获纪念徽章,本活动不推介任何金融产品。", "wealth.risk-disclaimer"),
    ("据XX研究院2026年11月发布的《理财能力报告》,本行理财子公司综合排名第一。", "ad.absolute-terms"),
    ("办理大额转账最好选在工作日,柜员可协助核实收款方。", "ad.absolute-terms"),
    ("志愿者在社区讲解“存款保险”标识,帮助居民辨别哪些是存款、哪些是理财。", "wealth.not-deposit"),
    ("开学季提醒:谨防校园贷套路!说拿学生证就能借钱的,都要多留个心眼。", "loan.student-targeting"),
    ("关注公众号查余额方便得很,不关注也能到网点办理。", "platform.induced-follow"),
    ("收购款直接打到您的卡上,有人私信要卡号或身份证号的一律别理。", "pii.no-credential-solicitation"),
    ("理财小课堂:请专家老师讲如何看懂风险等级,不推"
     "荐具体产品。理财非存款,产品有风险,投资须谨慎。", "wealth.testimonial"),
    ("有老乡说“一天才几块钱”很便宜,其实要看年化利率。本行消费贷年化利率(单利)5%起,请理性借贷。", "loan.apr-method"),
    ("咱行“丰收”理财第3期开放认购,风险等级R2。理财非存款,产品有风险,投资须谨慎。", "agency.issuer-disclosure"),
    ("本中心对在校学生的用卡申请严格核实第二还款来源。", "loan.student-targeting"),
    ("答题赢积分,活动不以存款或购买基金为参与条件。", "fund.risk-disclaimer"),
])
def test_careful_texts_sharing_their_words_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


def test_a_channel_upgrade_that_sells_still_needs_the_disclaimer() -> None:
    assert "wealth.risk-disclaimer" in text_rules_on("手机银行已升级，新发XX稳健理财，业绩比较基准3.2%，立即购买。")


def test_a_benchmark_shown_with_its_figure_still_needs_its_caveat() -> None:
    shown = "本产品业绩比较基准为3.2%-3.8%，1万元起购。理财非存款，产品有风险，投资须谨慎。"
    assert "wealth.benchmark-not-promise" in text_rules_on(shown)
