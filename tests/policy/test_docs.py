"""The rule reference is generated from the rule definitions and kept in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy import BUILTIN_PACKS, builtin_rules
from oa_spec.policy.docs import policy_explain, policy_list, readme_section, rules_markdown
from oa_spec.policy.rules import RULE_ID
from tests.conftest import run_cli

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_rule_is_well_formed() -> None:
    rules = builtin_rules()
    assert len([r for r in rules.values() if r.pack == "cn-bank"]) >= 15
    for rule in rules.values():
        assert RULE_ID.match(rule.id) and rule.severity in ("error", "warning")
        assert rule.message and rule.basis and rule.summary, rule.id
        assert any("\u4e00" <= c <= "\u9fff" for c in rule.message), rule.id  # one line in Chinese
        assert "\n" not in rule.message


def test_markdown_lists_every_rule() -> None:
    markdown = rules_markdown()
    for pack in BUILTIN_PACKS.values():
        assert f"### Pack `{pack.name}`" in markdown
    for rule in builtin_rules().values():
        assert f"| `{rule.id}` | {rule.severity}" in markdown


def test_readme_rule_section_is_generated() -> None:
    """Regenerate with: python -c 'from oa_spec.policy.docs import rules_markdown; print(rules_markdown())'"""
    assert readme_section(README.read_text(encoding="utf-8")) == rules_markdown()


def test_readme_section_needs_markers() -> None:
    with pytest.raises(ValueError, match="rules:start"):
        readme_section("# no markers here")
    assert readme_section("a\n<!-- rules:start -->\nx\n<!-- rules:end -->\n") == "x\n"


def test_policy_list() -> None:
    lines = policy_list().splitlines()
    assert len(lines) == len(builtin_rules())
    line = next(x for x in lines if x.startswith("wealth.risk-disclaimer "))
    assert "error" in line and "cn-bank" in line and "商业银行理财业务监督管理办法" in line


def test_policy_explain() -> None:
    text = policy_explain("ad.absolute-terms")
    assert text.startswith("ad.absolute-terms  [error]") and "广告法 第九条" in text and "waive:" in text
    assert "fixed" in policy_explain("platform.broadcast-quota")
    with pytest.raises(KeyError, match=r"did you mean ad\.absolute-terms"):
        policy_explain("ad.absolute-term")


def test_a_fixed_rule_offers_no_waiver_template() -> None:
    """policies.waivers refuses a waiver of a fixed rule (policy.waiver-invalid): explain must not offer one."""
    fixed = policy_explain("platform.broadcast-quota")
    assert "rule: platform.broadcast-quota" not in fixed
    assert "  waive:   not possible: a platform fact or an engine check; fix the spec instead\n" in fixed
    assert "policies.waivers: [{rule: ad.absolute-terms, target:" in policy_explain("ad.absolute-terms")


def test_policy_list_and_explain_end_with_a_newline() -> None:
    assert policy_list().endswith("\n") and not policy_list().endswith("\n\n")
    assert policy_explain("ad.absolute-terms").endswith("]\n")


def test_policy_cli_output_ends_with_one_newline(tmp_path: Path) -> None:
    for args in (("policy", "list"), ("policy", "explain", "platform.broadcast-quota")):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout.endswith("\n") and not result.stdout.endswith("\n\n")


def test_regulated_rules_are_marked_in_docs() -> None:
    assert "| `wealth.no-guaranteed-return` | error (regulated) |" in rules_markdown()
    assert "| `ad.absolute-terms` | error |" in rules_markdown()
    assert "regulated rule: one exact address" in policy_explain("pii.no-credential-solicitation")
    assert "regulated" not in policy_explain("ad.absolute-terms")


def test_every_builtin_rule_has_a_one_line_fix() -> None:
    for rule in builtin_rules().values():
        assert rule.fix and "\n" not in rule.fix, rule.id
    assert "fix:     add the annual rate: 年化利率（单利）X%" in policy_explain("loan.apr-disclosure")
