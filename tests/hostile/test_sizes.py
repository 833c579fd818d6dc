"""Sizes, aliases and nesting (issue 10 item 2): budgets count what is built, and the output is bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config import diagnostics as diagnostics_module
from oa_spec.config import load as load_module
from oa_spec.config.diagnostics import Diagnostic, Position, SpecError, shown
from oa_spec.util import yamlio
from tests.hostile.helpers import ACCOUNT, run_text


def test_a_thousand_aliases_of_a_one_megabyte_name_are_refused_fast(tmp_path: Path) -> None:
    big = "长" * 1_000_000
    spec = ACCOUNT + f"    tags:\n      - name: &big {big}\n" + "".join("      - name: *big\n" for _ in range(1000))
    outcome = run_text(tmp_path, spec, seconds=10, megabytes=150)
    [error] = outcome.errors
    assert "more than 1000000 characters" in error.message, error
    assert error.position.line == 9, error  # the second alias passes the budget
    assert sum(len(str(d)) for d in outcome.diagnostics) < 2000


def test_aliases_of_a_mapping_holding_a_long_text_are_counted(tmp_path: Path) -> None:
    spec = (ACCOUNT + "    x-anchor: &m {text: " + "a" * 20_000 + "}\n    replies:\n      keywords:\n"
            + "".join(f"        - {{name: r{i}, keywords: [k], reply: *m}}\n" for i in range(100)))
    [error] = run_text(tmp_path, spec, seconds=10).errors
    assert "characters of text" in error.message


def test_a_few_aliases_of_short_texts_are_fine(tmp_path: Path) -> None:
    spec = ACCOUNT + ("    x: &t 这是一个足够长的标签名称用来测试锚点和别名是否仍然可以使用的情况\n"
                      "    tags: [{name: a}]\n")
    outcome = run_text(tmp_path, ACCOUNT + "    menu:\n      - &b {name: 余额, type: click, key: K}\n"
                       "    conditional_menus: []\n")
    assert not outcome.errors
    assert "x" in spec  # the anchored text alone is not an alias use


def test_the_node_budget_still_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_ALIAS_NODES", 100)
    spec = ACCOUNT + "    x: &l [a, b, c, d, e, f, g, h, i, j]\n    y: [" + ", ".join(["*l"] * 20) + "]\n"
    [error] = run_text(tmp_path, spec).errors
    assert "more than 100 nodes" in error.message


def test_a_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    [error] = run_text(tmp_path, "\n".join(lines) + "\n", seconds=3).errors
    assert "alias" in error.message


def test_a_long_name_is_quoted_as_a_bounded_excerpt(tmp_path: Path) -> None:
    spec = ACCOUNT + "    menu:\n      - {name: " + "长" * 100_000 + ", type: click, key: K}\n"
    [error] = run_text(tmp_path, spec).errors
    assert len(str(error)) < 1000 and "characters, cut" in error.message


def test_many_errors_print_a_bounded_report(tmp_path: Path) -> None:
    spec = ACCOUNT + "    menu:\n" + "".join(f"      - {{name: b{i}, type: click}}\n" for i in range(1000))
    outcome = run_text(tmp_path, spec, seconds=10)
    assert len(outcome.errors) > 1000
    lines = shown(outcome.diagnostics)
    assert len(lines) == diagnostics_module.MAX_SHOWN + 1 and "more diagnostic(s) not shown" in lines[-1]
    assert len(str(SpecError(outcome.diagnostics))) < 100_000


def test_a_diagnostic_shows_control_characters_rather_than_sending_them() -> None:
    diagnostic = Diagnostic(Position("a\x1b.yaml", 1, 1), "tags[0]\r", "bad \x1b[2J\u202e", "hint\x00")
    text = str(diagnostic)
    assert "\x1b" not in text and "\r" not in text and "\u202e" not in text and "\x00" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text


@pytest.mark.parametrize("depth", [100, 1000, 10_000])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path, depth: int) -> None:
    outcome = run_text(tmp_path, "version: 1\nbank: b\nx: " + "[" * depth + "]" * depth + "\n", seconds=5)
    assert outcome.errors


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_block_mappings_are_reported(tmp_path: Path, depth: int) -> None:
    # 5,000 levels are 12.5 MB of indentation, read in about 4 s under tracemalloc: the bound is for a hang, with
    # room for a loaded machine (four test workers on two cores and another job took 10.4 s)
    text = "version: 1\nbank: b\n" + "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"
    assert run_text(tmp_path, text, seconds=20).errors


def test_an_oversized_file_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_MAX_SPEC_BYTES", "1000")
    [error] = run_text(tmp_path, ACCOUNT + "#" * 2000 + "\n").errors
    assert "over the limit of 1000" in error.message


@pytest.mark.parametrize("count", [2_000])
def test_many_keys_in_one_mapping(tmp_path: Path, count: int) -> None:
    text = ACCOUNT + "".join(f"    x{i}: {i}\n" for i in range(count))
    outcome = run_text(tmp_path, text, seconds=10)
    *listed, rest = outcome.errors  # a thousand made readable, the rest counted
    assert all("unknown field" in e.message for e in listed) and rest.message.startswith(f"and {count - 1000:,} more")


@pytest.mark.parametrize("number", ["1.0e+999999", "99999999999999999999999999", "-0", ".nan", ".inf", "0x1F", "017",
                                    "1_000", "+12", "0b101", "12:30:00"])
def test_numbers_where_text_is_expected_are_reported(tmp_path: Path, number: str) -> None:
    [error] = run_text(tmp_path, ACCOUNT + f"    tags: [{{name: {number}}}]\n").errors
    assert error.position.line == 6 and "expected text" in error.message


@pytest.mark.parametrize("number", ["1e999999", "-1", "4", "1.5", "true", ".nan", "0x7", "99999999999999999999"])
def test_numbers_out_of_range_for_phase(tmp_path: Path, number: str) -> None:
    [error] = run_text(tmp_path, ACCOUNT + f"    modules: [{{id: m, kind: custom, phase: {number}}}]\n").errors
    assert error.position.line == 6


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1e9", " 12"])
def test_a_bad_size_limit_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OASPEC_MAX_SPEC_BYTES", value)
    [error] = run_text(tmp_path, ACCOUNT).errors
    assert "OASPEC_MAX_SPEC_BYTES" in str(error)


def test_long_runs_of_block_indicators_in_comments_are_read_in_linear_time(tmp_path: Path) -> None:
    """Attack review 8: the nesting pre-scan restarted at every `-` of a run just under its limit."""
    text = "version: 1\nbank: b\n" + ("# " + "- " * 490 + "x\n") * 4000  # 4 MB
    outcome = run_text(tmp_path, text, seconds=10, megabytes=400)
    assert not any("nested" in e.message for e in outcome.errors)


def test_a_file_holding_more_values_than_any_spec_is_refused_before_it_is_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: a flat list of ten million zeros (20 MB, under the size limit) took 4 GB to validate
    monkeypatch.setattr(yamlio, "MAX_NODES", 20_000)
    text = ACCOUNT + "    x: [" + ",".join(["0"] * 300_000) + "]\n"  # composed, some 150 MB
    outcome = run_text(tmp_path, text, megabytes=40)  # refused from the parser's events: nothing is composed
    [error] = outcome.errors
    assert error.message == "the file holds over 20,000 values" and error.position.line == ACCOUNT.count("\n") + 1
    parsed: list[str] = []
    monkeypatch.setattr(yamlio, "_refuse_large", parsed.append)
    run_text(tmp_path / "ordinary", ACCOUNT + "    tags: [{name: 客户}]\n")
    assert parsed == []  # an ordinary file is parsed once


def test_shape_errors_past_a_thousand_are_counted_not_each_made(tmp_path: Path) -> None:
    # an attack review: 900,000 bad items in a list made as many diagnostics (2 GB)
    outcome = run_text(tmp_path, ACCOUNT + "    tags: [" + ",".join(["[0]"] * 3_000) + "]\n", seconds=10)
    assert len(outcome.errors) == 1_001
    assert outcome.errors[-1].message.startswith("and 2,000 more errors of the spec's shape, not listed")
