"""A wealth product named by its own marks rather than its name: text.analyse asks `marked_wealth`.

理财非存款 beside a call names the wealth product it warns about (…认购。理财非存款…). So do the marks only a
wealth product's sale carries together, its benchmark and its risk level (“季享”第9期今日发售，风险等级R2，
业绩比较基准2.6%-3.2%), where no fund or policy, which carry them too, is named.
"""

from __future__ import annotations

from oa_spec.policy.patterns import Pattern

_RISK_LEVEL = Pattern(r"风险等级[:：]?\s*r[1-5](?!\d)")
_OTHER_INVESTMENTS = Pattern(r"基金|保险|寿险|人寿|黄金|贵金属|外汇|债券|股票|信托|资管计划")


# (a product pointed at rather than called: 本产品, 放进“…”, R2这只)
_POINTED = Pattern(r'(?:本|这款|该|此)(?:[^,;。!?"]{1,8}?的)?产品|(?:放[在进到入]|转入|买入?)"[^"]{2,8}"'
                   r'|买了就|成立以来|(?<![a-z\d])r[1-5](?:[\s|]*理财非存款|的?[这那该此][只款支])')  # (R2这只)


def marked_wealth(norm: str, call: bool | None = None) -> bool:
    """`norm` carries a wealth product's own warning, or its benchmark and risk level with no other investment;
    given `call`, beside a call or a product pointed at (a text's wealth product named by its marks)."""
    marked = "理财非存款" in norm or ("业绩比较基准" in norm and _RISK_LEVEL.search(norm) is not None
                                      and _OTHER_INVESTMENTS.search(norm) is None)
    return marked and (call is None or call or _POINTED.search(norm) is not None)
