"""Each cn-bank text rule on Chinese reply texts: fires where it must (positive) and stays quiet on
disclaimers, negations, education and exempt wording (negative). Every case names the rule and the
plan address of the reply."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text
from oa_spec.policy.text import normalise, products_near
from tests.policy.helpers import REPLY, reply_spec, run_yaml, text_rules_on

D = "理财非存款，产品有风险，投资须谨慎。"  # the mandatory wealth warning

POSITIVE = [
    ("wealth.risk-disclaimer", "稳健理财产品火热认购中，欢迎咨询办理。"),
    ("wealth.no-guaranteed-return", "理财新品限时认购，保本保息。" + D),
    ("wealth.no-guaranteed-return", "穩賺不賠的理財產品，立即購買！"),
    ("wealth.no-guaranteed-return", "这款理财产品保本保收益，年化5%稳赚不赔。"),  # one product pointed at
    ("wealth.no-guaranteed-return", "该款基金保本保息，收益有保障。"),
    ("wealth.forbidden-descriptors", "高收益理财立即认购。" + D),
    ("wealth.forbidden-descriptors", "本金安全的理财产品开放认购。" + D),
    ("wealth.unsupported-superlatives", "业绩优良的理财产品火热认购中。" + D),
    ("wealth.not-deposit", "存款型理财，立即认购！" + D),
    ("wealth.past-performance-disclaimer", "稳享理财第3期，近一年年化收益4.2%，立即认购。" + D),
    ("wealth.benchmark-not-promise", "本产品业绩比较基准为3.0%-3.5%。"),
    ("wealth.testimonial", "知名经济学家推荐这款理财，立即认购。" + D),
    # someone's gain from an investment needs no call to act to be a sales argument
    ("wealth.testimonial", "真实案例：赵先生去年配置了我行的稳健理财，一年下来收益将近两万。"),
    ("wealth.testimonial", "评论区好多宝妈说这款基金给娃攒下了学费，你还在等什么？"),
    ("wealth.no-guaranteed-return", "这款基金有专业团队兜着，亏损概率几乎为零，可以大胆买。"),
    ("wealth.not-deposit", "这款理财和存款一样安全，到期连本带息拿回。"),
    ("wealth.no-expected-yield", "稳盈理财新品，预期年化收益率4.5%，立即认购。" + D),
    ("wealth.no-expected-yield", "本行理财產品預計收益3.8%，歡迎購買。" + D),  # traditional script
    ("wealth.simulated-data", "稳盈理财立即认购，按历史数据回测年化可达4.8%。" + D),
    ("wealth.rating-citation", "本行理财荣获年度最佳理财产品奖，立即认购。" + D),
    ("fund.performance-window", "这只基金持有满一年正收益概率超90%，立即申购。基金有风险，投资须谨慎。"),
    ("ad.investment-risk-warning", "积存金火热开售，1克起购，立即购买！"),
    ("insurance.not-deposit", "增额终身寿险火热投保中，每年存入1万元，到期本金利息一并领取。"),
    ("insurance.not-deposit", "存单变保单，银行理财新业务，立即投保！"),
    ("ad.investment-risk-warning", "外汇宝交易点差优惠，立即办理。"),
    ("ad.data-citation", "据统计，98%的客户选择了本行信用卡，立即申请！"),
    ("marketing.no-disparagement", "其他银行都收年费，我行信用卡终身免年费，立即申请！"),
    ("pii.no-bundled-consent", "填写手机号才能参与答题抽奖，快来参加！"),
    ("pii.no-bundled-consent", "同意接收营销短信后即可领取新春红包。"),
    ("fund.risk-disclaimer", "指数基金定投火热申购中，点击开始定投。"),
    ("fund.no-forecast", "这只基金预计收益可达8%，立即申购。基金有风险，投资须谨慎。"),
    ("fund.no-lottery-sales", "申购基金即可参与抽奖。基金有风险，投资须谨慎。"),
    ("deposit.no-improper-inducement", "大额存单开售，存5万送电饭煲！"),
    ("deposit.insurance-wording", "定期存款火热办理，国家兜底，绝对安全。"),
    ("deposit.structured-disclaimer", "结构性存款限时认购，最高4.5%。"),
    ("loan.apr-disclosure", "信用贷日息低至万分之二，立即申请！"),
    ("loan.misleading-terms", "消费贷秒到账，无门槛，立即申请。年化利率3.6%起。"),
    ("loan.misleading-terms", "贷款不看征信，人人可贷，年化利率6%起，立即申请。"),
    ("loan.student-targeting", "大学生专享快贷，立即申请，年化利率7.2%起。"),
    ("card.apr-display", "账单分期手续费低至0.5%，立即办理。"),
    ("marketing.no-regulator-endorsement", "央行批准的理财产品，立即认购。" + D),
    ("marketing.inducing-terms", "低风险理财立即购买。" + D),
    ("marketing.personal-wechat-diversion", "理财产品认购请加微信咨询客户经理。"),
    ("ad.absolute-terms", "全行最好的服务体验，欢迎到网点办理。"),
    ("ad.absolute-terms", "本行存款规模全市第一。"),
    ("ad.absolute-terms", "国家级金融服务，ＮＯ.１的选择。"),
    ("ad.national-symbols", "国庆献礼：国旗手机壳免费送，办理信用卡即可领取！"),
    ("pii.no-credential-solicitation", "请回复您收到的短信验证码完成身份核验。"),
    ("pii.card-masking", "您的卡号6222021234567890123已绑定成功。"),
    ("platform.induced-sharing", "分享海报到朋友圈即可领取现金红包！"),
    ("platform.induced-sharing", "邀请好友助力，解锁更多抽奖机会。"),
    ("platform.induced-follow", "关注即送10元话费。"),
    ("platform.induced-follow", "扫码关注后领取新春红包。"),
    ("loan.apr-method", "信用贷年化利率3.6%起，立即申请。"),
    ("loan.apr-method", "消费贷日利率低至万分之一，折合年化利率（单利）3.65%，立即申请。"),
    ("loan.borrow-responsibly", "想借就借，额度随心用！快贷年化利率（单利）4%起，立即申请。"),
    ("loan.borrow-responsibly", "装修贷年化利率（单利）3.5%起，最长5年，欢迎咨询办理。"),  # an offer without the prompt
    ("agency.issuer-disclosure", "华夏成长混合型基金火热发售，立即申购。基金有风险，投资须谨慎。"),
    ("ad.label", "XX品牌空气炸锅到手价199元，点击链接立即购买。"),
    ("platform.induced-click", "【系统通知】恭喜您获得新春红包，点击链接立即领取。"),
    ("platform.induced-click", "点我领取888元现金红包，手慢无！"),
    ("deposit.structured-disclaimer",
     "结构性存款新品：年化收益率最高可达3.20%，5万元起存。结构性存款不同于一般性存款，具有投资风险。"),
    ("fund.performance-window",
     "汇川科技先锋混合（基金代码：011520）近3个月净值增长率18.6%。本基金由汇川基金管理有限公司管理，本行代销。"
     "基金有风险，投资须谨慎。"),
    # sharing proven by a screenshot, the reward in the next sentence
    ("platform.induced-sharing", "把这篇文章转发到朋友圈并截图发给我们。审核通过的朋友，每人可以领取一份5元话费。"),
    ("platform.induced-sharing", "分享给三位好友后，才能解锁全部课程。"),
    ("ad.absolute-terms", "本行推出全国首款数字人民币养老账户，欢迎开通。"),
    # said in idiom and metaphor
    ("wealth.no-guaranteed-return", "这只债基从不让人空手而归，手机银行即可申购。基金有风险，投资须谨慎。"),
    ("marketing.no-regulator-endorsement",
     "这只基金经过注册，等于盖上了国家信用的章，拿着踏实。基金有风险，投资须谨慎。"),
    ("loan.misleading-terms", "提交即批，喝口茶的工夫额度就到账。年化利率（单利）5.6%起，理性借贷、按时还款。"),
    ("platform.induced-follow", "点亮公众号的小星标并保持订阅，次月即可领取一份生日小礼。"),
    ("insurance.not-deposit", "把定期转成这份增额终身寿险，钱还是放在银行，只是息更高。安和人寿承保，本行代理销售。"),
    # probe 13: the secret then "发送至"; a channel that names the secret (网银登录密码) is not where it is typed
    ("pii.no-credential-solicitation", "解除冻结请把短信验证码发送至本号。"),
    ("pii.no-credential-solicitation", "请填写您的手机银行登录密码以便核实身份。"),
    ("wealth.testimonial", "理财协会专家一致认可这款理财，立即认购。" + D),
    ("wealth.testimonial", "看看买过的人怎么说：“省心又稳当”，这款理财火热认购中。" + D),
    ("wealth.testimonial", "张阿姨亲测：这款理财买了一年很满意，欢迎认购。" + D),
    ("deposit.no-improper-inducement", "三年期定期存款在挂牌利率上额外补贴0.2%，欢迎存入。"),
    ("marketing.no-disparagement", "我行存款利率比别家城商行高多了，快来存入。"),
    ("ad.data-citation", "八成客户首选本行手机银行。"),
    ("insurance.not-deposit", "定期到期后不如换成这款年金险，立即投保。"),
    ("agency.issuer-disclosure", "少儿教育金保险“金榜题名”火热投保中。"),
    ("platform.induced-sharing", "邀请好友帮砍一刀，年费全免减免到账。"),
]

NEGATIVE = [
    ("wealth.testimonial", "理财经理提示：他人的收益不代表您的收益，请根据自身风险承受能力选择产品。"),
    ("wealth.not-deposit", "理财和存款不一样，理财非存款，产品有风险，投资须谨慎。"),
    ("wealth.risk-disclaimer", "理财产品认购中。" + D),
    ("wealth.risk-disclaimer", "理财产品认购中。理财非存款、产品有风险、投资需谨慎"),
    ("wealth.risk-disclaimer", "警惕以“高收益理财”为名的诈骗，切勿轻信陌生人。"),
    ("wealth.risk-disclaimer", "基金定投小知识：坚持长期投资，点击了解。基金有风险，投资须谨慎。"),
    ("wealth.no-guaranteed-return", "本产品为非保本浮动收益型理财产品，立即认购。" + D),
    ("wealth.no-guaranteed-return", "本行不承诺保本，理财产品火热认购中。" + D),
    ("wealth.no-guaranteed-return", "警惕“稳赚不赔”的理财骗局。"),
    ("wealth.no-guaranteed-return", "有人推荐这款理财产品保本保收益？这是诈骗，请勿相信。"),
    ("wealth.no-guaranteed-return", "这只基金不保本，基金有风险，投资须谨慎。"),
    ("wealth.forbidden-descriptors", "理财产品开放认购，风险等级R2。" + D),
    ("wealth.unsupported-superlatives", "据普益标准2025年12月评价，本产品业绩优良，开放认购。" + D),
    ("wealth.past-performance-disclaimer", "稳享理财近一年年化收益4.2%，立即认购。" + D + "过往业绩不代表其未来表现。"),
    ("wealth.benchmark-not-promise", "业绩比较基准3.0%，不构成对产品收益的承诺。"),
    ("wealth.no-expected-yield", "稳盈理财业绩比较基准3.0%-3.5%，不代表预期收益，立即认购。" + D),
    ("wealth.no-expected-yield", "资管新规后，理财产品不再使用预期收益率，改为展示业绩比较基准。"),  # education
    ("wealth.simulated-data", "稳盈理财立即认购，按历史数据回测年化4.8%（模拟数据，不代表实际收益）。" + D),
    ("wealth.rating-citation", "据普益标准2025年12月评价，本产品获评五星，开放认购。" + D),
    ("fund.performance-window", "基金定投火热申购中，请关注风险。基金有风险，投资须谨慎。"),
    ("ad.investment-risk-warning", "积存金火热开售，1克起购。投资有风险，请谨慎决策，风险自担。"),
    ("insurance.not-deposit", "增额终身寿险火热投保中，年交保费1万元，现金价值以合同为准。保险不是存款。"),
    ("insurance.not-deposit", "大额存单火热认购，存入20万元起，受存款保险保障，欢迎办理。"),  # a deposit, not insurance
    ("ad.data-citation", "98%的客户对本行服务表示满意（数据来源：2025年本行客户满意度调查），欢迎办理。"),
    ("ad.data-citation", "据统计，电信诈骗多以“安全账户”为名，请提高警惕。"),  # no promotion
    ("marketing.no-disparagement", "我行信用卡终身免年费，立即申请！"),
    ("pii.no-bundled-consent", "参与活动无需填写手机号，答题即可参与抽奖。"),
    ("pii.no-bundled-consent", "如需接收活动通知，可自愿留下手机号。"),
    ("fund.risk-disclaimer", "指数基金定投火热申购中。基金有风险，投资须谨慎。"),
    ("fund.no-forecast", "本行不预测收益，基金申购请谨慎。基金有风险，投资须谨慎。"),
    ("deposit.no-improper-inducement", "大额存单起存20万元，欢迎办理。"),
    ("deposit.insurance-wording", "本行存款依法受存款保险保障，欢迎办理定期存款。"),
    ("deposit.structured-disclaimer",
     "结构性存款限时认购，最低1.5%、最高4.5%。结构性存款不同于一般性存款，具有投资风险，请谨慎投资。"),
    ("loan.apr-disclosure", "信用贷年化利率（单利）3.6%起，立即申请。"),
    ("loan.apr-disclosure", "警惕“日息万分之五”的贷款套路，谨防诈骗。"),
    ("loan.misleading-terms", "消费贷款还款日前享免息期，年化利率7.2%起，立即申请。"),
    ("loan.student-targeting", "大学生防诈骗课堂：警惕校园贷陷阱。"),
    ("marketing.inducing-terms", "R2（中低风险）理财产品开放认购。" + D),
    ("marketing.inducing-terms", "理财产品风险等级：低风险，立即认购。" + D),
    ("ad.absolute-terms", "第一季度理财知识课程开课啦。"),
    ("ad.absolute-terms", "请按时偿还最低还款额，以免影响征信。"),
    ("ad.absolute-terms", "我们致力于提供最好的服务。"),
    ("ad.absolute-terms", "请在第一时间挂失银行卡。"),
    ("ad.national-symbols", "国庆假期网点营业时间调整，祝您节日快乐。"),
    ("ad.national-symbols", "国庆节清晨，天安门广场举行升国旗仪式。"),  # no promotion
    ("pii.no-credential-solicitation", "银行工作人员不会索要您的验证码，请勿向任何人提供验证码。"),
    ("pii.no-credential-solicitation", "请勿回复验证码给陌生人。"),
    ("pii.card-masking", "您尾号1234的银行卡已绑定成功。"),
    ("pii.card-masking", "您的卡号6222****1234已绑定。"),
    ("platform.induced-sharing", "无需分享即可参与答题赢积分。"),
    ("platform.induced-sharing", "欢迎把防诈知识讲给家人听，转发本文。"),
    ("platform.induced-follow", "感谢关注示例银行，点击菜单查询余额。"),
    ("loan.apr-method", "信用贷年化利率（单利）3.6%起，即日利率约万分之一，立即申请。"),
    ("loan.apr-method", "三年期大额存单年利率2.15%，信用卡新客户首刷有礼，欢迎办理。"),  # a deposit's rate
    ("loan.borrow-responsibly", "想借就借？请理性借贷，量入为出。快贷年化利率（单利）4%起，立即申请。"),
    ("loan.borrow-responsibly", "装修贷年化利率（单利）3.5%起，最长5年，欢迎咨询办理。请理性借贷，按时还款。"),
    ("loan.borrow-responsibly", "谨防“黑户可贷、当天放款”的贷款广告，本行贷款只能通过官方渠道申请。"),  # fraud warning
    ("loan.borrow-responsibly", "我行贷款审批需要查询征信并核实收入材料，请如实填写申请信息。"),  # a process note
    ("agency.issuer-disclosure", "本行代销的华夏成长混合型基金火热发售，立即申购。基金有风险，投资须谨慎。"),
    ("agency.issuer-disclosure", "鑫利纯债基金管理人：示例基金管理有限公司，开放申购。基金有风险，投资须谨慎。"),
    ("agency.issuer-disclosure", "增额终身寿险是什么？一文看懂现金价值。"),  # a kind, not a product
    ("ad.label", "广告｜XX品牌空气炸锅到手价199元，点击链接立即购买。"),
    ("ad.label", "大额存单立即购买，起存20万元，受存款保险保障。"),  # the bank's own deposit
    ("platform.induced-click", "我行不会以“微信官方”名义向您发送中奖信息，请勿点击陌生链接。"),
    ("platform.induced-click", "系统升级通知：本行网银系统将于周日凌晨维护，期间暂停服务。"),
    ("wealth.not-deposit", "理财和存款一样吗？不一样。理财非存款，产品有风险，投资须谨慎。"),  # a question answered no
    # a benchmark is a target, not a record
    ("wealth.past-performance-disclaimer",
     "稳享理财｜风险等级：R2；业绩比较基准：年化2.00%–2.80%，业绩比较基准不构成对产品收益的承诺。理财非存款，产品有风险，"
     "投资须谨慎。"),
    # gold bought by a regular plan, not a fund
    ("fund.risk-disclaimer", "积存金：1克起购，可按日定投。投资有风险，损失由投资者自行承担，请谨慎决策。"),
    ("platform.induced-sharing",
     "请各支行将本通知转发至部门全体员工，并于11月30日前完成培训，考试合格后方可办理相关业务。"),
    ("ad.absolute-terms", "本行在江北区的首家适老化示范网点今日开业。"),  # the bank's own first branch there
    ("loan.misleading-terms", "贷款结清后就不用还了，可在手机银行申请开具结清证明，欢迎咨询办理。"),
    ("ad.investment-risk-warning", "黄金积存金价格随市场波动，可能出现亏损，投资须谨慎。"),  # a warning in other words
    # Hong Kong's own prudence slogan
    ("loan.borrow-responsibly",
     "私人分期貸款實際年利率低至4.28%，貸款期12至60個月，須經批核。借定唔借？還得起先好借！"),
    ("loan.student-targeting", "校园卡开卡季：新生可到学校服务点办理借记卡，无年费、无透支功能。"),  # no credit at all
    # probe 13: ordinals, a refusal with 无需, the bank as issuer or distributor, payouts, guides
    ("ad.absolute-terms", "领到第一份工资，先存一笔应急金，再了解理财产品，欢迎咨询办理。"),
    ("ad.absolute-terms", "本行1998年开设第一家社区网点，欢迎到店办理。"),
    ("pii.no-credential-solicitation", "余额可在手机银行查询，无需在对话框发送卡号。"),
    ("agency.issuer-disclosure", "“日日盈”现金管理类理财（本行发行）火热认购中。" + D),
    ("agency.issuer-disclosure", "“安康”两全保险（平安人寿承保、本行代理）欢迎投保，第十年起每年可领取。"),
    ("insurance.not-deposit", "“安康”两全保险（平安人寿承保、本行代理）欢迎投保，第十年起每年可领取。"),
    ("ad.investment-risk-warning", "个人外汇业务办理指南：每人每年便利化额度为等值5万美元。"),
    ("loan.apr-disclosure", "信用卡最低还款额为账单金额的10%，选择最低还款将按日计收利息。"),
]


@pytest.mark.parametrize(("rule", "text"), POSITIVE)
def test_rule_fires(tmp_path: Path, rule: str, text: str) -> None:
    run = run_yaml(tmp_path, reply_spec(text))
    assert REPLY in run.hits(rule), [(f.rule, f.address, f.detail) for f in run.report.findings]


@pytest.mark.parametrize(("rule", "text"), NEGATIVE)
def test_rule_stays_quiet(tmp_path: Path, rule: str, text: str) -> None:
    run = run_yaml(tmp_path, reply_spec(text))
    assert run.hits(rule) == [], [(f.rule, f.address, f.detail) for f in run.report.findings]


def test_cases_cover_many_rules() -> None:
    assert len(POSITIVE) >= 30 and len(NEGATIVE) >= 30
    assert len({r for r, _ in POSITIVE}) >= 25


def test_text_rules_need_the_pack(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("理财新品限时认购，保本保息。", packs="[]"))
    assert run.hits("wealth.no-guaranteed-return") == []


def test_finding_points_at_the_reply_text(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("理财新品限时认购，保本保息。" + D))
    [finding] = [f for f in run.report.findings if f.rule == "wealth.no-guaranteed-return"]
    assert (finding.position.file, finding.position.line) == (str(run.path), 11)
    assert finding.path == "accounts[0].replies.keywords[0].reply.text"
    assert finding.detail == "“保本保息”" and finding.blocking
    assert "广告法 第二十五条" in finding.basis


# --- reading text the way a reviewer does (issue 15) ---------------------------------------------------


@pytest.mark.parametrize(("text", "rule"), [
    ("分红型年金险本息无忧，每年稳定领取，现在投保享首年加码。", "wealth.no-guaranteed-return"),
    ("黄金积存只赚不赔，金价越跌越要买，马上办理！", "wealth.no-guaranteed-return"),
    ("借1万元每天只要2元，随借随还，马上申请消费贷！", "loan.apr-disclosure"),
    ("经营贷一天利息只要5块钱，马上申请。", "loan.apr-disclosure"),
    ("請將收到的簡訊驗證碼回覆給我們以完成驗證。", "pii.no-credential-solicitation"),
    ("请把身份证号码后六位和手机号回复给我们，为您查询额度。", "pii.no-credential-solicitation"),
    ("发到家人群，凭截图到网点领取鸡蛋一盒。", "platform.induced-sharing"),
    ("本理财到期一定赚钱，不会亏损，欢迎购买。", "wealth.no-guaranteed-return"),
    ("这款保险和存款没区别，到期连本带息返还，欢迎投保。", "wealth.not-deposit"),  # 别 inside 区别 negates nothing
    ("在我行存钱，本金一分都不会少，国家全额保障，欢迎存入。", "deposit.insurance-wording"),  # 不会 is a clause back
    ("市民首选的手机银行，快来下载。", "ad.absolute-terms"),
    ("定期存款零风险，一分钱都不会少。", "deposit.insurance-wording"),  # a claim even without a call to act
    ("大额存单每存5万元加赠一桶食用油。", "deposit.no-improper-inducement"),
    ("借款1万元，日均利息不到3块钱，立即申请。", "loan.apr-disclosure"),
    ("核验需要：请把您收到的6位数字短信码告诉客服。", "pii.no-credential-solicitation"),
    ("这款增额终身寿就是一张长期存单，欢迎投保。", "wealth.not-deposit"),
    ("本行理财产品保本保收益，稳赚不赔！", "wealth.no-guaranteed-return"),  # the bank's own product, no call to act
])
def test_paraphrases_are_caught(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "本产品不构成对产品收益的任何承诺，理财非存款，产品有风险，投资须谨慎，欢迎认购。",  # negation 8 characters away
    "世上没有无风险的高收益，理财非存款，产品有风险，投资须谨慎。",
    "凡是要求您发送验证码的“客服”都是骗子。",  # an anti-fraud sentence quotes the request
    "CVV安全码切勿告诉任何人，包括银行工作人员。",  # the negator sits inside the request
    # a daily rate beside (after) the annual one
    "消费贷年化利率（单利）3.5%-10%，日利率约万分之一，立即申请。请理性借贷，按时还款。",
    "我行唯一客服电话95588，其他号码均非本行。",  # 唯一 in a factual security notice
    "本行获评2025年“年度最佳零售银行”（来源：《银行家》杂志2025年11月）。",  # a sourced award
    "欢迎分享，记得关注我们。",  # 得 inside 记得 is no reward
    "欢迎转发给需要的朋友，送达率更高。",  # 送 inside 送达
    "关注我们，领导说很好。",  # 领 inside 领导, and in another clause (full-width commas normalise to ASCII)
    "存款送礼属于违规揽储，我行不开展此类活动。",  # says what is forbidden
    "我行工作人员绝对不会向您索要短信验证码。",  # 绝对不会 is an emphatic no, not an absolute claim
    "所谓“存款国家兜底”的说法并不准确，存款保险最高偿付50万元。",
    "资管新规以后，“保本理财”已退出历史舞台，我行理财产品均为净值型。",  # the word named, not claimed
])
def test_careful_texts_are_not_flagged(text: str) -> None:
    assert text_rules_on(text) == set()


def test_a_finding_says_how_to_fix_it(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("消费贷日息万分之三，随借随还，立即申请。"))
    [finding] = [f for f in run.report.findings if f.rule == "loan.apr-disclosure"]
    assert finding.fix == "add the annual rate: 年化利率（单利）X%"
    assert "fix: add the annual rate" in finding.to_diagnostic().hint and finding.to_json()["fix"] == finding.fix


def test_a_finding_quotes_its_clause(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("理财新品限时认购，到期本金和收益都由我行兜底，放心认购。" + D))
    [finding] = [f for f in run.report.findings if f.rule == "wealth.no-guaranteed-return"]
    assert finding.detail == "“兜底”（到期本金和收益都由我行兜底）"
    long_clause = "理财新品限时认购，" + "本产品" * 20 + "稳赚不赔。" + D
    [finding] = [f for f in run_yaml(tmp_path, reply_spec(long_clause)).report.findings
                 if f.rule == "wealth.no-guaranteed-return"]
    assert finding.detail.startswith("“稳赚不赔”（…") and finding.detail.endswith("本产品稳赚不赔）")
    assert len(finding.detail) < 50


@pytest.mark.parametrize(("text", "about"), [
    ("大额存单欢迎存入。理财产品风险等级R2。" + D, {1: {"deposit"}, 12: {"wealth"}}),
    ("这款基金很好。稳赚不赔！", {8: {"fund"}}),  # a sentence naming nothing takes the earlier one's product
    ("稳赚不赔！这款基金很好。", {0: {"fund"}}),  # a headline takes the first later one's
    ("欢迎关注本行。", {0: set()}),
])
def test_a_claim_is_about_the_product_its_sentence_names(text: str, about: dict[int, set[str]]) -> None:
    read = normalise(text)
    assert {at: set(products_near(read, at)) for at in about} == about


@pytest.mark.parametrize(("text", "rule", "fires"), [
    ("信用卡新户开通即送行李箱。基金有风险，投资须谨慎，欢迎申购本行代销基金。", "fund.no-lottery-sales", False),
    ("信用卡消费返现5%。三年期定期存款年利率1.75%，欢迎办理。", "deposit.no-improper-inducement", False),
    ("活期存款零门槛，1元起存。消费贷年化利率（单利）4%起，立即申请。", "loan.misleading-terms", False),
    ("定期存款年利率1.75%，欢迎办理。申购基金即送话费50元，立即申购。", "fund.no-lottery-sales", True),
])
def test_product_context_is_read_per_sentence(text: str, rule: str, fires: bool) -> None:
    assert (rule in text_rules_on(text)) is fires


# --- the mechanisms behind generalisation: one case per shape, each with its trap --------------------------


@pytest.mark.parametrize(("text", "rule"), [
    # a loss denied, with words between the negator and the loss
    ("债基组合基本不会出现亏损，立即申购。", "wealth.no-guaranteed-return"),
    # a gain asserted as certain, whatever the market does
    ("外汇宝双向交易，无论涨跌都能赚钱，马上开户。", "wealth.no-guaranteed-return"),
    # the seller bears the loss
    ("贵金属定投，放心投，亏了算我们的，立即开通。", "wealth.no-guaranteed-return"),
    # a copula between an investment product and a deposit word
    ("本款理财可以理解为一张收益更高的大额存单，欢迎购买。", "wealth.not-deposit"),
    # a transaction, then a gift, in one sentence; the gift offer is the call
    ("存满3个月定期，即可领取精美四件套一套。", "deposit.no-improper-inducement"),
    ("首次定投基金成功，立得30元京东E卡。", "fund.no-lottery-sales"),
    # following and a reward across a comma
    ("扫码关注示例银行，即有机会赢取价值千元的大礼。", "platform.induced-follow"),
    # the secret first, the sending verb after
    ("请把卡片背面最后三位数字发过来，我们帮您开通。", "pii.no-credential-solicitation"),
    # Taiwan wording normalised (身分證 is 身份证)
    ("請將您的身分證號碼及手機驗證碼一併回覆。", "pii.no-credential-solicitation"),
    # credit named by its verb, not by a product word
    ("借2万元，一个月利息才120元，立即申请。", "loan.apr-disclosure"),
    # 最 + a quality in a promotional text
    ("全城最低的房贷利率，就在我行，立即申请。", "ad.absolute-terms"),
])
def test_claims_are_read_by_shape(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    # refuted in its sentence, however far from the word
    "有人说“理财零风险”，这是错误的说法，理财非存款，产品有风险，投资须谨慎。",
    # a claim reported as someone else's
    "任何声称“不看征信、当天放款”的都不是正规贷款，请勿上当。",
    # a third party's request, a hypothetical requester
    "有陌生人要你报出卡号和验证码？马上挂断电话！",
    "如有人以银行名义让您提供卡号、验证码，请立即拨打我行客服核实。",
    # entering a password in the bank's own app
    "登录手机银行时，请输入您自行设置的登录密码。",
    # a negated gift, a clause negator further than four characters away
    "存款利率以网点公告为准，本行不以任何礼品、返现吸收存款。",
    # an ordinary word the segmenter keeps whole: 高收益 is not a word of 最高收益率
    "结构性存款不同于一般性存款，具有投资风险，您应当充分认识投资风险，谨慎投资。本产品最低收益率1.2%，最高收益率3.0%，欢迎认购。",
    # thanks and ordinals are not absolutes
    "您的转发和点赞是对我们最大的鼓励！",
    "感谢关注！每月第一个周三为我行“消费者权益保护日”。",
    # state-subsidised student loans are not consumer credit aimed at students
    "大学生如遇资金困难，可向学校资助中心申请国家助学贷款。",
    # a fund's benchmark is the index it is compared with
    "本基金近一年净值增长率5.2%，业绩比较基准收益率4.1%，过往业绩不代表其未来表现。基金有风险，投资须谨慎。",
])
def test_framing_that_is_not_a_claim(text: str) -> None:
    assert text_rules_on(text) == set()


def test_a_line_break_ends_a_clause_so_a_title_does_not_run_into_the_next_line() -> None:

    examples = Path(__file__).resolve().parents[2] / "specs" / "examples" / "citybank" / "accounts"
    article = examples / "content" / "young" / "deposit-insurance.md"
    title_then_body = article.read_text(encoding="utf-8").split("---", 2)[2]  # a heading, then its paragraphs
    assert "wealth.not-deposit" not in fired(cn_bank_text.RULES, title_then_body)
    assert "wealth.not-deposit" in fired(cn_bank_text.RULES, "这款理财相当于定期存款，到期还本付息，立即购买。")
