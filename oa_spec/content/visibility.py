"""Inline styles that hide text from an article's readers.

The editor keeps inline styles (content/render.py KEPT_STYLE_PROPERTIES), so a paragraph can be in the
draft, in the policy engine's text and in the reviewer's diff, and still never be seen: `display:none`, a
zero or tiny font, a zero box, text too light for the white page (or its own background), text pushed off
the screen. A required statement hidden that way is not made, so `validate` refuses such styles in an
article's raw HTML, and the plan's body diff marks the text of an element whose style hides it.

This is an allow-list of values: every declaration of a property that can hide text must be a value
understood here (css_values.py) and judged readable. A value not understood (calc(), var(), min(), an
unknown unit, lab()) is taken to hide: a reviewer cannot check it either. Every declaration is judged, not
only the one that would win, so neither !important nor the order of duplicates can slip one past.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from oa_spec.content.css_values import (
    FONT_PX,
    GLOBAL_KEYWORDS,
    TRANSPARENT,
    VIEWPORT_WIDTH_PX,
    WHITE,
    Rgba,
    colour,
    contrast,
    font_size_px,
    length_px,
    number,
    unescape,
)

MIN_CONTRAST = 1.5  # WCAG contrast ratio against what is behind: below it, text vanishes (lightgray on white: 1.5)
MIN_FONT_PX = 8.0
MIN_OPACITY = 0.2
OFFSET_PX = (-50.0, 300.0)  # indents, margins, paddings, positions: further than this is off a phone's screen
LETTER_SPACING_PX = (-4.0, 100.0)  # closer than -1/4 em, the characters sit on one another
BORDER_PX = (0.0, 100.0)  # a wide border pushes the text aside like a margin
DEFAULT_TEXT = colour("#333333") or WHITE  # the theme's text colour (content/render.py Theme.text)


class Context(NamedTuple):
    """What an element inherits: its text colour, the opaque colour behind it, its font size in px, how far
    its ancestors' negative margins and indents have pushed it to the left; and how its text is laid out
    (content/clipping.py): the width it wraps in, its line height (a multiple of the font size), whether it
    stays on one line, and the letter-spacing added to each character."""

    text: Rgba = DEFAULT_TEXT
    behind: Rgba = WHITE
    font_px: float = FONT_PX
    shift_px: float = 0.0
    width_px: float = VIEWPORT_WIDTH_PX
    line_height: float = 1.2  # line-height:normal
    nowrap: bool = False
    spacing_px: float = 0.0


PAGE = Context()
PLAIN_VALUES = "lengths in px or em (or %), colours as #RRGGBB or rgb(); calc(), var() and other functions"


@dataclass(frozen=True)
class Hidden:
    """Why an element's text is hidden: the declaration, and whether it was judged or not understood; `advice`
    when it was judged with the text it holds (a box that cuts it off), not by the style alone."""

    declaration: str
    understood: bool = True
    advice: str = ""

    def __str__(self) -> str:
        return self.declaration

    @property
    def fix(self) -> str:
        if self.advice:
            return self.advice
        if self.understood:
            return ("what an article must say, readers must see: remove the style (or give a light colour a "
                    "dark background of its own)")
        return f"write plain values that can be checked: {PLAIN_VALUES} cannot be"


_HIDES, _UNKNOWN = "hides", "unknown"
Judge = Callable[[str], str | None]  # a value -> None (readable), _HIDES or _UNKNOWN


def _length(low: float, high: float, percent_of: float, keywords: frozenset[str] = frozenset()) -> Judge:
    def judge(value: str) -> str | None:
        verdicts = [_one_length(part, low, high, percent_of, keywords) for part in value.split()]
        return _UNKNOWN if not verdicts or _UNKNOWN in verdicts else _HIDES if _HIDES in verdicts else None
    return judge


def _one_length(part: str, low: float, high: float, percent_of: float, keywords: frozenset[str]) -> str | None:
    if part in keywords or part in GLOBAL_KEYWORDS:
        return None
    px = length_px(part, percent_of)
    return _UNKNOWN if px is None else None if low <= px <= high else _HIDES


def _keywords(readable: frozenset[str], hiding: frozenset[str] = frozenset()) -> Judge:
    def judge(value: str) -> str | None:
        parts = value.split()
        if any(part in hiding for part in parts):
            return _HIDES
        return None if parts and all(part in readable or part in GLOBAL_KEYWORDS for part in parts) else _UNKNOWN
    return judge


def _opacity(value: str) -> str | None:
    found = number(value[:-1]) if value.endswith("%") else number(value)
    if found is None:
        return None if value in GLOBAL_KEYWORDS else _UNKNOWN
    return _HIDES if found / (100 if value.endswith("%") else 1) < MIN_OPACITY else None


def _line_height(value: str) -> str | None:
    multiple = number(value)  # a bare number is a multiple of the font size
    if multiple is not None:
        return _HIDES if multiple * FONT_PX < 1 else None
    return _length(1.0, float("inf"), FONT_PX, frozenset({"normal"}))(value)


def _border(value: str) -> str | None:
    verdicts = [None if part in _BORDER_WORDS or colour(part) is not None
                else _one_length(part, *BORDER_PX, FONT_PX, frozenset()) for part in value.split()]
    return _UNKNOWN if not verdicts or _UNKNOWN in verdicts else _HIDES if _HIDES in verdicts else None


def _colour_value(value: str) -> str | None:
    return None if value in _COLOUR_WORDS or colour(value) is not None else _UNKNOWN


_BORDER_WORDS = frozenset({"none", "hidden", "solid", "dashed", "dotted", "double", "groove", "ridge", "inset",
                           "outset", "thin", "medium", "thick", "currentcolor"})
_COLOUR_WORDS = frozenset({"currentcolor", "none", *GLOBAL_KEYWORDS})
_DISPLAY = frozenset({"block", "inline", "inline-block", "flex", "inline-flex", "grid", "inline-grid", "flow",
                      "flow-root", "table", "inline-table", "table-row", "table-cell", "table-row-group",
                      "table-header-group", "table-footer-group", "table-column", "table-column-group",
                      "table-caption", "list-item", "contents", "ruby", "run-in"})
_FONT_SIZES = frozenset({"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large",
                         "smaller", "larger", "math"})
_BOX_WORDS = frozenset({"auto", "none", "fit-content", "min-content", "max-content"})
_ALIGN_WORDS = frozenset({"baseline", "sub", "super", "top", "middle", "bottom", "text-top", "text-bottom"})
_offset = _length(*OFFSET_PX, VIEWPORT_WIDTH_PX, frozenset({"auto", "hanging", "each-line"}))
_none_only = _keywords(frozenset({"none"}))

_OVERFLOWS = frozenset({"overflow", "overflow-x", "overflow-y"})
_BOX_SIZES = frozenset({"height", "max-height", "width", "max-width", "block-size", "max-block-size", "inline-size",
                        "max-inline-size"})
_LOGICAL_OFFSETS = tuple(f"{box}-{axis}{end}" for box in ("margin", "padding", "inset") for axis in ("inline", "block")
                         for end in ("", "-start", "-end"))


# Every property that can hide text: those content/render.py keeps, and those it drops (the live draft's
# HTML can hold them, and refusing them in raw HTML costs an author nothing).
JUDGES: dict[str, Judge] = {
    # table-column(-group) outside a table renders as none (CSS 2.1 §17.2.1)
    "display": _keywords(_DISPLAY, frozenset({"none", "table-column", "table-column-group"})),
    "visibility": _keywords(frozenset({"visible"}), frozenset({"hidden", "collapse"})),
    "content-visibility": _keywords(frozenset({"visible", "auto"}), frozenset({"hidden"})),
    "opacity": _opacity,
    "font-size": _length(MIN_FONT_PX, float("inf"), FONT_PX, _FONT_SIZES),
    "line-height": _line_height,
    "letter-spacing": _length(*LETTER_SPACING_PX, FONT_PX, frozenset({"normal"})),
    **dict.fromkeys(_BOX_SIZES, _length(1.0, float("inf"), VIEWPORT_WIDTH_PX, _BOX_WORDS)),
    **dict.fromkeys(("text-indent", "margin", "margin-top", "margin-bottom", "margin-left", "margin-right",
                     "padding", "padding-top", "padding-bottom", "padding-left", "padding-right", "top", "left",
                     "right", "bottom", "inset", *_LOGICAL_OFFSETS), _offset),
    "vertical-align": _length(*OFFSET_PX, FONT_PX, _ALIGN_WORDS),
    "position": _keywords(frozenset({"static", "relative"}), frozenset({"absolute", "fixed"})),
    **dict.fromkeys(("border", "border-top", "border-bottom", "border-left", "border-right", "border-width"),
                    _border),
    # (offset and offset-path move the text along a path, mask-border draws it through an image)
    **dict.fromkeys(("transform", "translate", "scale", "rotate", "clip-path", "filter", "backdrop-filter",
                     "mask", "mask-image", "mask-border", "mask-border-source", "mask-box-image",
                     "mask-box-image-source", "offset", "offset-path"), _none_only),
    "offset-position": _keywords(frozenset({"normal", "auto"})),
    # size containment lays the box out as if empty (0 high), and strict's paint containment clips the text to it
    "contain": _keywords(frozenset({"none", "layout", "style", "paint", "content", "inline-size"})),
    "clip": _keywords(frozenset({"auto"})),
    "mix-blend-mode": _keywords(frozenset({"normal"})),
    "zoom": _keywords(frozenset({"normal", "1", "100%"})),
    "font": _keywords(frozenset()),  # its size hides in a shorthand: write font-size
    **dict.fromkeys(("color", "-webkit-text-fill-color", "background-color", "background"), _colour_value),
}


# A vendor prefix names the property it stands for (-webkit-transform is transform to WeChat's webviews), unless
# the prefixed property is one of its own (-webkit-text-fill-color); -webkit-margin-start is margin-inline-start.
_PREFIXES = ("-webkit-", "-moz-", "-ms-", "-o-")
_PREFIXED_ALIASES = {f"{box}-{old}": f"{box}-{axis}-{end}" for box in ("margin", "padding")
                     for old, axis, end in (("start", "inline", "start"), ("end", "inline", "end"),
                                            ("before", "block", "start"), ("after", "block", "end"))}


def property_named(written: str) -> str:
    """The property a declaration's name stands for: its vendor prefix dropped (attack review 35 F5)."""
    if written in JUDGES or written in _INKS:
        return written
    bare = next((written.removeprefix(prefix) for prefix in _PREFIXES if written.startswith(prefix)), written)
    return _PREFIXED_ALIASES.get(bare, bare)


def hidden_by(style: str, context: Context = PAGE) -> Hidden | None:
    """The declaration in `style` (an attribute's value) that hides its element's text, or None, for an
    element that inherits `context` (nested relative font sizes shrink; a colour is judged on what is behind)."""
    if "\\" in _without_comments(html.unescape(style)):  # a CSS escape (\64 isplay) spells what no reviewer reads
        return Hidden("a CSS escape in a style", understood=False)
    for written, value in _written_declarations(style):
        judge = JUDGES.get(property_named(written))
        verdict = judge(value) if judge else None
        if verdict is not None:
            return Hidden(f"{written}:{value}", understood=verdict == _HIDES)
    declarations = _declarations(style)
    for name, value in declarations:
        size = font_size_px(value, context.font_px) if name == "font-size" else None
        if size is not None and size < MIN_FONT_PX:
            return Hidden(f"{name}:{value} (of {context.font_px:g}px)")
    return _clipped(declarations, context.font_px) or _too_faint(declarations, context.text, context.behind)


def _clipped(declarations: list[tuple[str, str]], font_px: float) -> Hidden | None:
    """A box smaller than a line of its text that clips what overflows it (the screen-reader-only pattern:
    height:1px;overflow:hidden) shows none of it (attack review 8)."""
    clips = any(name in _OVERFLOWS and value != "visible" for name, value in declarations)
    for name, value in declarations if clips else ():
        if name == "aspect-ratio" and value not in ("auto", *GLOBAL_KEYWORDS):  # (clipped, no line's height is kept)
            return Hidden(f"{name}:{value} with its overflow clipped", understood=False)
        size = length_px(value, VIEWPORT_WIDTH_PX) if name in _BOX_SIZES else None
        if size is not None and size < font_px:
            return Hidden(f"{name}:{value} with its overflow clipped")
    return None


def inherited(style: str, context: Context = PAGE, tag: str = "") -> Context:
    """What the element's children inherit (its last declarations win; sub, sup and small shrink the text as
    browsers' own styles do, and negative left margins and indents add up)."""
    text, behind, font, shift = context.text, context.behind, context.font_px, context.shift_px
    font *= _SMALLER if tag in _SMALLER_TAGS else 1.0
    for name, value in _declarations(style):
        if name in _INKS:
            text = _resolve(value, text)
        elif name in _PAPERS:
            behind = (text if value == "currentcolor" else colour(value) or TRANSPARENT).over(behind)
        elif name == "font-size":
            font = font_size_px(value, font) or font
        elif name in _LEFTWARD and (pushed := length_px(value, VIEWPORT_WIDTH_PX)) is not None and pushed < 0:
            shift += pushed
    return context._replace(text=text, behind=behind, font_px=font, shift_px=shift)


def hidden_within(context: Context) -> Hidden | None:
    """Text that inherits a size too small to read, or a place pushed off the screen, though no one style
    says so (nested 0.9em, sub in sub, -40px margins one inside another: attack review 8)."""
    if context.font_px < MIN_FONT_PX:
        return Hidden(f"font-size:{context.font_px:.1f}px (what the elements around it leave)")
    if context.shift_px < OFFSET_PX[0]:
        return Hidden(f"margin-left:{context.shift_px:g}px (the margins and indents around it added up)")
    return None


_SMALLER, _SMALLER_TAGS = 0.83, frozenset({"sub", "sup", "small"})  # font-size: smaller
_LEFTWARD = frozenset({"margin-left", "text-indent", "left", "margin-inline-start"})
_INKS, _PAPERS = ("color", "-webkit-text-fill-color"), ("background-color", "background")


def declared(style: str, name: str) -> list[str]:
    """Every value `style` (an attribute's value) declares for the property `name`, comments and escapes read."""
    return [value for declared_name, value in _declarations(style) if declared_name == name]


@lru_cache(maxsize=4096)
def declarations(style: str) -> dict[str, list[str]]:
    """Every value `style` declares, by property (as `declared` reads them), from one reading of it: read once
    per style (content/clipping.py lays a box's text out again for each box around it), so a caller must not
    change what it returns."""
    found: dict[str, list[str]] = {}
    for name, value in _declarations(style):
        found.setdefault(name, []).append(value)
    return found


def _declarations(style: str) -> list[tuple[str, str]]:
    """Each (property, value) `style` declares, a prefixed property read as the one it stands for."""
    return [(property_named(name), value) for name, value in _written_declarations(style)]


def _written_declarations(style: str) -> list[tuple[str, str]]:
    source = unescape(_without_comments(html.unescape(style))).lower()
    return [(name.strip(), _without_important(value.strip()))
            for name, _, value in (part.partition(":") for part in source.split(";")) if value.strip()]


def _without_important(value: str) -> str:
    """`#333 !important` and `#333 ! important` (as nh3 writes it) are the colour #333."""
    head = value.removesuffix("important").rstrip()
    return head[:-1].rstrip() if head != value and head.endswith("!") else value


def _too_faint(declarations: list[tuple[str, str]], text: Rgba, behind: Rgba) -> Hidden | None:
    """Text any of whose colours is too close to any of the backgrounds behind it (order and !important
    decide which wins; judging every pair makes neither matter)."""
    inks = [(f"{name}:{value}", _resolve(value, text)) for name, value in declarations if name in _INKS]
    ink = inks[-1][1] if inks else text
    papers = [(f"{name}:{value}", (ink if value == "currentcolor" else colour(value) or TRANSPARENT).over(behind))
              for name, value in declarations if name in _PAPERS]
    for shown, ink in inks or [("", text)]:
        for under, paper in papers or [("", behind)]:
            if (shown or under) and contrast(ink, paper) < MIN_CONTRAST:  # (inherited alone: judged on the parent)
                return Hidden(f"{shown} on {under}" if shown and under else shown or under)
    return None


def _resolve(value: str, inherited_text: Rgba) -> Rgba:
    """A text colour already judged readable by _colour_value: a colour, or currentcolor/a keyword (inherited)."""
    return colour(value) or inherited_text


def _without_comments(style: str) -> str:
    """The style without its /* comments */ (dis/**/play is display); an unclosed one runs to the end."""
    kept, at = [], 0
    while (start := style.find("/*", at)) >= 0:
        kept.append(style[at:start])
        end = style.find("*/", start + 2)
        at = len(style) if end < 0 else end + 2
    return "".join([*kept, style[at:]])
