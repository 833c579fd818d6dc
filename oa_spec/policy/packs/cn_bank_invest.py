"""cn-bank text finder for investment-return promotion outside the wealth and fund rules (compliance.md §1e,
ad.investment-risk-warning): precious metals and foreign exchange must warn of the risk and who bears it.

Only an investment is read: gold that is a loan's collateral, gold bought as goods (a festive bar delivered, a
bar bought in the bank's mall), and currency deposited or bought to pay a bill abroad are not.
"""

from __future__ import annotations

from oa_spec.policy.packs.textkit import in_promo
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Text

# 广告法 art. 25: any promotion of an investment return warns of the risk and who bears it.
# (a price said to move and a return not promised, then prudence urged, is the same warning in other words;
# so are gains and losses said to be the investor's own, 外汇买卖有风险，盈亏自负: probe 114)
_RISK_WARNING = Pattern(r"(?:风险|亏损|损失|波动|不保证|盈亏)[^。!！?？]{0,30}(?:谨慎|审慎|理性|自担|承担|自负)"
                        r"|(?:谨慎|审慎|自行承担|自担)[^。!！?？]{0,8}(?:风险|投资|决策)"
                        r"|可能(?:上涨也可能)?(?:会)?(?:产生|造成|带来|出现|导致)?(?:下跌|亏损|损失)|不(?:能)?保证(?:盈利|收益|本金)"
                        # probe 172: a price that may come back below what was paid (回购价…可能低于您的购买价格)
                        r"|可能(?:会)?低于[^。!！?？]{0,8}?(?:购买|买入|成本|本金)")

NO_ADVICE = Pattern(r"不(?:构成|作为|代表)(?:任何|对[^。!！?？]{0,10}?的)?投资建议")


def investment_risk_warning(t: Text) -> list[str]:
    if not in_promo(t, "metal", "fx") or t.has(_RISK_WARNING):
        return []
    if not t.contexts.call and not t.has(_GAIN) and not t.has(_OFFERED):  # a notice, a history, a lesson
        return []
    if in_promo(t, "metal") and not in_promo(t, "fx") and _metal_not_invested(t):
        return []
    if not t.contexts.call and t.has(NO_ADVICE):  # a market review that advises nothing sells nothing
        return []
    # currency bought to pay a bill abroad (购汇汇款交海外学费) is a payment, and one kept in a term deposit
    # (美元存入满1万并存满一年) a deposit: neither is an investment
    if (not in_promo(t, "metal") and (t.has(_FX_FOR_USE) or "deposit" in t.contexts.subjects)
            and not t.has(_FX_INVESTED)):
        return []
    return ["贵金属/外汇等投资宣传缺少风险及责任承担提示（如：投资有风险，请谨慎决策，风险自担）"]


# an FX account opened to receive export proceeds (开立外汇账户、名录登记) is banking, not an investment
# (probe 170: or cash carried abroad for a trip, 出境最多可携带等值5000美元的外币现钞)
_FX_FOR_USE = Pattern(r"购汇汇款|跨境汇款|境外汇款|汇款|学费|留学|便利化额度|结汇|外汇账户|收汇|名录登记"
                      r"|携带|现钞|出境|旅行|旅游")
_FX_INVESTED = Pattern(r"外汇宝|外币理财|汇率走势|炒汇|外汇交易|双向交易|挂单|点差|收益|赚|行情")


def _metal_not_invested(t: Text) -> bool:
    """Gold pledged for a loan (积存金质押贷, 押一根金条就能借) is the loan's collateral; gold bought as goods and said
    nothing of as an investment (贺岁金条送到家, 用信用卡购买金条享免息期) is a purchase."""
    if "loan" in t.contexts.subjects and t.has(_PLEDGED):
        return True
    return t.has(_METAL_GOODS) and not t.without(_METAL_KIND).has(_METAL_INVESTED)


# probe 172: a text that calls for nothing promotes an investment return only by speaking of one (a gain, a rise,
# the moment to buy) or by offering the product (1克起购, 业务上线); a suspension notice (积存金暂停买卖), a branch's
# history (首批开办积存金业务) and a lesson on what to do when prices fall do neither
_GAIN = Pattern(r"收益|回报|赚|涨|升值|增值|保值|利润|差价|汇差|点差|值钱|划算|正当时|时机|上车|入手|布局|抄底|低位"
                r"|机会|长大|翻倍|翻番|翻了|上行|走高|向上|向好|上升")
_OFFERED = Pattern(r"克起|起(?:购|存|投|买|售|攒)|上线|上新|开放(?:预约|认购|购买|申购)|开户|开通|预约")
# a kind of bar or coin named (投资金条, as against 工艺金条) is goods: what the text says of it makes it an investment
_METAL_KIND = Pattern(r"投资(?:金条|金币|银条|银币)")
_PLEDGED = Pattern(r"质押|抵押|押(?:给|上|一|在)")
_METAL_GOODS = Pattern(r"金条|金饰|金币|银币|银章|纪念币|首饰|礼盒|贺岁|生肖|金豆|商城")
_METAL_INVESTED = Pattern(r"投资|收益|回报|涨|跌|升值|保值|增值|行情|金价|价格|积存|定投|赚|理财|走势|配置|避险"
                          r"|克价|溢价|资产|财富|储备|通胀|持仓|时机|低位|高位|上车|布局|攒金|囤金|存金")
