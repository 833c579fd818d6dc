"""The code points that draw nothing: the one table of what a reader cannot see.

`display` refuses them in spec strings, escapes them in every renderer and folds them away when names are
compared for duplicates; `content.characters` reads an article without them (policy packs match words, so
`保&#8203;本` must read as 保本). A character missing here would be missing from all of these at once, so
attack reviews 8 and 45 (U+2065, U+FFF0-FFF8, U+E0080-E0FFF, U+13430-1345F passed the name check) are
answered here, once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from oa_spec.util import precompiled

Ranges = tuple[tuple[int, int], ...]

# DerivedCoreProperties.txt, Default_Ignorable_Code_Point (Unicode 15.1), as ranges: zero-width spaces and
# joiners, the soft hyphen, word joiners, variation selectors, Hangul fillers, tag characters, and the
# unassigned code points a renderer (HarfBuzz, so browsers and phones) must draw as nothing.
DEFAULT_IGNORABLE: Ranges = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Outside it, but drawing nothing between two words all the same (attack review 8): the braille blank, the
# interlinear annotation controls, the Egyptian hieroglyph format controls.
ALSO_BLANK: Ranges = ((0x2800, 0x2800), (0xFFF9, 0xFFFB), (0x13430, 0x1345F))
DRAWS_NOTHING: Ranges = (*DEFAULT_IGNORABLE, *ALSO_BLANK)


def char_class(ranges: Iterable[tuple[int, int]], leaving: str = "") -> str:
    """The inside of a regex character class holding `ranges` but not the characters of `leaving`."""
    left = frozenset(map(ord, leaving))
    codes = sorted({code for low, high in ranges for code in range(low, high + 1)} - left)
    parts, at = [], 0
    while at < len(codes):
        end = at
        while end + 1 < len(codes) and codes[end + 1] == codes[end] + 1:
            end += 1
        low, high = re.escape(chr(codes[at])), re.escape(chr(codes[end]))
        parts.append(low if at == end else f"{low}-{high}")
        at = end + 1
    return "".join(parts)


def code_points(ranges: Iterable[tuple[int, int]]) -> str:
    """Every character of `ranges`, as one string (for `char_class`'s `leaving`)."""
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


_DRAWS_NOTHING = precompiled.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                                                   for low, high in DRAWS_NOTHING) + "]")


def readable(text: str) -> str:
    """`text` as a reader reads it: without the code points that draw nothing."""
    return _DRAWS_NOTHING.sub("", text)


MARKS_FILE = "data/marks.tsv"


@cache
def marks(leaving: str = "") -> str:
    """The inside of a regex class of the combining marks (General Category Mn, Mc and Me): drawn on the character
    before them, and read through by a reader (验〪证码 and 验〮证码 read 验证码), so the text rules read without them
    and a spec may not put one on a Chinese character or pile them up (attack reviews 63 and 64; Mc, the spacing
    marks, holds U+302E and U+302F beside 〪, and U+16FF0, made for Chinese characters). Read from data/marks.tsv, written
    from Python's Unicode tables by `python -m oa_spec.util.unseen` (deriving it at run time took 24 ms of
    `validate`); tests/util/test_unseen.py checks it against them."""
    return char_class(_mark_ranges_stored(), leaving)


def or_astral(ranges: Iterable[tuple[int, int]]) -> str:
    """The inside of a regex class of `ranges` below U+10000 and every code point above: a superset that re checks
    by table, where a class reaching past U+FFFF is checked range by range (a class of the marks took 7 ms over a
    5,000-character name, this one 0.04 ms): the quick test of whether a text may hold any of `ranges` at all."""
    return char_class((low, min(high, 0xFFFF)) for low, high in ranges if low <= 0xFFFF) + "\U00010000-\U0010ffff"


@cache
def may_hold_a_mark() -> re.Pattern[str]:
    """The quick test before a search for combining marks: None from it means the text holds none."""
    return re.compile(f"[{or_astral(_mark_ranges_stored())}]")


@cache
def _mark_ranges_stored() -> Ranges:
    rows = resources.files("oa_spec.util").joinpath(MARKS_FILE).read_text(encoding="utf-8").split()
    return tuple((int(low, 16), int(high, 16)) for low, _, high in (row.partition("-") for row in rows))


def mark_ranges() -> Ranges:
    """The combining marks' ranges, from Python's Unicode tables (the three planes that hold them)."""
    ranges: list[tuple[int, int]] = []
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return tuple(ranges)


if __name__ == "__main__":
    Path(__file__).with_name("data").joinpath("marks.tsv").write_text(
        "".join(f"{low:04X}-{high:04X}\n" for low, high in mark_ranges()), encoding="utf-8")
