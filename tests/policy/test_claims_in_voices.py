"""Probe 62's readings: testimonials, deposits in disguise and guarantees as a branch's short video, a manager's
message, an elderly group chat or a poster would say them (a neighbour pleased with what she bought, an insider's
savings, words signed by a customer, a figure to write down, Shanghainese and Cantonese); and careful texts in the
same voices. Each reading fails without the change its comment names; the careful texts keep those changes narrow."""

from __future__ import annotations

import pytest

from tests.policy.helpers import FUND_NOTICE, WEALTH_NOTICE, text_rules_on

ISSUER = "由澄江理财有限责任公司发行，本行代理销售。"
TESTIMONIAL = "wealth.testimonial"
GUARANTEE = "wealth.no-guaranteed-return"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml testimonial (probe 62): pleased buyers, an insider's savings, a customer's words signed on a poster
    (f"口播：上个月来办业务的刘阿姨跟我说，她去年在我们这儿买的这款理财，到期那天笑得合不拢嘴。{ISSUER}{WEALTH_NOTICE}",
     TESTIMONIAL),
    (f"讲座上那位退休的老银行家说了，他自己退休金的一半都放在这款理财里。{ISSUER}{WEALTH_NOTICE}", TESTIMONIAL),
    (f"某大学金融学院的老院长谈到，他本人连续三年都配置了这款理财。{ISSUER}{WEALTH_NOTICE}", TESTIMONIAL),
    (f"【海报】“我退休后的小日子，全靠它打理”——本行客户李阿姨（62岁）｜这款养老理财{ISSUER}｜{WEALTH_NOTICE}",
     TESTIMONIAL),
    ("评论区的张大爷、刘阿姨都投保这款年金险好几年了，他们都说领着年金心里特别踏实。"
     "由长宁人寿保险股份有限公司承保，本行代理销售。", TESTIMONIAL),
    # claims.yaml guarantee (probe 62): the figure exact, the fall impossible, the seller's own pocket, dialects
    (f"十万块放进这款理财，两年后到手就是十万六千块，一分不多一分不少。{ISSUER}{WEALTH_NOTICE}", GUARANTEE),
    (f"这只基金跌是跌不下去的，大家尽管放心买。{FUND_NOTICE}", GUARANTEE),
    (f"赵哥，这只基金您放心买，真要亏了差多少我自己掏腰包给您补上。{FUND_NOTICE}", GUARANTEE),
    (f"阿姨爷叔们，这款养老理财铜钿摆进去笃定勿会少脱一分。{ISSUER}{WEALTH_NOTICE}", GUARANTEE),
    (f"各位街坊，呢隻理財買咗就係實賺唔蝕，唔使驚。{ISSUER}{WEALTH_NOTICE}", GUARANTEE),  # cantonese.tsv: 实赚, 唔蚀
    # cn_bank_finance.not_deposit: the product pointed at beside a yardstick deposit; claims.yaml not_deposit: 活期
    ("口播：不想把钱锁三年？那就试试澄江添利90天持有期，你就把它当成一张三个月的定期单子，到日子钱就回来了，"
     f"手续跟在柜台办定期一样简单。{ISSUER}{WEALTH_NOTICE}", "wealth.not-deposit"),
    (f"问：现金管理类理财和活期有啥区别？答：您就把它看作收益高一点的活期，随存随取。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    ("【横幅】存单到期别发愁，换张保单接着存！长宁鑫享年金保险，由长宁人寿保险股份有限公司承保，本行代理销售",
     "insurance.not-deposit"),
    # claims.yaml not_deposit: asked whether it differs from a deposit, answered that it does not
    ("问：这款两全保险跟存定期有啥不一样？答：其实差不多，都是把钱放在银行这边。由长宁人寿保险股份有限公司承保，本行代理销售。",
     "insurance.not-deposit"),
])
def test_a_claim_in_the_voice_of_a_branch_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml testimonial: a commenter's words quoted back to refuse them (@name: 您说的“稳赚不赔”)
    (f"回复@老年大学王老师：您说的“稳赚不赔”我们不能承诺，这只债券基金净值同样可能下跌。{FUND_NOTICE}", TESTIMONIAL),
    # vocabulary.FRAUD_FRAME: 莫听 (don't listen to) frames a warning
    (f"各位嬢嬢叔叔，买理财莫听哪个说稳得很、不得亏，理财是要担风险的。{WEALTH_NOTICE}", GUARANTEE),
    # vocabulary.MENTIONED: a quoted phrase explained (“…”指的是)
    (f"回复@梧桐树下：文中“像存定期一样简单”指的是在手机银行的操作步骤，产品本身并非和存款一样。{ISSUER}{WEALTH_NOTICE}",
     "wealth.not-deposit"),
    # claims.yaml testimonial: something else bought, and peace of mind wished for, is no buyer pleased
    (f"王阿姨拎着一袋刚买的橘子进来，说退休金到账了，想找个地方放着踏实。这款理财{ISSUER}{WEALTH_NOTICE}", TESTIMONIAL),
    # claims.yaml not_deposit: a substitute for money kept current is no deposit (活期资金)
    (f"这只货币基金是替代活期资金的工具之一，由安泰基金管理有限公司管理，本行代销。{FUND_NOTICE}",
     "wealth.not-deposit"),
])
def test_a_careful_text_in_the_same_voice_is_not_a_claim(text: str, rule: str) -> None:
    assert rule not in text_rules_on(text)
