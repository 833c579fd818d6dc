"""Custom rule patterns come from an untrusted pull request: matched in linear time, or refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from oa_spec.policy import custom
from tests.policy.helpers import run_yaml

SPEC = """\
version: 1
bank: 示例银行
policies:
  packs: []
  rules:
    - id: citybank.no-runs
      message: 不得出现连续的 a
      basis: 本行新媒体运营规范 3.2
      pattern: {pattern}
accounts:
  - id: bank
    name: 示例银行
    replies:
      keywords:
        - {{name: 测试, keywords: [测试], reply: {{text: {text}}}}}
"""


def spec(pattern: str, text: str) -> str:
    return SPEC.format(pattern=f"'{pattern}'", text=text)


def test_catastrophic_pattern_finishes_fast(tmp_path: Path) -> None:
    # With Python's backtracking engine this takes minutes of CPU.
    started = time.process_time()  # CPU time: other jobs on the machine do not count
    run = run_yaml(tmp_path, spec("^(a+)+$", "a" * 40 + "!"))
    assert time.process_time() - started < 5
    assert run.hits("citybank.no-runs") == []
    assert run.hits("policy.config") == []


def test_linear_pattern_still_finds_matches(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec("^(a+)+$", "a" * 40))
    assert run.hits("citybank.no-runs") == ["bank/replies/keywords/测试"]


@pytest.mark.parametrize(("pattern", "feature"), [
    ("(a)\\1", "backreferences"), ("(?P<x>a)(?P=x)", "backreferences"), ("a(?=b)", "lookahead"),
    ("a(?!b)", "lookahead"), ("(?<=a)b", "lookbehind"), ("(?<!a)b", "lookbehind"),
])
def test_backtracking_features_are_refused_at_the_pattern(tmp_path: Path, pattern: str, feature: str) -> None:
    run = run_yaml(tmp_path, spec(pattern, "ab"))
    [finding] = [f for f in run.report.findings if f.rule == "policy.config"]
    assert feature in finding.detail and "rewrite it" in finding.detail
    assert finding.blocking and finding.address == "policies/rules/citybank.no-runs"
    assert finding.path.endswith("rules[0].pattern") and finding.position.line == 9
    assert run.hits("citybank.no-runs") == []  # a refused rule does not run


def test_time_budget_stops_a_rule_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(custom, "RULE_TIME_BUDGET_SECONDS", -1.0)
    run = run_yaml(tmp_path, spec("a", "aaa"))
    [finding] = [f for f in run.report.findings if f.rule == "citybank.no-runs"]
    assert finding.address == "policies/rules/citybank.no-runs" and "时限" in finding.detail
    assert finding.blocking
