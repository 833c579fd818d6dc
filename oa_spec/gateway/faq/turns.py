"""A question announced after what was done: 信用卡刚激活好了，也设了密码，想问下账单在哪看.

A customer who tells what is finished (a clause that ends on 了, or on what the lexicon read as done: 已挂失)
and then announces the question (想问下, 问一下, 请问, after fillers: 9494 is 就是就是), or turns to what comes next
(那补卡要去哪, 再弄张新的要多少钱, 现在想重新弄张卡: 那, 再, 现在 opening a clause that names a banking word), has
turned from the one to the other: the words of the told clauses weigh half towards the score, as they already do
towards coverage (ranker.py: CONTEXT_WEIGHT), so the entry that did what is done does not outrank the one asked
about. A report already made (已挂失, told_acts.txt) turns the story too: any later clause naming a banking word
(卡丢了已经挂失了，这周末想去网点把卡补回来) asks what comes after it, and so does one after what was heard (听说理财比
存款利息高，你们有什么理财), and so is what the customer says they already know (手续费我晓得是免的，就想问多久能到).
Only when the question names a banking word of
its own; and a clause in the passive (卡被机器收走了) tells the trouble itself, and stays whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import dropwhile

from oa_spec.gateway.faq.clauses import CLAUSE_BREAKS, FILLERS, content_words
from oa_spec.gateway.faq.data import bank_words, persons, told_acts

ANNOUNCING = ("想问", "问下", "问一下", "请问", "想请问", "想了解", "还想问", "现在想问", "想先问", "先问",
              "就想问", "只想问")
# a question that turns from what is done to what comes next (卡丢了已经挂失了，那补卡要去哪; 已经停了，再弄张新的
# 要多少钱): its opening word announces it too, when it asks for an act of the bank's (补办) or names a thing
TURNING = frozenset({"那", "那么", "再", "现在", "今天"})
# and, when the question names no banking word of its own, a wish that names one (利息太低了，想买点理财，有
# 哪样推荐的么), the customer's or another's (我妈想买点理财: persons.txt); not what one wanted (想买的理财买不了: 想 V
# 的 names a thing)
WISHING = "想"
# a visit planned (我奶奶想去网点激活社保卡，想先问下网点几点开门) is told like what is done: what is asked is
# about the visit
PLANNING = ("想去", "要去", "打算去", "准备去")
PASSIVE = frozenset("被给")
# an act signed finished (Chinese Sign Language marks it with 好 or 完 after the verb and no 了: 信用卡 激活 好, 账单
# 查 哪里; 电话 挂失 完, 网点 去): done, and a later clause naming a banking word asks what comes after it
FINISHED = frozenset({"好", "完"})
# a habit told (我一直都去柜台办业务，现在孩子让我装个手机银行，要怎么开通): what the customer used to do is told like
# what is done, when a later clause turns from it
HABITS = ("一直都", "以前都", "平时都", "向来都", "从来都", "一直是", "以前是", "以前一直")
# and what was heard (听说理财比存款利息高，你们有什么理财): a later clause naming a banking word asks
HEARSAY = ("听说", "听人说", "据说", "听别人说", "听朋友说")
# and what the customer already knows (手续费我晓得是免的，就想问多久能到): told, not asked; not what they do not know
# or want to know (不知道, 想知道)
KNOWING = ("我知道", "知道是", "我也知道")
UNKNOWING = ("不知道", "想知道", "知道吗", "知道不", "要知道")


def told_before_announced(analysed: Sequence[tuple[str, tuple[str, ...]]], asked: set[str]) -> set[str]:
    """The content words of the clauses ending on 了 before a clause that announces the question, minus the
    words asked, when the question names a banking thing of its own (账单, 动账短信: 账户冻结了，请问要怎么解除
    asks about what was told) or a turning clause names one (利息太低了，想买点理财，有哪样推荐的么)."""
    told: set[str] = set()
    banking_question = not bank_words().isdisjoint(asked)
    turned = False  # a wish naming a banking word turned the story (the question names none)
    clause: list[tuple[str, tuple[str, ...]]] = []
    pending: set[str] = set()
    reported = False  # a report already made (已挂失): a later clause naming a banking word asks what comes next
    for item in [*analysed, ("。", ())]:
        if item[0] not in CLAUSE_BREAKS:
            clause.append(item)
            continue
        words = [word for word, _ in clause]
        opening = list(dropwhile(FILLERS.__contains__, words))  # 9494 (就是就是) 想问下
        names_bank = not bank_words().isdisjoint(content_words(clause))
        wish = _after_person(opening)  # 我妈想买点理财
        wishing = (not banking_question and wish[:1] == [WISHING] and names_bank and "的" not in wish[1:3]
                   and bool(pending))
        turned = turned or wishing
        turning = wishing or (bool(opening[:1]) and opening[0] in TURNING and names_bank)
        if "".join(opening[:3]).startswith(ANNOUNCING) or turning or (reported and names_bank):
            told |= pending
            pending = set()
            reported = False
        elif len(words) > 1 and words[-1] in FINISHED:
            pending |= set(content_words(clause))
            reported = True
        elif words and (((words[-1] == "了" or words[-1].startswith("已")) and PASSIVE.isdisjoint("".join(words)))
                        or any(plan in "".join(words) for plan in PLANNING) or _knows("".join(words))
                        or "".join(words).lstrip("我").startswith(HABITS)):
            pending |= set(content_words(clause))
            reported = reported or any(word.startswith("已") and word in told_acts() for word in words)
        elif "".join(opening).startswith(HEARSAY):
            pending |= set(content_words(clause))
            reported = True
        elif words:
            pending |= set(content_words(clause)) if pending else set()
        clause = []
    return told - asked if turned or banking_question else set()


def _after_person(words: list[str]) -> list[str]:
    """The words after another person opening them (我妈, 老公), or all of them."""
    mine = words[1:] if words[:1] == ["我"] else words
    return mine[1:] if mine[:1] and mine[0] in persons() else words


def _knows(clause: str) -> bool:
    """The clause tells what the customer already knows (我知道是免的)."""
    return any(k in clause for k in KNOWING) and not any(u in clause for u in UNKNOWING)
