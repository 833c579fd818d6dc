"""A spec's `severity:` that switches a rule off or lowers it is said in every view of the plan, beside the
findings: a line that silences a rule must be seen even where the diff does not show it (attack review 50 F3)."""

from __future__ import annotations

from pathlib import Path

from oa_spec.config.compile import severity_note
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Tag
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.render.comment import render_comment
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


def test_a_pull_request_comment_cut_to_a_summary_keeps_the_note(tmp_path: Path) -> None:
    changes = [Change("create", "tag", f"客群{t}", f"demo/tags/客群{t}", None, Tag(f"客群{t}")) for t in range(3000)]
    notes = [f"module m{n} is disabled: its buttons and replies are left out" for n in range(500)]
    note = severity_note({"ad.absolute-terms": "off"})
    account = AccountPlan("demo", "local", changes, AccountState(), "sha256:x", "sha256:y",
                          notes=[*notes, note])
    comment = render_comment(Plan([account]), limit=20_000)
    assert "(summary)" in comment and "policies.severity sets ad.absolute-terms off" in comment
