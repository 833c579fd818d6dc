"""The rules over one account have an overall time budget, as each custom rule has its own (attack review 50 F10:
2,000 distinct finance-worded keyword replies kept validate busy for 125 s): past it the account's checks stop with
a blocking finding that says so and what to do. The budget is lowered here; no real spec comes near the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy import engine
from testing.cli import run_cli

WORDS = "保本理财年化收益第一贷款秒批大学生验证码稳健本金"


def spec_with_replies(count: int) -> str:
    texts = [f"第{i}期{WORDS[i % 7:]}{WORDS[:i % 11]}" for i in range(count)]
    rules = "".join(f"        - {{name: r{i}, keywords: [k{i}], reply: {{text: {text}}}}}\n"
                    for i, text in enumerate(texts))
    return ("version: 1\nbank: 示例银行\npolicies:\n  packs: [cn-bank]\naccounts:\n  - id: demo\n    name: 示例银行\n"
            "    type: service\n    provider: {type: local}\n    replies:\n      keywords:\n" + rules)


def validate(tmp_path: Path, count: int) -> tuple[str, int]:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(spec_with_replies(count), encoding="utf-8")
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert "internal error" not in result.output, result.output
    return result.output, result.returncode


def test_past_the_budget_the_account_s_checks_stop_with_a_blocking_finding(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "RULES_TIME_BUDGET_SECONDS", 0.0, raising=False)
    output, code = validate(tmp_path, 50)
    assert code == 1 and "error [policy.time-budget]" in output, output
    assert "超过 0 秒时限" in output and "demo" in output and "fewer or shorter texts" in output, output
    # the checks stopped at the deadline: no text rule read the texts that were left
    assert "[ad.absolute-terms]" not in output and "[wealth." not in output, output


def test_within_the_budget_nothing_is_said(tmp_path: Path) -> None:
    output, _ = validate(tmp_path, 5)
    assert "policy.time-budget" not in output and "[ad.absolute-terms]" in output, output
