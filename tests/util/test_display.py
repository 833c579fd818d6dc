"""util/display.py: what every renderer shows of a code point that draws nothing (attack review 45, F3), and of
combining marks (attack review 63)."""

from __future__ import annotations

import json
import time

import pytest

from oa_spec.content.characters import ALSO_BLANK, DEFAULT_IGNORABLE
from oa_spec.policy import spacing
from oa_spec.util import display, unseen
from oa_spec.util.display import code_span, fold, json_safe, markdown, text_problem, visible

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


# --- combining marks (attack review 63, F1 and F3) ---------------------------------------------------------
ON_HAN = ["\u302a", "\u0323", "\u0332", "\u0300", "\u0489", "\ufe0f\u0323", "\u302e", "\U00016ff0"]


@pytest.mark.parametrize("mark", ON_HAN)
def test_a_combining_mark_on_a_chinese_character_is_refused_in_texts_and_names(mark: str) -> None:
    problem = text_problem(f"请回复验{mark}证码")
    assert problem is not None and "combining mark on a Chinese character" in problem
    assert f"at character {4 + len(mark)}," in problem
    assert text_problem(f"验{mark}证码", name=True) is not None


def test_marks_piled_on_one_character_are_refused_and_two_on_a_keycap_or_a_letter_are_not() -> None:
    problem = text_problem("欢迎" + "a" + "\u0489\u0336\u0338" * 150 + "示例银行")
    assert problem is not None and "450 combining marks piled" in problem and "keep at most 2" in problem
    assert text_problem("按1\ufe0f\u20e3查询余额") is None
    assert text_problem("Cafe\u0301 cre\u0300me 咖啡") is None
    assert text_problem("葛\U000e0100城") is None  # a variation selector picks a glyph: a text may keep it


@pytest.mark.parametrize("show", [visible, markdown, code_span])
def test_renderers_spell_out_marks_on_a_chinese_character_or_piled_up(show: object) -> None:
    assert callable(show)
    shown = show("网\u0489点 a" + "\u0336" * 5 + " 1\ufe0f\u20e3 café")
    assert "\u0489" not in shown and "\u0336" not in shown and "\\u0489" in shown and "\\u0336" in shown
    assert "\u20e3" in shown and "café" in shown


def test_json_output_spells_out_piled_marks_and_reads_back_the_same() -> None:
    text = "网\u0489点 a" + "\u0336" * 5
    dumped = json_safe(json.dumps(text, ensure_ascii=False))
    assert "\u0489" not in dumped and "\u0336" not in dumped and json.loads(dumped) == text


def test_the_quick_tests_before_escaping_pass_over_nothing_the_escapes_would_change() -> None:
    # visible() skips its substitutions for a text the quick tests find nothing in: each must match every
    # character its substitution's class does (every code point below U+10000 checked; above, they match all)
    # (and text_problem and the compliance rules' reading of spaced-out text, policy/spacing.py, before theirs)
    bmp = "".join(map(chr, range(0x10000)))
    for full, quick in ((display._SHOWN_ESCAPED, display._MAY_BE_ESCAPED),
                        (display._TEXT_UNSAFE, display._MAY_BE_ESCAPED), (spacing._marks(), unseen.may_hold_a_mark())):
        assert set(full.findall(bmp)) <= set(quick.findall(bmp))
        for astral in ("\U0001d173", "\U000e0001", "\U000e0100", "\U0001f44d", "\U0010ffff"):
            assert quick.search(astral)


def test_a_long_chinese_name_is_shown_quickly_and_unchanged() -> None:
    name = "长" * 5000
    started = time.process_time()
    for _ in range(200):
        assert display.visible(name) == name
    assert time.process_time() - started < 1  # each took ~8 ms when re walked the marks' 300 ranges per character


def test_a_mark_on_a_chinese_character_beyond_the_bmp_is_spelled_out_as_on_any_other() -> None:
    # 𠮷 (U+20BB7) and CJK Extensions B to H lie beyond U+FFFF: a mark on one was shown raw (attack review 74)
    assert visible("\U00020bb7\u0301祥") == "\U00020bb7\\u0301祥"
    assert "a combining mark on a Chinese character" in str(display.text_problem("\U00031350\u302a"))
