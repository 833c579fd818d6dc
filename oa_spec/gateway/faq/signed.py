"""Chinese Sign Language written sign by sign: pieces apart make one clause.

Deaf and hard-of-hearing customers often write in the grammar of Chinese Sign Language: the topic or object
first, then the action, the question word at the very end, few function words, each sign a piece of its own
(卡 丢 怎么办, 转账 到 多久, 去 不, 收到 没有). A space there parts signs, not clauses: the question word at the end
asks about the words before it, and a verb followed by 不 or 没有 ends the clause asking (clauses.py). A run of
pieces reads as signed when one of them is a single character and none is longer than a short word; voice
input's spaces part longer clauses (卡掉了咋整 快帮我锁住), and a search box's keywords (春节 网点 营业, 他行卡 余额
查询) are words of two or more characters, each asked. The signs are run together and cut again (工商 银行 卡 丢:
another bank's card, elsewhere.py).
"""

from __future__ import annotations

import re

_PIECE = r"[\u4e00-\u9fff0-9]+"
_RUN = re.compile(rf"(?<![\u4e00-\u9fff0-9a-z]){_PIECE}(?:[ \t\u3000]+{_PIECE})+(?![\u4e00-\u9fff0-9a-z])")
LONGEST_SIGN = 4  # 怎么办, 银行卡, 什么时候: a sign glossed as one word
# a question word signed last asks about the signs before it, whatever their length (挂失 怎么, 利率 多少)
ASKED_LAST = frozenset({"怎么", "怎么办", "怎样", "如何", "多久", "多少", "哪里", "哪儿", "什么", "什么时候", "几",
                        "吗", "谁", "咋办", "咋整", "能吗", "可以吗"})


def _signed(run: str) -> bool:
    pieces = run.split()
    return _short(pieces) and (
        pieces[-1] in ASKED_LAST or any(len(piece) == 1 and not piece.isdigit() for piece in pieces))


def signs(text: str) -> bool:
    """The text (after basic()) has a run of pieces that reads as signed."""
    return any(_signed(m[0]) for m in _RUN.finditer(text))


def signed_joined(text: str) -> str:
    """The text with the spaces inside a signed run (卡 丢 怎么办) taken out: one clause. A customer who signs one
    clause signs them all: once one run reads as signed, every run of short pieces does (支付宝 账户 冻结, 解 怎么:
    the app's account)."""
    runs = [m[0] for m in _RUN.finditer(text)]
    if not any(_signed(run) for run in runs):
        return text
    return _RUN.sub(lambda m: "".join(m[0].split()) if _short(m[0].split()) else m[0], text)


def _short(pieces: list[str]) -> bool:
    return max(len(piece) for piece in pieces) <= LONGEST_SIGN
