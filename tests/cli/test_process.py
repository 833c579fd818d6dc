"""The contract of the `python -m oa_spec` process itself, as a shell, CI or a pipe sees it: one real
process per exit code and per stream rule. Every other test runs the command in-process
(testing.cli), which gives the same exit codes and streams without the interpreter's start-up.

Exit codes: 0 success (and, with --detailed-exitcode, no differences); 1 an error, a refusal or a usage
error; 2 changes pending (plan --detailed-exitcode only). Results go to stdout, diagnostics to stderr,
and no error ends in a Python traceback."""

from __future__ import annotations

import gc
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing import EXAMPLES
from testing.cli import Result, run_cli


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "minimal", tmp_path / "spec")
    return tmp_path / "spec" / "oaspec.yaml"


def oaspec(*args: str, cwd: Path) -> Result:
    result = run_cli(*args, cwd=cwd, process=True)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_exit_0_with_the_result_on_stdout_and_nothing_on_stderr(minimal: Path) -> None:
    result = oaspec("validate", "-f", str(minimal), cwd=minimal.parent)
    assert result.returncode == 0
    assert "valid (1 account(s)" in result.stdout and result.stderr == ""


def test_exit_1_with_the_error_on_stderr_and_nothing_on_stdout(tmp_path: Path) -> None:
    result = oaspec("validate", "-f", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("missing.yaml:1:1: error: spec file not found"), result.stderr


def test_exit_2_for_pending_changes_with_a_plan_a_machine_can_read_on_stdout(minimal: Path) -> None:
    result = oaspec("plan", "-f", str(minimal), "--detailed-exitcode", "--format", "json", cwd=minimal.parent)
    assert result.returncode == 2, result.stderr
    plan = json.loads(result.stdout)  # nothing else is mixed into stdout
    assert [a["account"] for a in plan["accounts"]] == ["demo"] and plan["accounts"][0]["changes"]


def test_a_usage_error_exits_1_never_2_which_means_changes_pending(minimal: Path) -> None:
    result = oaspec("plan", "-f", str(minimal), "--detailed-exitcode", "--no-such-option", cwd=minimal.parent)
    assert result.returncode == 1
    assert result.stdout == "" and "Error: No such option '--no-such-option'" in result.stderr


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """`run` tunes the collector for its short process; the tests that call it put it back for the rest."""
    before = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.usefixtures("collector_restored")
def test_the_entry_point_collects_rarely_and_freezes_what_lives_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` (the console script and `python -m oa_spec`) spares a short process the collector's walks
    over its start-up objects: benchmarks/bench_startup.py measures what that is worth."""
    from oa_spec.cli import main as cli_main

    thresholds: list[tuple[int, int, int]] = []
    monkeypatch.setattr(cli_main, "main", lambda: thresholds.append(gc.get_threshold()))
    cli_main.run()
    assert thresholds == [(10_000, 20, 20)]
    assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize(("given", "seen"), [(None, "__all__"), ("logfire", "logfire")])
def test_the_entry_point_looks_for_pydantic_plugins_only_when_the_environment_asks(
        monkeypatch: pytest.MonkeyPatch, given: str | None, seen: str) -> None:
    """oaspec uses no pydantic plugin; one is third-party code shown every spec value, and the search for
    them reads every installed package's metadata at start-up. A setting of the user's own is kept."""
    from oa_spec.cli import main as cli_main

    if given is None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", given)
    values: list[str | None] = []
    monkeypatch.setattr(cli_main, "main", lambda: values.append(os.environ.get("PYDANTIC_DISABLE_PLUGINS")))
    cli_main.run()
    assert values == [seen]
