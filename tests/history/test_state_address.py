"""Where the state is: --state or OASPEC_STATE first, then the variable the spec's `state:` block names."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.config.validate import state_variable
from oa_spec.errors import OaspecError
from oa_spec.history.state import state_address
from testing.cli import Cli

SPEC = """version: 1
bank: 示例银行
state:
  variable: {variable}
accounts:
  - {{id: acct, name: 示例银行, provider: {{type: local}}, tags: [{{name: 客群}}]}}
"""


def test_the_option_wins_then_the_spec_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_PROD_STATE", "postgresql:///from-spec")
    assert state_address("postgresql:///from-option", "OASPEC_PROD_STATE") == "postgresql:///from-option"
    assert state_address(None, "OASPEC_PROD_STATE") == "postgresql:///from-spec"
    assert state_address(None, None) is None  # the files state
    monkeypatch.delenv("OASPEC_PROD_STATE")
    with pytest.raises(OaspecError, match="named by OASPEC_PROD_STATE, which is not set here"):
        state_address(None, "OASPEC_PROD_STATE")


def test_the_block_is_read_without_the_rest_of_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(variable="OASPEC_PROD_STATE").replace("name: 客群", "name: 123"), encoding="utf-8")
    assert state_variable(path) == "OASPEC_PROD_STATE"  # a tag's wrong type does not hide the state


def test_a_variable_outside_oaspec_names_is_refused_where_it_is_written(tmp_path: Path) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(variable="DATABASE_URL"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        state_variable(path)
    [problem] = caught.value.diagnostics
    assert (problem.position.line, problem.path) == (4, "state.variable")
    assert "OASPEC_*" in problem.hint


def test_history_and_audit_refuse_rather_than_read_an_empty_files_state(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "oaspec.yaml").write_text(SPEC.format(variable="OASPEC_PROD_STATE"), encoding="utf-8")
    for command in (("history",), ("audit", "verify"), ("unlock", "acct", "--lock-id", "x"), ("state", "doctor")):
        result = cli(*command, env={"OASPEC_PROD_STATE": None, "OASPEC_STATE": None})
        assert result.returncode == 1 and "OASPEC_PROD_STATE, which is not set here" in result.stderr, command
    assert not (tmp_path / ".oaspec").exists()
    other = cli("history", "-f", "missing.yaml", env={"OASPEC_STATE": None})
    assert other.returncode == 1 and "spec file not found" in other.stderr  # named, so it must be there
