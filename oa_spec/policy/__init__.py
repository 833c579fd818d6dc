"""Compliance as code: the policy engine, the built-in rule packs, the spec's own rules and waivers.

    report = evaluate(spec, compile_spec(spec), Locator(loaded.data), today)
    report.blocking            # apply must refuse
    report.diagnostics()       # for `oaspec validate`
    report.for_address(addr)   # findings beside a plan change

The rule reference (`oaspec policy list|explain`, the README's table) is `policy.docs`.
"""

from oa_spec.policy.engine import PolicyReport, evaluate
from oa_spec.policy.findings import Finding
from oa_spec.policy.packs import BUILTIN_PACKS, builtin_rules
from oa_spec.policy.rules import Hit, Pack, Rule

__all__ = ["BUILTIN_PACKS", "Finding", "Hit", "Pack", "PolicyReport", "Rule", "builtin_rules", "evaluate"]
