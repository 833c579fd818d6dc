"""Another bank's own credit card, named as the thing asked about (别家银行的信用卡能在你们手机银行上还吗).

Another bank said unnamed (他行, 别的银行: the lexicon's 跨行) with a card is where money comes from when the message
repays with it (用别的银行的卡还信用卡: in scope, the repay answer names 他行转账 as a way). Said right before 信用卡
(跨行的信用卡), it owns the credit card being repaid: that card's bill is the other bank's, which no answer here
tells. It counts as a banking word no FAQ question uses (ranker.py's uncovered words), whatever the answer names.
"""

from __future__ import annotations

from collections.abc import Sequence

from oa_spec.gateway.faq.data import other_banks

ANOTHER_BANK = "跨行"
OWNED = "信用卡"
ANOTHER_BANKS_CARD = "他行信用卡"


def others_cards(analysed: Sequence[tuple[str, tuple[str, ...]]], asked: set[str]) -> set[str]:
    """{他行信用卡} when 跨行 (的) 信用卡 is said where it is asked; else nothing."""
    if ANOTHER_BANK not in asked:
        return set()
    words = [word for word, _ in analysed]
    owned = any(word == ANOTHER_BANK and [w for w in words[i + 1:i + 3] if w != "的"][:1] == [OWNED]
                for i, word in enumerate(words))
    return {ANOTHER_BANKS_CARD} if owned else set()


def banks_apart(tokens: list[str]) -> list[str]:
    """Another bank's name cut into its card (工商 银行卡 丢, 中国 银行卡: the segmenter takes 银行卡 before a single
    character) is the bank and its card: 工商银行 卡."""
    out: list[str] = []
    for token in tokens:
        if token == "银行卡" and out and out[-1] + "银行" in other_banks():
            out[-1] += "银行"
            out.append("卡")
        else:
            out.append(token)
    return out


# Money sent to or received from another bank: that bank's name is where the money went, not the topic,
# when it is the far end of the move: its card or account (农行卡), or after to/from (转到农行, 从建行).
# Named before its own service (工行跨行转账收费吗), it is the other bank's service, out of scope. Wu's 个 is 的 there
# (伊是农行个卡). So is the card a bill is repaid from (能用建行卡还么: the repay answer names 他行转账).
MONEY_MOVES = frozenset({"转账", "汇款", "到账", "跨行", "收款", "入账", "还款"})
FAR_END_BEFORE = frozenset({"到", "给", "往", "从", "向", "自", "进"})
FAR_END_AFTER = frozenset({"银行卡", "账户"})


def far_end_banks(analysed: Sequence[tuple[str, tuple[str, ...]]], others: frozenset[str]) -> set[str]:
    """The other banks named as the far end of a transfer: 农行卡, 农行的账户, 转到农行, 从建行."""
    words = [word for word, _ in analysed]
    found = set()
    for position, word in enumerate(words):
        before = words[position - 1] if position else ""
        after = [w for w in words[position + 1:position + 3] if w not in ("的", "个")][:1]
        if word in others and (before in FAR_END_BEFORE or (after and after[0] in FAR_END_AFTER)):
            found.add(word)
    return found
