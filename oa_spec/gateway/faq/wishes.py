"""What the customer wants to do, told before the question: 分期才还了一半，想把剩下的一次还清，手续费还收吗.

A clause that opens on a wish or a plan (想, 想要, 要, 打算, 准备; after 我, 现在, 还) and does not ask is no story of
what happened: it names what the question is about. When the question after it asks what the act costs or needs
(手续费还收吗, 需要提前预约吗), it asks of that act, so an act of acts.txt said there (提前还款 of an instalment plan,
存现 of cash) counts as asked, as it does in a clause that asks: the entry that never names it (the instalment fee,
withdrawing cash) does not answer. Not a question of its own (想去网点改个资料，周末有没有网点开门: the hours are
asked, not the change), and only acts: the clause's things stay the story's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import dropwhile

from oa_spec.gateway.faq.clauses import FILLERS, content_words, split_clauses

WISHING = frozenset({"想", "想要", "要", "打算", "准备"})
# what an act costs or needs, asked of the act wished for
OF_THE_ACT = frozenset({"手续费", "需要", "违约金", "收费", "免费", "要求", "材料", "多久"})
BEFORE_WISH = frozenset({"我", "现在", "还", "也", "就", "本来", "今天", "明天"}) | FILLERS


def wished(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The content words of the clauses, before the last, that open on a wish or a plan, when the last asks what
    an act costs or needs."""
    clauses = [clause for clause, _ in split_clauses(analysed) if clause]
    out: set[str] = set()
    if not clauses or OF_THE_ACT.isdisjoint(word for word, _ in clauses[-1]):
        return out
    for clause in clauses[:-1]:
        opening = next(dropwhile(BEFORE_WISH.__contains__, (word for word, _ in clause)), "")
        if opening in WISHING:
            out |= set(content_words(clause))
    return out
