"""Encodings, YAML tags, anchors and duplicate keys: each is an error at file:line:col, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import run_cli
from tests.hostile.helpers import ACCOUNT, HEAD, Outcome, run_text, write


def first_error(outcome: Outcome) -> tuple[int, int, str]:
    assert outcome.errors, "expected an error"
    error = outcome.errors[0]
    return error.position.line, error.position.col, error.message


ENCODINGS = {
    "utf-16-le-bom": b"\xff\xfe" + ACCOUNT.encode("utf-16-le"),
    "utf-16-be-bom": b"\xfe\xff" + ACCOUNT.encode("utf-16-be"),
    "utf-16-no-bom": ACCOUNT.encode("utf-16-le"),
    "utf-32": ACCOUNT.encode("utf-32"),
    "gbk": ACCOUNT.encode("gbk"),
    "latin-1-byte": b"version: 1\nbank: caf\xe9\n",
    "invalid-continuation": b"version: 1\nbank: \xe4\xb8\n",
    "overlong-slash": b"version: 1\nbank: \xc0\xaf\n",
    "encoded-surrogate": b"version: 1\nbank: \xed\xa0\x80\n",
    "nul-byte": b"version: 1\nbank: a\x00b\n",
    "lone-cr-line-ends": ACCOUNT.replace("\n", "\r").encode() + b"    x: \x1b\r",
}


@pytest.mark.parametrize("raw", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_files_that_are_not_clean_utf8_are_reported(tmp_path: Path, raw: bytes) -> None:
    line, col, message = first_error(run_text(tmp_path, raw))
    assert line >= 1 and col >= 1 and message


def test_a_utf8_bom_at_the_start_is_accepted(tmp_path: Path) -> None:
    assert not run_text(tmp_path, b"\xef\xbb\xbf" + ACCOUNT.encode()).errors


def test_a_bom_inside_a_value_is_refused(tmp_path: Path) -> None:
    line, _, message = first_error(run_text(tmp_path, ACCOUNT.replace("示例", "示\ufeff例")))
    assert line == 5 and "U+FEFF" in message


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    assert first_error(run_text(tmp_path, b"version: 1\nbank: ab\xff\n"))[:2] == (2, 9)


def test_an_escaped_surrogate_is_reported(tmp_path: Path) -> None:
    line, _, message = first_error(run_text(tmp_path, HEAD.replace("测试银行", '"\\uD800"')))
    assert line == 2 and ("Unicode" in message or "surrogate" in message)


TAGS = {
    "python-object": "!!python/object:os.system {}",
    "python-apply": "!!python/object/apply:os.system ['echo pwned']",
    "python-name": "!!python/name:os.system",
    "python-module": "!!python/module:os",
    "python-tuple": "!!python/tuple [a, b]",
    "local-tag": "!secret x",
    "uri-tag": "!<tag:example.com,2026:x> y",
    "binary": "!!binary aGVsbG8=",
    "set": "!!set {a, b}",
    "omap": "!!omap [a: 1]",
    "bad-timestamp": "!!timestamp 2026-02-30",
    "bad-int": "!!int abc",
    "bad-float": "!!float abc",
    "bad-bool": "!!bool maybe",
}


@pytest.mark.parametrize("value", TAGS.values(), ids=TAGS.keys())
def test_tags_are_refused_or_reported_without_running_anything(tmp_path: Path, value: str) -> None:
    outcome = run_text(tmp_path, HEAD + f"accounts:\n  - id: demo\n    name: {value}\n")
    line, col, _ = first_error(outcome)
    assert line == 5 and col >= 5


def test_a_str_tag_makes_text(tmp_path: Path) -> None:
    assert not run_text(tmp_path, ACCOUNT.replace("name: 示例", "name: !!str 2024")).errors


@pytest.mark.parametrize("text, line", [
    (HEAD + "bank: again\n", 3),
    (ACCOUNT + "    name: again\n", 6),
    (ACCOUNT + "    tags:\n      - {name: a, name: b}\n", 7),
    (HEAD + "? version\n: 2\n", 3),
    (ACCOUNT + '    "id": x\n', 6),
])
def test_duplicate_keys_are_errors(tmp_path: Path, text: str, line: int) -> None:
    found_line, _, message = first_error(run_text(tmp_path, text))
    assert found_line == line and "duplicate key" in message


def test_a_merge_key_does_not_count_as_a_duplicate(tmp_path: Path) -> None:
    text = HEAD + "x-base: &b {type: service}\naccounts:\n  - <<: *b\n    id: demo\n    name: n\n"
    outcome = run_text(tmp_path, text)
    assert all("duplicate" not in e.message for e in outcome.errors)


def test_two_merge_keys_in_one_mapping_are_a_duplicate_key(tmp_path: Path) -> None:
    """Attack review 27 F5: PyYAML takes the second, oaspec took the first; a reviewer reading the YAML diff
    cannot tell which menu is planned."""
    first = '<<: {menu: [{name: 网点, type: view, url: "https://m.bank.example.cn/first"}]}'
    second = first.replace("first", "second")
    text = HEAD + f"accounts:\n  - id: demo\n    name: n\n    {first}\n    {second}\n"
    outcome = run_text(tmp_path, text)
    assert any("duplicate merge key" in e.message and "<<: [*a, *b]" in e.hint and e.position.line == HEAD.count("\n")
               + 5 for e in outcome.errors), outcome.errors


@pytest.mark.parametrize("text", [
    "a: &x [*x]\n",
    "a: &x {b: *x}\n",
    "a: *undefined\n",
    "a: &x 1\nb: &x 2\nc: *x\n",
    "a: [&x {b: 1}, <<: *x]\n",
    "<<: 5\n",
    "<<: [1, 2]\n",
])
def test_anchor_and_alias_tricks_are_reported(tmp_path: Path, text: str) -> None:
    outcome = run_text(tmp_path, HEAD + text)
    assert outcome.errors


@pytest.mark.parametrize("text", [
    "", "\n\n", "# only a comment\n", "---\n", "--- \n...\n", "null\n", "~\n", "[]\n", "just text\n", "42\n",
    "version: 1\n---\nversion: 1\n", "%YAML 1.1\n---\nversion: 1\n", "%YAML 9.9\n---\nversion: 1\n",
    "%TAG ! tag:example.com,2026:\n---\nversion: !x 1\n", "\t- a\n", "a: 'unclosed\n", 'a: "unclosed\n',
    "a: [1, 2\n", "a: {b\n", "a:\n  - b\n c: d\n", "@reserved\n", "`reserved\n", "a: b: c\n",
])
def test_degenerate_documents_are_errors(tmp_path: Path, text: str) -> None:
    outcome = run_text(tmp_path, text)
    assert outcome.errors


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}", "1", "true", "null", "2026-01-01", "~"])
def test_keys_that_are_not_text(tmp_path: Path, key: str) -> None:
    outcome = run_text(tmp_path, ACCOUNT + f"    ? {key}\n    : x\n")
    line, _, _ = first_error(outcome)
    assert line in (6, 7)


# (RE2 reads `(?P<x>a)(?P<x>b)`, which Python refuses: RE2 is the judge, as it is the matcher.)
@pytest.mark.parametrize("pattern", ["(", "[a-", "a{2,1}", "\\", "*"])
def test_an_invalid_custom_rule_pattern_is_located(tmp_path: Path, pattern: str) -> None:
    spec = HEAD + ("policies:\n  rules:\n    - id: bank.rule\n      message: m\n      basis: b\n"
                   f"      pattern: '{pattern}'\n")
    result = run_cli("--state-dir", str(tmp_path / "state"), "validate", "-f",
                     str(write(tmp_path, {"oaspec.yaml": spec})), cwd=tmp_path)
    # RE2's reason, at the pattern itself (attack review 50 F6: it was Python's, at the rule's line 5)
    assert result.returncode == 1 and "oaspec.yaml:8:16: error [policy.config]" in result.output, result.output
    assert "internal error" not in result.output
