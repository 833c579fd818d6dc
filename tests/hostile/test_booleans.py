"""YAML 1.1 booleans (issue 10 item 13): `severity: {rule: off}` as the README shows; quoted words stay text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.helpers import ACCOUNT, HEAD, run_text


@pytest.mark.parametrize("word", ["off", "no", "Off", "NO", "false", "'off'"])
def test_severity_off_is_accepted_bare_or_quoted(tmp_path: Path, word: str) -> None:
    outcome = run_text(tmp_path, HEAD + f"policies:\n  severity: {{ad.absolute-terms: {word}}}\n"
                       + ACCOUNT.removeprefix(HEAD))
    assert not outcome.errors, outcome.error_text()


def test_severity_off_in_an_account_is_accepted(tmp_path: Path) -> None:
    outcome = run_text(tmp_path, ACCOUNT + "    policies:\n      severity: {ad.absolute-terms: off}\n")
    assert not outcome.errors, outcome.error_text()


@pytest.mark.parametrize("word", ["on", "yes", "true"])
def test_severity_on_names_no_severity(tmp_path: Path, word: str) -> None:
    outcome = run_text(tmp_path, HEAD + f"policies:\n  severity: {{ad.absolute-terms: {word}}}\n")
    [error] = outcome.errors
    assert "not severities" in error.message and (error.position.line, error.position.col) == (4, 33)


@pytest.mark.parametrize("field", ["verified", "enabled"])
@pytest.mark.parametrize("word", ['"off"', "'no'", '"yes"', '"true"', "0", "1"])
def test_quoted_words_and_numbers_are_not_booleans(tmp_path: Path, field: str, word: str) -> None:
    text = ACCOUNT + (f"    verified: {word}\n" if field == "verified"
                      else f"    modules:\n      - {{id: m, kind: custom, enabled: {word}}}\n")
    [error] = run_text(tmp_path, text).errors
    assert error.message.startswith("expected true or false"), error
    assert error.position.line == (6 if field == "verified" else 7), error


@pytest.mark.parametrize("word", ["off", "no", "false", "on", "yes", "true"])
def test_bare_yaml_booleans_still_work_for_flags(tmp_path: Path, word: str) -> None:
    outcome = run_text(tmp_path, ACCOUNT + f"    verified: {word}\n    type: service\n")
    assert not outcome.errors, outcome.error_text()
