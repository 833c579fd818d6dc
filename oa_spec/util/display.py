"""What a displayable name or text may contain, and the one escaping layer every renderer uses.

A pull request is untrusted, and a reviewer judges it by what oaspec prints: an ESC sequence can clear
the terminal, a carriage return overwrite a plan line, U+202E reverse a name, a zero-width space make
two tags look the same, and `<!--` in a name hide part of a Markdown PR comment. So:
- `text_problem` refuses such characters in the spec (names refuse line breaks and tabs as well);
- `fold` is how two names are compared for duplicates (NFKC + casefold, so look-alikes collide);
- names and the values a plan prints bare (keys, links, keywords) hold no edge whitespace and no stand-in
  that looks like another character (⼈ KANGXI RADICAL MAN for 人): before and after would read the same;
- `visible`, `markdown`, `code_span` and `json_safe` show any remaining text (live names, the recorded
  user, addresses) so that it cannot change what is around it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from oa_spec.util import precompiled, unseen

# Bidirectional controls: they reorder the characters around them on screen.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Like the joiners, variation selectors draw nothing themselves but pick an emoji's form (❤️ is U+2764 U+FE0F),
# so texts keep them; names and keywords, which followers type and reviewers compare, do not.
_JOINER_RANGES = ((0x200C, 0x200D), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
JOINERS = unseen.char_class(_JOINER_RANGES)
_JOINER_CHARS = unseen.code_points(_JOINER_RANGES)
# Invisible characters that make different names look alike: every other code point that draws nothing
# (util/unseen.py: zero-width spaces, Hangul fillers and the braille blank that make a "whitespace-only" name,
# the tag characters that smuggle invisible ASCII, format controls, the unassigned default-ignorables a renderer
# draws as nothing), and the line and paragraph separators. Refused in every spec string (JOINERS in names),
# escaped by every renderer, folded away when names are compared.
INVISIBLE = (unseen.char_class(unseen.DRAWS_NOTHING, leaving=BIDI_CONTROLS + unseen.code_points(_JOINER_RANGES))
             + "\u2028\u2029")

# Letters that pass for Latin letters beside them (Cyrillic, Armenian, Cherokee, Lisu, Coptic, Tifinagh, IPA,
# dotless ı ȷ, and the Greek letters shaped like Latin ones: Α, ο, ν; β or Δ pass for none), and signs that pass
# for ideographs beside them (CJK and Kangxi radicals, strokes, bopomofo, Hangul jamo, box drawing, the katakana
# that look like 工口力一夕二卜八乀匕厶千儿: エ for 工). Beside the other script they pass for nothing (α收益, Smart β,
# 信用卡・账单 are ordinary text).
_LIKE_LATIN = precompiled.compile("[\u0131\u0237\u0250-\u02af\u0400-\u052f\u0531-\u058f\u13a0-\u13ff\u2c80-\u2cff"
                         "\u2d30-\u2d7f\ua4d0-\ua4ff\u03f2\u03f3ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχ]")
# The katakana, and the ideograph each is drawn as (NFKC makes their half-width forms, ｴ, these; it leaves them kana).
KANA_LIKE_HAN = {"エ": "工", "ロ": "口", "カ": "力", "ー": "一", "タ": "夕", "ニ": "二", "ト": "卜", "ハ": "八",
                 "ヘ": "乀", "ヒ": "匕", "ム": "厶", "チ": "千", "ル": "儿"}
_LIKE_HAN = precompiled.compile("[\u1100-\u11ff\u2500-\u257f\u2e80-\u2fdf\u3100-\u318f\u31c0-\u31ef"
                       + "".join(KANA_LIKE_HAN) + "ｴﾛｶｰﾀﾆﾄﾊﾍﾋﾑﾁﾙ]")
_LATIN = precompiled.compile("[A-Za-z]")
# More letters drawn as Latin ones (attack review 75): Roman numerals (Ⅴ, Ⅽ), small capitals (ᴠ, ᴏ, Ɪ), the click
# letters and Latin iota (ǀ, Ɩ), the Cyrillic of Extensions B and C (ꙇ), and runic, Hebrew, Arabic and N'Ko letters
# drawn as a stroke (ᛁ, ו, ا, ߊ): in ⅤIP, cᴏde or VǀP they pass for the word's own letters; beside no Latin letter
# (Ⅰ类账户, 第Ⅱ期) they are numbers, or nothing a bank writes; and the signs drawn as a vertical bar (∣ DIVIDES, ❘,
# │, ⏐, Hebrew paseq), which pass for I or l there (V∣P). A set, not a class of _LIKE_LATIN, so that the precompiled
# regex programs stay as they are.
_DRAWN_AS_LATIN = frozenset(chr(code) for first, last in (
    (0x1D00, 0x1D2B), (0xA730, 0xA731), (0xA7AE, 0xA7AE), (0x2160, 0x2188), (0x01C0, 0x01C3), (0x0196, 0x0196),
    (0xA640, 0xA69F), (0x1C80, 0x1C88), (0x16A0, 0x16F8), (0x05D0, 0x05EA), (0x0620, 0x064A), (0x07CA, 0x07EA),
    (0x2223, 0x2223), (0x2758, 0x2758), (0x2502, 0x2503), (0x23D0, 0x23D0), (0x05C0, 0x05C0), (0xFFE8, 0xFFE8),
) for code in range(first, last + 1))
# What NFKC makes an ASCII letter or digit and is drawn as what it is, so a name keeps it: full-width forms (ＶＩＰ),
# letters and digits in a circle or a box (①, Ⓐ, 🄰), and Roman numerals (Ⅰ类账户; beside Latin letters, above).
_DRAWN_AS_ITSELF = ((0xFF00, 0xFFEF), (0x2460, 0x24FF), (0x3251, 0x32BF), (0x1F100, 0x1F1FF), (0x2160, 0x2188))
_KANA = precompiled.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9f]")
# Greek and Cyrillic letters shaped like Latin ones: a word wholly of them reads as Latin when it has two or more
# (ΑΤΜ, ѴІР) or is one capital (Α股 for A股); a lowercase one alone is a letter of its own (α收益, Smart β).
_GREEK_OR_CYRILLIC_WORD = precompiled.compile("[\u0370-\u03ff\u0400-\u052f]+")
_LATIN_SHAPED = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορυχАВЕЅІЈКМНОРСТХУѴҮԜаеһіјорсѕухԁԛԝѵ")
_HAN = precompiled.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What a value the platform compares exactly may hold: printable ASCII and Chinese characters (a link's other
# characters percent-encoded); and a keyword, what followers type: those, Chinese and full-width punctuation, ¥,
# and emoji. Anything else can pass for another's letter or sign (Cyrillic АТМ for ATM, ‐ for -, ‚ for a comma).
_EXACT_CHARS = precompiled.compile("[\x20-\x7e\u3400-\u4dbf\u4e00-\u9fff]*")
_KEYWORD_SET = ("\x20-\x7e\u00a5\u00b7\u0370-\u03ff\u2014\u2018\u2019\u201c\u201d\u2026\u2030\u203b\u3000-\u303f"
                "\u3041-\u30ff\uac00-\ud7a3\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0c\uff0e\uff0f\uff1a-\uff20"
                "\uff3b-\uff40\uff5b-\uff63\uffe0-\uffe6\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff")
_KEYWORD_CHARS = precompiled.compile(f"[{_KEYWORD_SET}]*")
# A regex keyword's: those, and the full-width letters and digits a class may name ([1-5１-５]).
_PATTERN_CHARS = precompiled.compile(f"[{_KEYWORD_SET}\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]*")
_C0_BUT_TAB_AND_NEWLINE = "\x00-\x08\x0b-\x1f"
_INVISIBLE = precompiled.compile(f"[{INVISIBLE}{JOINERS}]")
# Code points that stand for nothing (noncharacters, U+FFFC OBJECT REPLACEMENT CHARACTER), and in names those of
# private use, which one phone draws as a vendor's sign and the next as a box: two names apart only by them look the
# same (attack review 77, a note). Renderers spell them out.
_STANDS_FOR_NOTHING = "\ufdd0-\ufdef\ufffc\ufffe\uffff" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF)
                                                                for plane in range(1, 17))
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U0010ffff"
_TEXT_UNSAFE = precompiled.compile(f"[{_C0_BUT_TAB_AND_NEWLINE}\x7f-\x9f{BIDI_CONTROLS}{INVISIBLE}\ud800-\udfff"
                                   f"{_STANDS_FOR_NOTHING}]")
_NAME_UNSAFE = precompiled.compile(f"[\t\n{_C0_BUT_TAB_AND_NEWLINE}\x7f-\x9f{BIDI_CONTROLS}{INVISIBLE}{JOINERS}"
                                   f"\ud800-\udfff{_STANDS_FOR_NOTHING}{_PRIVATE_USE}]")
# Everything `visible` spells out as an escape: what a name may not hold (tab and newline too: one value, one line);
# and a superset re checks by table, so that a text holding none of them is passed over at once
_SHOWN_ESCAPED = _NAME_UNSAFE
_MAY_BE_ESCAPED = precompiled.compile(f"[\t\n{_C0_BUT_TAB_AND_NEWLINE}\x7f-\x9f{BIDI_CONTROLS}\u2028\u2029\ud800-\udfff"
                                      "\ue000-\uf8ff\ufdd0-\ufdef\ufffc\ufffe\uffff"
                                      f"{unseen.or_astral((*unseen.DRAWS_NOTHING, *_JOINER_RANGES))}]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Markdown and HTML punctuation that could start a construct (emphasis, link, HTML comment, table cell).
_MARKDOWN_SPECIAL = precompiled.compile(r"([\\`*_\[\]<>|~&#!])")
# In JSON output, what json.dumps leaves raw but a terminal would act on (it escapes C0 itself).
_JSON_UNSAFE = precompiled.compile(f"[\x7f-\x9f{BIDI_CONTROLS}{INVISIBLE}\u2028\u2029]")


def describe(ch: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: how a diagnostic names an unwanted character."""
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch, '')}".rstrip())


def text_problem(text: str, name: bool = False) -> str | None:
    """Why `text` may not be in a spec (None when it may). A name is one line of visible characters."""
    found = (_NAME_UNSAFE if name else _TEXT_UNSAFE).search(text) if _MAY_BE_ESCAPED.search(text) else None
    if found:
        ch = found.group()
        return (f"contains {describe(ch)} at character {found.start() + 1}, {_unsafe_kind(ch)} that can change what "
                "a reader sees")
    piled = _piled_marks().search(text) if unseen.may_hold_a_mark().search(text) else None
    if piled:
        count, drawn = len(piled.group()), piled.group().lstrip(_JOINER_CHARS)
        if count >= _PILE:
            return (f"contains {count} combining marks piled on one character at character {piled.start() + 1}, "
                    f"which draw over the lines around it: keep at most {_PILE - 1}")
        return (f"contains {describe(drawn[0])} at character {piled.end() - len(drawn) + 1}, a combining mark on a "
                "Chinese character, which changes how the word looks and not what it says: write the text without it")
    if name and not text.strip():
        return "is only whitespace"
    return (_edge_or_stand_in(text, _a_name_stand_in) or _mixed_scripts(text)
            or _whole_word_look_alike(text)) if name else None


def _unsafe_kind(ch: str) -> str:
    """What kind of character `text_problem` refuses `ch` as."""
    category = unicodedata.category(ch)
    if ch in "\t\n":
        return "a line break or tab"
    if ch in BIDI_CONTROLS:
        return "a bidirectional control"
    if _INVISIBLE.match(ch):
        return "an invisible character"
    if category == "Cs":
        return "a lone surrogate"
    if category == "Cn" or ch == "\ufffc":
        return "a noncharacter or placeholder"
    if category == "Co":
        return "a private-use character, drawn by each phone its own way,"
    return "a control character"


def value_problem(value: str) -> str | None:
    """Why a value the platform compares exactly (a click key, a link, an appid) may not be in a spec:
    `text_problem`'s reasons, any character NFKC changes (full-width, ligatures), and any but printable ASCII and
    Chinese characters: each would show in a plan as the value it is not."""
    return (text_problem(value, name=True) or _edge_or_stand_in(value)
            or _outside(value, _EXACT_CHARS, "a key, link or id holds printable ASCII and Chinese characters only "
                                             "(percent-encode a link's other characters)"))


def keyword_problem(keyword: str, pattern: bool = False) -> str | None:
    """Why a keyword may not be in a spec: a name's reasons, a letter or digit NFKC changes (Ｋ, K KELVIN SIGN;
    full-width punctuation is what followers type), and any character but Chinese, ASCII, punctuation and emoji.
    A `pattern` (a regex keyword) may name full-width letters and digits in its classes."""
    allowed = _PATTERN_CHARS if pattern else _KEYWORD_CHARS
    return (text_problem(keyword, name=True)
            or (None if pattern else _edge_or_stand_in(keyword, _a_letter))
            or _outside(keyword, allowed, "a keyword holds the letters followers type (Chinese, ASCII, Greek, kana, "
                                          "Hangul), punctuation and emoji"))


def _outside(text: str, allowed: re.Pattern[str], rule: str) -> str | None:
    end = allowed.match(text).end()  # type: ignore[union-attr]  # a starred class matches every text's start
    if end == len(text):
        return None
    return f"contains {describe(text[end])} at character {end + 1}, which can pass for another: {rule}"


def _mixed_scripts(text: str) -> str | None:
    """A letter that passes for Latin inside a Latin word, or a sign that passes for an ideograph next to one and to
    no other kana (Cyrillic а in `TXN_DETАIL`, katakana エ in 人エ; ソニー銀行 and 量化α ETF are words of their own):
    UTS #39's mixed-script confusables, as bank texts meet them."""
    pairs = ((_LIKE_LATIN, _LATIN, "Latin letters"), (_LIKE_HAN, _HAN, "Chinese characters"))
    # of the Latin script itself, so neither the classes above nor NFKC's stand-ins see it
    for at, ch in enumerate(text) if not _DRAWN_AS_LATIN.isdisjoint(text) else ():
        if ch in _DRAWN_AS_LATIN and _LATIN.search(text[max(at - 1, 0):at + 2]):
            return (f"contains {describe(ch)} at character {at + 1} beside Latin letters, which it can pass for: "
                    "write the word in one script")
    for look_alike, passes_for, what in pairs:
        for found in look_alike.finditer(text):
            near = text[max(found.start() - 1, 0):found.end() + 1]
            if passes_for.search(near) and not _in_a_kana_word(text, found.start()):
                return (f"contains {describe(found.group())} at character {found.start() + 1} beside {what}, which "
                        "it can pass for: write the word in one script")
    return None


def _in_a_kana_word(text: str, at: int) -> bool:
    """Whether the kana at `at` is in a run of kana holding one that passes for nothing (ソニー, カード, not エロ)."""
    start, end = at, at + 1
    while start > 0 and _KANA.match(text[start - 1]):
        start -= 1
    while end < len(text) and _KANA.match(text[end]):
        end += 1
    return any(_KANA.match(ch) and not _LIKE_HAN.match(ch) for ch in text[start:end])


def _whole_word_look_alike(text: str) -> str | None:
    """A word of Greek or Cyrillic letters that reads as Latin (see _LATIN_SHAPED)."""
    for found in _GREEK_OR_CYRILLIC_WORD.finditer(text):
        word = found.group()
        if set(word) <= _LATIN_SHAPED and (len(word) > 1 or word.isupper()):
            return f"contains {word!r}, letters of another script shaped like Latin ones: write it in Latin letters"
    return None


def _edge_or_stand_in(text: str, counted: Callable[[str, str], bool] = lambda ch, meant: True) -> str | None:
    """Edge whitespace, or a character NFKC changes into one `counted` (any, by default; told the character too)."""
    for at in (0, -1) if text else ():
        if text[at].isspace():
            where = "starts" if at == 0 else "ends"
            return f"{where} with {describe(text[at])}, which a reader cannot see"
    for i, ch in enumerate(text):
        meant = unicodedata.normalize("NFKC", ch)
        if meant != ch and counted(ch, meant):
            return (f"contains {describe(ch)} at character {i + 1}, which looks like {meant!r} but is not it: "
                    f"write {meant!r}")
    return None


def _a_name_stand_in(ch: str, meant: str) -> bool:
    """What a name's stand-in is: one NFKC makes an ideograph (⼈ KANGXI RADICAL MAN is 人), or one it makes an ASCII
    letter or digit that is drawn as that letter, only styled: a mathematical or letterlike one (𝖨, K KELVIN SIGN:
    in V𝖨P they pass for the word's own letters; attack review 74), a raised or lowered one (ᴵ, ¹), ſ. Full-width
    ＶＩＰ, ① and Ⅱ stay names: they are drawn as what they are (a Roman numeral beside Latin letters, VIPⅡ, is
    refused by _mixed_scripts: review 75); ™ (TM) and № (No) are signs of their own."""
    return (unicodedata.name(meant[0], "").startswith("CJK UNIFIED")
            or (len(meant) == 1 and meant.isascii() and meant.isalnum()
                and not any(first <= ord(ch) <= last for first, last in _DRAWN_AS_ITSELF)))


def _a_letter(ch: str, meant: str) -> bool:
    """What a keyword's stand-in becomes: Ｋ and K KELVIN SIGN are K (full-width punctuation may stay: followers
    type it)."""
    return meant.isalnum()


def fold(name: str) -> str:
    """The form two names are compared in: look-alikes (NFC/NFD, full-width, case, spacing, a code point that
    draws nothing: V\u2065IP is VIP) become equal."""
    return " ".join(unseen.readable(unicodedata.normalize("NFKC", unseen.readable(name))).casefold().split())


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    return _escape_code(ord(ch))


def _escape_each(match: re.Match[str]) -> str:
    return "".join(_escape_code(ord(ch)) for ch in match.group())


def _escape_code(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: object) -> str:
    """`text` on one line with every control, bidirectional and invisible character spelled out (\\x1b,
    \\u202e, \\n), and combining marks on a Chinese character or piled up: what it is, never what it would do to
    a terminal or the lines around it."""
    shown = str(text)
    if _MAY_BE_ESCAPED.search(shown):
        shown = _SHOWN_ESCAPED.sub(_escape, shown)
    if shown.isascii() or not unseen.may_hold_a_mark().search(shown):
        return shown
    return _piled_marks().sub(_escape_each, shown)


# A combining mark is drawn on the character before it: on a Chinese character a reader reads straight through it
# (验〪证码 is 验证码), and piled up it draws over the lines around it (attack review 63). A variation selector, which
# only picks a glyph, may follow a Chinese character; two marks may follow anything (an emoji keycap is a variation
# selector and U+20E3).
_PILE = 3
# The ideographs beyond U+FFFF: planes 2 and 3 hold nothing else (CJK Extensions B to H and the compatibility
# supplement), and 𠮷 is as much a Chinese character as 吉 (attack review 74)
_ASTRAL_HAN = "\U00020000-\U0003ffff"


def mark_pile(text: str) -> tuple[int, int] | None:
    """(0-based index, count) of the first run of combining marks piled on one character that draws over the lines
    around it, as `text_problem` refuses it in every spec string; None when there is none."""
    found = _mark_piles().search(text) if unseen.may_hold_a_mark().search(text) else None
    return None if found is None else (found.start(), len(found.group()))


@cache
def _mark_piles() -> re.Pattern[str]:
    return re.compile(f"[{unseen.marks()}]{{{_PILE},}}")


@cache
def _piled_marks() -> re.Pattern[str]:
    marks, drawn = unseen.marks(), unseen.marks(leaving=_JOINER_CHARS)
    on_han = f"(?<=[\u3400-\u9fff\uf900-\ufaff{_ASTRAL_HAN}])[{JOINERS}]*[{drawn}][{marks}]*"
    return re.compile(f"{on_han}|[{marks}]{{{_PILE},}}")


def exact(value: str) -> str:
    """A value the platform compares exactly, as itself; quoted, with its unseen or stand-in characters
    escaped, when it could pass for another (a live key with a trailing space: the spec refuses those)."""
    if not value_problem(value):
        return value
    return '"' + "".join(ch if _EXACT_CHARS.fullmatch(ch) else _escape_code(ord(ch)) for ch in visible(value)) + '"'


def markdown(text: object) -> str:
    """`visible`, then Markdown/HTML punctuation escaped: the text shows as itself in a PR comment."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


def code_span(text: object) -> str:
    """`text` as inline code, with a fence longer than any backtick run inside, so it cannot close early."""
    shown = visible(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def json_safe(dumped: str) -> str:
    """JSON text (from json.dumps) with bidirectional, invisible and C1 characters written as \\uXXXX:
    the same data, but nothing a terminal showing it would act on, nor marks piled to draw over other lines."""
    safe = _JSON_UNSAFE.sub(lambda m: _json_escape(ord(m.group())), dumped)
    return safe if safe.isascii() else _piled_marks().sub(lambda m: "".join(_json_escape(ord(c)) for c in m.group()),
                                                          safe)


def _json_escape(code: int) -> str:
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xd800 + (code >> 10):04x}\\u{0xdc00 + (code & 0x3ff):04x}"


def excerpt(text: str, limit: int = 80) -> str:
    """A bounded, visible quotation of `text` for a diagnostic."""
    shown = visible(text)
    if len(shown) <= limit:
        return repr(shown) if shown == text else f"'{shown}'"
    return f"'{shown[:limit]}…' ({len(text)} characters)"


def width(text: str) -> int:
    """Columns a terminal uses for `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))
