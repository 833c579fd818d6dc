"""util/unseen.py: the stored table of combining marks is Python's (attack review 63)."""

from __future__ import annotations

import re
import unicodedata

from oa_spec.util import unseen


def test_the_stored_marks_are_every_combining_mark_pythons_unicode_tables_know() -> None:
    # Fails when Python's Unicode version moves: regenerate with `python -m oa_spec.util.unseen`.
    stored = re.compile(f"[{unseen.marks()}]")
    every = {code for code in range(0x110000) if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")}
    assert {code for low, high in unseen.mark_ranges() for code in range(low, high + 1)} == every
    assert {code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF and stored.match(chr(code))} == every
    assert {0x0300, 0x0489, 0x302A, 0x302E, 0x16FF0, 0x20DD, 0xFE0F, 0xE0100} <= every and 0x4E00 not in every


def test_marks_leaving_some_out_leaves_only_those_out() -> None:
    leaving = re.compile(f"[{unseen.marks(leaving=chr(0xFE0F))}]")
    assert leaving.match("\u0300") and not leaving.match("\ufe0f")
