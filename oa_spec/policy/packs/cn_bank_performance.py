"""cn-bank text finders for what a wealth product or a fund is said to achieve (compliance.md §1a): a forecast of a
fund's return (fund.no-forecast) and an unsupported ranking of its performance (wealth.unsupported-superlatives).
Split from cn_bank_finance, which reads the rest of §1.
"""

from __future__ import annotations

from oa_spec.policy.negation import in_quotation_marks
from oa_spec.policy.packs.textkit import SOURCED, about, claims, quoted, said_of_a_product
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, find_pattern, products_near
from oa_spec.policy.vocabulary import ADVICE_BEST, FINANCIAL, PERIOD_DATE

# The product's own mandatory warning, printed unquoted (理财非存款，产品有风险; 基金有风险，投资须谨慎).
_OWN_WARNING = Pattern(r"理财非存款[,，、]产品有风险|基金有风险[,，、]投资[须需]谨慎")
_OWN_WARNING_PRODUCTS = {"理财": "wealth", "基金": "fund"}


# The first of its kind said as none before it on the market (市场上从未有过的…理财): its negator is the claim's own
# (未有 reads 还没有).
_NONE_BEFORE = Pattern(r"(?:市场上|市面上|业内|行业内?|国内|全国|同类中?|有史以来)[^,，;；。!！?？\n]{0,4}?"
                       r"(?:从未|从还没|从来没|未曾|不曾|前所未|前所还没)(?:有过|出现过|见过|有)的")


def unsupported_superlatives(t: Text) -> list[str]:
    if t.has(SOURCED) and t.has(PERIOD_DATE):
        return []
    found = [m for m in claims(t, "superlative") + find_pattern(t, _NONE_BEFORE, inner=False)
             if not ADVICE_BEST.match(t.norm, m.start)]  # 最好先…: advice
    claimed = said_of_a_product(t, about(t, found, "wealth", "fund"), "wealth", "fund")
    return claimed or quoted(t, [m for m in found if _of_the_warned_product(t, m)])


def _of_the_warned_product(t: Text, m: Match) -> bool:
    """A ranking in a sentence that names no product (同类产品里，这款的收益一直是排头兵), in a text that prints a
    wealth product's or a fund's own warning and is no warning itself, ranks the product the warning is for."""
    if t.contexts.education or in_quotation_marks(t.norm, m.start) or products_near(t, m.start) & FINANCIAL:
        return False
    return any(not in_quotation_marks(t.norm, w.start() + 1) for w in _OWN_WARNING.finditer(t.norm))


# A forecast of a fund's return: a verb of foreseeing and a gain; a gain put in a coming period with its figure
# (明年…涨个20%), or a gain figure said to be no trouble (涨个20%问题不大).
# (probe 129: the room a price has left to rise, as a figure, is forecast too: 还有30%的修复空间)
_FORECAST = Pattern(r"(?:将会?|料将)(?:上涨|大涨|翻倍|翻番|涨|增长\d)|"
                       r"(?:预测|预计|预判|预期|估计|估摸|测算|推演|推算|判断|有望|可望|将会|看涨|大概率|很可能|极有可能|必将|肯定会)"
                       r"(?:[^。!！?？(]|\([^()。]{0,30}\)){0,16}?"  # an aside in brackets counts as one step
                       r"(?:收益|回报|盈利|赚|挣|业绩|净值|翻番|翻倍|翻一番|翻两番|涨|升幅|增长|成绩单|"
                       r"达到\d|突破\d|(?:做到|实现|冲到|拿到|带来)\d)|预期收益率|目标(?:收益|回报)(?:是|为)?\d"
                       r"|(?:大概|大约|估计|应该|有望|差不多)(?:能|可以|会|可)?(?:赚|涨|收益)[^,，;；。!！?？]{0,4}?\d"
                       r"|翻个跟头|翻跟头|(?:回报|收益|上涨)[^。!！?？]{0,4}?指日可待|(?:能|可以|会)给到[^,，;；。]{0,6}?(?:涨幅|收益|回报)"
                       r"|(?:还有|仍有|尚有|至少有)\d+(?:\.\d+)?%(?:以上)?的?(?:修复|上涨|上行|反弹|增长)空间"
                       r"|(?:收益|业绩|净值)[^,，;；。!！?？]{0,4}?(?:有望|将会?|可望|预计)[^,，;；。!！?？]{0,4}?"
                       r"(?:提升|上涨|增长|走高|翻倍|改善|向好|(?:能|可|会)?(?:有|达到?|在)?\d+(?:\.\d+)?%"
                       # a rise in idiom (收益有望再上一层楼) or a target by tenths (看高两成)
                       r"|(?:再|更)上(?:一层楼|(?:一个)?台阶)|再创新高)"
                       r"|看(?:高|涨)(?:到|至)?(?:\d+(?:\.\d+)?%|[一二两三四五六七八九\d]成)"
                       r"|(?:明年|下半年|年内|年底前?|未来[一二两三\d]?年|接下来)[^。!！?？]{0,12}?(?:涨|升|赚|收益|回报)"
                       r"(?:个|到|上|了)?\d{1,3}(?:\.\d+)?%"
                       r"|(?:涨|赚|收益|回报)(?:个|到|上)?\d{1,3}(?:\.\d+)?%[^,，;；。!！?？]{0,2}?(?:问题不大|没问题|不成问题|不是梦|不难|稳了)")


def fund_forecast(t: Text) -> list[str]:
    return said_of_a_product(t, find_pattern(t, _FORECAST) + claims(t, "forecast"), "fund")  # (and claims.yaml's)
