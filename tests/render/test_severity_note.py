"""A spec's `severity:` that switches a rule off or lowers it is said in every view of the plan, beside the
findings: a line that silences a rule must be seen even where the diff does not show it (attack review 50 F3)."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_cli

SPEC = """\
version: 1
bank: 示例城市银行
policies:
  packs: [cn-bank]
  severity: {{{severity}}}
accounts:
  - id: demo
    name: 示例城市银行
    type: service
    provider: {{type: local}}
    policies:
      severity: {{{account}}}
    replies:
      subscribe: {{text: 欢迎关注，本行存款规模全市第一！}}
"""


def plan(tmp_path: Path, fmt: str, severity: str = "", account: str = "") -> str:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(severity=severity, account=account), encoding="utf-8")
    result = run_cli("--state-dir", str(tmp_path / "state"), "plan", "-f", str(spec), "--format", fmt, cwd=tmp_path)
    assert "Traceback" not in result.output, result.output
    return result.stdout


def test_a_rule_switched_off_is_named_in_the_pull_request_comment_and_the_terminal(tmp_path: Path) -> None:
    for fmt in ("markdown", "text"):
        shown = plan(tmp_path, fmt, severity='ad.absolute-terms: "off"')
        assert "policies.severity sets ad.absolute-terms off" in shown, shown


def test_an_account_s_own_override_wins_and_is_named(tmp_path: Path) -> None:
    shown = plan(tmp_path, "markdown", severity='ad.absolute-terms: "off"', account="ad.absolute-terms: warning")
    assert "policies.severity sets ad.absolute-terms warning" in shown, shown


def test_a_spec_that_lowers_nothing_says_nothing(tmp_path: Path) -> None:
    assert "policies.severity" not in plan(tmp_path, "markdown", severity="ad.absolute-terms: error")
