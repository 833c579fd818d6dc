"""Words of the CALLS list that, where they stand, call for nothing: text.analyse asks `generic_call`.

A call word that begins a generic phrase (办理指南, 认购时: vocabulary.GENERIC_CALLS) names the act without asking
for it. Money to be paid into the customer's own account, named by its tail number or as the repayment account
(请于12月20日前存入惠农卡尾号5321账户), settles a bill: a notice's instruction, not a call to deposit. What an
account may buy, listed by kind (个人养老金资金账户可购买储蓄存款、理财产品、商业养老保险和公募基金), states a rule:
it sells none of them. Nor does a purchase said to win nothing (购买基金不能参与抽奖, 申购基金不增加抽奖机会): it
states a rule.
"""

from __future__ import annotations

from oa_spec.policy.patterns import Pattern
from oa_spec.policy.vocabulary import GENERIC_CALLS

_OWN_ACCOUNT_PAYMENT = Pattern(r"存入[^,，;；。!！?？]{0,10}?(?:尾号\d{3,4}|还款账户|还款卡|扣款账户)")
_KIND = r"(?:存款|理财|基金|保险|国债)"
_KINDS_LISTED = Pattern(rf"购买[^,，;；。!！?？]{{0,12}}?{_KIND}[^,，;；。!！?？]{{0,10}}?[、和及]"
                        rf"[^,，;；。!！?？]{{0,12}}?{_KIND}[^,，;；。!！?？]{{0,10}}?[、和及][^,，;；。!！?？]{{0,12}}?{_KIND}")

# (probe 173: nor adds a chance to win, 申购基金、存款均不增加抽奖机会)
_WINS_NOTHING = Pattern(r"(?:购买|申购|认购)[^,，;；。!！?？]{1,10}?(?:均|都|并|也)?(?:不能|不可|无法|不会|不得|不)"
                        r"(?:参与|参加|获得|享受|领取|获赠|增加|提高)")


def generic_call(norm: str, start: int) -> bool:
    """The call word at `start` asks for nothing: a generic phrase, or a payment into one's own account."""
    return (norm.startswith(GENERIC_CALLS, start) or bool(_OWN_ACCOUNT_PAYMENT.match(norm, start))
            or bool(_KINDS_LISTED.match(norm, start)) or bool(_WINS_NOTHING.match(norm, start)))
