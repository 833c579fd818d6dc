"""A message that asks two or three things at once: 1.借记卡找不到了怎么挂失 2.你们网点旁边有停车位吗.

Customers number their questions (1.… 2.…), run them together with a turn (另外, 还有, 顺便问下, 对了), or complain
with a why before they ask (为什么只开两个窗口？周末营业吗？), and most often only one of them is the bank's FAQ's;
the others are small talk (你们客服是真人吗), a complaint, or matters no entry answers. Read whole, every part's
words count against the entry the FAQ part asks about, and its confidence is diluted. So each part is also ranked
as a question of its own, and the reading most confident of its answer is the one kept: the whole message's,
unless a part alone is answered more confidently by the same entry. The right entry most often ranks first for the
whole already; a part that would switch it is not trusted (small talk can fit another entry by one word), and a
part the FAQ does not answer stays as unconfident alone as it was in the whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol, TypeVar

from oa_spec.gateway.faq.clauses import ASKING, QUESTION_MARKS
from oa_spec.gateway.faq.clauses import ENDS_ASKING as ENDS_ASKING_WORDS
from oa_spec.gateway.faq.normalize import basic

# a turn to another question, after a space or a punctuation mark (not 卡里还有多少钱: 还有 inside a clause); a
# bare 还有 after a comma is most often 'still' (卡挂失了，还有办法吗), only 还有就是, 还有个 and 还有你们 turn
TURNS = ("另外", "顺便", "順便", "顺带", "順帶", "对了", "對了", *(f"{also}{then}" for also in ("还有", "還有")
                                                             for then in ("就是", "个", "個", "一个", "一個", "你")))
# a question keeps its ?; after a sentence has ended, a bare 还有 turns too (…我要直接找他！还有我卡丢了怎么挂失)
_TURN = re.compile(r"(?:(?<=[?？])|[\s,，。!！;；、]+)\s*(?=(?:" + "|".join(TURNS) + "))"
                   r"|(?<=[?？!！。])\s*(?=还有|還有)")
# a question's number at the message's start or after a space or a mark (1.… 2.…; not 2.5%)
_NUMBER = re.compile(r"(?:^|[\s,，。!！?？;；])\s*[0-9０-９]\s*[.、．)）]\s*(?=[^\W\d_])")
# An angry customer asks why first, then what they need (你们为什么只能设六位密码？算了，忘记取款密码怎么重置？; 账单上
# 多了一笔是怎么回事？账单在哪查？): the why is a complaint, not a question of its own; what follows it is a part
_WHY = ("为什么", "为啥", "凭什么", "怎么回事", "咋回事", "为何")
_X_OR_NOT_X = re.compile(r"([^是])不\1")
MIN_PART_CHARS = 4  # shorter pieces (谢谢) ask nothing of their own
MAX_PARTS = 6  # the last ones asked: a message of a thousand turns is ranked at most this many times more
# A part read alone must ask (a question word of clauses.py, a question mark, a clause ending on 不 or 没): a part
# that tells (我前几天刚换了手机号，另外想开个户) is the story of the question after it, not a question of its own.
ENDS_ASKING = tuple(ENDS_ASKING_WORDS)


class _Judged(Protocol):
    @property
    def confidence(self) -> float: ...

    @property
    def entry(self) -> object: ...


R = TypeVar("R", bound=_Judged)


def parts_of(message: str) -> list[tuple[int, str]]:
    """The message's parts that ask, each with its place, when it asks several things (numbered or turned to),
    else []."""
    pieces = [p.strip() for chunk in _NUMBER.split(message) for turned in _TURN.split(chunk)
              for asked in _complaints_apart(turned) for p in _vented(asked)]
    pieces = [p for p in pieces if len(p) >= MIN_PART_CHARS]
    return ([(place, p) for place, p in enumerate(pieces) if _asks(p) and not _complains(p)][-MAX_PARTS:]
            if len(pieces) > 1 else [])


def _complaints_apart(text: str) -> list[str]:
    """The text cut after each question mark that ends a why asked (为什么…？), in one pass: a complaint apart from
    the question after it."""
    pieces, start, why = [], 0, False
    for position, char in enumerate(text):
        why = why or text.startswith(_WHY, position)
        if why and char in "?？" and text[position + 1:position + 2] not in ("?", "？", ""):
            pieces.append(text[start:position + 1])
            start, why = position + 1, False
    return [*pieces, text[start:]]


def _complains(piece: str) -> bool:
    """A why asked in complaint (为什么只开两个窗口？): never a part of its own."""
    return piece.endswith(("?", "？")) and any(why in piece for why in _WHY)


def _vented(piece: str) -> list[str]:
    """The question and the venting after it, apart (开户到底要带什么证件？上次白跑一趟，气死我了！): what follows the
    last question mark and asks nothing is no part of the question."""
    end = max(piece.rfind("?"), piece.rfind("？")) + 1
    tail = piece[end:].strip()
    return [piece[:end], tail] if end and tail and not _asks(tail) else [piece]


def _asks(part: str) -> bool:
    """The part asks a question of its own, read on its text (前几天, 好几次: 几 counting, not asking), or demands
    (把对方的信息给我！), or asks X不X (会不会一直冻着; not 是不是, a guess)."""
    part = re.sub(r"[前这过好]几", "", basic(part))  # 嗎, 幾 and 怎麼 read as 吗, 几 and 怎么
    return (any(word in part for word in ASKING) or not QUESTION_MARKS.isdisjoint(part)
            or part.rstrip("啊呀啦吧哈").endswith(ENDS_ASKING) or _X_OR_NOT_X.search(part) is not None
            or part.rstrip("!！。啊").endswith("给我"))


def best_reading(rank: Callable[[str], list[R]], message: str) -> list[R]:
    """The ranking of the whole message, or of the part that answers with the whole's top entry most
    confidently: the part lifts the confidence diluted by the others, it does not change the answer (a part of
    small talk alone, 你们周末推送能少发点吗, can fit another entry by one word), unless the whole found no answer
    at all (买房贷款现在利息几个点啊 另外…: the lexicon read 几个点 as 利率, and the clause, asking nothing left, went
    as the story set aside before 另外), or the part asked first (手机银行登陆不上去咋回事 另外你们app能开夜间模式吗:
    what comes after a turn is most often the small talk)."""
    whole = rank(message)
    best = whole
    for place, part in parts_of(message):
        ranked = rank(part)
        if ranked and whole and (ranked[0].entry == whole[0].entry or whole[0].confidence <= 0 or place == 0) and (
                ranked[0].confidence > best[0].confidence):
            best = ranked
    return best
