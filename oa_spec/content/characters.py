"""Characters in an article that readers do not see as written.

Default-ignorable code points (Unicode's Default_Ignorable_Code_Point: zero-width spaces and joiners, the
soft hyphen, word joiners, variation selectors, Hangul fillers, tag characters, ...) draw nothing, so
`保&#8203;本` reads as 保本. The policy packs match words, so they read the article with these removed
(content/texts.py); the article keeps them, as emoji need the joiner (👨‍👩‍👧) and variation selectors (❤️).

Bidirectional overrides, embeddings and isolates reorder what follows on screen: the packs would read the
storage order while readers see another, so `validate` refuses them in the body (front matter refuses them
as every spec string does, util/display.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oa_spec.util import precompiled

# DerivedCoreProperties.txt, Default_Ignorable_Code_Point (Unicode 15.1), as ranges.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Outside it, but drawing nothing between two words all the same (attack review 8): the braille blank, the
# interlinear annotation controls, the Egyptian hieroglyph format controls.
ALSO_BLANK = ((0x2800, 0x2800), (0xFFF9, 0xFFFB), (0x13430, 0x1345F))
_IGNORABLE = precompiled.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                                      for low, high in (*DEFAULT_IGNORABLE, *ALSO_BLANK)) + "]")
# Overrides and embeddings (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_REORDERING = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_CHARACTER_REFERENCE = precompiled.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})(?![0-9a-fA-F])|0*([0-9]{1,8})(?![0-9]));?")


def readable(text: str) -> str:
    """`text` as a reader reads it: without the code points that draw nothing."""
    return _IGNORABLE.sub("", text)


RIGHT_TO_LEFT_OVERRIDE = "\u202e"
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI
_OPENERS = frozenset("\u202a\u202b\u202d\u202e") | _ISOLATES  # and LRE RLE LRO RLO
_POP, _ISOLATE_END = "\u202c", "\u2069"  # PDF, PDI
_PARAGRAPH_ENDS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")  # the bidirectional algorithm's paragraph separators


def drawn_order(text: str) -> str:
    """`text` with each run a right-to-left override forces drawn reversed, as a phone draws it: 请发送\u202e码证验
    is 请发送验证码 on screen. As in the bidirectional algorithm, the run ends at the pop that matches it, at the end
    of an isolate it was opened in, or at a paragraph's end; a pop or an isolate's end that matches nothing is
    ignored; a direction opened inside the run is drawn as one piece (reversed if it is another override, else
    in stored order: \u202e码\u202d验证\u202c is 验证码). A live text may hold one (a spec refuses it, and an article's
    body); deeper nesting is not modelled, so this is read beside the stored order, never instead of it."""
    if RIGHT_TO_LEFT_OVERRIDE not in text:
        return text
    drawn: list[str] = []
    run: list[str] | None = None  # the pieces of an open override, in stored order
    group: list[str] | None = None  # a direction opened inside it, and not closed yet
    reversed_group, depth, outer = False, 0, 0  # depth: opened inside the group; outer: isolates around the run
    group_closer = _POP
    for char in text:
        if run is None:
            if char == RIGHT_TO_LEFT_OVERRIDE:
                run = []
            else:
                closed = char == _ISOLATE_END and outer > 0
                outer = 0 if char in _PARAGRAPH_ENDS else outer + (char in _ISOLATES) - closed
                drawn.append(char)
            continue
        # a paragraph's end, or the end of an isolate the override was opened in, closes everything
        ends_all = char in _PARAGRAPH_ENDS or (
            char == _ISOLATE_END and outer > 0 and not depth and group_closer == _POP)
        if group is not None and not ends_all:
            if char == group_closer and not depth:  # an embedding's pop, an isolate's end: not the other one
                run.append("".join(reversed(group) if reversed_group else group))
                group = None
            else:
                depth += (char in _OPENERS) - (char in (_POP, _ISOLATE_END) and depth > 0)
                group.append(char)
            continue
        if group is not None:
            run.append("".join(reversed(group) if reversed_group else group))
            group = None
        if char in _PARAGRAPH_ENDS or char == _POP or (char == _ISOLATE_END and outer > 0):
            drawn += [*reversed(run), char]
            run = None
            outer = 0 if char in _PARAGRAPH_ENDS else outer - (char == _ISOLATE_END)
        elif char in _OPENERS:
            group, reversed_group, depth = [], char == RIGHT_TO_LEFT_OVERRIDE, 0
            group_closer = _ISOLATE_END if char in _ISOLATES else _POP
        elif char != _ISOLATE_END:  # an isolate's end that matches nothing is ignored
            run.append(char)
    if group is not None and run is not None:
        run.append("".join(reversed(group) if reversed_group else group))
    return "".join(drawn + list(reversed(run or [])))


def bidi_controls(line: str) -> Iterator[tuple[int, int]]:
    """(0-based column, code point) of each bidirectional override, embedding or isolate in a line of
    Markdown, written as the character or as a numeric character reference (&#x202E;, &#8238)."""
    for at, char in enumerate(line):
        if ord(char) in BIDI_REORDERING:
            yield at, ord(char)
    for found in _CHARACTER_REFERENCE.finditer(line):
        digits_hex, digits = found.groups()
        code = int(digits_hex, 16) if digits_hex else int(digits)
        if code in BIDI_REORDERING:
            yield found.start(), code

