"""The pre-commit hook banks use (`.pre-commit-hooks.yaml`) runs `oaspec validate` on their spec repository."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import yaml

from testing import EXAMPLES, ROOT
from testing.cli import run_cli


def test_the_hook_validates_a_spec_repository_and_fails_on_a_bad_spec(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "oaspec-validate" and hook["language"] == "python" and hook["pass_filenames"] is False
    program, *args = shlex.split(hook["entry"])
    assert program == "oaspec"  # the console script the package installs
    repo = tmp_path / "bank-spec"
    shutil.copytree(EXAMPLES / "citybank", repo)
    assert run_cli(*args, cwd=repo).returncode == 0
    (repo / "oaspec.yaml").write_text("version: 1\nbank: x\naccounts: [{id: Bad Id}]\n", encoding="utf-8")
    broken = run_cli(*args, cwd=repo)
    assert broken.returncode == 1 and "oaspec.yaml:3:" in broken.stderr
