"""The built-in rule packs, by name. `core` always runs; others run when `policies.packs` names them."""

from __future__ import annotations

import dataclasses

from oa_spec.policy.packs import cn_bank_spec, cn_bank_text, core, core_targets
from oa_spec.policy.rules import Pack, Rule
from oa_spec.util.yamlio import load_packaged

# Rules whose findings a regulator treats as a breach of the consumer's rights, not a style question:
# personal data, return guarantees, loan pricing and mandatory disclaimers. Their waivers are narrow
# (an exact target) and short (policies.settings.waiver_max_days, default one year).
REGULATED = frozenset({
    "pii.sensitive-consent", "pii.privacy-notice", "pii.url-personal-data", "pii.no-credential-solicitation",
    "pii.card-masking", "pii.minimisation", "pii.openid-in-url", "pii.oauth-scope",
    "wealth.no-guaranteed-return", "wealth.not-deposit", "deposit.insurance-wording", "fund.no-forecast",
    "loan.apr-disclosure", "loan.apr-method", "loan.total-cost", "card.apr-display",
    "wealth.risk-disclaimer", "fund.risk-disclaimer", "deposit.structured-disclaimer",
    "wealth.past-performance-disclaimer", "wealth.benchmark-not-promise",
})


def _fixes() -> dict[str, str]:
    loaded = load_packaged("oa_spec.policy", "data/fixes.yaml")
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


FIXES = _fixes()


def _marked(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(dataclasses.replace(r, regulated=r.id in REGULATED, fix=r.fix or FIXES.get(r.id, "")) for r in rules)


BUILTIN_PACKS: dict[str, Pack] = {
    "core": Pack("core", "Platform facts, module structure, content cadence and waiver checks (always on).",
                 _marked(core.RULES + core_targets.RULES + core.META), always_on=True),
    "cn-bank": Pack("cn-bank", "Chinese banking: financial marketing, Advertising Law, personal information, "
                    "WeChat platform rules and content operations (compliance.md).",
                    _marked(cn_bank_text.RULES + cn_bank_spec.RULES)),
}
META_RULES: dict[str, Rule] = {r.id: r for r in BUILTIN_PACKS["core"].rules if r.id.startswith("policy.")}


def builtin_rules() -> dict[str, Rule]:
    """Every built-in rule by id, in pack order."""
    rules: dict[str, Rule] = {}
    for pack in BUILTIN_PACKS.values():
        for rule in pack.rules:
            if rule.id in rules:
                raise ValueError(f"rule id {rule.id} is defined twice")
            rules[rule.id] = rule
    return rules


_missing = REGULATED - set(builtin_rules())
if _missing:  # a renamed rule must not silently lose its waiver limits
    raise ValueError(f"REGULATED names unknown rules: {', '.join(sorted(_missing))}")
