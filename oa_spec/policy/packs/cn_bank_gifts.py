"""cn-bank text finders for gifts given for a transaction (compliance.md §1a, §1b): a gift for buying a fund
or wealth product (fund.no-lottery-sales) and one for making a deposit (deposit.no-improper-inducement) are read
the same way, and whose rule it is follows the product the sentence is about.
"""

from __future__ import annotations

from oa_spec.policy.negation import clause_end, clause_start, in_quotation_marks, negated, sentence_bounds
from oa_spec.policy.packs.textkit import (
    claims,
    inside_ordinary_word,
    named_outside_a_warning,
    products_leaving_out,
    quoted,
)
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text, products_near
from oa_spec.policy.vocabulary import GIFT_CONDITIONS

# A gift for a transaction: the transaction, then in the same sentence what is given for it (申购本基金满5000元，
# 即享电影票两张; 存满3个月定期，即可领取四件套). Whose rule it is follows the product the sentence is about.
# (probe 120: money moved into a money fund buys it, 转入…到“薪金宝”货币基金)
_PURCHASE = Pattern(r"申购|认购|首购|新购|首投|购买|买入?|定投|扣款|持有|持仓|签约|份额确认|转入"
                    r"|(?<![a-z])buy(?![a-z])")
# (缴存 pays into a pension account; a balance kept, 日均余额达3万元, is a deposit made)
# (money brought in is deposited too: 新资金5万元以上放我们行满一年)
# (probe 167: or a balance kept, 活期余额保持五千元满一个月)
_DEPOSIT_ACT = Pattern(r"(?<!缴)存|转定期|定期|储蓄(?!卡)|新增资金|新资金|日均(?:余额|资产)|余额(?:达|满)"
                          r"|余额(?:保持|维持|不低于|不少于)(?:在)?(?:\d|[一二两三四五六七八九十几])"
                          r"|放(?:在|到|进)?(?:我们|咱们?|我|本)行|(?<![a-z])deposit"
                          # money moved here from another bank (他行资金转入本行) is a deposit brought in
                          r"|(?:他行|外行|跨行)资金[^,，;；。]{0,4}?(?:转入|转到|转进|迁入|存入)"
                          # a balance reached, 季末日均满5万
                          r"|日均(?:余额|资产)?(?:达到?|满|超过?|不低于)\d"
                          # probe 119: a pension moved here, more kept on the card for more (卡里放得越多拿得越多)
                          r"|(?:转到|转入|转进)(?:我们|咱们?|我|本)行|(?:卡里|卡上|账户里)(?:的钱)?放得?越多"
                          # a sum kept in the account (账户里留满1万)
                          r"|(?:卡里|卡上|账户里)(?:留|放|存)满?\d"
                          # probe 146: money kept here, or its balance raised (收款留在我行账户不提走, 专户沉淀资金,
                          # 日均余额提升满20万元)
                          r"|(?:留|沉淀)在?(?:我们|咱们?|我|本)行|沉淀(?:资金|满|达)|余额(?:提升|增加)"
                          # a term deposit opened by its term alone (今晚新开三年期)
                          r"|新开(?:一|二|两|三|五|\d)年期")


_NO_GIFT = ("无", "不设", "没有", "不含", "不提供", "不送", "无任何", "没有任何", "不设任何", "不提供任何")
# A gift its sentence says needs no purchase or deposit is given for something else; so is one for whoever comes,
# a deposit or no business at all (probe 127: 不管您是来存款取款还是只是路过，都能领两副).
_NOT_REQUIRED = Pattern(r"(?:无需|无须|不需要?|不用|不必)(?:购买|申购|认购|存款|办理|开户)"
                        r"|(?:不管|无论|不论)[^。!！?？]{0,16}?还是(?:只是|仅仅|单纯)?(?:路过|随便看看|来逛逛|来坐坐|不办业务)"
                        # (or said to have nothing to do with buying: 积分可换购文具，与是否购买基金无关)
                        r"|(?:与|和|跟)是否[^。!！?？]{0,12}?(?:均|都|完全|毫)?(?:无关|没有?关系|不挂钩)")
# The bank said to win no business with gifts (本行不以礼品吸揽存款): a gift word it quotes is irony, not an offer.
# (probe 174: or a list of means refused, 不以赠品、返现或抽奖吸收存款)
_GIFTS_REFUSED = Pattern(r"不(?:以|用|靠)(?:礼品|赠品|礼物|实物)[^,，;；。!?]{0,10}?(?:吸揽|揽收|招揽|吸收|揽储|拉)")
# The purchase said to win nothing (购买基金不能参与抽奖，也不赠送礼品；网点抽奖…; 不增加抽奖次数) leads to no
# later gift.
_GIFT_DENIED = Pattern(r"(?:不能|不可|无法|不得|不)(?:参与|参加|增加|提高)?抽奖"
                       r"|不(?:赠送|送)(?:任何)?(?:礼品|赠品|礼物)")
# A policy's or an annuity's payments on a schedule (第六年起可领取, 每月领取) are its benefits, not a gift.
_PAYOUT_SCHEDULE = Pattern(r"(?:第[\d一二三四五六七八九十]+个?(?:年|月|个月)|(?<!\d)\d+岁)(?:起|开始|后)"
                              r"|每年|每月|按年|按月")
# Nor is collecting one's own money (养老金领取, 领取本息).
_OWN_MONEY_WORDS = "养老金|退休金|工资|社保|公积金|本息|本金|利息"
# (到期本息一起领)
_OWN_MONEY = Pattern(rf"(?:{_OWN_MONEY_WORDS})(?:一起|一并|一次性|全部|都|按时|自动)?(?:可以?|能|就能)?$")
# (nor one's first pay, 刚领第一份工资)
_OWN_MONEY_AFTER = Pattern(rf"取?(?:第[一二三\d]份|首份|头一份|本月的?|当月的?|这个?月的?)?(?:{_OWN_MONEY_WORDS})")
# Nor one's own record of the account (probe 173: 领取一份电子版《年度定投账单》, 领取存款证明): a service, not a gift.
_OWN_RECORD = Pattern(r"取?(?:一份|一张)?(?:电子|纸质)?版?[《\"]?[^,，;；。!！?？]{0,10}?"
                      r"(?:账单|对账单|回单|凭证|存款证明|资产证明|收入证明|交易明细|收支明细|流水)")


def _gifts(t: Text, action: Pattern, products: tuple[str, ...]) -> list[Match]:
    out = []
    for m in claims(t, "fund_gifts"):
        if len(m.term) == 1 and inside_ordinary_word(t, m.start):
            continue
        if m.term.startswith("领") and (_PAYOUT_SCHEDULE.search(t.norm, clause_start(t.norm, m.start), m.start)
                                        or _OWN_MONEY.search(t.norm, max(0, m.start - 8), m.start)
                                        or _OWN_MONEY_AFTER.match(t.norm, m.end) or _OWN_RECORD.match(t.norm, m.end)):
            continue
        if t.norm.endswith(_NO_GIFT, 0, m.start):  # 基金定投无赠品、无抽奖
            continue
        if in_quotation_marks(t.norm, m.start) and t.has(_GIFTS_REFUSED):  # “送”您的只有利息…不以礼品吸揽存款
            continue
        lo, hi = sentence_bounds(t.norm, m.start)
        if _NOT_REQUIRED.search(t.norm, lo, hi):  # 现场赠送记账本，参加讲座无需购买基金
            continue
        until = hi if GIFT_CONDITIONS.search(t.norm, m.end, hi) else m.start
        # (a gift that answers a question about the transaction was asked for it: “我存二十万，有啥表示不？”“给您…”)
        asked = _asked_before(t.norm, lo)
        if asked == lo and lo > 1 and _CONSEQUENCE.match(t.norm, lo, m.start):  # the condition a sentence before
            asked = sentence_bounds(t.norm, lo - 2)[0]
        acted = any(not negated(t.norm, a.start()) and not _GIFT_DENIED.search(t.norm, a.end(), m.start)
                    for a in [*action.finditer(t.norm, asked, lo), *action.finditer(t.norm, lo, until)])
        # (the gift's own word names no product bought: 定投满3期，获得一次抽金条的资格 is the fund's; nor does
        # what is given, 认购满五万，送您一份意外险: a policy given away is no policy sold)
        given = products_leaving_out(t, m.start, clause_end(t.norm, m.end, min(len(t.norm), m.end + 12)))
        if acted and (not products or (products_near(t, m.start) | products_leaving_out(t, m.start, m.end)
                                       | given) & set(products)):
            out.append(m)
    return out


# A reward whose condition a full stop split off (购买金额达到一万元。次月即可收到一笔现金奖励) follows from it: the
# reward's sentence opens with the consequence (完成本课学习即可领取 has a condition of its own).
_CONSEQUENCE = Pattern(r"[^,，;；。!！?？]{0,4}?(?:即可|便可|就可以?|就能|即能|即享|均可)")
# What a question asks to be given (有啥表示, 送什么, 有没有礼品, 有好处吗).
_ASKS_FOR_GIFT = Pattern(r"表示|好处|福利|礼|赠|奖励|(?:送|给|返)(?:啥|什么|点|些|不|吗|么)")
_ASKER = Pattern(r"我(?!们|行)")
_TO_THE_ASKER = Pattern(r"(?:给|送|为|帮|补)(?:您|你)")


def _asked_before(norm: str, lo: int) -> int:
    """Where the question just before the sentence at `lo` begins, when it asks what is given; else `lo`."""
    end = lo
    while end > 0 and norm[end - 1] in "\"'“”‘’ ":
        end -= 1
    if end == 0 or norm[end - 1] not in "?？":
        return lo
    # (the customer asks of their own deposit, 我存…, and the answer gives to them, 给您…)
    start = sentence_bounds(norm, end - 1)[0]
    asks = _ASKS_FOR_GIFT.search(norm, start, end) and _ASKER.search(norm, start, end)
    return start if asks and _TO_THE_ASKER.search(norm, lo, sentence_bounds(norm, lo)[1]) else lo


def fund_lottery(t: Text) -> list[str]:
    """Gifts for buying a fund or wealth product; a gift for a deposit is deposit.no-improper-inducement's."""
    if not named_outside_a_warning(t, "fund", "wealth"):  # a gift for buying is itself the offer
        return []
    found = _gifts(t, _PURCHASE, ("fund", "wealth"))
    return quoted(t, [m for m in found if "deposit" not in products_near(t, m.start)])

# A deposit is made (存满3个月定期) or, as a certificate of deposit, bought (购买大额存单满30万元).
_DEPOSIT_OR_PURCHASE = Pattern(f"{_DEPOSIT_ACT.pattern}|{_PURCHASE.pattern}")


# Money paid into a pension account (个人养老金账户开户并缴存满1000元) is money the bank takes in as well.
_PENSION_ACCOUNT = Pattern(r"养老金(?:资金)?账户")
_PENSION_PAYIN = Pattern(r"缴存|存入")


def deposit_inducement(t: Text) -> list[str]:
    found = _gifts(t, _DEPOSIT_OR_PURCHASE, ("deposit",)) if named_outside_a_warning(t, "deposit") else []
    if not found and not t.contexts.education and t.has(_PENSION_ACCOUNT):
        # (what a pension account pays out is collected, 领取时按3%税率计税: only a thing given counts)
        found = [m for m in _gifts(t, _PENSION_PAYIN, ()) if not m.term.startswith("领")]
    return quoted(t, found)
