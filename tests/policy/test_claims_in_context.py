"""Claims read from their context: who says them (a customer, another bank), where a secret is to be typed,
which sentence carries a share's or a follow's reward; and careful texts that share their words. Each case
reads the other way without the mechanism its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import text_rules_on


@pytest.mark.parametrize(("text", "rule"), [
    # a customer quoted on how the product did for them, with or without quotation marks
    ("老客户张大爷说：买了这款年金险以后，每个月都能领，心里有底气。本产品由安和人寿承保，本行代理销售。",
     "wealth.testimonial"),
    ("投保客户刘阿姨说：“买了这份年金险，退休后年年领钱，比啥都踏实。”本产品由安和人寿承保，本行代理销售。",
     "wealth.testimonial"),
    # a launch with an insurer is the bank's, whatever the sentence calls it (…联合推出的新存款)
    ("咱们行和人寿公司一起联合推出了新款存钱计划，每年存一万，连存五年。", "insurance.not-deposit"),
])
def test_a_quoted_customer_and_a_launch_with_an_insurer_are_claims(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("客户王先生说：“网点帮我整理好了理赔材料，省了不少事。”理赔由保险公司负责。", "wealth.testimonial"),
    ("本行与市消防支队联合推出“安全用电进社区”公益讲座，欢迎居民参加。", "insurance.not-deposit"),
])
def test_a_service_thanked_and_a_launch_with_no_insurer_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # another bank found wanting is a negative comparison in any text but a warning, not only in a promotion
    ("外面那些小银行的理财动不动就破净，还是咱们这里让人放心。", "marketing.no-disparagement"),
    ("隔壁银行的存款利率说降就降，我们一直很实在。", "marketing.no-disparagement"),
    ("本行大额存单可转让。不像有些农商行，动不动就限制取款。", "marketing.no-disparagement"),
    # a secret asked for where the customer is not in the bank's own channel
    ("網點預約：請輸入您的身份證號和銀行卡密碼完成預約。", "pii.no-credential-solicitation"),  # booked here
    ("账户核验：请在页面填写网银登录口令，否则将限制非柜面交易。", "pii.no-credential-solicitation"),
    ("安全升级：请在页面填上卡面全部数字和取钱时按的那组数字。", "pii.no-credential-solicitation"),  # described
])
def test_a_bank_found_wanting_and_a_secret_asked_outside_the_banks_channel_are_claims(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    ("警惕：有人冒充客户经理，说别的银行存款利率都在降，诱导您转存到不明账户。", "marketing.no-disparagement"),
    ("修改交易密码请本人携带身份证到柜面办理，或在手机银行内操作。", "pii.no-credential-solicitation"),
])
def test_a_warning_and_a_secret_typed_in_the_banks_own_channel_are_not_claims(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "数据显示，本行信用卡客户中八成以上对账单服务表示满意。",  # the bank's own customers: no call needed
    "调研表明，本行手机银行客户超过七成减少了跑网点的次数。",  # 调研表明 is 调查显示 in other words
])
def test_a_statistic_about_the_banks_own_customers_needs_its_source(text: str) -> None:
    assert "ad.data-citation" in text_rules_on(text)


def test_a_statistic_with_its_source_is_cited() -> None:
    cited = "数据显示（来源：本行2025年客户满意度调查），本行信用卡客户中八成以上对账单服务表示满意。"
    assert "ad.data-citation" not in text_rules_on(cited)


@pytest.mark.parametrize("text", [
    "邀请五位同事一起报名。人数凑齐以后，每位都能多抽一次奖。",  # the people asked for, once brought
    "把你的理财小心得发到朋友圈。活动结束后，点赞数最高的前五名将收到一份精美礼盒。",  # ranked by likes
    "好友正在抢年货红包，点开链接帮他点一下，你们都能拿到立减金。",  # a click for a friend
    "把海报share去朋友圈，攒够30个like就可以来网点拿一把雨伞。",  # English words read back
    "把这篇反诈漫画转到家人群并截图发给我们，就能领10元话费。",  # 反诈漫画 names the content
])
def test_shares_rewarded_in_the_next_sentence_or_in_other_words_are_read(text: str) -> None:
    assert "platform.induced-sharing" in text_rules_on(text)


def test_an_anti_fraud_lesson_shared_without_a_reward_is_not_induced() -> None:
    lesson = "这篇反诈小课堂讲得实在，觉得有用可以转给家里老人看看，转不转都行，没有任何奖励。"
    assert "platform.induced-sharing" not in text_rules_on(lesson)


@pytest.mark.parametrize("text", [
    "扫描海报二维码成为我们的粉丝。本周内在对话框回复“年货”，就能解锁一份新春礼包。",  # the reply step, then the reward
    "参与方式：1.扫码；2.成为本号订阅用户；3.回复“元宵”。完成以上三步，即可获得汤圆券一张。",
    "竞猜活动仅限本号粉丝参加，未关注用户即使猜中也不予发奖。",  # the gate said from the other side
    "仅限本号粉丝参加抽奖，奖品为定制保温杯。",
])
def test_a_follow_rewarded_after_its_steps_or_gated_from_the_other_side_is_induced(text: str) -> None:
    assert "platform.induced-follow" in text_rules_on(text)


def test_a_follow_that_changes_nothing_is_not_induced() -> None:
    fair = "关注与否不影响参加抽奖和领奖，未关注用户也可以参加。"
    assert "platform.induced-follow" not in text_rules_on(fair)


def test_paying_in_names_no_deposit_product_so_the_likeness_is_the_policys() -> None:
    # 存入 is a policy's premium as much as a deposit: the sentence still sells the policy named after it
    liked = "每月存入一千元，连续存十年，之后按月领钱，跟零存整取一个道理。这款年金险由安和人寿承保，本行代理销售。"
    assert "insurance.not-deposit" in text_rules_on(liked)
    careful = "与定期存款不同，年金险是保险产品，存入的保费用于保障，提前退保可能损失本金。本产品由安和人寿承保。"
    assert "insurance.not-deposit" not in text_rules_on(careful)


def test_a_deposit_measured_against_names_no_deposit_before_the_likeness() -> None:
    text = "收益比定期高一点、又像存款一样随时能取？来看看这款现金管理类理财，1分钱起购。"
    assert "wealth.not-deposit" in text_rules_on(text + "理财非存款，产品有风险，投资须谨慎。")


def test_a_gain_measured_against_a_deposit_is_an_investments_and_wins_no_prize() -> None:
    # 跑赢定期 names the deposit only as a yardstick, and 跑赢 is a word: its 赢 is no lottery
    rules = text_rules_on("已有两千多位客户亲测：买满一年，人均收益跑赢定期。同款理财今日开售。"
                          "理财非存款，产品有风险，投资须谨慎。")
    assert "wealth.testimonial" in rules
    assert not rules & {"fund.no-lottery-sales", "deposit.no-improper-inducement"}


@pytest.mark.parametrize("text", [
    "问：存款最近有啥活动？答：存5万及以上即可参加抽奖，最高抽中一根金条。",  # gold as the prize names no gold product
    "新资金10万元放咱们行满半年，一袋大米直接拎走！",  # money brought in is deposited
])
def test_a_gift_for_depositing_in_other_words_is_an_inducement(text: str) -> None:
    assert "deposit.no-improper-inducement" in text_rules_on(text)


@pytest.mark.parametrize(("text", "flagged"), [
    ("将你的身份证正反面拍张照，直接在对话框发送给我们就得啦。", True),  # photographed, then sent here
    ("想快啲搞掂？将你张身份证正反面影张相，直接喺对话框send俾我哋。", True),  # Cantonese 影张相 is 拍张照
    ("请在本行App中拍摄身份证正反面，系统将加密上传，无需发给任何人。", False),
])
def test_an_id_photographed_and_sent_here_is_solicited(text: str, flagged: bool) -> None:
    assert ("pii.no-credential-solicitation" in text_rules_on(text)) is flagged


@pytest.mark.parametrize(("text", "flagged"), [
    ("车辆分期首月不用还！车贷年化利率（单利）4.6%，请按时还款。", True),  # a car instalment plan is a loan
    ("「安家贷」线上申请，刷个视频的工夫钱就到卡上了。请理性借贷，按时还款。", True),
])
def test_loan_terms_in_everyday_words(text: str, flagged: bool) -> None:
    assert ("loan.misleading-terms" in text_rules_on(text)) is flagged


@pytest.mark.parametrize(("text", "rule"), [
    # a claim quoted, then corrected in the same sentence: a misconception answered (negation.corrected)
    ("刚才弹幕说“买这个稳赚吧”，主播纠正一下：没有哪款基金能稳赚，这只债基今年也出现过回撤。基金有风险，投资需谨慎。",
     "wealth.no-guaranteed-return"),
    ("刚才弹幕说“买这个稳赚吧”，主播纠正一下：没有哪款基金能稳赚，这只债基今年也出现过回撤。基金有风险，投资需谨慎。",
     "wealth.testimonial"),
])
def test_a_quoted_claim_corrected_after_it_is_not_made(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)


def test_a_quoted_claim_left_standing_is_made() -> None:
    text = "客户都说“稳赚不赔”，快来买这款理财！理财非存款，产品有风险，投资须谨慎。"
    assert "wealth.no-guaranteed-return" in text_rules_on(text)
