"""util/display.py: what every renderer shows of a code point that draws nothing (attack review 45, F3)."""

from __future__ import annotations

import json

import pytest

from oa_spec.content.characters import ALSO_BLANK, DEFAULT_IGNORABLE
from oa_spec.util.display import code_span, fold, json_safe, markdown, visible

EVERY_BLANK = [chr(code) for low, high in (*DEFAULT_IGNORABLE, *ALSO_BLANK) for code in range(low, high + 1)]
EMOJI_NEEDS = frozenset("\u200c\u200d" + "".join(map(chr, range(0xFE00, 0xFE10)))
                        + "".join(map(chr, range(0xE0100, 0xE01F0))))


@pytest.mark.parametrize("show", [visible, markdown, code_span])
def test_every_code_point_that_draws_nothing_is_spelled_out(show: object) -> None:
    assert callable(show)
    raw = [f"U+{ord(ch):04X}" for ch in EVERY_BLANK if ch in show(f"V{ch}IP")]
    assert raw == []


def test_json_output_spells_out_every_code_point_that_draws_nothing_but_an_emoji_part() -> None:
    raw = [f"U+{ord(ch):04X}" for ch in EVERY_BLANK
           if ch not in EMOJI_NEEDS and ch in json_safe(json.dumps(f"V{ch}IP", ensure_ascii=False))]
    assert raw == []
    assert json.loads(json_safe(json.dumps("V\u2065IP", ensure_ascii=False))) == "V\u2065IP"


def test_names_apart_only_by_a_code_point_that_draws_nothing_fold_the_same() -> None:
    assert [f"U+{ord(ch):04X}" for ch in EVERY_BLANK if fold(f"V{ch}IP") != "vip"] == []
