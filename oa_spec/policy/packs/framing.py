"""How far a warning reaches (issue 15: anti-fraud framing scoped to the clause, not the text).

A text that warns somewhere (小心电信诈骗，远离非法集资; 消保提示：…; a title 理财小知识) is read as a warning by
`policy.text`, and a warning quotes what it warns of. But a footer that warns of nothing the text says does not
make the bank's own promise beside it a quotation: 稳盈1号理财产品保本保收益，年化4.5%。小心电信诈骗。 still
promises. A claim in such a text is the bank's own when its sentence names the bank's product in the bank's
voice, and no warning reaches it: none in its own sentence, none before it that points on (警惕以下话术：, 骗子
常说), none after it that points back (这是诈骗, 以上都是套路).
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from itertools import accumulate

from oa_spec.policy.negation import SENTENCE_END, in_quotation_marks
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, find_terms
from oa_spec.policy.vocabulary import A_SERVICE, FRAUD_FRAME, OUR_BANK, WARNING_MARKERS

# The bank's product named in the bank's own voice: by the bank (本行, 我行), as this one (本理财产品, 本期产品,
# 本款基金), or by its series name and number (稳盈1号理财产品, 安享12期).
OUR_PRODUCT = Pattern("|".join(OUR_BANK) + r"|本(?:款|期|只|支|系列)?(?:理财|基金|保险|产品|年金|存单|计划)"
                      r"|[\u4e00-\u9fff]{1,6}[\dA-Za-z一二三四五六七八九十]{1,4}(?:号|期)(?:理财|基金|产品|计划)"
                      r'|"[^"]{1,10}"(?:系列)?(?:理财|基金|保险|险|年金)')
# Someone else's words reported in the sentence (对方说, 业务员拍胸脯保证, 群里的老师推荐): a story, not the bank.
_REPORTED = Pattern(r"(?:对方|他们?|她们?|那人|此人|客服|业务员|销售|中介|朋友|网友|群主|老师|导师|专家|大师|"
                    r"工作人员|陌生人|某平台|某机构|有人|别人|阿姨|大爷|大妈|叔叔|先生|女士|客户)[^,，;；。!！?？]{0,8}?"
                    r"(?:说|称|讲|表示|告诉|介绍|推荐|保证|承诺|拍胸脯|忽悠|吹|问)")
# A warning that points on to what follows (警惕以下话术, 骗子常说的几句话, …：) or back at what came (这是诈骗,
# 以上都是套路, 类似说法都是骗局).
_POINTS_ON = Pattern(r"以下|如下|下面|下列|这几[句种类条个]|常(?:说|用|见)|话术")
_POINTS_BACK = Pattern(r"^[^,，;；。!！?？]{0,4}?(?:这|此|以上|上述|上面|前面|类似|诸如此类|凡|那)")


def unwarned_own_claims(t: Text, found: list[Match]) -> list[Match]:
    """The claims of a warning text that are the bank's own: see the module's docstring."""
    if not found:
        return []
    reach = _Reach(t)
    return [m for m in found if not in_quotation_marks(t.norm, m.start) and not reach.reaches(m.start)]


# A short heading (理财小知识：, 消保提示：, 【理财小知识】) is a unit of its own: what it frames is said after it.
_HEADING = Pattern(r"【[^】]{1,16}】|[^,，;；:：【】]{1,16}[:：]")


def _units(norm: str) -> list[tuple[int, int]]:
    """The text's sentences, each heading split off its sentence."""
    spans, start = [], 0
    for end in [*(m.start() for m in SENTENCE_END.finditer(norm)), len(norm)]:
        heading = _HEADING.match(norm, start, end)
        if heading is not None:
            spans.append((start, heading.end()))
            start = heading.end()
        if end > start:
            spans.append((start, end))
        start = end + 1
    return spans


def _marked(markers: list[int], lo: int, hi: int) -> bool:
    """A warning marker starts within [lo, hi) (`markers` sorted)."""
    k = bisect_left(markers, lo)
    return k < len(markers) and markers[k] < hi


class _Reach:
    """Which units a warning reaches, read once per text so that a text of many claims and many warnings costs a
    lookup per claim: a unit is reached by its own warning, by one before it that points on (or warns of fraud
    right before it: 防骗小知识：), or by one after it that points back."""

    def __init__(self, t: Text) -> None:
        self.t = t
        self.units = _units(t.norm)
        self.starts = [lo for lo, _ in self.units]
        markers = [m.start for m in find_terms(t, WARNING_MARKERS, negatable=False)
                   if not A_SERVICE.match(t.norm, m.end)]
        said = [t.norm[lo:hi] for lo, hi in self.units]
        fraud = [bool(FRAUD_FRAME.search(s)) for s in said]
        self.warns = [fraud[i] or _marked(markers, lo, hi) for i, (lo, hi) in enumerate(self.units)]
        on = [w and bool(_POINTS_ON.search(s)) for w, s in zip(self.warns, said, strict=True)]
        back = [w and bool(_POINTS_BACK.search(s)) for w, s in zip(self.warns, said, strict=True)]
        self.on_before = list(accumulate(on, operator.or_))  # a warning up to unit i points on
        self.back_after = list(accumulate(reversed(back), operator.or_))[::-1]  # one from unit i on points back
        self.fraud = fraud

    def reaches(self, position: int) -> bool:
        """Not the bank's own, or a warning reaches the unit at `position`."""
        at = bisect_right(self.starts, position) - 1
        if at < 0 or position >= self.units[at][1]:
            return True  # (between units: a sentence mark, nothing said)
        lo, hi = self.units[at]
        said = self.t.norm[lo:hi]
        # (a question asks, 稳盈1号理财保本保收益？, as the customer's words do: 王阿姨说：我买的…)
        if not OUR_PRODUCT.search(said) or _REPORTED.search(said) or self.t.norm.startswith(("?", "？"), hi):
            return True
        return (self.warns[at] or (at > 0 and (self.on_before[at - 1] or self.fraud[at - 1]))
                or (at + 1 < len(self.units) and self.back_after[at + 1]))
