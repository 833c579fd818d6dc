"""cn-bank text finders for deposits (compliance.md §1b): deposit insurance and deposits said to be safe beyond it,
and structured deposits shown without their risk or by their top rate alone.
"""

from __future__ import annotations

from oa_spec.policy.packs.cn_bank_finance import guarantees
from oa_spec.policy.packs.textkit import about, in_promo, outside, quoted
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Text, find_pattern, find_terms

DEPOSIT_SAFETY = ("绝对安全", "100%安全", "百分百安全", "百分之百安全", "零风险", "国家兜底", "无任何风险",
                  "国家全额担保", "国家全额保障", "一分钱都不会少", "万无一失", "风险为零", "稳如泰山")


# Deposit insurance covers up to 500,000 yuan per depositor per bank: it is not a state guarantee.
_STATE_BACKED = Pattern(r"(?:国家|政府|央行)[^,，;；。]{0,3}?(?:全额)?(?:担保|兜底|保证|兜着|撑着|撑腰|托底|背书"
                           r"|担着|扛着)|"
                           # the state standing behind it, any sum safe (身后站着整个国家的信用，无论存放多少，
                           # 皆可安枕无忧)
                           r"(?:身后|背后)站着[^,，;；。]{0,6}?国家|(?:不管|无论|不论)存(?:放)?多少[^。!！?？]{0,8}?"
                           r"(?:安枕无忧|高枕无忧|都不怕|都放心)|存多少都不怕|存多少保多少|"
                           r"多少都保|全额赔付|一(?:分|块)(?:钱)?(?:都|也)?不会?少|一分一厘(?:都|也)(?:少|丢|亏)不了"
                           r"|动不了(?:您|你)?(?:的)?一分|安全(?:程度|系数)?百分之百"
                           # deposit insurance said to cover all of it (存款不管多少都有存款保险全额兜着)
                           r"|存款保险[^,，;；。]{0,2}?全额|不管[^,，;；。]{0,12}?(?:多少|万)[^。!！?？]{0,12}?(?:都|也)有存款保险"
                           # (any sum kept safe: 存多少都给你保得住; every cent there: 钱就一分不差地在)
                           r"|存多少都(?:给(?:你|您))?(?:受|有|能)?(?:保护|保障|保)|(?:不管|无论|不论)存?多少[^,，;；。]{0,4}?(?:全额|足额)"
                           r"|一分(?:钱)?不差"
                           r"|一分一厘都有保障|(?:不必|不用|无需)分散(?:存)?到几家")  # probe 93: no need to spread


# Risk denied in words that carry their own negator (绝不会有任何风险, 一分都丢不了, 风险系数为0, 锁进保险柜一样).
_RISK_DENIED = Pattern(r"(?:绝不会|不会|没有|毫无|不存在)(?:有)?(?:任何|一丝|半点|一点)(?:的)?风险"
                          r"|(?:一点|一丝|半点|丝毫|一丁点|一点点|一星半点)(?:的)?风险(?:都|也)(?:没有|没|不存在|沾不上|挨不着)"
                          r"|(?:啥|什么|任何)风险(?:都|也)(?:没有|没|不存在|沾不上|挨不着)"  # (啥风险都没有)
                          # (or none to be borne: 一丁点风险都不用担)
                          r"|(?:一点|一丝|半点|丝毫|一丁点|一点点|一星半点|啥|什么|任何)(?:的)?风险(?:都|也)(?:不用|不必|无需|用不着)"
                          r"(?:担|担心|操心|怕|承担|考虑)"
                          r"|风险(?:系数|值|指数)(?:为|是|=|等于)(?:0|零)(?![.\d])|稳(?:如|若)(?:泰山|磐石|老狗)|一分(?:钱)?(?:都|也)?不会(?:少|丢|亏)|(?:锁进|锁在|放进|放在)保险(?:柜|箱)(?:里)?一样"
                          r"|(?:绝无|决无|全无)(?:任何)?风险|一分(?:钱|一厘|一毫)?(?:都|也)(?:丢|少|亏|损失|跑)不了")


def deposit_insurance(t: Text) -> list[str]:
    """Deposits called absolutely safe or state-backed: misleading whether or not the text asks anyone
    to deposit (我行存款绝对安全，国家兜底), so the deposit only has to be named; warnings are not claims."""
    if "deposit" not in t.contexts.subjects or t.contexts.education:
        return []
    found = find_terms(t, DEPOSIT_SAFETY)
    for pattern, inner in ((_STATE_BACKED, True), (_RISK_DENIED, False)):
        found += outside(find_pattern(t, pattern, inner=inner), found)
    return quoted(t, about(t, sorted(found, key=lambda m: m.start), "deposit"))


_STRUCTURED_DISCLAIMER = Pattern(r"结构性存款不同于一般性存款[^。]{0,80}?(?:具有|存在|有)投资风险")
_ANSWERED = Pattern(r"(?:问|q)[:：][^。!！?？]{2,60}?[?？][^。!！?？]{0,6}?(?:答|a)[:：]")
# (the top named in other words: 年化收益率上探3.8%, 年化收益能摸到四个多点的天花板)
_TOP_RATE = Pattern(r"(?:最高|高达|可达|上限|上探|封顶)(?:可达|可至|达|至|为)?(?:年化)?\d+(?:\.\d+)?%"
                       r"|(?:(?<![\d.])\d+(?:\.\d+)?%|[一二三四五六七八九]个多?点)的?(?:天花板|上限|封顶)"
                       # (reached or touched at best: 表现好的话年化收益可以摸到3.8%, 冲到4%)
                       r"|(?:摸到|摸高到|够到|冲到|冲上|触及)(?:年化)?\d+(?:\.\d+)?%"
                       r"|(?:表现|行情|走势)(?:好|理想|给力)的?(?:话|时候|情况下)[^。!！?？]{0,12}?\d+(?:\.\d+)?%")


def structured(t: Text) -> list[str]:
    if not in_promo(t, "structured"):
        return []
    answered = _ANSWERED.match(t.norm) is not None and not t.contexts.call  # a customer's question answered
    out = [] if t.has(_STRUCTURED_DISCLAIMER) or answered else ["缺少“结构性存款不同于一般性存款，具有投资风险”"]
    if t.has(_TOP_RATE) and not any(floor in t.norm for floor in ("最低", "保底", "下限")):  # (收益率下限1.05%)
        out.append("只展示最高收益率，未展示最低收益率")
    out += [f"承诺收益：{q}" for q in quoted(t, guarantees(t))]
    return out
