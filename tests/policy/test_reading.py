"""How the text rules read text before any rule looks at it (compliance.md §0.2-§0.4): spellings written
to dodge a filter, questions and refusals that negate nothing or everything, products said to be beside
the point. Each case would read the other way without its mechanism."""

from __future__ import annotations

import re
import unicodedata

import pytest

from oa_spec.policy import text as text_module
from oa_spec.policy.negation import clause_end, negated
from oa_spec.policy.spacing import SPACER, spaces_chinese
from oa_spec.policy.text import normalise
from oa_spec.util.hanzi import t2s_table
from tests.policy.helpers import text_rules_on


@pytest.mark.parametrize(("typed", "read"), [
    ("这款理财bao本又稳zhuan", "这款理财保本又稳赚"),
    ("zf这条+集zan满38个", "转发这条+集赞满38个"),
    ("先gz咱们号", "先关注咱们号"),
    ("拿够一年基本宝赚", "拿够一年基本保赚"),  # a homophone of the same length
    ("大学僧们看过来", "大学生们看过来"),
])
def test_dodged_spellings_are_read_as_the_word(typed: str, read: str) -> None:
    assert normalise(typed).norm == read


def test_latin_words_that_touch_no_chinese_are_left_alone() -> None:
    text = "详见 https://bank.example.com/bao/ben 或 app store"
    assert "bao/ben" in normalise(text).norm and "app store" in normalise(text).norm


def test_a_spelled_out_word_points_back_at_what_was_typed() -> None:
    typed = "理财bao本，立即购买"
    text = normalise(typed)
    start = text.norm.index("保本")
    assert typed[text.offsets[start]:text.offsets[start + 2]] == "bao本"


def test_a_not_a_negates_nothing() -> None:
    norm = normalise("动不动就跑路的平台").norm
    assert not negated(norm, norm.index("跑路"))
    assert negated(normalise("不会跑路").norm, 2)


@pytest.mark.parametrize(("text", "rule"), [
    ("家人们，“安盈”理财bao本又稳zhuan，戳菜单即可预约购买～理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("宝子们，zf这条+集zan满38个，来网点领定制帆布袋！", "platform.induced-sharing"),
    ("宝子们，先gz咱们号再私信“福利”，才能领取新人红包哦～", "platform.induced-follow"),
    ("shi上最强权益没有之一，点击链接立即申请！", "ad.absolute-terms"),  # 没有之一 does not hedge
    ("本行全新推出“安心享”两全保险，由和煦人寿保险股份有限公司承保，欢迎投保。", "insurance.not-deposit"),
    ("咱行经营贷，有营业执照就能申，年化利率（单利）4%起，请理性借贷。", "loan.misleading-terms"),
    ("首席分析师解读：当前正是布局这只基金的好时机！基金有风险，投资须谨慎。", "wealth.testimonial"),
    ("借款1万元每天仅需1.5元，请理性借贷、按时还款", "loan.apr-disclosure"),  # the price alone quotes it
])
def test_dodges_and_quiet_offers_are_caught(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "关于“稳益”是否保本：该产品为非保本浮动收益型，可能亏损本金。理财非存款，产品有风险，投资须谨慎。",
    "有网友问：专家推荐的基金就一定靠谱吗？其实任何人的观点都不能替代您自己的判断。基金有风险，投资须谨慎。",
    "积分可兑换电影票、话费等礼品。本活动与存款、理财、基金购买无关，不设任何资金门槛。",
    "宝子们别再问我“有没有稳赚的理财”啦，真没有！理财非存款，产品有风险，投资须谨慎。",
    "打卡分享不影响积分：每日签到即可得积分，是否分享由您自行决定。",
    "点赞、在看不影响抽奖结果，每位用户均只有一次抽奖机会。",
    "“预期收益率”的说法已随净值化转型停用，如今展示的是业绩比较基准，业绩比较基准不构成收益承诺。"
    "理财非存款，产品有风险，投资须谨慎。",
    "定期存款、大额存单属于存款，依法受存款保险保障；银行代销的理财、基金、保险都不是存款。",
    "“稳益”系列荣获“2025年度优秀理财产品”（评选机构：《华城财经》，发布日期2025年12月18日）。"
    "该系列由云泽理财有限责任公司发行、本行代销。理财非存款，产品有风险，投资须谨慎。",
    "基金定投无赠品、无抽奖。澄江红利低波基金（澄江基金管理有限公司发行、本行代销）可在手机银行设置定投。"
    "基金有风险，投资须谨慎。",
])
def test_questions_refusals_and_asides_are_not_claims(text: str) -> None:
    assert text_rules_on(text) == set()


@pytest.mark.parametrize(("text", "rule"), [
    ("定期存款丝毫风险也没有，3年期年利率1.75%，欢迎存入。", "deposit.insurance-wording"),
    ("这款分红险每年分红稳稳到手，欢迎投保。", "wealth.no-guaranteed-return"),
    ("本行联合保险公司推出全新养老计划，交费5年，投保请到网点。", "insurance.not-deposit"),
    ("某某稳健债券型基金今日发行，手机银行一键申购。基金有风险，投资须谨慎。", "agency.issuer-disclosure"),
    ("消费贷资料齐全保批，年化利率（单利）4.8%起，手机银行申请，请理性借贷。", "loan.misleading-terms"),
    ("提交资料喝杯茶的工夫就到账，信用贷年化利率（单利）4.2%起，立即申请，请理性借贷。", "loan.misleading-terms"),
    ("借款1万元，12期每期还款仅需878元，立即申请，请理性借贷。", "loan.apr-disclosure"),
    ("海报转到朋友圈，截图发后台就能再抽一次大奖！", "platform.induced-sharing"),
    ("【微信支付官方】您有一笔待领取的红包即将过期，点击菜单查看。", "platform.induced-click"),
    ("李教授说得好：这类养老理财特别适合临近退休的人，欢迎认购。理财非存款，产品有风险，投资须谨慎。",
     "wealth.testimonial"),
    ("本行手机银行，用户体验堪称业内顶尖。", "ad.absolute-terms"),
    ("别家银行办卡要等一周，我们当天就能拿卡，欢迎办理。", "marketing.no-disparagement"),
    ("参与答题抽奖前，请先填写手机号并勾选同意接收营销短信。", "pii.no-bundled-consent"),
    ("大额存单20万元起存，认购成功再返50元立减金。", "deposit.no-improper-inducement"),
    ("装修贷低至0.9元/天，额度灵活，线上即可申请，按时还款。", "loan.apr-disclosure"),  # 元/天 normalised
    ("车贷费率1.99%，首付两成即可把新车开回家，详询各网点，按时还款。", "loan.apr-disclosure"),
    ("1万元账单分12期，每期手续费仅60元，轻松还款无压力，请按时还款。", "card.apr-display"),
    ("想找比存款还安全的打理方式？试试现金理财“零钱宝”，1元起购，青禾理财发行，本行代销。理财非存款，产品有风险，"
     "投资须谨慎。", "wealth.not-deposit"),
    ("经济学教授做客直播间，推荐增额终身寿“福禄双全”，瑞丰人寿承保、本行代理销售，扫码预约投保。",
     "wealth.testimonial"),
    ("养老理财“颐年”发售中，长期持有保证回报，泰和理财发行、本行代理销售。理财非存款，产品有风险，投资须谨慎。",
     "wealth.forbidden-descriptors"),
    ("請將身分證正反面拍照後傳到本對話框，客服將為您完成資料更新。", "pii.no-credential-solicitation"),
    ("中奖客户请回复卡片有效期和背面三位码，奖金将直接打到这张卡上。", "pii.no-credential-solicitation"),
    ("只要在本市连续交着社保，基本都能借到，来一个批一个。“惠民信用贷”欢迎咨询办理，理性借贷。",
     "loan.misleading-terms"),
    ("新学期开销大？刚入学的小伙伴看这里，“青春信用贷”手机上就能申请，年化利率（单利）7.2%起，理性借贷。",
     "loan.student-targeting"),
    ("本产品已通过监管部门备案审核，可以放心购买。“金穗年年”年金险由康宁人寿承保，本行代理销售。",
     "marketing.no-regulator-endorsement"),
    ("三年期定期5万元起存，钱放在咱们行就像锁进自家铁皮箱，一分一厘都少不了。", "deposit.insurance-wording"),
    ("论网点服务，客户满意度咱们在全市无人能及，欢迎来体验。", "ad.absolute-terms"),
    ("邀请家人开通手机银行吧！每成功一位，您的积分账户就会多出500分。", "platform.induced-sharing"),
    ("扫描海报上的二维码成为本号粉丝，菜单栏“福利”里就有一张10元立减金等着您。", "platform.induced-follow"),
    ("温馨提示：王先生，您本次开立的借记卡卡号为6217 8800 1234 5678 901，请妥善保管。", "pii.card-masking"),
    ("养老理财钱放进去只会慢慢变多，不用担心缩水。禾丰理财发行，本行代销。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("「微粒金」信用贷，不要抵押担保，是个上班族就能借，立即申请。理性借贷，量入为出。", "loan.misleading-terms"),
    ("年末存款季：新存一年期满5万元的客户，可到柜台挑一桶5升装花生油。", "deposit.no-improper-inducement"),
    ("小助手提醒：把页面上显示的动态口令告诉我们，工作人员可以远程帮您完成。", "pii.no-credential-solicitation"),
])
def test_claims_said_in_other_words(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "已关注的用户可在菜单“我的”查看积分余额，积分可兑换礼品。",  # already following: nobody is asked to
    "理财小知识：所谓“保本理财”已成历史，银行理财均为净值型。理财非存款，产品有风险，投资须谨慎。",
    "“存单变保单”是常见的销售误导，请确认合同上的承保机构为保险公司。",  # named as misleading, not said
    "国家助学贷款是财政贴息的政策性贷款，大学生在校期间的利息由财政补贴，请按时还款。",
    "打卡分享不是参与条件：完成打卡即可获得电子证书，无需转发朋友圈。",
    "本次客户答谢活动不设任何购买或资金存入门槛，礼品数量有限，兑完即止。",
    "青禾理财“稳利180天”近6个月年化收益率3.12%（2026年5月1日至10月31日），数据来源：青禾理财。过往业绩不代表其未来"
    "表现。理财非存款，产品有风险，投资须谨慎。",  # the issuer named before its product
    "提醒：近期有人仿冒本号发布“转发得红包”链接，本行从未开展此类活动，请勿点击、请勿转发。",
    "特别关注：本月起社保卡领取网点调整为城西支行，请带本人身份证原件前往。",
    "邀请家人一起学习防诈知识吧！每一位老人都值得被保护。",
    "收到“您的账户存在风险，请提供验证码解除冻结”的短信？这是诈骗！请立即拨打本行客服热线核实。",
    "线上开户时，系统会提示您在本行App中拍摄身份证并进行人脸识别，信息在App内加密上传。",  # the bank's own app
])
def test_states_and_terms_named_are_not_offers(text: str) -> None:
    assert text_rules_on(text) == set()


def test_a_text_without_a_pattern_reads_its_matches_as_breaks() -> None:
    text = normalise("业绩比较基准：年化2.8%，立即认购")
    bare = text.without(re.compile(r"业绩比较基准[^,，]*"))
    assert bare.norm == "。,立即认购" and text.without(re.compile("没有的词")) is text


def test_a_clause_ends_at_its_punctuation_or_at_the_limit() -> None:
    norm = normalise("分享不影响积分,签到即可得积分").norm
    assert clause_end(norm, 0) == norm.index(",")
    assert clause_end(norm, 0, 3) == 3 and clause_end(norm, norm.index(",") + 1) == len(norm)


@pytest.mark.parametrize(("text", "rule"), [
    ("本理财产品为净值型产品，管理人对投资者本金及收益均不作任何形式的保本或保收益承诺，风险等级R3（中风险）。"
     "理财非存款，产品有风险，投资须谨慎。", "wealth.no-guaranteed-return"),
    ("“保本”二字为什么从理财说明书里消失了？理财产品打破刚性兑付，收益随市场波动。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("结构性存款限时发售：挂钩黄金价格，保底收益率1.30%、最高可达2.85%。结构性存款不同于一般性存款，具有投资风险，谨慎投资。",
     "deposit.structured-disclaimer"),
    ("“月月盈”理财风险等级R2，开放期为每月首个工作日，欢迎认购。理财非存款，产品有风险，投资须谨慎。",
     "ad.absolute-terms"),
])
def test_refusals_mentions_disclosed_floors_and_ordinals_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "这款理财保底收益3%，闭眼买，欢迎认购。理财非存款，产品有风险，投资须谨慎。",  # a floor is a structured deposit's
    "这款理财保本保收益，我们从不作假，欢迎认购。理财非存款，产品有风险，投资须谨慎。",  # 不作 negates its own clause
    "我们的理财被客户称为“保本神器”，欢迎认购。理财非存款，产品有风险，投资须谨慎。",  # quoted, but said
])
def test_the_same_words_still_claim_where_they_are_said(text: str) -> None:
    assert "wealth.no-guaranteed-return" in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # the certificates of deposit an investment holds are its assets: the promise is the investment's
    ("本行代销“稳盈”理财，由某理财公司发行。产品主要投资于信用债和同业存单，持有满一年本金无忧。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    # a deposit as the yardstick of a likeness: the sentence is still about the wealth product
    ("本行代销“活钱”理财，由某理财公司发行，风险等级R1。取用灵活，和存款一样方便。理财非存款，产品有风险，投资须谨慎。",
     "wealth.not-deposit"),
    # a deposit's words in the sentence after the one naming the policy
    ("“安和”年金保险由某人寿承保，本行代理销售，欢迎咨询。满期时本金连同利息一次性返还。", "insurance.not-deposit"),
    # a certificate of deposit is bought, and the cash back is paid into the debit card
    ("大额存单20万元起存，欢迎购买。活动期间购买满30万元可获得300元返现，返现次月发放至本人借记卡。",
     "deposit.no-improper-inducement"),
    # the bank's own instalment priced by the day first, even without a call to act
    ("本行信用卡账单分期每期利息折合日利率约0.02%，对应年化利率（单利）约7.3%。请理性消费，按时还款。",
     "loan.apr-method"),
])
def test_an_investment_is_still_what_its_sentences_are_about(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("消费贷年化利率（单利）3.2%起，欢迎申请，请理性借贷。在校学生请勿申请。", "loan.student-targeting"),
    ("创业贷年化利率（单利）3.5%，欢迎申请，请理性借贷、按时还款。在校学生不属于支持范围。", "loan.student-targeting"),
    ("本期大额存单20万元起存，年利率1.90%，额度有限，售完即止。", "marketing.inducing-terms"),
    ("本行为老年客户开设爱心窗口，办理定期存款、养老金领取等业务可优先叫号。", "deposit.no-improper-inducement"),
    ("【消保课堂·银发篇】设置银行卡密码时，请避免使用生日等容易被猜到的数字。", "pii.no-credential-solicitation"),
])
def test_students_turned_away_a_quota_a_pension_and_silver_hair_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("大学生不能错过的消费贷，年化利率（单利）3.2%起，请理性借贷，立即申请。", "loan.student-targeting"),
    ("定期存款满5万元即可领取食用油一桶，欢迎办理。", "deposit.no-improper-inducement"),
    ("请把银行卡密码发给客服核实。", "pii.no-credential-solicitation"),
])
def test_the_same_shapes_still_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("个人养老金账户可选购储蓄存款、理财、基金和保险等产品，开户请到手机银行“养老金”专区。", "wealth.risk-disclaimer"),
    ("信用卡中心提示：本中心不向无稳定收入的学生发放信用卡，被识别为学生的申请将终止审批。", "loan.student-targeting"),
    ("办理工资代发卡请携带本人身份证原件到网点，柜员当面核验。", "pii.no-credential-solicitation"),
    ("据某咨询公司2026年10月发布的银行理财能力评价，某理财获评五星，本行代销其产品，欢迎咨询。理财非存款，产品有风险，投资须谨慎。",
     "wealth.rating-citation"),
    ("定期存款到期提醒：您可凭存单到网点领取本息，或在手机银行办理转存。", "deposit.no-improper-inducement"),
    ("了解本行在售理财，可添加企业微信官方客服。理财非存款，产品有风险，投资须谨慎。", "platform.induced-click"),
    ("完成“反诈知识10问”即可领取5元立减金，不与开户、存款、购买理财挂钩。", "wealth.risk-disclaimer"),
])
def test_a_list_of_kinds_a_refusal_a_payroll_card_and_the_banks_own_channel_are_not_claims(text: str,
                                                                                          rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("邀请好友一起完成“反诈知识闯关”，好友通关后您可获赠5元话费。", "platform.induced-sharing"),  # a campaign's topic
    ("银行业协会专家点评：增额终身寿险是家庭财富规划的好工具。本行代理销售，欢迎预约投保。", "wealth.testimonial"),
    ("请回复您的卡号和密码，我们为您发卡。", "pii.no-credential-solicitation"),  # 发卡 is not a send; 回复 is
    ("存款满5万元即可领取电饭煲一台，欢迎办理。", "deposit.no-improper-inducement"),
])
def test_a_campaign_about_fraud_and_an_expert_calling_it_a_tool_still_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("本行信用卡中心不会以“免年费”为由向您收取任何手续费，如接到此类电话请挂断并拨打官方热线核实。",
     "card.apr-display"),
    ("教育储蓄可在孩子上大学前分期存入，到期支取用于学费，欢迎到网点办理。", "loan.student-targeting"),
    ("扫码关注本行公众号，可随时查询网点排队情况和外汇牌价。", "ad.investment-risk-warning"),
])
def test_a_refused_fee_deposits_in_instalments_and_a_price_board_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("定期存款到期别急着续存，转成某人寿承保的增额终身寿，本行代理销售，欢迎咨询。", "insurance.not-deposit"),
    ("代发客户活期日均余额达3万元，每月返现10元至账户，欢迎办理。", "deposit.no-improper-inducement"),
    ("信用卡账单分期每期手续费率0.6%，立即办理。", "card.apr-display"),  # a fee still prices the instalment
    ("外汇宝双向交易，把握汇率波段，立即开通。", "ad.investment-risk-warning"),  # an fx product is still one
])
def test_a_deposit_turned_into_a_life_policy_and_a_balance_kept_for_cash_still_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


JOB_ADVERT = "招聘启事：个人贷款部招聘实习生若干名，实习补贴120元/天，欢迎在校大学生通过官网投递申请。"


@pytest.mark.parametrize(("text", "rule"), [
    # the answer denies the word the question asks about
    ("问：这只理财保本吗？答：该产品属于非保本浮动收益型，不承诺保本。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    # a risk warning whose caution comes further on in its sentence
    ("贵金属交易提示：金价双向波动，积存金投资存在价格风险，本行不承诺任何收益，请结合自身情况谨慎参与。",
     "ad.investment-risk-warning"),
    ("本行坚持保本微利，为小微企业降低融资成本，同时稳妥推进理财业务转型。", "wealth.no-guaranteed-return"),
    ("证监会准予注册，不表明投资于本基金没有风险，也不意味着对收益作出保证。基金有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("凭证式国债今日发售，三年期票面年利率1.63%，额度有限，售完即止，可到网点购买。", "loan.apr-method"),
    ("问：日利率和年化利率怎么换算？答：日利率=年化利率÷360。本行消费贷年化利率（单利）3.6%起，欢迎申请，请理性借贷。",
     "loan.apr-method"),
    (JOB_ADVERT, "loan.student-targeting"),
    (JOB_ADVERT, "loan.apr-disclosure"),
    ("国家助学贷款帮助家庭经济困难学生完成学业，在校期间贷款利息由财政补贴，详情请咨询学校资助中心。",
     "loan.student-targeting"),
    ("志愿者小李获评优秀志愿者，所获奖励全部捐给了敬老院，让我们为她点赞！", "platform.induced-sharing"),
    ("秋收时节，晒场上金灿灿一片，农户们领到了今年的分红款。", "platform.induced-sharing"),
    ("请关注贷款审批进度：审批通过后我们将短信通知您到网点领取合同。", "platform.induced-follow"),
    ("新春集福墙活动，到网点写福字即送春联，无需分享或关注。", "platform.induced-sharing"),
    ("回复“密码修改”可查看修改指引，全程在手机银行内完成。", "pii.no-credential-solicitation"),
    ("重阳节到了，向所有储蓄客户送上节日祝福。", "deposit.no-improper-inducement"),
    ("每个数字人民币钱包编号对应唯一的钱包，转账前请核对收款方名称。", "ad.absolute-terms"),
    ("春节期间暂停对公业务，个人业务正常办理，网点悬挂国旗迎新春。", "ad.national-symbols"),
    ("客户反馈：“保单犹豫期内退保，网点当天就办好了，工作人员很耐心。”", "wealth.testimonial"),
])
def test_answers_job_adverts_applause_keywords_greetings_and_identifiers_are_not_claims(text: str,
                                                                                       rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("问：这款基金保本吗？答：保本，放心投。基金有风险，投资须谨慎。", "wealth.no-guaranteed-return"),
    ("纯债基金就算短期波动，亏损部分也由我行兜着，放心定投！基金有风险，投资须谨慎。", "wealth.no-guaranteed-return"),
    ("美元理财持有到期，汇率怎么变都伤不到您的本钱。理财非存款，产品有风险，投资须谨慎。",
     "wealth.no-guaranteed-return"),
    ("借1万元用一个月，利息才一顿早饭钱，快来申请消费贷！请理性借贷。", "loan.apr-disclosure"),
    ("经营贷提交资料后5分钟内出审批结果，年化利率（单利）4%起，欢迎申请，请理性借贷。", "loan.misleading-terms"),
    ("把这篇推文发到朋友圈，凭截图到网点换一份福袋。", "platform.induced-sharing"),
    ("扫码成为我们的粉丝，马上到手一份新年挂历。", "platform.induced-follow"),
    ("请将短信里的6位动态码发送到本公众号完成兑换。", "pii.no-credential-solicitation"),
    ("忘记密码请回复“姓名+身份证号”，系统自动帮您重置。", "pii.no-credential-solicitation"),
    ("“这只基金定投两年收益翻倍！”——客户王先生。基金有风险，投资须谨慎。", "wealth.testimonial"),
    ("客户李女士说：“买的年金险每年领的钱比预想的还多。”本行代理销售，欢迎投保。", "wealth.testimonial"),
    ("不少老学员在沙龙上展示了持有这款理财后的盈利，欢迎咨询购买。理财非存款，产品有风险，投资须谨慎。",
     "wealth.testimonial"),
    ("本行手机银行跨行转账全免费，全省独此一家。", "ad.absolute-terms"),
])
def test_denied_losses_pay_by_the_month_fast_approval_shares_and_quoted_gains_still_claim(text: str,
                                                                                         rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("信用卡“秒批”？答：不是。本行信用卡均需审核，审批一般需要5至7个工作日，请理性消费。", "loan.misleading-terms"),
    ("如遇业务员称“这份保单和定期存单一样”，请拒绝并拨打投诉电话。", "insurance.not-deposit"),
    ("本季度开展“理财非存款”消保宣教活动32场，讲解理财产品与存款的区别。", "wealth.risk-disclaimer"),
    ("开通短信提醒后，交易验证码将发送至您预留的手机号。", "pii.no-credential-solicitation"),
    ("本期大额存单三年期年利率1.75%，20万元起存，无任何赠品，欢迎购买。", "deposit.no-improper-inducement"),
])
def test_a_marked_no_an_instruction_to_refuse_education_a_code_sent_to_you_and_no_gift_are_not_claims(
        text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("请将收到的验证码发送给客服完成核验。", "pii.no-credential-solicitation"),
    ("信用卡秒批，不看征信，立即申请！请理性消费。", "loan.misleading-terms"),
])
def test_a_code_sent_to_the_bank_and_a_plain_fast_approval_still_claim(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "ＶＩＰ專屬理財，年化４．５％！", "①保本②保息", "“稳赚”不赔 Card Number", "카드 번호 한글",
    "e\u0301 and \u00e9 (combining, composed)", "ｶｰﾄﾞ半角片假名", "验\u302a证\u20dd码\ufe0f",
    "㍿ ㎡ ﬁ", "保 本·保 息", "",
])
def test_a_text_read_in_one_pass_reads_as_each_character_alone(text: str) -> None:
    chars, offsets = [], []
    for index, raw in enumerate(text):  # the definition: each character alone, combining marks read through,
        # and an enclosed letter or digit between Chinese characters a sign (②, in ①保本②保息)
        for char in SPACER if spaces_chinese(text, index) else unicodedata.normalize("NFKC", raw):
            if unicodedata.category(char) in ("Mn", "Me"):
                continue
            chars.append(char.translate(t2s_table()).translate(text_module._QUOTES).lower() if char.isascii()
                         else char.translate(t2s_table()).translate(text_module._QUOTES))
            offsets.append(index)
    assert text_module._each_character(text) == (chars, offsets)
    assert all(len(simplified) == 1 for simplified in t2s_table().values())  # what reading in one pass relies on


def test_the_full_width_table_is_what_nfkc_does_to_each_of_its_characters() -> None:
    assert all(unicodedata.normalize("NFKC", chr(wide)) == chr(narrow)
               for wide, narrow in text_module._FULL_WIDTH.items())
