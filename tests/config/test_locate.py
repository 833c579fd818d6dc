"""Locator.find with a phrase (attack review 69 F6): a finding in a block text is placed on the phrase's line and
column, read from the file again, and only while the file still holds the text that was loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.load import load_spec
from oa_spec.config.locate import Locator


def phrase(value: str) -> int | None:
    found = value.find("保本")
    return None if found < 0 else found


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_block_text_is_placed_on_its_phrase_whatever_the_line_ends(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_bytes(newline.join(["a:", "  text: |", "    one", "", "    two 保本", ""]).encode())
    position, where = Locator(load_spec(path).data).find(("a", "text"), phrase=phrase)
    assert (position.line, position.col, where) == (5, 9, "a.text")


def test_a_file_edited_since_it_was_loaded_gives_the_text_its_start(tmp_path: Path) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_text("a:\n  text: |\n    one\n    two 保本\n", encoding="utf-8")
    locator = Locator(load_spec(path).data)
    path.write_text("a:\n  text: |\n    one\n    changed 保本\n", encoding="utf-8")
    position, _ = locator.find(("a", "text"), phrase=phrase)
    assert (position.line, position.col) == (2, 9)  # the | : the lines no longer give back the loaded text


def test_without_a_phrase_or_on_a_key_the_place_is_as_before(tmp_path: Path) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_text("a:\n  text: |\n    one\n    two 保本\n", encoding="utf-8")
    locator = Locator(load_spec(path).data)
    assert locator.find(("a", "text"))[0].line == 2
    assert locator.find(("a", "text"), key_position=True, phrase=phrase)[0].col == 3
