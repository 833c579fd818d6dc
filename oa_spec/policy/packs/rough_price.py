"""A loan's monthly repayment said only roughly, in words and without a unit (每个月只还一千五出头, 每月还个两千来块),
its interest in the folk 厘 of a monthly rate (利钱也就几厘), or what a sum borrowed for some days costs (借5万元用30天
大概375元): a price as much as 每月还款1,500元 is, so it asks for the annual rate beside it (人民银行公告〔2021〕3号).
"""

from __future__ import annotations

from oa_spec.policy.packs import cn_bank_credit as credit
from oa_spec.policy.packs.textkit import in_promo
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Text

# a month's or an instalment's repayment, then a round figure in words or digits, roughly (出头, 多, 来块, 左右)
_ROUGH_MONTHLY = Pattern(r"(?:每个?月|每期|一个月|月均)(?P<small>只|只要|只需|仅|才|就|也就)?(?:还|供|付)(?:款|个)?"
                         r"(?:\d{1,2}|[一二两三四五六七八九十几]{1,2})[百千万](?:[一二两三四五六七八九]|\d)?"
                         r"(?:出头|多块?|来块|左右)"
                         # or the interest in the folk unit of a monthly rate, 厘 (利钱也就几厘, 月息才三厘)
                         r"|(?:利钱|利息|月息)(?P<little>也就|才|只有?|不过|仅)?(?:[一二两三四五六七八九几]|\d)厘(?!米)"
                         # or a period's interest on a sum made light (借一年，利息才三百多; 一日之成本不过十余元)
                         r"|(?:一年|一个月|一天|每天|每月|一日|每日)[^。!！?？]{0,3}?(?:的|之)?(?:利息|成本|利钱)"
                         r"(?P<cheap>才|只要|只有|仅|不过|不到|也就)(?:\d|[一二两三四五六七八九十几])"
                         # probe 176: a sum borrowed for some days and what it costs (借5万元用30天大概375元)
                         r"|借(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几]+)万?(?:元|块)?钱?[,，]?用(?:\d+|[一二两三四五六七八九十几]+)"
                         r"(?:天|个月|周)[,，]?(?P<cost>大概|大约|约|差不多|也就|左右|利息)?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几百千]+)"
                         r"(?:元|块)")


def apr_disclosure(t: Text) -> list[str]:
    """loan.apr-disclosure: the priced texts credit.apr_disclosure finds, and a loan's rough monthly repayment."""
    found = credit.apr_disclosure(t)
    rough = _ROUGH_MONTHLY.search(t.norm)
    if found or rough is None or t.has(credit._ANNUAL_NAMED):
        return found
    # offered, or a loan named and its price made light of (只还, 才还, 也就几厘)
    light = (rough.group("small") or rough.group("little") or rough.group("cheap") or rough.group("cost")) is not None
    sold = in_promo(t, "loan") or ("loan" in t.contexts.subjects and light)
    return ["有价格信息但未展示年化利率"] if sold else []
