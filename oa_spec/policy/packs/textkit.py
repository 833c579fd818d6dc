"""What every cn-bank text rule shares: how a finder becomes a rule, how a finding quotes its clause,
and how the claims of policy/data/claims.yaml are found in the contexts a rule applies to.

The reading itself (normalisation, contexts, negation) is `policy.text` (compliance.md §0); what figures look like
is `policy.vocabulary`'s, and `near` here says whether one sits by a word (§0.5).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from oa_spec.policy import lexicon
from oa_spec.policy.disowned import disowned
from oa_spec.policy.negation import (
    LOOK_AROUND,
    a_not_a,
    asked_by_customer,
    clause_end,
    clause_start,
    corrected,
    in_quotation_marks,
    said_by_the_customer,
    sentence_bounds,
)
from oa_spec.policy.packs.framing import OUR_PRODUCT, unwarned_own_claims
from oa_spec.policy.patterns import AnyPattern, Pattern
from oa_spec.policy.rules import Check, Hit, Rule, Severity
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import (
    Match,
    Text,
    find_pattern,
    find_terms,
    names,
    norm_term,
    normalise,
    products_near,
    read_across,
)
from oa_spec.policy.vocabulary import FINANCIAL, FRAUD_FRAME, OUR_BANK, WARNING_MARKERS

PACK = "cn-bank"
Finder = Callable[[Text], Iterable[str]]


def text_rule(rule_id: str, severity: Severity, message: str, basis: str, summary: str, finder: Finder,
              status: str, structural: Check | None = None) -> Rule:
    """A rule over every text of the account; `structural` adds the spec-structure half of T/S rules."""

    def check(view: AccountView) -> Iterator[Hit]:
        for item in view.texts:
            for detail in read_across(finder, item.text):
                yield Hit(item.address, item.loc, detail)
        if structural is not None:
            yield from structural(view)

    return Rule(rule_id, severity, message, basis, summary, PACK, check, status)


CLAUSE_SHOWN = 30  # characters of the clause quoted with a finding


def quoted(t: Text, matches: Iterable[Match]) -> list[str]:
    """Each match as found, with the clause it sits in, so the reviewer sees it in context."""
    return [f"“{m.term}”" + (f"（{clause}）" if (clause := _clause(t, m)) != m.term else "") for m in matches]


def _clause(t: Text, m: Match) -> str:
    start = clause_start(t.norm, m.start)
    limit = min(len(t.norm), m.end + LOOK_AROUND)
    end = clause_end(t.norm, m.end, limit)
    if end <= start:
        return m.term
    first, last = t.offsets[start], _original_end(t, end)
    if last - first <= CLAUSE_SHOWN:
        return t.original[first:last].strip()
    # A long clause: the part that ends with the match, so the match itself is always shown.
    match_end = _original_end(t, m.end)
    lo = max(first, match_end - CLAUSE_SHOWN + 1)
    hi = min(last, lo + CLAUSE_SHOWN - 1)
    return ("…" if lo > first else "") + t.original[lo:hi] + ("…" if hi < last else "")


def _original_end(t: Text, end: int) -> int:
    """Where the text read up to `end` ends as written: a phrase read as other words (本金冇得蚀 as 本金不会亏,
    each read character at the offset of the phrase's first) ends where the next character read begins."""
    following = t.offsets[end] if end < len(t.offsets) else len(t.original)
    return max(t.offsets[end - 1] + 1, following)


NEAR = 8


def near(text: Text, pattern: AnyPattern, words: Iterable[str], distance: int = NEAR) -> bool:
    """Does a figure matching `pattern` sit within `distance` characters of one of `words`?"""
    words = [norm_term(w) for w in words]
    for found in pattern.finditer(text.norm):
        lo, hi = max(0, found.start() - distance - 8), found.end() + distance + 8
        window = text.norm[lo:hi]
        for word in words:
            for w in re.finditer(re.escape(word), window):
                gap = max(found.start() - (lo + w.end()), (lo + w.start()) - found.end(), 0)
                if gap <= distance:
                    return True
    return False


def in_promo(text: Text, *contexts: str) -> bool:
    return bool(text.contexts.promo & set(contexts))


def products_leaving_out(text: Text, start: int, end: int, rewrite: Callable[[str], str] = str) -> frozenset[str]:
    """The products near `start` once norm[start:end] (a likeness, a claim) is left out and the rest rewritten,
    read within LOOK_AROUND of it: a text holding thousands of claims is not read again whole for each."""
    lo, hi = max(0, start - LOOK_AROUND), min(len(text.norm), end + LOOK_AROUND)
    return products_near(normalise(rewrite(text.norm[lo:start] + text.norm[end:hi])), start - lo)


def about(text: Text, matches: Iterable[Match], *contexts: str) -> list[Match]:
    """The matches whose own sentence (or the nearest one naming a product) is about one of `contexts`."""
    wanted = set(contexts)
    return [m for m in matches if (compared(text, m.start) or products_near(text, m.start)) & wanted]


# A comparison's 前者 or 后者 (定期存款与净值型理财比较：前者…收益确定，后者…可能亏损) is the product named first
# or second in the pair just before it, not every product its sentence names.
_REFERRED = Pattern(r"(?:而|但)?(前者|后者)")
_PAIR = Pattern(r"([^。!！?？:：,，;；与和跟及]{1,16})(?:与|和|跟|同|及|相对于|对比)([^。!！?？:：,，;；]{1,16}?)"
                r"(?=比较|对比|相比|的区别|的不同|有何|有什么|有哪些|是两|区别|不同|[:：,，。?？])")


def compared(text: Text, start: int) -> frozenset[str]:
    """The products of the pair that the 前者/后者 opening the clause at `start` refers to (none if it has none)."""
    opening = clause_start(text.norm, start)
    referred = _REFERRED.match(text.norm, opening, start)
    pairs = list(_PAIR.finditer(text.norm, max(0, opening - 80), opening)) if referred else []
    if not referred or not pairs:
        return frozenset()
    named = normalise(pairs[-1].group(1 if referred.group(1) == "前者" else 2))
    return frozenset(c for c in FINANCIAL if names(named, c))


class Spans:
    """Where some matches lie, merged into sorted disjoint runs, so that asking whether another match overlaps
    or sits inside them costs a bisection (a text repeating a claim holds thousands of both)."""

    def __init__(self, matches: Iterable[Match]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in sorted(matches, key=lambda m: m.start):
            if self.ends and m.start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], m.end)
            else:
                self.starts.append(m.start)
                self.ends.append(m.end)

    def _run_before(self, position: int) -> int:
        """The index of the last run starting before `position` (-1 if none)."""
        return bisect_left(self.starts, position) - 1

    def overlaps(self, m: Match) -> bool:
        i = self._run_before(m.end)
        return i >= 0 and self.ends[i] > m.start

    def cover(self, m: Match) -> bool:
        i = self._run_before(m.start + 1)
        return i >= 0 and self.ends[i] >= m.end


def outside(matches: Iterable[Match], found: Iterable[Match]) -> list[Match]:
    """The matches that overlap none of `found`."""
    spans = Spans(found)
    return [m for m in matches if not spans.overlaps(m)]


def claims(text: Text, category: str, negatable: bool = True, inner: bool = True) -> list[Match]:
    """Matches of a claims.yaml category: its terms, then its patterns where no term already matched.
    Negation is read before the match in its clause (its sentence for anti-fraud framing); a negator
    inside the match negates it too (验证码切勿告诉任何人), unless inner=False says the negator is part
    of the claim (不会亏, 不看征信)."""
    ordinary = lexicon.not_claims(category)  # matched with the terms, so that they take their characters
    found = find_terms(text, _terms_and_ordinary(category), negatable)
    pattern = lexicon.pattern(category, text.norm)
    if pattern is not None:
        found += outside(find_pattern(text, pattern, negatable, inner), found)
    # 会不会亏 asks, its 不会亏 claims nothing, nor does 保不保本 its 保本; what the customer asks (问：…？) or
    # says in a transcript (客户：…) is answered, not said, and so is a quoted misconception corrected after it
    return sorted([m for m in found if m.term not in _normalised(ordinary)
                   and not a_not_a(text.norm, m.start) and not a_not_a(text.norm, m.start - 1)
                   and not (asked_by_customer(text.norm, m.start) and not _answered_within(m))
                   and not said_by_the_customer(text.norm, m.start)
                   and not corrected(text.norm, m.start, m.end) and not disowned(text.norm, m.end)]
                  + (answered_alike(text) if category == "not_deposit" else []),
                  key=lambda m: m.start)


@cache
def _terms_and_ordinary(category: str) -> tuple[str, ...]:
    return (*lexicon.terms(category), *lexicon.not_claims(category))


def _answered_within(m: Match) -> bool:
    """A claim read across its question into the answer (没有工作能借吗？a：可以): the answer says it, whoever asked."""
    return "?" in m.term[:-1]


# Asked whether it differs from a deposit, and answered that it does not (跟存定期有区别吗？没有！; 和定期有啥不一样？
# 答：基本一样; 我们答：没啥区别; 您问“和存款有什么区别？”——对您来说基本没区别): the answer's no affirms the
# likeness, so neither the negator in it nor the question being the customer's drops it. The claim runs from the
# question to the answer.
_DIFFERENCE_ASKED = Pattern(r"(?:存款|存钱|存定期|定期|活期|定存|存单|储蓄)[^。!！?？\n]{0,12}?"
                            r"(?:区别|不同|不一样|差别|两样|差异|分别)[^。!！?？\n]{0,3}?[?？]")
_NO_DIFFERENCE = Pattern(r'"?(?:——|—|-)?\s*(?:(?:我们|小编|客服|我行|本行)?(?:答|回答|回复)[:：]|a[:：])?'
                         r"(?:对您来说|对你来说|其实|说白了|说实话)?[,，]?"
                         r"(?:基本上?|几乎|根本|完全|真)?(?:没有?|没啥|没什么|无|差不多|一样|一模一样|一个样)"
                         r"(?:区别|不同|差别|两样)?(?:的|哈|啦|呀|啊|哦|呢)?(?=[,，。!！~～;；]|$)")


def answered_alike(text: Text) -> list[Match]:
    """Each difference from a deposit asked and answered with a no or a likeness, question to answer."""
    out = []
    for asked in _DIFFERENCE_ASKED.finditer(text.norm):
        answer = _NO_DIFFERENCE.match(text.norm, asked.end())
        if answer is not None:
            out.append(Match(text.norm[asked.start():answer.end()], asked.start(), answer.end()))
    return out


@cache
def _normalised(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise(word).norm for word in words)


INVESTMENTS = ("wealth", "fund", "insurance", "structured", "metal", "fx")


def named_outside_a_warning(text: Text, *contexts: str) -> bool:
    """One of `contexts` is named and the text is not a warning: enough for claims that are an offer in
    themselves (a gift for buying, someone's gain, a likeness to a deposit, a personal WeChat)."""
    return not text.contexts.education and bool(text.contexts.subjects & set(contexts))


# A claim with a named source and a date is a cited fact, not an unsupported claim (广告法 art. 11).
SOURCED = Pattern(r"(?:数据)?来源|出处|据[^。]{1,30}?(?:评价|统计|数据)|(?:评价|评级)(?:机构|中心)[^。]{0,6}发布"
                     # a named publication and its report (据《XX财经》…发布的《…排名报告》)
                     r"|据[^。《]{0,20}《[^》]{1,30}》[^。]{0,20}?发布|据[^。]{1,30}?发布的?《"
                     # a result or a notice a named body published (据中国证券报2025年4月公布的金牛奖评选结果,
                     # 据…发布的产品公告)
                     r"|据[^。]{1,30}?(?:公布|发布)的?[^。]{0,10}?(?:结果|榜单|名单|排名|公告|通告|公示)"
                     r"|报社主办|(?:主办|颁发)[)）]|发布渠道[:：为是]"  # probe 172: the rules' own 发布渠道
                     r"|(?:评选|颁奖|颁发|发布|评级)(?:机构|单位|方)[:：]|主办方[:：]"
                     # probe 125: an authority's notice cited (依据晓园区人社局2026年3月公告)
                     r"|(?:依据|根据|(?<![数证票单收占凭依根])据)[^。]{1,20}?(?:局|厅|部|委|办|政府|中心)[^。]{0,10}?(?:公告|通告|通知|公示|文件)")


def names_deposit_insurance(t: Text, m: Match) -> bool:
    """A deposit word of a not_deposit claim followed by 保险 (本行是存款保险投保机构) or 人 (存款保险是保护存款人
    的制度: the depositor), or what deposit insurance covers (存款保险保护的是存款): no product called a deposit."""
    return m.term.endswith("存款") and (t.norm.startswith(("保险", "人"), m.end) or bool(
        _COVERED_BY_DEPOSIT_INSURANCE.search(t.norm, sentence_bounds(t.norm, m.start)[0], m.start + 1)))


_COVERED_BY_DEPOSIT_INSURANCE = Pattern(r"存款保险[^,，;；。]{0,6}?(?:保护|保障|覆盖|承保)(?:的|范围)"
                                        # it, deposit insurance named before (…；它保的是存款, …：它保障的是)
                                        r"|存款保险[^。!！?？]{0,30}?[,，;；:：]它(?:只)?(?:保护?|保障|管|赔)的")


def sets_itself_apart(t: Text, m: Match) -> bool:
    """A not_deposit claim whose sentence goes on to deny an investment (这是存款产品，不是理财或保险): a real
    deposit telling itself apart, not an investment called a deposit."""
    return bool(_NOT_AN_INVESTMENT.search(t.norm, m.end, sentence_bounds(t.norm, m.start)[1]))


# (or the likeness undone later in its sentence: 常把保险当成存钱：其实…和银行存款是两回事)
_NOT_AN_INVESTMENT = Pattern(r"(?:不是|并非|而非|不属于)[^,，;；。!！?？]{0,4}?(?:理财|保险|基金)"
                             r"|(?:和|跟|与|同)[^,，;；。!！?？]{0,4}?(?:存款|储蓄|存钱|定期|存单)(?:是|完全是|根本是)?"
                             r"(?:两回事|两码事|不是一回事|不是一码事)"
                             # probe 174: the investments said to be other kinds (我行代销的理财、保险是另外两类产品)
                             r"|(?:理财|保险|基金)[^,，;；。!！?？]{0,6}?(?:是|属于|为)(?:另外|另|其他|其它|不同)的?"
                             r"[一两二三几]?(?:类|种|回事)")


def inside_ordinary_word(t: Text, start: int, length: int = 1) -> bool:
    """记得, 值得, 送达, 领导, 心得: a one-character reward word inside an ordinary word offers nothing.
    The word is the one the segmenter finds there (unless it is a reward word itself: 领取, 获得), or
    one listed in claims.yaml's ordinary_words (the only check when jieba is not installed)."""
    if length > 1:
        return False
    # asked for the same place by every share of a sentence: answered once per text (the text keeps the answers)
    known: dict[int, bool] = t.__dict__.setdefault("_inside_ordinary_word", {})
    if start not in known:
        known[start] = _inside_ordinary_word(t, start)
    return known[start]


def _inside_ordinary_word(t: Text, start: int) -> bool:
    norm = t.norm
    if any(norm.startswith(word, i) and i <= start < i + len(word)
           for word in lexicon.terms("ordinary_words")
           for i in range(max(0, start - len(word) + 1), start + 1)) and not _rewarding(norm, start):
        return True
    words = t.words or []
    at = bisect_right(words, (start, len(norm))) - 1  # the segmenter's words are in order and do not overlap
    word = norm[words[at][0]:words[at][1]] if at >= 0 and start < words[at][1] else ""
    return len(word) > 1 and word not in lexicon.terms("reward_words")


def _rewarding(norm: str, start: int) -> bool:
    """The character is inside a reward word (即送出境游流量卡 is 即送, not 送出)."""
    return any(norm.startswith(word, i) for word in lexicon.terms("reward_words")
               for i in range(max(0, start - len(word) + 1), start + 1))


def said_of_a_product(t: Text, found: list[Match], *contexts: str) -> list[str]:
    """The claims of a promotion; outside one, still a claim when the bank says it of its own product
    (本行理财产品保本保收益, 这只基金明年收益翻番并非难事), to the reader (给您守住本金), or of a product its
    sentence names (分红险的分红年年有，一年比一年多), unless the words are only named in quotation marks
    (“保本理财”退出历史舞台) or the text is a warning."""
    if in_promo(t, *contexts):
        return quoted(t, found)
    if not named_outside_a_warning(t, *contexts) and not _explains_its_own_product(t, *contexts):
        # a warning frames what it warns of, not the bank's own promise beside it (…保本保收益。小心电信诈骗。)
        return quoted(t, unwarned_own_claims(t, found)) if t.contexts.subjects & set(contexts) else []
    return quoted(t, [m for m in found if (own_product(t, m) or products_near(t, m.start) & set(contexts))
                      and not in_quotation_marks(t.norm, m.start)])


# probe 122: an explainer (【一文读懂】为什么说“双月盈”是标杆？) that prints a product's own warning, unquoted, and
# warns of nothing else is that product's page dressed as education: its claims about the product count.
_EXPLAINERS = frozenset({"什么是", "什么意思", "什么叫", "小知识", "科普", "一文看懂", "一文读懂", "一文讲清",
                         "一文说清", "知识课堂", "投资者教育", "【投教】"})
_OWN_WARNING = Pattern(r"理财非存款[,，、]产品有风险|基金有风险[,，、]投资[须需]谨慎")


def _explains_its_own_product(t: Text, *contexts: str) -> bool:
    if not t.contexts.subjects & set(contexts) or t.has(FRAUD_FRAME):
        return False
    if not any(not in_quotation_marks(t.norm, m.start() + 1) for m in _OWN_WARNING.finditer(t.norm)):
        return False
    return all(m.term in _EXPLAINERS for m in find_terms(t, WARNING_MARKERS, negatable=False))


# The bank's own product, or one product pointed at (这款理财产品保本保收益): a claim about it, not a topic; so
# is one its seller speaks of (这款我卖了三年, 跟着我买) or says to the reader (您的本金).
_OWN = (*OUR_BANK, "我们的", "本公司", "本产品", "本款", "这款", "该款", "此款",
        "这只", "该只", "此只", "这支", "该产品", "此产品", "这个产品", "这期", "客户经理", "理财经理", "支行",
        "私人银行", "我卖", "跟着我买", "在我这买", "找我买", "您", "你的", "这份", "这张")
# A product under its brand name (“日日薪”现金管理理财, 分红险「福满堂」) is one the bank sells, and a text
# titled with the product (增额终身寿：…, 【稳享理财】…) is that product's page.
_BRANDED = Pattern(r'"[^"]{1,10}"(?:系列)?(?:现金管理类?)?(?:理财|基金|保险|险|年金)'
                      r'|(?:理财|基金|险|年金)(?:产品)?[:：]?"[^"]{1,10}"')
_TITLED = Pattern(r"[【\[]?[^。:：】\]]{0,12}?(?:理财|基金|险|保险|年金|积存金)[^。:：】\]]{0,6}[】\]]?[:：]")


def own_product(t: Text, m: Match) -> bool:
    """The match's sentence, or the question it answers (这款理财会亏本吗？答：…), speaks of the bank's own
    product, or of one by its brand name."""
    lo, hi = sentence_bounds(t.norm, m.start)
    if lo > 0 and t.norm[lo - 1] in "?？":
        lo = sentence_bounds(t.norm, lo - 1)[0]
    said = t.norm[lo:hi]
    return (any(word in said for word in _OWN) or bool(OUR_PRODUCT.search(said))  # (稳盈1号理财产品, 本理财产品)
            or bool(_BRANDED.search(said) or _TITLED.match(t.norm)))


# probe 156: market rates quoted in a commentary (本月LPR维持不变，1年期3.0%、5年期以上3.5%; 10年期国债收益率在1.8%附近)
# are the market's price, neither a loan's price nor a product's past return. (A price set after the LPR moved,
# LPR下调后本行房贷利率低至…, names 利率 before its figure and is the loan's.)
# (a rate set off the LPR, 按LPR减20个基点执行，当前为3.05%, is the loan's: the LPR's own move comes right after it)
MARKET_RATE = Pattern(r"(?:lpr|贷款市场报价利率)[(（]?(?:lpr)?[)）]?(?:报价)?(?:为|是)\d+(?:\.\d+)?%"  # (LPR为3.0%)
                      r"|(?:lpr|贷款市场报价利率)(?:报价)?(?:本月|继续|再次|连续[^。!！?？%利]{0,4}?)?"
                      r"(?:维持|保持|下调|上调|调降|调升|下降|不变|持平)"
                      r"[^。!！?？%利]{0,16}?\d+(?:\.\d+)?%(?:[^,，;；。%利]{0,10}?\d+(?:\.\d+)?%)?"
                      r"|(?:国债|美债|中债|地方债|同业存单|shibor)(?:到期)?收益率[^,，;；。%]{0,8}?\d+(?:\.\d+)?%")


# A loan's share of what it finances (融资比例不超过订单金额的70%, 质押率最高80%) is its size, not its price.
# UNPRICED: the percentages that price no loan (a market rate, a loan's share).
UNPRICED = Pattern(r"(?:(?:融资|贷款|放款|授信|首付)(?:比例|成数)|(?:质押|抵押)率)[^,，;；。%]{0,12}?\d+(?:\.\d+)?%"
                   # probe 168: the shares listed after it (首付比例不低于15%，二套不低于25%), no rate between
                   r"(?:[,，、;；][^,，;；。%率息费]{0,8}?\d+(?:\.\d+)?%){0,4}|"
                   + MARKET_RATE.pattern)
