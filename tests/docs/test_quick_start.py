"""README's quick start runs on what its install command installs: the command's `oaspec ...` part is run with
every optional dependency group the command's `pip install` leaves out made unimportable, as on a fresh machine
(the test environment has them all, which once hid a quick start that needed the content extra)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

# Each optional dependency's import name: the test fails when pyproject.toml names one this table lacks.
IMPORT_NAMES = {"markdown-it-py": "markdown_it", "nh3": "nh3", "jieba": "jieba", "cryptography": "cryptography",
                "defusedxml": "defusedxml", "pyahocorasick": "ahocorasick", "pypinyin": "pypinyin",
                "prometheus-client": "prometheus_client", "gunicorn": "gunicorn", "psycopg": "psycopg"}
BLOCKER = """
import importlib.abc, sys
class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed by the quick start)", name=name)
        return None
sys.meta_path.insert(0, Blocked())
from oa_spec.cli.main import run
sys.argv = ["oaspec", *ARGS]
run()
"""


def quick_start() -> tuple[set[str], list[str]]:
    """The extras the quick start's `pip install` names, and the arguments of its `oaspec` command."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    command = section.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()
    match = re.fullmatch(r"pip install (?:'\.\[([\w,]+)\]'|\.) && oaspec (.+)", command)
    assert match, f"the quick start is not `pip install . && oaspec ...`: {command!r}"
    return set(filter(None, (match.group(1) or "").split(","))), match.group(2).split()


def left_out(extras: set[str]) -> set[str]:
    """The import names of every optional dependency no named extra installs (the test extra aside)."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    def names(group: str) -> set[str]:
        return {re.split(r"[\[<>=]", requirement)[0] for requirement in groups[group]}
    optional = {name for group in groups if group != "test" for name in names(group)}
    assert optional <= IMPORT_NAMES.keys(), f"add the import names of {optional - IMPORT_NAMES.keys()}"
    installed = {name for group in extras for name in names(group)}
    return {IMPORT_NAMES[name] for name in optional - installed}


def run_blocked(tmp_path: Path, blocked: set[str], args: list[str]) -> subprocess.CompletedProcess[str]:
    """`oaspec ARGS` in a copy of specs/, with the `blocked` modules unimportable."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    code = f"BLOCKED = {sorted(blocked)!r}\nARGS = {args!r}\n" + BLOCKER
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)


def test_the_quick_start_runs_on_what_it_installs(tmp_path: Path) -> None:
    extras, args = quick_start()
    result = run_blocked(tmp_path, left_out(extras), args)
    assert result.returncode == 0, result.stderr
    assert "Plan:" in result.stdout


def test_a_needed_group_left_out_is_what_fails(tmp_path: Path) -> None:
    _, args = quick_start()
    result = run_blocked(tmp_path, left_out(set()), args)
    assert result.returncode == 1 and "pip install 'oaspec[content]'" in result.stderr, result.stderr
