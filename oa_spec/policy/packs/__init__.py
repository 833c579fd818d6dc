"""The built-in rule packs, by name. `core` always runs; others run when `policies.packs` names them."""

from __future__ import annotations

from oa_spec.policy.packs import cn_bank_spec, cn_bank_text, core
from oa_spec.policy.rules import Pack, Rule

BUILTIN_PACKS: dict[str, Pack] = {
    "core": Pack("core", "Platform facts, module structure, content cadence and waiver checks (always on).",
                 core.RULES + core.META, always_on=True),
    "cn-bank": Pack("cn-bank", "Chinese banking: financial marketing, Advertising Law, personal information, "
                    "WeChat platform rules and content operations (compliance.md).",
                    cn_bank_text.RULES + cn_bank_spec.RULES),
}
META_RULES: dict[str, Rule] = {r.id: r for r in core.META}


def builtin_rules() -> dict[str, Rule]:
    """Every built-in rule by id, in pack order."""
    rules: dict[str, Rule] = {}
    for pack in BUILTIN_PACKS.values():
        for rule in pack.rules:
            if rule.id in rules:
                raise ValueError(f"rule id {rule.id} is defined twice")
            rules[rule.id] = rule
    return rules
