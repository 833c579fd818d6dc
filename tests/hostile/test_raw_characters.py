"""A raw character YAML refuses (ESC, NUL, U+FFFE) is reported where it is, by its code point, with what to do; a
number too long for Python is reported as no value any field takes (attack review 50 F9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import load_article
from testing.cli import run_cli
from tests.hostile.helpers import ACCOUNT, run_text, write

HINT = "remove the character (or write it as an escape in a quoted string if it belongs there)"
RAW = {"esc-in-a-text": ("\x1b", "U+001B"), "nul": ("\x00", "U+0000"), "ufffe": ("\ufffe", "U+FFFE"),
       "c1-control": ("\x9b", "U+009B")}


@pytest.mark.parametrize(("char", "named"), RAW.values(), ids=RAW.keys())
def test_a_raw_character_yaml_refuses_is_located_and_named(tmp_path: Path, char: str, named: str) -> None:
    outcome = run_text(tmp_path, ACCOUNT + f"    provider: {{type: local}}\n    replies:\n"
                       f"      subscribe: {{text: 欢迎关注示例{char}银行}}\n")
    [error] = outcome.errors
    assert (error.position.line, error.position.col) == (8, 31), error
    assert named in error.message and "position" not in error.message and error.hint == HINT, error


def test_the_cli_names_the_line_and_column_of_an_esc_in_a_comment(tmp_path: Path) -> None:
    spec = write(tmp_path, {"oaspec.yaml": "# 示例城市银行\x1b[2J\n" + ACCOUNT + "    provider: {type: local}\n"})
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f", str(spec), cwd=tmp_path)
    assert result.returncode == 1 and "oaspec.yaml:1:9: error:" in result.output and "U+001B" in result.output, \
        result.output
    assert HINT in result.output and "unicode string" not in result.output


def test_a_raw_character_in_front_matter_is_located_and_named(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: 资产配置\ncover: cover.png\ndigest: 稳健\x1b理财\n---\n正文\n",
                                   encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_article(tmp_path / "a.md", "a.md")
    [error] = caught.value.diagnostics
    assert (error.position.line, error.position.col) == (4, 11) and "U+001B" in error.message, error
    assert error.hint == HINT, error


def test_a_number_too_long_for_any_field_says_so(tmp_path: Path) -> None:
    outcome = run_text(tmp_path, ACCOUNT.replace("version: 1", "version: " + "9" * 5000))
    [error] = outcome.errors
    assert (error.position.line, error.position.col) == (1, 10), error
    assert "a number this long is not a value any field takes" in error.message, error
    assert "set_int_max_str_digits" not in error.message + error.hint, error
