"""A custom rule's `pattern:` is RE2's to judge, at the pattern's place (attack review 50 F6): valid RE2 that Python's
`re` does not know (\\p{Han}, \\z) runs, a pattern Python cannot compile (nested 3,000 deep, a repetition count past any
limit) is never an internal error, and one RE2 refuses (a backreference, an unclosed group) is a finding at the
pattern, not a refusal of the whole rule with Python's reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import run_cli

SPEC = """\
version: 1
bank: 示例银行
policies:
  rules:
    - id: bank.p
      severity: error
      message: 不得
      basis: 内规
      pattern: '{pattern}'
accounts:
  - id: demo
    name: 示例银行
    type: service
    provider: {{type: local}}
    replies:
      subscribe: {{text: 我们的建设银行很好}}
"""


def validate(tmp_path: Path, pattern: str) -> tuple[int, str]:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(pattern=pattern), encoding="utf-8")
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output
    return result.returncode, result.output


@pytest.mark.parametrize("pattern", [r"\p{Han}{3}银行", r"\p{Han}+银行很好\z", r"[\x{4e00}-\x{9fff}]{2}银行"])
def test_valid_re2_that_python_does_not_read_runs(tmp_path: Path, pattern: str) -> None:
    code, output = validate(tmp_path, pattern)
    assert code == 1 and "oaspec.yaml:16:25: error [bank.p]" in output and "建设银行" in output, output


# Python's `re` fails on these with RecursionError and OverflowError; RE2 reads them (the count as literal text).
PYTHON_FAILS = {"nested-3000-deep": "(" * 3000 + "x" + ")" * 3000, "huge-repetition": "a{99999999999}"}


@pytest.mark.parametrize("pattern", PYTHON_FAILS.values(), ids=PYTHON_FAILS.keys())
def test_what_python_cannot_compile_is_re2_s_to_judge(tmp_path: Path, pattern: str) -> None:
    code, output = validate(tmp_path, pattern)
    assert code == 0 and "valid" in output, output


REFUSED = {"backreference": r"(a)\1", "unclosed": "(银行", "lookbehind": "(?<=建设)银行"}


@pytest.mark.parametrize("pattern", REFUSED.values(), ids=REFUSED.keys())
def test_a_pattern_re2_refuses_is_reported_at_the_pattern(tmp_path: Path, pattern: str) -> None:
    code, output = validate(tmp_path, pattern)
    assert code == 1 and "oaspec.yaml:9:16: error [policy.config]" in output and "pattern" in output, output
