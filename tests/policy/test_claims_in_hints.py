"""Probes 68 and 69's readings: what sales staff only hint at (a whole building that bought it, a doctor who
insured his family, holders' five-star reviews, every issue paid in full, the seller's own purse, a bank too big
to lose money) and what slang, pinyin initials, English and dialect say (理解成CK, 死期, ZX不好也能下, no credit
check, yzm发我, DXS专属); and careful texts the same words reach (a holding's maturity notice, a keyword named as
two characters, a warning to ignore any link). Each case reads the other way without the change its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import text_rules_on

WEALTH = "华晟理财发行，本行代销。理财非存款，产品有风险，投资须谨慎。"
FUND = "恒远基金发行，本行代销。基金有风险，投资须谨慎。"
LOAN = "年化利率（单利）4.5%起，请理性借贷。"
TESTIMONIAL = "wealth.testimonial"
GUARANTEE = "wealth.no-guaranteed-return"
CREDENTIALS = "pii.no-credential-solicitation"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml testimonial (probe 68); negation: 差不多 negates nothing
    (f"三号楼差不多家家都买了这款R2理财。{WEALTH}", TESTIMONIAL),
    ("三甲医院的李主任给全家都投保了这款年金险。安和人寿承保，本行代理销售。", TESTIMONIAL),
    (f"您好，这款理财在手机银行的持有人评价里有两千多条五星好评。{WEALTH}", TESTIMONIAL),
    (f"Rated 4.9/5 by 3,000+ holders. 这只指数基金欢迎申购。{FUND}", TESTIMONIAL),
    # claims.yaml guarantee (probe 68); cn_bank_finance._NEAR_PRINCIPAL (安全垫, 回报有着落)
    (f"这个R2系列发了四十多期，期期足额到账。{WEALTH}", GUARANTEE),
    (f"这只基金真少了一分，我个人给您补上。{FUND}", GUARANTEE),
    (f"几十万亿的大行，钱放这儿还能飞了？这款R2理财开放认购。{WEALTH}", GUARANTEE),
    (f"这只债基安逸得很，莫得啥子风险，放起就是了。{FUND}", GUARANTEE),
    (f"回报有着落，您就等着到期收钱吧。这款R2理财{WEALTH}", "wealth.forbidden-descriptors"),
    # claims.yaml not_deposit (probe 69)
    (f"固收+理财｜可以理解成 CK 的升级款，放法跟 DQ 一模一样｜{WEALTH}", "wealth.not-deposit"),
    (f"养老理财，跟存死期一个味儿，唠明白了再整！{WEALTH}", "wealth.not-deposit"),
    # claims.yaml loan_misleading (probe 69)
    (f"No credit check, no paperwork — everyone gets approved! 本行消费贷{LOAN}", "loan.misleading-terms"),
    (f"群里有需要周转的吗？本行经营贷 ZX 不好也能下，随借随还～{LOAN}", "loan.misleading-terms"),
    (f"老铁们，咱这信用贷啥条件都不挑，有工作没工作都中！{LOAN}", "loan.misleading-terms"),
    # claims.yaml credential and cn_bank_personal._SEND (跟我说) (probe 69)
    ("亲，刚给你发了条短信，yzm 发我一下，我帮你把权益激活～", CREDENTIALS),
    ("嬢嬢，你把取钱时按的那六个数跟我说一哈嘛，我在柜台上帮你弄好。", CREDENTIALS),
    ("中奖的朋友注意啦：把卡背面签名条旁边那几个小数字一起发群里，我们好给您打奖金哦～", CREDENTIALS),
    # claims.yaml students (probe 69)
    (f"DXS 专属快贷上线啦！考证、报班、买电脑都能用，{LOAN}", "loan.student-targeting"),
])
def test_a_hint_or_slang_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # cn_bank_agency.agency_disclosure and vocabulary.SERVICE_NOTICE: a notice about the customer's own holding
    ("【錦城銀行】您持有的『季享30』理財產品將於11月30日到期，到期資金預計於下一工作日回到您的活期賬戶。理財非存款，"
     "產品有風險，投資須謹慎。", "agency.issuer-disclosure"),
    # cn_bank_personal._keyword and vocabulary.MENTIONED: a keyword named as two characters
    ("回复‘卡号’两个字，可获取在本行App内查询完整卡号的操作指引。", CREDENTIALS),
    # vocabulary.FRAUD_FRAME: 一律别理
    ("请只在本行官方App或网点设备上输入密码；任何链接、网页或‘客服’让你输入密码的，一律别理。", CREDENTIALS),
    # vocabulary.QUOTE_MARKERS: 骗子常说
    ("骗子常说：‘把验证码报给我，马上帮你解冻。’‘你的卡涉嫌洗钱，把密码告诉我配合调查。’记住一句话：谁跟你要验证码和密码，"
     "谁就是骗子。", CREDENTIALS),
])
def test_a_careful_text_the_same_words_reach_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
