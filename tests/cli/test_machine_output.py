"""`--format json` (and sarif) is for machines: stdout holds exactly one JSON document, and every prompt,
result line and note goes to stderr (attack review 51, F2). Each command README lists with a JSON format is
run through the real `python -m oa_spec`, as a CI step that pipes stdout into a JSON reader sees it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from testing import EXAMPLES
from testing.cli import Result, run_cli

WELCOME, EDITED = "欢迎关注示例银行。", "欢迎关注示例银行！"


def deployed(tmp_path: Path) -> Path:
    """The minimal example applied twice (revisions 1 and 2: the welcome text edited), and its plan saved."""
    shutil.copytree(EXAMPLES / "minimal", tmp_path / "spec")
    spec = tmp_path / "spec" / "oaspec.yaml"
    assert run_cli("apply", "--auto-approve", cwd=spec.parent).returncode == 0
    spec.write_text(spec.read_text(encoding="utf-8").replace(WELCOME, EDITED), encoding="utf-8")
    assert run_cli("apply", "--auto-approve", cwd=spec.parent).returncode == 0
    spec.write_text(spec.read_text(encoding="utf-8").replace(EDITED, WELCOME), encoding="utf-8")
    assert run_cli("plan", "--out", "plan.json", cwd=spec.parent).returncode == 0
    return spec


def one_document(result: Result) -> object:
    """stdout parsed as JSON: json.loads refuses anything after the document ("Extra data")."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip(), result.stderr
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        pytest.fail(f"stdout of `oaspec {' '.join(result.args)}` is not one JSON document ({exc}); after the "
                    f"document: {result.stdout[json.JSONDecoder().raw_decode(result.stdout)[1]:]!r}")


@pytest.mark.parametrize("args", [
    ("plan", "--format", "json"),
    ("plan", "--format", "sarif"),
    ("plan", "--format", "json", "--out", "again.json"),
    ("show", "plan.json", "--format", "json"),
    ("show", "plan.json", "--format", "sarif"),
    ("show", "2", "--format", "json"),
    ("history", "--format", "json"),
    ("scan", "--format", "json"),
    ("scan", "--format", "sarif"),
    ("calendar", "--format", "json"),
    ("policy", "waivers", "--format", "json"),
], ids=lambda args: "-".join(a for a in args if not a.startswith("-")))
def test_every_json_format_puts_one_document_on_stdout(tmp_path: Path, args: tuple[str, ...]) -> None:
    spec = deployed(tmp_path)
    result = run_cli(*args, cwd=spec.parent, process=True)
    assert result.returncode == 0, result.stderr
    one_document(result)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_rollback_in_a_machine_format_prints_its_result_on_stderr(tmp_path: Path, fmt: str) -> None:
    spec = deployed(tmp_path)
    result = run_cli("rollback", "1", "--format", fmt, "--auto-approve", cwd=spec.parent, process=True)
    assert result.returncode == 0, result.stderr
    document = one_document(result)
    if fmt == "json":
        assert isinstance(document, dict) and document["source"] == "rollback:demo:1"
    assert "demo: applied 1 change(s) (revision 3)" in result.stderr


def test_a_rollback_in_json_asks_on_stderr_and_a_cancel_leaves_the_document_alone(tmp_path: Path) -> None:
    spec = deployed(tmp_path)
    result = run_cli("rollback", "1", "--format", "json", cwd=spec.parent, stdin="no\n", process=True)
    assert result.returncode == 1
    one_document(result)
    assert "Apply these changes? Only 'yes' applies: " in result.stderr
    assert "apply cancelled: nothing was changed" in result.stderr


def test_a_rollback_in_json_with_nothing_to_do_says_so_on_stderr(tmp_path: Path) -> None:
    spec = deployed(tmp_path)
    result = run_cli("rollback", "2", "--format", "json", cwd=spec.parent, process=True)
    assert result.returncode == 0, result.stderr
    document = one_document(result)
    assert isinstance(document, dict) and document["has_changes"] is False
    assert "Nothing to apply: the live accounts match the spec. Nothing was written." in result.stderr


def test_a_rollback_in_text_keeps_its_prompt_and_result_on_stdout(tmp_path: Path) -> None:
    """For a person at a terminal nothing moves: the plan, the question and the result read in one stream."""
    spec = deployed(tmp_path)
    result = run_cli("rollback", "1", cwd=spec.parent, stdin="yes\n", process=True)
    assert result.returncode == 0, result.stderr
    assert "Apply these changes? Only 'yes' applies: " in result.stdout
    assert result.stdout.rstrip().endswith("demo: applied 1 change(s) (revision 3)")
