"""cn-bank text finders for advertising, personal data and WeChat platform conduct (compliance.md §2-§4):
absolute terms, credential requests, unmasked card numbers, induced sharing and following.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oa_spec.policy import lexicon
from oa_spec.policy.packs.textkit import SOURCED, claims, quoted
from oa_spec.policy.rules import Hit
from oa_spec.policy.subjects import AccountView
from oa_spec.policy.text import (
    PERIOD_DATE,
    URL_IN_TEXT_NORM,
    Text,
    find_pattern,
    find_terms,
    sentence,
)

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


def absolute_terms(t: Text) -> list[str]:
    if t.has(SOURCED) and t.has(PERIOD_DATE):
        return []
    exempt = find_terms(t, ABSOLUTE_EXEMPT, negatable=False) + find_pattern(t, _FACTUAL_ONLY, negatable=False)
    found = [m for m in find_terms(t, ABSOLUTES)
             if not any(e.start <= m.start and m.end <= e.end for e in exempt)
             and not _GOAL.search(t.norm[max(0, m.start - 12):m.start])]
    return quoted(t, found)


# --- personal information in texts (§3) ------------------------------------------------------------------


def credential(t: Text) -> list[str]:
    return quoted(t, claims(t, "credential"))


_CARD_OR_ID = re.compile(r"(?<![\dx*])(?:\d{16,19}|\d{17}[\dx])(?![\dx*])")


def card_masking(t: Text) -> list[str]:
    urls = [(u.start(), u.end()) for u in URL_IN_TEXT_NORM.finditer(t.norm)]
    found = [m for m in find_pattern(t, _CARD_OR_ID, negatable=False)
             if not any(s <= m.start < e for s, e in urls)]
    return [f"“{m.term[:4]}…{m.term[-4:]}”（{len(m.term)} 位）" for m in found]


# --- WeChat platform rules (§4) --------------------------------------------------------------------------
_SHARE = re.compile(r"分享|转发|转给|发朋友圈|发到[^,，;；。]{0,6}群|晒|邀请好友|邀请|拉新|拉[^,，;；。]{0,3}新朋友|"
                    r"助力|砍价|砍一刀|集赞|集满[^,，;；。]{0,4}赞|点赞|集卡|集福|打卡分享|截图给|截图发|截图回复")
_REWARD = re.compile(r"红包|现金|奖励|领|得|送|获得|抽奖机会|中奖概率|积分|话费|流量|优惠券|代金券|立减金|礼品|奖品|"
                     r"才能|方可|解锁")


def induced_sharing(t: Text) -> list[str]:
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


def share_mechanics(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        for flag in ("share_reward", "share_required", "invite_reward"):
            if getattr(module, flag):
                yield Hit(view.address("module", module.id), (*loc, flag), f"{flag}: true")




_FOLLOW = re.compile(r"关注(?:后|即)?[^,，;；。!！?？]{0,8}?(?:领取|领|送|有礼|抽奖|立得|红包)"
                     r"|关注[^,，;；。!！?？]{0,6}?(?:才能|方可)|(?:新关注|新粉丝)[^。!！?？]{0,10}?(?:领|送|得|红包)")


def induced_follow(t: Text) -> list[str]:
    return quoted(t, find_pattern(t, _FOLLOW))
