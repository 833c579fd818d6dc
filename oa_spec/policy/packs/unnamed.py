"""A promise made of a product the text never names (compliance.md §0.3, §1a, §1c).

Chat replies and group messages often drop the product's name (本金我们行兜着，收益算您的; 您的钱只会变多不会变少;
这款R2产品期期达到业绩比较基准上限): no wealth, fund or insurance word, yet what is promised is an investment's
return, told by its seller. Such a text names no financial product at all, warns of nothing, and speaks of
investing itself (投资, 投研, 业绩比较基准, an investment's 封闭期, 持有期 or 净值, a risk grade R1-R5, a
principal beside a return, 认购/申购).
So with credit: a customer-service reply (这笔钱您先拿去用，到期还不上也不要紧; 系统自动审批…几乎百分百通过) that
never says 贷款 still offers a loan when it speaks of approval, interest, a limit, borrowing or repaying.
"""

from __future__ import annotations

from oa_spec.policy.negation import asked_by_customer, in_quotation_marks
from oa_spec.policy.packs import cn_bank_credit as credit
from oa_spec.policy.packs.textkit import claims, quoted
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text
from oa_spec.policy.vocabulary import FINANCIAL, FRAUD_FRAME, PERCENT

_INVESTING = Pattern(r"投资|投研|业绩比较基准|封闭期|持有期|净值|(?<![a-z])r[1-5](?![0-9])|认购|申购"  # (r2: lower)
                     r"|本金[^。!！?？]{0,12}?收益|收益[^。!！?？]{0,12}?本金"
                     r"|增值(?!服务|税|业务|权益|特权)"  # money said to grow (稳稳增值; not 增值服务, 增值税)
                     # money left with the seller to grow, or bought as a kind (你的钱放我们这只会多不会少, 这个稳健款)
                     r"|钱放(?:在)?(?:我们|咱|这儿?|这里)|(?:稳健|进取|平衡|固收)款")
# ... and the seller speaks, of itself or to the reader (您, 你), or calls (a quiz listing 收益有保障 as a
# violation does none)
_SELLER = Pattern(r"我们|咱|我行|本行|您|你|这款|这只|这个|这份|这支|本产品"
                  r"|(?:家人们|宝子们|老铁们)(?!问|在问|常问)")  # (a host to the audience: 家人们自己算算)
_GAINED = Pattern(r"收益|回报|赚|增值|投资|理财|值得配置|配置价值")  # (not 账户: 冻结相关账户 is no gain)
# (money lent, not a thing: 共享雨伞人人可借 lends an umbrella; 黑户, 白户 are borrowers by their credit record)
_LENDING = Pattern(r"审批|利息|额度|借钱|借款|借给|放款|征信|黑户|白户|还款|还不上|下款"
                  # (or money lacking, or a debt overdue: 装机钱不够？找我们，包过; 手头紧, 周转一下; 逾期几天没事)
                  r"|钱不够|缺钱|手头紧|周转|先花后还|逾期|催收"
                  r"|钱(?:就|立马|马上|立刻)(?:进卡|到卡|下来)")  # (money landing on the card once applied for)


# attack 69 F7: the bank's product pointed at without its kind (本产品稳赚不赔, 本行这款产品保本保息，年化4%) is
# sold, and what is promised of it is an investment's return when the promise is of money or a rate is quoted.
_POINTED_AT = Pattern(r"(?:本|这款|该款|此款|这个|该|此|我行|本行|我们的?)(?:款|期|只|支)?产品")
_MONEY_PROMISED = Pattern(r"赚|[本息]|收益|回报|亏|赔|兑付|分红|\d%")


def guarantee(t: Text, found: list[Match]) -> list[str]:
    """The promises in `found` when `t` names no financial product but is plainly about investing, or about
    the bank's product pointed at, promised money."""
    said = _said(t, found, _INVESTING)
    if said or not t.has(_POINTED_AT):
        return said
    return _said(t, [m for m in found if _MONEY_PROMISED.search(m.term) or t.has(PERCENT)], _POINTED_AT)


def testimonial(t: Text, found: list[Match]) -> list[str]:
    """A customer's gain told of a product never named, in a text that calls the reader to buy
    (“我妈买了三年…收益比定期高一截”——来自一位客户的留言。欢迎选购)."""
    return _said(t, found, _GAINED) if t.contexts.call else []


def loan_misleading(t: Text) -> list[str]:
    """loan.misleading-terms: those of a named loan, else those of a loan offered without its name."""
    found = credit.loan_misleading(t)
    if found:
        return found
    terms = claims(t, "loan_misleading", inner=False)
    return _said(t, [m for m in terms if not asked_by_customer(t.norm, m.start)], _LENDING)


def _said(t: Text, found: list[Match], topic: Pattern) -> list[str]:
    if not found or t.contexts.education or t.contexts.subjects & FINANCIAL or t.has(FRAUD_FRAME):
        return []
    if not t.has(topic) or not (t.has(_SELLER) or t.contexts.call):
        return []
    return quoted(t, [m for m in found if not in_quotation_marks(t.norm, m.start) and not _in_a_title(t.norm, m.start)])


def _in_a_title(norm: str, start: int) -> bool:
    """Inside 《…》: a book's or a talk's title (《躺赚是个伪命题》) promises nothing."""
    return norm.rfind("《", 0, start) > norm.rfind("》", 0, start)
