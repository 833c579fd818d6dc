"""A rollback's plan names its state as every plan does (attack review 51, F3): the person confirming it, and
a machine reading its JSON, see which store its revision, audit entry and lock go to."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from testing import EXAMPLES
from testing.cli import Cli

WELCOME, EDITED = "欢迎关注示例银行。", "欢迎关注示例银行！"


@pytest.fixture
def state_dir(cli: Cli, tmp_path: Path) -> Path:
    """Revisions 1 and 2 of the minimal example (the welcome text edited), in a state directory of its own."""
    shutil.copy(EXAMPLES / "minimal" / "oaspec.yaml", tmp_path / "oaspec.yaml")
    where = tmp_path / "ci-state"
    assert cli("--state-dir", str(where), "apply", "--auto-approve").returncode == 0
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace(WELCOME, EDITED), encoding="utf-8")
    assert cli("--state-dir", str(where), "apply", "--auto-approve").returncode == 0
    return where


def test_a_rollback_in_json_names_the_state_plan_names(cli: Cli, state_dir: Path) -> None:
    planned = cli("--state-dir", str(state_dir), "plan", "--format", "json")
    rolled = cli("--state-dir", str(state_dir), "rollback", "1", "--format", "json", "--auto-approve")
    assert rolled.returncode == 0, rolled.stderr
    state = json.loads(rolled.stdout)["state"]
    assert state == json.loads(planned.stdout)["state"] == f"files state {state_dir.resolve()}"


@pytest.mark.parametrize(("fmt", "line"), [("text", "State: the files state {}"),
                                           ("markdown", "State: the `files state {}`")])
def test_a_rollback_plan_shows_its_state_line_before_it_asks(cli: Cli, state_dir: Path, fmt: str,
                                                             line: str) -> None:
    cancelled = cli("--state-dir", str(state_dir), "rollback", "1", "--format", fmt, stdin="no\n")
    assert cancelled.returncode == 1
    assert line.format(state_dir.resolve()) in cancelled.stdout.splitlines()
    planned = cli("--state-dir", str(state_dir), "plan", "--format", fmt)
    assert line.format(state_dir.resolve()) in planned.stdout.splitlines()  # the line plan prints, word for word
