"""A handful of hostile specs through the real `python -m oa_spec validate`, under an address-space limit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testing.cli import Result, run_process
from tests.hostile.helpers import ACCOUNT, HEAD, write

LIMIT_BYTES = 1024 * 1024 * 1024  # far above a normal run, far below the 3 GB the alias bomb took
LOCATED = re.compile(r"oaspec\.yaml:\d+:\d+: error: ")


def validate(spec: Path) -> Result:
    return run_process("validate", "-f", str(spec), cwd=spec.parent, memory_limit=LIMIT_BYTES)


def assert_refused(result: Result) -> None:
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert LOCATED.search(result.stderr), result.stderr[-2000:]
    assert len(result.stderr) < 200_000 and len(result.stdout) < 10_000


def test_an_alias_bomb_of_long_names(tmp_path: Path) -> None:
    big = "长" * 1_000_000
    assert_refused(validate(write(tmp_path, {"oaspec.yaml": ACCOUNT + f"    tags:\n      - name: &b {big}\n"
                                             + "      - name: *b\n" * 1000})))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_include(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": HEAD + "include: ['*.yaml']\n"})
    os.mkfifo(tmp_path / "x.yaml")
    assert_refused(validate(spec))


def test_an_escape_sequence_never_reaches_stderr(tmp_path: Path) -> None:
    result = validate(write(tmp_path, {"oaspec.yaml": ACCOUNT + '    tags: [{name: "vip\\e[2J\\r"}]\n'}))
    assert_refused(result)
    assert "\x1b" not in result.stderr and "\r" not in result.stderr and "U+001B" in result.stderr


def test_thousands_of_errors_print_a_bounded_report(tmp_path: Path) -> None:
    spec = ACCOUNT + "    menu:\n" + "".join(f"      - {{name: b{i}, type: click}}\n" for i in range(3000))
    result = validate(write(tmp_path, {"oaspec.yaml": spec}))
    assert_refused(result)
    assert "more diagnostic(s) not shown" in result.stderr


@pytest.mark.parametrize("nesting", ["[" * 30_000 + "]" * 30_000, "\n      " + "- " * 30_000 + "x"],
                         ids=["flow", "block"])
def test_nesting_past_the_c_stack_is_an_error_not_a_segfault(tmp_path: Path, nesting: str) -> None:
    """libyaml's composer recursed on the C stack: 60 KB of `[` killed validate with SIGSEGV (attack review 7)."""
    result = validate(write(tmp_path, {"oaspec.yaml": ACCOUNT + "    menu: " + nesting + "\n"}))
    assert_refused(result)
    assert "the YAML is nested too deeply" in result.stderr


def test_nesting_past_the_c_stack_in_an_article_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: t\nx: " + "[" * 30_000 + "]" * 30_000 + "\n---\n正文\n",
                                   encoding="utf-8")
    code = ("import sys; from pathlib import Path; from oa_spec.content.article import load_article\n"
            "try:\n    load_article(Path(sys.argv[1]))\nexcept Exception as exc:\n    print(exc)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.md")], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and "nested too deeply" in done.stdout, (done.returncode, done.stderr[-500:])



@pytest.mark.parametrize("nesting", ['["]", ' * 30_000 + "1" + "]" * 30_000, "[" * 400 + '"' + "]" * 400 + '", '],
                         ids=["quoted-closers", "a-string-of-closers"])
def test_closing_brackets_inside_quotes_do_not_hide_the_nesting(tmp_path: Path, nesting: str) -> None:
    """Attack review 8: the guard counted a quoted `]` as a closer, and libyaml nested 30,000 deep."""
    if nesting.endswith('", '):
        nesting = (nesting * 80) + "1" + "]" * 400 * 80
    result = validate(write(tmp_path, {"oaspec.yaml": ACCOUNT + "    menu: " + nesting + "\n"}))
    assert_refused(result)
    assert "the YAML is nested too deeply" in result.stderr
