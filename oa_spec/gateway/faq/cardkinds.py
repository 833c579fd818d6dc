"""A debit card named as such (储蓄卡, 借记卡) is not a credit card.

The lexicon reads every kind of bank card as 银行卡, which a credit-card question's answer names in passing (还款
from one): a customer who names a debit card, and no credit card anywhere, asks about the debit card, and an entry
whose every question is about a credit card answers it only by a substitution (储蓄卡每年要扣年费吗 is not how the
credit card's annual fee is charged). A debit card told with a credit card (用储蓄卡还信用卡) is where money comes
from, and changes nothing.
"""

from __future__ import annotations

DEBIT = ("储蓄卡", "借记卡", "扣账卡", "debit card")
CREDIT = ("信用卡", "贷记卡", "准贷记卡", "credit card", "信用咭")
CREDIT_TERM = "信用卡"


def debit_only(text: str) -> bool:
    """The text (after basic()) names a debit card and no credit card."""
    return any(word in text for word in DEBIT) and not any(word in text for word in CREDIT)
