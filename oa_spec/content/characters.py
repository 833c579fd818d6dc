"""Characters in an article that readers do not see as written.

Default-ignorable code points (Unicode's Default_Ignorable_Code_Point: zero-width spaces and joiners, the
soft hyphen, word joiners, variation selectors, Hangul fillers, tag characters, ...) draw nothing, so
`保&#8203;本` reads as 保本. The policy packs match words, so they read the article with these removed
(content/texts.py); the article keeps them, as emoji need the joiner (👨‍👩‍👧) and variation selectors (❤️).
The table of what draws nothing is util/unseen.py's: display.py refuses, escapes and folds by the same one.

Bidirectional overrides, embeddings and isolates reorder what follows on screen: the packs would read the
storage order while readers see another, so `validate` refuses them in the body (front matter refuses them
as every spec string does, util/display.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from oa_spec.util import precompiled
from oa_spec.util.unseen import ALSO_BLANK as ALSO_BLANK  # the one table of what draws nothing, shared with display
from oa_spec.util.unseen import DEFAULT_IGNORABLE as DEFAULT_IGNORABLE
from oa_spec.util.unseen import readable as readable

# Overrides and embeddings (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_REORDERING = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
_CHARACTER_REFERENCE = precompiled.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})(?![0-9a-fA-F])|0*([0-9]{1,8})(?![0-9]));?")

RIGHT_TO_LEFT_OVERRIDE = "\u202e"
_EMBEDDINGS = {"\u202a": (0, None), "\u202b": (1, None), "\u202d": (0, "L"), "\u202e": (1, "R")}  # parity, override
_ISOLATES = {"\u2066": 0, "\u2067": 1, "\u2068": 0}  # LRI RLI FSI (FSI first-strong: Chinese and Latin are L)
_POP, _ISOLATE_END = "\u202c", "\u2069"  # PDF, PDI
_PARAGRAPH_ENDS = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")  # the bidirectional algorithm's paragraph separators


def drawn_order(text: str) -> str:
    """`text` in the order a phone draws it where explicit direction controls reorder it: 请发送\u202e码证验 is
    请发送验证码 on screen. The bidirectional algorithm's explicit rules (X1-X8: embeddings, overrides, isolates,
    their pops, paragraphs) give each character a level and an override; every other character is taken as
    left-to-right (Chinese and Latin are), and runs are reversed from the highest level down (L2). Weak and
    neutral characters are not resolved further, so this is read beside the stored order, never instead of it.
    A live text may hold such controls (a spec refuses them, and an article's body)."""
    if not any(char in _EMBEDDINGS or char in _ISOLATES or _right_to_left(char) for char in text):
        return text
    return "".join(_drawn_paragraph(part) for part in _paragraphs(text))


def _right_to_left(char: str) -> bool:
    """A strong right-to-left character: Hebrew, Arabic, or the marks that are one (RLM, ALM)."""
    return unicodedata.bidirectional(char) in ("R", "AL")


def _paragraphs(text: str) -> list[str]:
    parts, start = [], 0
    for at, char in enumerate(text):
        if char in _PARAGRAPH_ENDS:
            parts.append(text[start:at + 1])
            start = at + 1
    return [*parts, text[start:]]


def _drawn_paragraph(text: str) -> str:
    # P2-P3: the paragraph runs right to left when its first strong character does (a renderer that takes the
    # direction from the text, as Android's does); the characters of isolates are not looked at
    base = next((1 if _right_to_left(char) else 0 for char in _outside_isolates(text)
                 if _right_to_left(char) or unicodedata.bidirectional(char) == "L"), 0)
    stack: list[tuple[int, str | None, bool]] = [(base, None, False)]  # level, override, opened by an isolate
    isolates = 0
    placed: list[tuple[int, str]] = []  # (resolved level, character)
    for char in text:
        level, override, _ = stack[-1]
        if char in _EMBEDDINGS:
            parity, kind = _EMBEDDINGS[char]
            stack.append((_next_level(level, parity), kind, False))
        elif char in _ISOLATES:
            isolates += 1
            stack.append((_next_level(level, _ISOLATES[char]), None, True))
        elif char == _ISOLATE_END:
            if isolates:  # else it matches nothing and is ignored
                isolates -= 1
                while not stack.pop()[2]:
                    pass
        elif char == _POP:
            if not stack[-1][2] and len(stack) > 1:
                stack.pop()
        elif char in _PARAGRAPH_ENDS:  # L1: at the paragraph's level
            placed.append((base, char))
        else:
            strong = override or ("R" if _right_to_left(char) else "L")
            placed.append((level + ((level % 2 == 1) if strong == "L" else (level % 2 == 0)), char))
    top = max((level for level, _ in placed), default=0)
    for level in range(top, 0, -1):  # L2: reverse every run at this level or higher
        at = 0
        while at < len(placed):
            if placed[at][0] < level:
                at += 1
                continue
            end = at
            while end < len(placed) and placed[end][0] >= level:
                end += 1
            placed[at:end] = placed[at:end][::-1]
            at = end
    return "".join(char for _, char in placed)


def _outside_isolates(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        depth += (char in _ISOLATES) - (char == _ISOLATE_END and depth > 0)
        if not depth and char not in _ISOLATES:
            kept.append(char)
    return "".join(kept)


def _next_level(level: int, parity: int) -> int:
    """The least level above `level` that is odd (parity 1, right to left) or even (0)."""
    return level + 1 if (level + 1) % 2 == parity else level + 2


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

