"""cn-bank rules that decide from a single text (compliance.md rules marked T).

Each rule is data (terms, the contexts it applies in) plus a small finder: Text -> what was found.
The contexts, negation and number handling come from `policy.text` (compliance.md §0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from oa_spec.policy import lexicon
from oa_spec.policy.rules import Check, Hit, Rule, Severity
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import (
    CLAUSE_END,
    DAILY_PRICE,
    FRACTION,
    FRAUD_FRAME,
    PERCENT,
    PERIOD_DATE,
    URL_IN_TEXT_NORM,
    Match,
    Text,
    clause_start,
    find_pattern,
    find_terms,
    near,
    products_near,
    sentence,
)

PACK = "cn-bank"
Finder = Callable[[Text], Iterable[str]]


def text_rule(rule_id: str, severity: Severity, message: str, basis: str, summary: str, finder: Finder,
              status: str, structural: Check | None = None) -> Rule:
    """A rule over every text of the account; `structural` adds the spec-structure half of T/S rules."""

    def check(view: AccountView) -> Iterator[Hit]:
        for item in view.texts:
            for detail in finder(item.text):
                yield Hit(item.address, item.loc, detail)
        if structural is not None:
            yield from structural(view)

    return Rule(rule_id, severity, message, basis, summary, PACK, check, status)


CLAUSE_SHOWN = 30  # characters of the clause quoted with a finding


def _quoted(t: Text, matches: Iterable[Match]) -> list[str]:
    """Each match as found, with the clause it sits in, so the reviewer sees it in context."""
    return [f"“{m.term}”" + (f"（{clause}）" if (clause := _clause(t, m)) != m.term else "") for m in matches]


def _clause(t: Text, m: Match) -> str:
    start = clause_start(t.norm, m.start)
    end_match = CLAUSE_END.search(t.norm, m.end)
    end = end_match.start() if end_match else len(t.norm)
    if end <= start:
        return m.term
    first, last = t.offsets[start], t.offsets[end - 1] + 1
    if last - first <= CLAUSE_SHOWN:
        return t.original[first:last].strip()
    # A long clause: the part that ends with the match, so the match itself is always shown.
    match_end = t.offsets[m.end - 1] + 1
    lo = max(first, match_end - CLAUSE_SHOWN + 1)
    hi = min(last, lo + CLAUSE_SHOWN - 1)
    return ("…" if lo > first else "") + t.original[lo:hi] + ("…" if hi < last else "")


def _in(text: Text, *contexts: str) -> bool:
    return bool(text.contexts.promo & set(contexts))


def _about(text: Text, matches: Iterable[Match], *contexts: str) -> list[Match]:
    """The matches whose own sentence (or the nearest one naming a product) is about one of `contexts`."""
    wanted = set(contexts)
    return [m for m in matches if products_near(text, m.start) & wanted]


def _claims(text: Text, category: str, negatable: bool = True) -> list[Match]:
    """Matches of a claims.yaml category: its terms, then its patterns where no term already matched."""
    found = find_terms(text, lexicon.terms(category), negatable)
    pattern = lexicon.pattern(category)
    if pattern is not None:
        found += [m for m in find_pattern(text, pattern, negatable)
                  if not any(f.start < m.end and m.start < f.end for f in found)]
    return sorted(found, key=lambda m: m.start)


INVESTMENTS = ("wealth", "fund", "insurance", "structured", "metal", "fx")


# --- wealth and funds (§1a) ------------------------------------------------------------------------------
WEALTH_DISCLAIMER = (("理财非存款",), ("产品有风险",), ("投资须谨慎", "投资需谨慎"))


def _wealth_disclaimer(t: Text) -> list[str]:
    if not _in(t, "wealth"):
        return []
    missing = [group[0] for group in WEALTH_DISCLAIMER if not t.has_any(group)]
    return ["缺少：" + "、".join(missing)] if missing else []


def _guaranteed_return(t: Text) -> list[str]:
    claims = _about(t, _claims(t, "guarantee"), *INVESTMENTS)
    if _in(t, *INVESTMENTS):
        return _quoted(t, claims)
    if t.contexts.education or not t.contexts.subjects & set(INVESTMENTS):
        return []
    # Not selling: still a claim when the bank says it of its own product (本行理财产品保本保收益), unless the
    # word is only named in quotation marks (“保本理财”退出历史舞台).
    return _quoted(t, [m for m in claims if _own_product(t, m) and not _in_quotation_marks(t, m)])


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


def _forbidden_descriptors(t: Text) -> list[str]:
    if not _in(t, "wealth"):
        return []
    guarantees = _claims(t, "guarantee")
    found = find_terms(t, WEALTH_DESCRIPTORS) + [
        m for m in find_pattern(t, _NEAR_PRINCIPAL)
        if not any(g.start < m.end and m.start < g.end for g in guarantees)]
    return _quoted(t, found)


_SOURCED = re.compile(r"(?:数据)?来源|出处|据.{1,20}(?:评价|统计|数据)")


def _unsupported_superlatives(t: Text) -> list[str]:
    if not _in(t, "wealth", "fund") or (t.has(_SOURCED) and t.has(PERIOD_DATE)):
        return []
    return _quoted(t, _about(t, _claims(t, "superlative"), "wealth", "fund"))


def _not_deposit(t: Text) -> list[str]:
    return _quoted(t, _claims(t, "not_deposit")) if _in(t, "wealth", "insurance", "fund") else []


_PERFORMANCE_WORDS = ("收益", "年化", "业绩", "回报", "涨幅", "成立以来", "近1月", "近3月", "近6月", "近一年")
_PAST_PERFORMANCE = re.compile(r"过往业绩不(?:代表|预示)其?未来表现")


def _past_performance(t: Text) -> list[str]:
    if not _in(t, "wealth") or not near(t, PERCENT, _PERFORMANCE_WORDS) or t.has(_PAST_PERFORMANCE):
        return []
    return ["展示收益数据但缺少“过往业绩不代表其未来表现”"]


_BENCHMARK_CAVEAT = re.compile(r"不构成.{0,8}承诺|不代表.{0,8}收益|不等于.{0,8}收益")


def _benchmark(t: Text) -> list[str]:
    if "业绩比较基准" in t.norm and not t.has(_BENCHMARK_CAVEAT):
        return ["“业绩比较基准”未说明不构成收益承诺"]
    return []


def _testimonial(t: Text) -> list[str]:
    if not _in(t, *INVESTMENTS):
        return []
    return _quoted(t, _about(t, _claims(t, "testimonial"), *INVESTMENTS))


_FUND_RISK = re.compile(r"基金有风险|投资[须需]谨慎")
_MONEY_FUND_CAVEAT = re.compile(r"不等于(?:将资金作为)?存款")


def _fund_disclaimer(t: Text) -> list[str]:
    if not _in(t, "fund"):
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


def _fund_forecast(t: Text) -> list[str]:
    return _quoted(t, find_pattern(t, _FORECAST)) if _in(t, "fund") else []


def _fund_lottery(t: Text) -> list[str]:
    """Gifts for buying a fund or wealth product; a gift for a deposit is deposit.no-improper-inducement's."""
    if not _in(t, "fund", "wealth"):
        return []
    found = _about(t, _claims(t, "fund_gifts"), "fund", "wealth")
    return _quoted(t, [m for m in found if "deposit" not in products_near(t, m.start)])


# --- deposits (§1b) --------------------------------------------------------------------------------------
_DEPOSIT_INDUCEMENT = re.compile(r"存.{0,8}?(?:送|赠|返现|抽奖|贴息|加息|赢|好礼)|存款(?:送礼|抽奖)|返现|贴息")


def _deposit_inducement(t: Text) -> list[str]:
    return _quoted(t, _about(t, find_pattern(t, _DEPOSIT_INDUCEMENT), "deposit")) if _in(t, "deposit") else []


DEPOSIT_SAFETY = ("绝对安全", "100%安全", "百分百安全", "零风险", "国家兜底", "无任何风险", "国家全额担保",
                  "国家全额保障", "一分钱都不会少")


# Deposit insurance covers up to 500,000 yuan per depositor per bank: it is not a state guarantee.
_STATE_BACKED = re.compile(r"(?:国家|政府|央行)(?:全额)?(?:担保|兜底|保证)|存多少保多少|多少都保|全额赔付|一分都不会少")


def _deposit_insurance(t: Text) -> list[str]:
    """Deposits called absolutely safe or state-backed: misleading whether or not the text asks anyone
    to deposit (我行存款绝对安全，国家兜底), so the deposit only has to be named; warnings are not claims."""
    if "deposit" not in t.contexts.subjects or t.contexts.education:
        return []
    found = find_terms(t, DEPOSIT_SAFETY)
    found += [m for m in find_pattern(t, _STATE_BACKED) if not any(f.start < m.end and m.start < f.end for f in found)]
    return _quoted(t, _about(t, sorted(found, key=lambda m: m.start), "deposit"))


_STRUCTURED_DISCLAIMER = re.compile(r"结构性存款不同于一般性存款.{0,6}具有投资风险")
_TOP_RATE = re.compile(r"(?:最高|高达)\d+(?:\.\d+)?%")


def _structured(t: Text) -> list[str]:
    if not _in(t, "structured"):
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


def _apr_disclosure(t: Text) -> list[str]:
    if not _in(t, "loan", "card"):
        return []
    priced = t.has(PERCENT) or t.has(FRACTION) or t.has(DAILY_PRICE) or t.has(_PRICE)
    if priced and not re.search(r"年化|年利率", t.norm):
        return ["有价格信息但未展示年化利率"]
    return []


_INTEREST_FREE = re.compile(r"免息(?!期)")


def _loan_misleading(t: Text) -> list[str]:
    if not _in(t, "loan"):
        return []
    # 不看征信/不用还 start with 不, so negation would hide them: match these without it, but not
    # in an anti-fraud sentence (请勿相信“无需征信”的广告).
    found = [m for m in _claims(t, "loan_misleading", negatable=False)
             if not FRAUD_FRAME.search(sentence(t.norm, m.start))]
    return _quoted(t, _about(t, found + find_pattern(t, _INTEREST_FREE), "loan"))


def _student_loan(t: Text) -> list[str]:
    return _quoted(t, _about(t, _claims(t, "students"), "loan", "card")) if _in(t, "loan", "card") else []


def _card_apr(t: Text) -> list[str]:
    if _in(t, "card") and re.search(r"手续费|费率", t.norm) and not re.search(r"利息|年化", t.norm):
        return ["分期只展示手续费/费率，未以利息或年化利率展示"]
    return []


# --- financial marketing in general (§1e) ----------------------------------------------------------------


def _regulator_endorsement(t: Text) -> list[str]:
    return _quoted(t, _claims(t, "endorsement")) if t.contexts.financial_promo else []


_LOW_RISK = re.compile(r"低风险")
_RISK_LABEL = re.compile(r"(?:中|风险等级|风险评级|r[1-5])[:：(（\[【\s]*$")


def _inducing(t: Text) -> list[str]:
    if not t.contexts.financial_promo:
        return []
    found = _claims(t, "urgency_and_inducement")
    found += [m for m in find_pattern(t, _LOW_RISK) if not _RISK_LABEL.search(t.norm[max(0, m.start - 6):m.start])]
    return _quoted(t, sorted(found, key=lambda m: m.start))


DIVERSION = ("加微信", "加v", "私聊", "加客户经理个人微信", "个人微信", "加qq")


def _diversion(t: Text) -> list[str]:
    return _quoted(t, find_terms(t, DIVERSION)) if t.contexts.financial_promo else []


# --- Advertising Law absolute terms (§2) -----------------------------------------------------------------
ABSOLUTES = ("国家级", "世界级", "最高级", "最佳", "最好", "最优", "最强", "最大", "最低价", "最便宜", "第一", "no.1",
             "no1", "top1", "唯一", "首个", "首家", "独家", "顶级", "极致", "极品", "绝对", "全网最", "全国最",
             "全球最", "最安全", "史上最", "首选", "独一无二", "绝无仅有", "史无前例", "销量冠军", "全国首家",
             "全球首发", "世界领先", "填补国内空白", "最先进", "最具",
             "万能")
# SAMR 2023 guide: time and order words, consumer tips, and disclosures the card and deposit rules require.
ABSOLUTE_EXEMPT = ("最佳时间", "最佳方法", "最佳期限", "第一季度", "第一次", "第一步", "第一批", "第一时间", "第一期",
                   "第一个工作日", "最低还款额", "最高偿付限额", "最高年化利率", "最低起购", "最低起存", "最长期限",
                   "最高可贷", "额度最高", "最大限度", "最大程度", "万能险", "第一书记", "首选账户", "首选收款",
                   "绝对不", "绝对没有")  # 绝对不会索要验证码 is an emphatic no, not a claim
_GOAL = re.compile(r"(?:追求|致力于|力争|努力)[^，。；！？,.;!?]{0,8}$")


# A factual security notice (我行唯一官方客服热线) and an award with its source and date are not
# advertising claims (SAMR 2023 guide).
_FACTUAL_ONLY = re.compile(r"唯一(?:的)?(?:官方|客服|热线|网站|电话|指定|官网)")


def _absolute_terms(t: Text) -> list[str]:
    if t.has(_SOURCED) and t.has(PERIOD_DATE):
        return []
    exempt = find_terms(t, ABSOLUTE_EXEMPT, negatable=False) + find_pattern(t, _FACTUAL_ONLY, negatable=False)
    found = [m for m in find_terms(t, ABSOLUTES)
             if not any(e.start <= m.start and m.end <= e.end for e in exempt)
             and not _GOAL.search(t.norm[max(0, m.start - 12):m.start])]
    return _quoted(t, found)


# --- personal information in texts (§3) ------------------------------------------------------------------


def _credential(t: Text) -> list[str]:
    return _quoted(t, _claims(t, "credential"))


_CARD_OR_ID = re.compile(r"(?<![\dx*])(?:\d{16,19}|\d{17}[\dx])(?![\dx*])")


def _card_masking(t: Text) -> list[str]:
    urls = [(u.start(), u.end()) for u in URL_IN_TEXT_NORM.finditer(t.norm)]
    found = [m for m in find_pattern(t, _CARD_OR_ID, negatable=False)
             if not any(s <= m.start < e for s, e in urls)]
    return [f"“{m.term[:4]}…{m.term[-4:]}”（{len(m.term)} 位）" for m in found]


# --- WeChat platform rules (§4) --------------------------------------------------------------------------
_SHARE = re.compile(r"分享|转发|转给|发朋友圈|发到[^,，;；。]{0,6}群|晒|邀请好友|邀请|拉新|拉[^,，;；。]{0,3}新朋友|"
                    r"助力|砍价|砍一刀|集赞|集满[^,，;；。]{0,4}赞|点赞|集卡|集福|打卡分享|截图给|截图发|截图回复")
_REWARD = re.compile(r"红包|现金|奖励|领|得|送|获得|抽奖机会|中奖概率|积分|话费|流量|优惠券|代金券|立减金|礼品|奖品|"
                     r"才能|方可|解锁")


def _induced_sharing(t: Text) -> list[str]:
    """A share action and a reward or gate in the same sentence, however far apart (the action and the
    reward are often split: 发到家人群，凭截图到网点领取鸡蛋一盒)."""
    out = []
    for share in find_pattern(t, _SHARE):
        lo = share.start - len(sentence(t.norm[:share.start], share.start)) if share.start else 0
        hi = _sentence_end(t.norm, share.end)
        after = [r for r in _REWARD.finditer(t.norm, share.end, hi) if not _inside_ordinary_word(t, r)]
        before = [r for r in _REWARD.finditer(t.norm, lo, share.start) if not _inside_ordinary_word(t, r)]
        reward = after[0] if after else before[-1] if before else None
        if reward is not None:
            out.append(f"“{share.term}”+“{reward.group(0)}”")
    return out


def _inside_ordinary_word(t: Text, found: re.Match[str]) -> bool:
    """记得, 值得, 送达, 领导, 心得: a one-character reward word inside an ordinary word offers nothing.
    The word is the one the segmenter finds there (unless it is a reward word itself: 领取, 获得), or
    one listed in claims.yaml's ordinary_words (the only check when jieba is not installed)."""
    if len(found.group(0)) > 1:
        return False
    start, norm = found.start(), t.norm
    if any(norm.startswith(word, i) and i <= start < i + len(word)
           for word in lexicon.terms("ordinary_words") for i in range(max(0, start - len(word) + 1), start + 1)):
        return True
    word = next((norm[s:e] for s, e in t.words or () if s <= start < e), "")
    return len(word) > 1 and word not in lexicon.terms("reward_words")


def _sentence_end(norm: str, start: int) -> int:
    found = re.compile(r"[。！？!?\n]").search(norm, start)
    return found.start() if found else len(norm)


def _share_mechanics(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        for flag in ("share_reward", "share_required", "invite_reward"):
            if getattr(module, flag):
                yield Hit(view.address("module", module.id), (*loc, flag), f"{flag}: true")


def _student_audience(view: AccountView) -> Iterator[Hit]:
    students = view.settings.student_tags
    for loc, module in view.index.modules():
        if module.kind == "loan" and view.in_segment(module.audience.tags, students):
            yield Hit(view.address("module", module.id), (*loc, "audience"), "贷款模块面向学生标签")
    for item in view.texts:
        if item.source == "streams" and "loan" in item.text.contexts.subjects and view.in_segment(
                item.audience, students):
            yield Hit(item.address, item.loc, "贷款内容推送给学生标签：" + "、".join(item.audience))


_FOLLOW = re.compile(r"关注(?:后|即)?[^,，;；。!！?？]{0,8}?(?:领取|领|送|有礼|抽奖|立得|红包)"
                     r"|关注[^,，;；。!！?？]{0,6}?(?:才能|方可)|(?:新关注|新粉丝)[^。!！?？]{0,10}?(?:领|送|得|红包)")


def _induced_follow(t: Text) -> list[str]:
    return _quoted(t, find_pattern(t, _FOLLOW))


RULES = (
    text_rule("wealth.risk-disclaimer", "error", "理财产品宣传须载明“理财非存款、产品有风险、投资须谨慎”",
              "商业银行理财业务监督管理办法 (银保监会令2018年第6号) 销售文本要求; 忠告语“理财非存款，产品有风险，投资"
              "须谨慎”",
              "Wealth promotion (理财 with a call, offer or product descriptor) carries all three parts of the "
              "mandatory warning, in any order; 投资需谨慎 is accepted.", _wealth_disclaimer, "PARTIAL"),
    text_rule("wealth.no-guaranteed-return", "error", "不得明示或暗示保本、无风险或保收益",
              "广告法 第二十五条第(一)项; 银发〔2019〕316号 三(二); 微信公众平台关于金融类违规营销内容的规范 (2022-07)"
              " 二",
              "Wealth, fund, insurance or structured-deposit promotion uses no guarantee word (保本, 稳赚不赔, 零风险, "
              "刚兑...) unless negated (非保本, 不承诺保本).", _guaranteed_return, "CONFIRMED"),
    text_rule("wealth.forbidden-descriptors", "error", "理财宣传不得使用与风险收益特性不匹配的表述",
              "理财销售文本禁止性规定: 不得使用“安全、保证、承诺、保险、避险、有保障、高收益、无风险”等表述",
              "Wealth promotion: 高收益, 有保障, 避险, or 安全/保证/承诺/保险 within 4 characters of 本金/收益/回报.",
              _forbidden_descriptors, "PARTIAL"),
    text_rule("wealth.unsupported-superlatives", "error", "理财/基金宣传不得无依据使用业绩优良、最好、第一等表述",
              "广告法 第九条第(三)项; 理财销售文本禁止性规定 (无客观证据); "
              "市场监管总局《广告绝对化用语执法指南》(2023)",
              "Wealth or fund promotion: 业绩优良, 名列前茅, 最好, 唯一, 排名第一... unless a dated source is named.",
              _unsupported_superlatives, "PARTIAL"),
    text_rule("wealth.not-deposit", "error", "不得将理财产品作为存款宣传",
              "理财销售文本禁止性规定: 不得将理财产品作为存款进行宣传",
              "Wealth promotion: 理财存款, 存款型理财, 和存款一样, 比存款还安全...", _not_deposit, "PARTIAL"),
    text_rule("wealth.past-performance-disclaimer", "error", "展示理财过往业绩须提示“过往业绩不代表其未来表现”",
              "中国银行业协会《理财产品过往业绩展示行为准则》(2023-11-21); 理财销售文本要求",
              "Wealth promotion with a yield figure near 收益/年化/业绩/回报 states 过往业绩不代表(其)未来表现.",
              _past_performance, "PARTIAL"),
    text_rule("wealth.benchmark-not-promise", "warning", "展示业绩比较基准须说明其不构成收益承诺",
              "资管新规 (银发〔2018〕106号) 净值化管理; 理财公司产品说明书惯例",
              "业绩比较基准 is accompanied by 不构成…承诺 or 不代表…收益.", _benchmark, "UNCONFIRMED"),
    text_rule("wealth.testimonial", "error", "不得利用专家、机构或受益者名义作推荐、证明",
              "广告法 第二十五条第(二)项",
              "Wealth, fund or insurance promotion: endorsement by 专家/教授/分析师/协会, or "
              "beneficiary testimonials (客户亲测, 晒收益).", _testimonial, "CONFIRMED"),
    text_rule("fund.risk-disclaimer", "error", "基金宣传须有风险提示（基金有风险，投资须谨慎）",
              "公开募集证券投资基金宣传推介材料管理暂行规定 (2020)",
              "Fund promotion carries 基金有风险/投资须谨慎; with performance, 过往业绩不代表其未来表现; money funds, "
              "不等于将资金作为存款.", _fund_disclaimer, "PARTIAL"),
    text_rule("fund.no-forecast", "error", "不得预测基金业绩或宣传预期收益率",
              "公开募集证券投资基金销售机构监督管理办法 (2020) 禁止性规定③",
              "Fund promotion: 预测/预计 + 收益/业绩, 预期收益率, 目标收益N%.", _fund_forecast, "PARTIAL"),
    text_rule("fund.no-lottery-sales", "error", "不得以抽奖、送实物、送保险、返现等方式销售基金",
              "公开募集证券投资基金销售机构监督管理办法 (2020) 禁止性规定⑥",
              "Fund promotion tied to 抽奖, 送实物, 送保险, 返现, 送基金份额.", _fund_lottery, "PARTIAL"),
    text_rule("deposit.no-improper-inducement", "warning", "不得以赠品、返现、抽奖等不正当手段吸收存款",
              "商业银行法 第四十七条", "Deposit promotion with a gift, cash back, lottery or 贴息 tied to depositing.",
              _deposit_inducement, "CONFIRMED"),
    text_rule("deposit.insurance-wording", "warning", "存款宣传不得称绝对安全、零风险或国家兜底",
              "存款保险条例 第五条 (限额偿付，最高50万元); 银发〔2019〕316号 三(四)",
              "Deposit promotion: 绝对安全, 100%安全, 零风险, 国家兜底; say 依法受存款保险保障 instead.",
              _deposit_insurance, "CONFIRMED"),
    text_rule("deposit.structured-disclaimer", "error", "结构性存款宣传须提示其不同于一般性存款、具有投资风险",
              "结构性存款销售文本惯例; 银保监办发〔2019〕204号",
              "Structured-deposit promotion states 结构性存款不同于一般性"
              "存款，具有投资风险, and never shows only the top rate (最高/高达 N%) without the floor.", _structured,
              "PARTIAL"),
    text_rule("loan.apr-disclosure", "error", "贷款营销须明示年化利率",
              "中国人民银行公告〔2021〕第3号: 贷款产品营销须以明显方式展示年化利率",
              "Loan or credit-card promotion with a price (%, 日息, 月息, 万分之N, 每天N元, 费率) shows 年化/年利率.",
              _apr_disclosure, "PARTIAL"),
    text_rule("loan.misleading-terms", "error", "贷款营销不得使用无门槛、秒到账、不看征信等误导性用语",
              "金融产品网络营销管理办法 (2026); 银保监会等《关于进一步规范大学生互联网消费贷款监督管理工作的通知》(202"
              "1)",
              "Loan promotion: 无门槛, 秒批, 秒到账, 人人可贷, 不看征信, 零利息, 免息 (but 免息期)...",
              _loan_misleading, "PARTIAL"),
    text_rule("loan.student-targeting", "error", "不得面向大学生营销贷款",
              "银保监会等五部门《关于进一步规范大学生互联网消费贷款监督管理工作的通知》(2021-02-24)",
              "Loan or card promotion aimed at students (大学生, 在校生, 学生专享, 校园贷); loan modules or loan "
              "streams whose audience is a student tag (settings.student_tags).", _student_loan, "CONFIRMED",
              _student_audience),
    text_rule("card.apr-display", "error", "信用卡分期须以利息形式展示资金使用成本",
              "银保监会、人民银行《关于进一步促进信用卡业务规范健康发展的通知》(2022-07)",
              "Credit-card instalment or cash-advance promotion shows 利息 or 年化, not only 手续费/费率.", _card_apr,
              "PARTIAL"),
    text_rule("marketing.no-regulator-endorsement", "error", "不得利用政府或监管部门公信力作营销",
              "广告法 第九条第(二)项; 银发〔2019〕316号 三(四); 中国人民银行金融消费者权益保护实施办法 (2020)",
              "Financial promotion: 央行/监管部门/国家/官方 + 批准/认证/推荐/背书/担保/兜底; 备案即安全.",
              _regulator_endorsement, "CONFIRMED"),
    text_rule("marketing.inducing-terms", "error", "金融营销不得使用低风险、秒到账、高收益、暴富等诱导性用语",
              "金融产品网络营销管理办法 (八部门, 2026-09-30 施行)",
              "Financial promotion: 低风险 (not a risk-rating label such as 中低风险 or R1（低风险）), 低门槛, 秒到账, "
              "高收益, 暴富, 财富自由, 抄底, 躺赚.", _inducing, "PARTIAL"),
    text_rule("marketing.personal-wechat-diversion", "warning", "不得引导用户添加个人微信推广金融产品",
              "微信公众平台关于金融类违规营销内容的规范 (2022-07-13) 一",
              "Financial promotion steering users to a personal WeChat or QQ (加微信, 加V, 私聊).", _diversion,
              "CONFIRMED"),
    text_rule("ad.absolute-terms", "error", "广告不得使用“国家级”“最高级”“最佳”等绝对化用语",
              "广告法 第九条第(三)项 (罚款二十万至一百万元，第五十七条); 市场监管总局《广告绝对化用语执法指南》(2023)",
              "Any text: 国家级, 最佳, 最好, 第一, 唯一, 首家, 独家, 顶级... except time/order words (第一次, 第一季度"
              "), "
              "consumer tips (最佳时间), required disclosures (最低还款额, 最高年化利率) and goals (致力于…最…).",
              _absolute_terms, "CONFIRMED"),
    text_rule("pii.no-credential-solicitation", "error", "不得要求用户发送密码、验证码、卡号或身份证号",
              "个人信息保护法 第六条; 反电信网络诈骗法 第三十条; JR/T 0171-2020 个人金融信息保护技术规范 (C3类)",
              "Any text asking to send, reply, tell or enter a 密码, 验证码, CVV, card or ID number (not negated: "
              "请勿向任何人提供验证码 passes).", _credential, "CONFIRMED"),
    text_rule("pii.card-masking", "error", "不得展示未屏蔽的银行卡号或身份证号",
              "个人信息保护法 第五十一条第(三)项; JR/T 0171-2020 附录A 信息屏蔽",
              "Any text showing a 16-19 digit card number or an 18-character ID number unmasked (尾号1234 and "
              "6222****1234 pass).", _card_masking, "CONFIRMED"),
    text_rule("platform.induced-sharing", "error", "不得以奖励诱导或强制用户分享",
              "微信公众平台运营规范 3.3.1 诱导分享; 微信外部链接内容管理规范 (2019-10-28) 1.2",
              "Share words (分享, 转发, 邀请好友, 助力, 集赞...) within 12 characters of a reward or gate (红包, 积分, "
              "抽奖机会, 才能, 解锁...), not negated (无需分享即可参与 passes); modules with share_reward, "
              "share_required or invite_reward.", _induced_sharing, "CONFIRMED", _share_mechanics),
    text_rule("platform.induced-follow", "error", "不得以奖励诱导或强制用户关注",
              "微信公众平台运营规范 3.3.2 诱导关注",
              "关注 with a reward or gate: 关注后领取, 关注即送, 关注有礼, 关注才能查看.", _induced_follow,
              "CONFIRMED"),
)
