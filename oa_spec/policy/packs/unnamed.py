"""A promise made of a product the text never names (compliance.md §0.3, §1a).

Chat replies and group messages often drop the product's name (本金我们行兜着，收益算您的; 您的钱只会变多不会变少;
这款R2产品期期达到业绩比较基准上限): no wealth, fund or insurance word, yet what is promised is an investment's
return, told by its seller. Such a text names no financial product at all, warns of nothing, and speaks of
investing itself (投资, 投研, 业绩比较基准, a risk grade R1-R5, a principal beside a return, 认购/申购).
"""

from __future__ import annotations

from oa_spec.policy.negation import in_quotation_marks
from oa_spec.policy.packs.textkit import quoted
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Match, Text
from oa_spec.policy.vocabulary import FINANCIAL, FRAUD_FRAME

_INVESTING = Pattern(r"投资|投研|业绩比较基准|(?<![A-Za-z])R[1-5](?![0-9])|认购|申购"
                     r"|本金[^。!！?？]{0,12}?收益|收益[^。!！?？]{0,12}?本金")
# ... and the seller speaks, of itself or to the reader (a quiz listing 收益有保障 as a violation speaks as neither)
_SELLER = Pattern(r"我们|咱|我行|本行|您|这款|这只|本产品")


def of_an_unnamed_investment(t: Text, found: list[Match]) -> list[str]:
    """The promises in `found` when `t` names no financial product but is plainly about investing."""
    if not found or t.contexts.education or t.contexts.subjects & FINANCIAL or t.has(FRAUD_FRAME):
        return []
    if not t.has(_INVESTING) or not t.has(_SELLER):
        return []
    return quoted(t, [m for m in found if not in_quotation_marks(t.norm, m.start) and not _in_a_title(t.norm, m.start)])


def _in_a_title(norm: str, start: int) -> bool:
    """Inside 《…》: a book's or a talk's title (《躺赚是个伪命题》) promises nothing."""
    return norm.rfind("《", 0, start) > norm.rfind("》", 0, start)
