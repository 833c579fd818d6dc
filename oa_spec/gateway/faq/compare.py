"""Another company's product named as a measure, not as the topic.

Customers who know payment apps better than banks ask for the bank's thing by likening it to the app's: 能不能像花呗那样
提额, 信用卡账单能不能拆成几个月还，跟花呗分期一样, 有没有收益比余额宝高点的理财. The app's product is what the bank's
thing is measured against; the question is the bank's thing, which the FAQ answers. Such a likening (像/跟 X 那样,
一样, 差不多; 比 X 高) is read out of the message, X and the words that liken, so X is no outside word (outside.txt)
there. A likening that is itself asked (跟花呗一样吗: is it the same as Huabei?) stays: it asks about the app's
product; so does one guessed at (存款利率是不是比建行的低: is the bank's rate lower than the other bank's?).

The same customers tell the app in the story (零钱里的钱我会看，卡里的余额在你们公众号哪里查;
手里5万一直放余额宝，...，现在利率是多少): a payment app's word (payment_apps.txt) in a clause that does not
ask, while the clauses asked name a banking thing of their own (余额, 储蓄卡, 利率) or the story turns from
the app to one (今天把微信零钱提现到卡里，结果卡显示冻结，这要咋解开), is where the money was or how the
customer pays. Not when only an act is asked of the app's thing (我的Alipay账户被冻结了，你们能帮我解冻吗;
卡在美团上开了免密支付，怎么关掉).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from oa_spec.gateway.faq.clauses import CLAUSE_BREAKS, Clauses
from oa_spec.gateway.faq.data import bank_nouns, payment_apps

LIKE = frozenset({"像", "跟", "同", "类似", "好像", "就像"})  # ... X 那样 / 一样 / 差不多
THAN = frozenset({"比"})  # ... X 高
LIKENESS = frozenset({"一样", "那样", "这样", "差不多", "似的", "一般", "那种", "这种", "类似"})
# what a likening of 比 ends on: the measure (收益比余额宝高点)
MORE = frozenset({"高", "高点", "高些", "高一点", "低", "低点", "低一点", "多", "多点", "少", "快", "慢", "好",
                  "划算", "便宜", "贵", "强", "方便"})
# a likening that is asked: is the bank's thing the same as the app's?
ASKED_AFTER = frozenset({"吗", "么", "不", "没", "呢", "?", "？"})
# or guessed at before it, in its clause (存款利率是不是比建行的低): is the bank's thing lower than the other's?
ASKED_BEFORE = frozenset({"是不是", "是否"})
BETWEEN = 1  # words that may stand between X and the likeness (跟花呗分期一样: 分期 is the thing likened, it stays)

Analysed = Sequence[tuple[str, tuple[str, ...]]]


def without_likenings(analysed: Analysed, outside: Callable[[str], bool]) -> list[tuple[str, tuple[str, ...]]]:
    """The message without the likenings to an `outside` product (像花呗那样, 比余额宝高)."""
    words = [word for word, _ in analysed]
    dropped: set[int] = set()
    for position, word in enumerate(words[:-1]):
        if (word not in LIKE and word not in THAN) or not outside(words[position + 1]):
            continue
        ends = LIKENESS if word in LIKE else MORE
        if _guessed(words[:position]):
            continue
        for end in range(position + 2, min(len(words), position + 3 + BETWEEN)):
            if words[end] in CLAUSE_BREAKS:
                break
            if words[end] in ends:
                if end + 1 < len(words) and words[end + 1] in ASKED_AFTER:
                    break
                dropped.update({position, position + 1, end})
                break
    return [item for position, item in enumerate(analysed) if position not in dropped]


def _guessed(before: Sequence[str]) -> bool:
    """The clause the likening is in guesses at it (是不是比…低)."""
    clause = next((before[i + 1:] for i in range(len(before) - 1, -1, -1) if before[i] in CLAUSE_BREAKS), before)
    return any(word in ASKED_BEFORE for word in clause)


def apps_told(clauses: Clauses, asked: set[str]) -> set[str]:
    """The payment apps told in the story (clauses that do not ask) when the message turns from them to a banking
    thing: named in the `asked` words, or in a clause after the last that names an app."""
    nouns, apps = bank_nouns(), payment_apps()
    last = max((position for position, (words, _) in enumerate(clauses) if words & apps), default=len(clauses))
    apart = (asked - apps if not asked & apps else set()) | {word for words, _ in clauses[last + 1:] for word in words}
    if not any(word in nouns for word in apart):
        return set()
    return {word for words, asks in clauses if not asks for word in words if word in apps} - asked
