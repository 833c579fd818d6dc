"""A visit told before the question: 今天在网点办业务，柜员态度特别差，我要投诉.

A clause that names the branch after 在 (在你们网点办业务, 在柜台等了两个小时) and neither asks nor plans (想在网点办,
要在柜台) tells where the story happened. When a later clause asks, the visit's words weigh half towards the score
(ranker.py: CONTEXT_WEIGHT), as they already do towards coverage, so the entry about going there
(去网点办业务可以预约吗) does not outrank the one asked about (我要投诉). So does a visit planned (我要去网点开存款
证明) when the question asks about the branch itself (离我最近的网点在哪): the errand is why the customer goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from oa_spec.gateway.faq.clauses import ASKING, ENDS_ASKING, QUESTION_MARKS, content_words, split_clauses

BRANCH = "网点"  # the counter, a sub-branch, a hall: the lexicon reads them as 网点
PLANS = frozenset({"想", "要", "打算", "准备", "能", "可以"})
# whose branch, said between 在 and the branch (在你们网点办业务, 在你们的网点): read past it
WHOSE = frozenset({"你们", "你们的", "你们家", "你们家的", "的"})


def told_visits(analysed: Sequence[tuple[str, tuple[str, ...]]], asked: set[str]) -> set[str]:
    """The content words of the clauses that tell a visit (在 and the branch) and neither ask nor plan, minus the
    words asked."""
    told: set[str] = set()
    for clause, end in split_clauses(analysed):
        words = [word for word, _ in clause]
        bare = [word for word in words if word not in WHOSE]
        visit = any(before == "在" and word == BRANCH for before, word in pairwise(bare))
        asks = not ASKING.isdisjoint(words) or end in QUESTION_MARKS or (bool(words) and words[-1] in ENDS_ASKING)
        planned = BRANCH in asked and any(before == "去" and word == BRANCH for before, word in pairwise(words))
        if (visit and not asks and PLANS.isdisjoint(words)) or (planned and not asks):
            told |= set(content_words(clause))
    return told - asked
