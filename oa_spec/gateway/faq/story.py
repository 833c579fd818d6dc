"""The story told around a question about the bank's own thing: the sentences before it that end in a full stop
and ask nothing (上周陪我爸去社保局领了社保卡，回来想用它取养老金。老人的社保卡金融功能要去哪里激活?). Another domain
named there (养老金, 网贷) is background when the question names a banking thing of its own (社保卡, 账户): the ranker
counts it as an unknown word told, not as an outside word that vetoes the answer. A question that names none
(我的支付宝被冻结了。你们能帮我解冻吗?) asks about the story's thing; a clause ended by a comma is no story told
apart (我的工商银行卡丢了，你们能帮我挂失吗); nor is a fragment after the question (医院还在催)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from oa_spec.gateway.faq.clauses import clauses_of

SENTENCE_ENDS = frozenset({"。", "!", "！"})
QUESTION_ENDS = frozenset({"?", "？"})


def told_sentences(analysed: Sequence[tuple[str, tuple[str, ...]]], asked: Collection[str],
                   things: Collection[str]) -> set[str]:
    """The content words of the sentences that end in a full stop and ask nothing, and are not `asked`, when
    the words asked name one of the banking `things`; else none."""
    if not any(word in things for word in asked):
        return set()
    told: set[str] = set()
    sentence: list[tuple[str, tuple[str, ...]]] = []
    for item in analysed:
        if item[0] in SENTENCE_ENDS and not any(asks for _, asks in clauses_of(sentence)):
            told |= {word for words, _ in clauses_of(sentence) for word in words}
        if item[0] in SENTENCE_ENDS or item[0] in QUESTION_ENDS:
            sentence = []
        else:
            sentence.append(item)
    return told - set(asked)
