"""Asking for someone else: whether the customer may do it for them, or mix their own thing with the other's.

Customers ask for a parent, a spouse, a child (帮我爸问下，他的卡丢了咋挂失): who the card belongs to does not change
what is asked, and the entry about a lost card answers. Two families of wordings do change it:
- asking leave to act in the other's place (他的信用卡我能替他激活吗, 风险测评我能替他做吗, 能不能帮我把我儿子的卡冻结,
  能给她调高额度吗): the act 代办, which only an entry that says who must come (本人, act_kin.tsv) answers; a how
  question (帮我妈看看卡里还有多少钱，哪里能查) or money sent to them (给我妈转账可以吗) is no such leave;
- the customer's own thing joined to the other's (我妈的卡能绑在我的微信上吗, 我妈卡上的动账短信能发到我手机上吗, 在
  我自己的手机银行里看我妈那张卡的余额) or used for them (我自己的购汇额度能帮我女儿换美元吗): another person's card on
  the customer's channel, 他人名下 (acts.txt), which no entry answers.
The act is added to the clause that asks it, so it counts where that clause counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from oa_spec.gateway.faq.clauses import CLAUSE_BREAKS
from oa_spec.gateway.faq.data import persons

Analysed = list[tuple[str, tuple[str, ...]]]
AGENT_ACT, OTHERS_ACT = "代办", "他人名下"
# leave asked (能, 可以, 行不行), not a way (怎么, 哪里, 多少: how to do it for them is answered as it is for oneself)
LEAVE = re.compile(r"能|可以|可不可以|行不行|行吗|行不|成吗|允许|中不中")
HOW = re.compile(r"怎么|咋|如何|哪|什么|啥|多少|多久|几")
# money sent, repaid or paid to the other (给我妈转账, 帮我妈还信用卡): they are its far end, not whose act it is
MONEY = re.compile(r"转|(?<![购结])汇|还款|还钱|打钱|付")  # not 购汇, buying currency
# 帮我爸问下, 替我妈咨询, 能帮她看吗: asking or looking for them, not acting in their place
ASKING_FOR = ("问", "咨询", "打听", "了解", "看")
OWN = re.compile(r"我自己的|我(?:自己)?的?(?:手机银行|手机|微信|账户|银行卡|额度|号码|名下)")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    person = "|".join(re.escape(p) for p in sorted(persons(), key=lambda p: (-len(p), p)))
    # 替他, 帮我妈, 代她, 给她 ...; and 帮我把我儿子的卡 (the other's card acted on)
    # (not 发给他们, 寄给她: whom a thing is sent to)
    # not 帮 before the person: 能帮我爸预约吗 asks the bank to help, and 我能帮我太太申请吗 is answered as for oneself
    agent = re.compile(rf"(?:替|代|(?<![发寄送转交递传借])给)我?(?:{person})(?!{'|'.join(ASKING_FOR)})"
                       rf"|(?:帮|替)我把我?(?:{person})的"
                       # the other going in the customer's place (能让我老公去办吗, 我儿子能代我去取吗)
                       rf"|(?:让|叫)我?(?:{person})(?:去|来|代|替)|(?:替|代)我(?:去|来|办|取|领|签)")
    # the other's thing (我妈的卡, 她那张), or the other the customer's own thing is used for (用我的额度帮我女儿换)
    other = re.compile(rf"(?:{person})(?:的|那张|这张|卡|银行卡|信用卡|账户|手机银行|名下)|(?:帮|给)我?(?:{person})")
    return agent, other


def on_behalf(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> Analysed:
    """The analysed words with 代办 added to a clause that asks leave to act for someone else, and 他人名下 to the
    clause that joins the customer's own thing to another person's."""
    agent, other = _patterns()
    whole = "".join(word for word, _ in analysed)
    mixed = bool(OWN.search(whole)) and bool(other.search(whole)) and not MONEY.search(whole)
    out: Analysed = []
    clause: Analysed = []
    for item in [*analysed, ("", ())]:
        if item[0] and item[0] not in CLAUSE_BREAKS:
            clause.append(item)
            continue
        text = "".join(word for word, _ in clause)
        out.extend(clause)
        if agent.search(text) and LEAVE.search(text) and not HOW.search(text) and not MONEY.search(text):
            out.append((AGENT_ACT, ()))
        if mixed and OWN.search(text):
            out.append((OTHERS_ACT, ()))
        if item[0]:
            out.append(item)
        clause = []
    return out
