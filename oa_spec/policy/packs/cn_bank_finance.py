"""cn-bank text finders for financial marketing (compliance.md §1): wealth, funds, insurance, deposits,
structured deposits, loans and credit cards. Each finder reads one text and says what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oa_spec.policy.packs.textkit import INVESTMENTS, SOURCED, about, claims, in_promo, quoted
from oa_spec.policy.rules import Hit
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import (
    DAILY_PRICE,
    FRACTION,
    FRAUD_FRAME,
    PERCENT,
    PERIOD_DATE,
    Match,
    Text,
    find_pattern,
    find_terms,
    near,
    products_near,
    sentence,
)

# --- wealth and funds (§1a) ------------------------------------------------------------------------------
WEALTH_DISCLAIMER = (("理财非存款",), ("产品有风险",), ("投资须谨慎", "投资需谨慎"))


def wealth_disclaimer(t: Text) -> list[str]:
    if not in_promo(t, "wealth"):
        return []
    missing = [group[0] for group in WEALTH_DISCLAIMER if not t.has_any(group)]
    return ["缺少：" + "、".join(missing)] if missing else []


def guaranteed_return(t: Text) -> list[str]:
    found = about(t, claims(t, "guarantee"), *INVESTMENTS)
    if in_promo(t, *INVESTMENTS):
        return quoted(t, found)
    if t.contexts.education or not t.contexts.subjects & set(INVESTMENTS):
        return []
    # Not selling: still a claim when the bank says it of its own product (本行理财产品保本保收益), unless the
    # word is only named in quotation marks (“保本理财”退出历史舞台).
    return quoted(t, [m for m in found if _own_product(t, m) and not _in_quotation_marks(t, m)])


def _in_quotation_marks(t: Text, m: Match) -> bool:
    """The match sits inside a pair of quotation marks of its sentence: the text names the word."""
    here = sentence(t.norm, m.start)
    offset = m.start - t.norm.rfind(here, 0, m.start + len(here))
    return here[:offset].count('"') % 2 == 1 and '"' in here[offset:]


_OWN = ("本行", "我行", "本产品", "我们的", "本公司", "本款")


def _own_product(t: Text, m: Match) -> bool:
    """The match's sentence speaks of the bank's own product."""
    return any(word in sentence(t.norm, m.start) for word in _OWN)


WEALTH_DESCRIPTORS = ("高收益", "有保障", "避险")
_NEAR_PRINCIPAL = re.compile(r"(?:安全|保证|承诺|保险).{0,4}?(?:本金|收益|回报)"
                             r"|(?:本金|收益|回报).{0,4}?(?:安全|保证|承诺|保险)")


def forbidden_descriptors(t: Text) -> list[str]:
    if not in_promo(t, "wealth"):
        return []
    guarantees = claims(t, "guarantee")
    found = find_terms(t, WEALTH_DESCRIPTORS) + [
        m for m in find_pattern(t, _NEAR_PRINCIPAL)
        if not any(g.start < m.end and m.start < g.end for g in guarantees)]
    return quoted(t, found)




def unsupported_superlatives(t: Text) -> list[str]:
    if not in_promo(t, "wealth", "fund") or (t.has(SOURCED) and t.has(PERIOD_DATE)):
        return []
    return quoted(t, about(t, claims(t, "superlative"), "wealth", "fund"))


def not_deposit(t: Text) -> list[str]:
    return quoted(t, claims(t, "not_deposit")) if in_promo(t, "wealth", "insurance", "fund") else []


_PERFORMANCE_WORDS = ("收益", "年化", "业绩", "回报", "涨幅", "成立以来", "近1月", "近3月", "近6月", "近一年")
_PAST_PERFORMANCE = re.compile(r"过往业绩不(?:代表|预示)其?未来表现")


def past_performance(t: Text) -> list[str]:
    if not in_promo(t, "wealth") or not near(t, PERCENT, _PERFORMANCE_WORDS) or t.has(_PAST_PERFORMANCE):
        return []
    return ["展示收益数据但缺少“过往业绩不代表其未来表现”"]


_BENCHMARK_CAVEAT = re.compile(r"不构成.{0,8}承诺|不代表.{0,8}收益|不等于.{0,8}收益")


def benchmark(t: Text) -> list[str]:
    if "业绩比较基准" in t.norm and not t.has(_BENCHMARK_CAVEAT):
        return ["“业绩比较基准”未说明不构成收益承诺"]
    return []


def testimonial(t: Text) -> list[str]:
    if not in_promo(t, *INVESTMENTS):
        return []
    return quoted(t, about(t, claims(t, "testimonial"), *INVESTMENTS))


_FUND_RISK = re.compile(r"基金有风险|投资[须需]谨慎")
_MONEY_FUND_CAVEAT = re.compile(r"不等于(?:将资金作为)?存款")


def fund_disclaimer(t: Text) -> list[str]:
    if not in_promo(t, "fund"):
        return []
    missing = []
    if not t.has(_FUND_RISK):
        missing.append("基金有风险，投资须谨慎")
    if near(t, PERCENT, _PERFORMANCE_WORDS) and not t.has(_PAST_PERFORMANCE):
        missing.append("过往业绩不代表其未来表现")
    if "货币基金" in t.norm and not t.has(_MONEY_FUND_CAVEAT):
        missing.append("购买货币基金不等于将资金作为存款")
    return ["缺少：" + "、".join(missing)] if missing else []


_FORECAST = re.compile(r"(?:预测|预计|测算|有望)[^。!！?？]{0,8}?(?:收益|业绩|翻番|翻倍|涨)|预期收益率|目标收益\d")


def fund_forecast(t: Text) -> list[str]:
    return quoted(t, find_pattern(t, _FORECAST)) if in_promo(t, "fund") else []


def fund_lottery(t: Text) -> list[str]:
    """Gifts for buying a fund or wealth product; a gift for a deposit is deposit.no-improper-inducement's."""
    if not in_promo(t, "fund", "wealth"):
        return []
    found = about(t, claims(t, "fund_gifts"), "fund", "wealth")
    return quoted(t, [m for m in found if "deposit" not in products_near(t, m.start)])


# --- deposits (§1b) --------------------------------------------------------------------------------------
_DEPOSIT_INDUCEMENT = re.compile(r"存.{0,8}?(?:送|赠|返现|抽奖|贴息|加息|赢|好礼)|存款(?:送礼|抽奖)|返现|贴息")


def deposit_inducement(t: Text) -> list[str]:
    return quoted(t, about(t, find_pattern(t, _DEPOSIT_INDUCEMENT), "deposit")) if in_promo(t, "deposit") else []


DEPOSIT_SAFETY = ("绝对安全", "100%安全", "百分百安全", "零风险", "国家兜底", "无任何风险", "国家全额担保",
                  "国家全额保障", "一分钱都不会少")


# Deposit insurance covers up to 500,000 yuan per depositor per bank: it is not a state guarantee.
_STATE_BACKED = re.compile(r"(?:国家|政府|央行)(?:全额)?(?:担保|兜底|保证)|存多少保多少|多少都保|全额赔付|一分都不会少")


def deposit_insurance(t: Text) -> list[str]:
    """Deposits called absolutely safe or state-backed: misleading whether or not the text asks anyone
    to deposit (我行存款绝对安全，国家兜底), so the deposit only has to be named; warnings are not claims."""
    if "deposit" not in t.contexts.subjects or t.contexts.education:
        return []
    found = find_terms(t, DEPOSIT_SAFETY)
    found += [m for m in find_pattern(t, _STATE_BACKED) if not any(f.start < m.end and m.start < f.end for f in found)]
    return quoted(t, about(t, sorted(found, key=lambda m: m.start), "deposit"))


_STRUCTURED_DISCLAIMER = re.compile(r"结构性存款不同于一般性存款.{0,6}具有投资风险")
_TOP_RATE = re.compile(r"(?:最高|高达)\d+(?:\.\d+)?%")


def structured(t: Text) -> list[str]:
    if not in_promo(t, "structured"):
        return []
    out = [] if t.has(_STRUCTURED_DISCLAIMER) else ["缺少“结构性存款不同于一般性存款，具有投资风险”"]
    if t.has(_TOP_RATE) and not re.search(r"最低|保底", t.norm):
        out.append("只展示最高收益率，未展示最低收益率")
    return out


# --- loans and cards (§1c) -------------------------------------------------------------------------------
# Loan prices quoted per day, per month, per 10,000 yuan or as a daily amount (人民银行公告〔2021〕3号).
_PRICE = re.compile(r"日息|日利率|月息|月利率|利息低至|费率|每万元|万元每天"
                    r"|(?:每天|一天|每日|日均)[^,，;；。]{0,6}?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十])(?:元|块|毛|角)"
                    r"|借\d+万?元?[^,，;；。]{0,6}?(?:每天|一天|每月|月息)")


def apr_disclosure(t: Text) -> list[str]:
    if not in_promo(t, "loan", "card"):
        return []
    priced = t.has(PERCENT) or t.has(FRACTION) or t.has(DAILY_PRICE) or t.has(_PRICE)
    if priced and not re.search(r"年化|年利率", t.norm):
        return ["有价格信息但未展示年化利率"]
    return []


_INTEREST_FREE = re.compile(r"免息(?!期)")


def loan_misleading(t: Text) -> list[str]:
    if not in_promo(t, "loan"):
        return []
    # 不看征信/不用还 start with 不, so negation would hide them: match these without it, but not
    # in an anti-fraud sentence (请勿相信“无需征信”的广告).
    found = [m for m in claims(t, "loan_misleading", negatable=False)
             if not FRAUD_FRAME.search(sentence(t.norm, m.start))]
    return quoted(t, about(t, found + find_pattern(t, _INTEREST_FREE), "loan"))


def student_loan(t: Text) -> list[str]:
    return quoted(t, about(t, claims(t, "students"), "loan", "card")) if in_promo(t, "loan", "card") else []


def card_apr(t: Text) -> list[str]:
    if in_promo(t, "card") and re.search(r"手续费|费率", t.norm) and not re.search(r"利息|年化", t.norm):
        return ["分期只展示手续费/费率，未以利息或年化利率展示"]
    return []


# --- financial marketing in general (§1e) ----------------------------------------------------------------


def regulator_endorsement(t: Text) -> list[str]:
    return quoted(t, claims(t, "endorsement")) if t.contexts.financial_promo else []


_LOW_RISK = re.compile(r"低风险")
_RISK_LABEL = re.compile(r"(?:中|风险等级|风险评级|r[1-5])[:：(（\[【\s]*$")


def inducing(t: Text) -> list[str]:
    if not t.contexts.financial_promo:
        return []
    found = claims(t, "urgency_and_inducement")
    found += [m for m in find_pattern(t, _LOW_RISK) if not _RISK_LABEL.search(t.norm[max(0, m.start - 6):m.start])]
    return quoted(t, sorted(found, key=lambda m: m.start))


DIVERSION = ("加微信", "加v", "私聊", "加客户经理个人微信", "个人微信", "加qq")


def diversion(t: Text) -> list[str]:
    return quoted(t, find_terms(t, DIVERSION)) if t.contexts.financial_promo else []

def student_audience(view: AccountView) -> Iterator[Hit]:
    students = view.settings.student_tags
    for loc, module in view.index.modules():
        if module.kind == "loan" and view.in_segment(module.audience.tags, students):
            yield Hit(view.address("module", module.id), (*loc, "audience"), "贷款模块面向学生标签")
    for item in view.texts:
        if item.source == "streams" and "loan" in item.text.contexts.subjects and view.in_segment(
                item.audience, students):
            yield Hit(item.address, item.loc, "贷款内容推送给学生标签：" + "、".join(item.audience))
