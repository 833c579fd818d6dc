"""The allow-list of styles (content/visibility.py): each property that may style a statement a reader is sure to
see, and the values of it judged readable. A property not here is taken to hide the text it styles (attack review
41); `OWN_TEXT` names those that can hide only their element's own text, so any other that hides may move its box,
or paint, over other text of the body.
"""

from __future__ import annotations

from collections.abc import Callable

from oa_spec.content.css_values import FONT_PX, GLOBAL_KEYWORDS, VIEWPORT_WIDTH_PX, colour, length_px, number

MIN_CONTRAST = 1.5  # WCAG contrast ratio against what is behind: below it, text vanishes (lightgray on white: 1.5)
MIN_FONT_PX = 8.0
MIN_OPACITY = 0.2
OFFSET_PX = (-50.0, 300.0)  # indents, margins, paddings, positions: further than this is off a phone's screen
# closer than -1/4 em (of the element's own font: visibility.py judges it so), the characters sit on one another
MIN_SPACING_EM = -0.25
LETTER_SPACING_PX = (float("-inf"), 100.0)
MIN_LINE_HEIGHT = 1.0  # lines closer than the font's own height are drawn on one another (attack review 42 F4)
BORDER_PX = (0.0, 100.0)  # a wide border pushes the text aside like a margin

HIDES, UNKNOWN = "hides", "unknown"
Judge = Callable[[str], str | None]  # a value -> None (readable), HIDES or UNKNOWN


def _length(low: float, high: float, percent_of: float, keywords: frozenset[str] = frozenset()) -> Judge:
    def judge(value: str) -> str | None:
        verdicts = [_one_length(part, low, high, percent_of, keywords) for part in value.split()]
        return UNKNOWN if not verdicts or UNKNOWN in verdicts else HIDES if HIDES in verdicts else None
    return judge


def _one_length(part: str, low: float, high: float, percent_of: float, keywords: frozenset[str]) -> str | None:
    if part in keywords or part in GLOBAL_KEYWORDS:
        return None
    px = length_px(part, percent_of)
    return UNKNOWN if px is None else None if low <= px <= high else HIDES


def _keywords(readable: frozenset[str], hiding: frozenset[str] = frozenset()) -> Judge:
    def judge(value: str) -> str | None:
        parts = value.split()
        if any(part in hiding for part in parts):
            return HIDES
        return None if parts and all(part in readable or part in GLOBAL_KEYWORDS for part in parts) else UNKNOWN
    return judge


def _opacity(value: str) -> str | None:
    found = number(value[:-1]) if value.endswith("%") else number(value)
    if found is None:
        return None if value in GLOBAL_KEYWORDS else UNKNOWN
    return HIDES if found / (100 if value.endswith("%") else 1) < MIN_OPACITY else None


def _line_height(value: str) -> str | None:
    multiple = number(value)  # a bare number is a multiple of the font size (a length: judged with it, visibility.py)
    if multiple is not None:
        return HIDES if multiple < MIN_LINE_HEIGHT else None
    return _length(1.0, float("inf"), FONT_PX, frozenset({"normal"}))(value)


def _border(value: str) -> str | None:
    verdicts = [None if part in _BORDER_WORDS or colour(part) is not None
                else _one_length(part, *BORDER_PX, FONT_PX, frozenset()) for part in value.split()]
    return UNKNOWN if not verdicts or UNKNOWN in verdicts else HIDES if HIDES in verdicts else None


def _colour_value(value: str) -> str | None:
    return None if value in _COLOUR_WORDS or colour(value) is not None else UNKNOWN


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
_spacing = _length(0.0, OFFSET_PX[1], VIEWPORT_WIDTH_PX, frozenset({"auto"}))  # a negative margin pulls a box over


def _moved(value: str) -> str | None:
    """An offset: any length moves the box from where it is laid out (with a position other than static)."""
    verdicts = [None if part == "auto" or part in GLOBAL_KEYWORDS else UNKNOWN if length_px(part, 0.0) is None
                else HIDES for part in value.split()]
    return UNKNOWN if not verdicts or UNKNOWN in verdicts else HIDES if HIDES in verdicts else None


def _any(value: str) -> str | None:
    """A property that cannot hide, move or cover text, whatever its value."""
    return None


_none_only = _keywords(frozenset({"none"}))

OVERFLOWS = ("overflow", "overflow-x", "overflow-y", "overflow-inline", "overflow-block")  # in the order they are named
_SIDE_BY_SIDE = frozenset({"flex", "inline-flex", "grid", "inline-grid", "ruby", "run-in"})
# Properties that cannot hide, move or cover text, whatever their value
_HARMLESS = frozenset({
    "font-weight", "font-style", "font-family", "font-variant", "font-variant-numeric", "text-align",
    "text-align-last", "text-decoration", "text-decoration-line", "text-decoration-color", "text-decoration-style",
    "text-decoration-thickness", "text-underline-offset", "text-overflow", "border-radius", "border-collapse",
    "border-color", "border-style", *(f"border-{side}-{part}" for side in ("top", "right", "bottom", "left")
                                      for part in ("color", "style")),
    *(f"border-{v}-{h}-radius" for v in ("top", "bottom") for h in ("left", "right")),
    "list-style-type", "list-style-position", "box-sizing", "caret-color", "table-layout", "caption-side",
    "empty-cells", "text-size-adjust", "tap-highlight-color", "font-kerning", "text-rendering", "font-feature-settings",
})
# What hides only the element's own text: anything else judged to hide may move its box, or paint, over others
OWN_TEXT = frozenset({
    "display", "visibility", "content-visibility", "opacity", "font-size", "font", "line-height", "letter-spacing",
    "word-spacing", "color", "-webkit-text-fill-color", "background-color", "background", "contain", "clip",
    "clip-path", "mask", "mask-image", "filter", "text-indent", "white-space", "text-wrap", "text-wrap-mode",
    "word-break", "overflow-wrap", "word-wrap", *OVERFLOWS, "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "border", "border-top", "border-bottom", "border-left", "border-right",
    "border-width", "width", "max-width", "inline-size", "max-inline-size"})
BOX_SIZES = frozenset({"height", "max-height", "width", "max-width", "block-size", "max-block-size", "inline-size",
                        "max-inline-size"})
_LOGICAL_OFFSETS = tuple(f"{box}-{axis}{end}" for box in ("margin", "padding", "inset") for axis in ("inline", "block")
                         for end in ("", "-start", "-end"))


# Every property that can hide text: those content/render.py keeps, and those it drops (the live draft's
# HTML can hold them, and refusing them in raw HTML costs an author nothing).
JUDGES: dict[str, Judge] = {
    # table-column(-group) outside a table renders as none (CSS 2.1 §17.2.1); a flex or grid row lays its
    # children side by side, past the phone's edge
    "display": _keywords(_DISPLAY, frozenset({"none", "table-column", "table-column-group", *_SIDE_BY_SIDE})),
    "visibility": _keywords(frozenset({"visible"}), frozenset({"hidden", "collapse"})),
    "content-visibility": _keywords(frozenset({"visible", "auto"}), frozenset({"hidden"})),
    "opacity": _opacity,
    "font-size": _length(MIN_FONT_PX, float("inf"), FONT_PX, _FONT_SIZES),
    "line-height": _line_height,
    "letter-spacing": _length(*LETTER_SPACING_PX, FONT_PX, frozenset({"normal"})),
    **dict.fromkeys(BOX_SIZES, _length(1.0, float("inf"), VIEWPORT_WIDTH_PX, _BOX_WORDS)),
    "text-indent": _offset,
    **dict.fromkeys(("margin", "margin-top", "margin-bottom", "margin-left", "margin-right", "padding",
                     "padding-top", "padding-bottom", "padding-left", "padding-right",
                     *(name for name in _LOGICAL_OFFSETS if not name.startswith("inset"))), _spacing),
    # a box moved from where it is laid out may be moved over other text
    **dict.fromkeys(("top", "left", "right", "bottom", "inset",
                     *(name for name in _LOGICAL_OFFSETS if name.startswith("inset"))), _moved),
    "vertical-align": _length(*OFFSET_PX, FONT_PX, _ALIGN_WORDS),
    "position": _keywords(frozenset({"static"}), frozenset({"relative", "absolute", "fixed", "sticky"})),
    "float": _keywords(frozenset({"none"}), frozenset({"left", "right", "inline-start", "inline-end"})),
    "clear": _keywords(frozenset({"none", "left", "right", "both", "inline-start", "inline-end"})),
    # a box that cuts off what overflows it may cut off the statement (a scroll box lets the reader scroll to it:
    # content/clipping.py judges one with a size against its text)
    **dict.fromkeys(OVERFLOWS, _keywords(frozenset({"visible", "auto", "scroll", "overlay"}),
                                          frozenset({"hidden", "clip"}))),
    **dict.fromkeys(("white-space", "text-wrap", "text-wrap-mode"), _keywords(frozenset(
        {"normal", "nowrap", "pre", "pre-wrap", "pre-line", "break-spaces", "wrap", "balance", "pretty", "stable"}))),
    "word-break": _keywords(frozenset({"normal", "break-all", "break-word", "keep-all", "auto-phrase"})),
    **dict.fromkeys(("overflow-wrap", "word-wrap"), _keywords(frozenset({"normal", "break-word", "anywhere"}))),
    "word-spacing": _length(*LETTER_SPACING_PX, FONT_PX, frozenset({"normal"})),
    **dict.fromkeys(("min-width", "min-height", "min-inline-size", "min-block-size"),
                    _length(0.0, float("inf"), VIEWPORT_WIDTH_PX, _BOX_WORDS)),
    **dict.fromkeys(_HARMLESS, _any),
    **dict.fromkeys(("border", "border-top", "border-bottom", "border-left", "border-right", "border-width"),
                    _border),
    # (offset and offset-path move the text along a path, mask-border draws it through an image)
    **dict.fromkeys(("transform", "translate", "scale", "rotate", "clip-path", "filter", "backdrop-filter",
                     "mask", "mask-image", "mask-border", "mask-border-source", "mask-box-image",
                     "mask-box-image-source", "offset", "offset-path"), _none_only),
    "offset-position": _keywords(frozenset({"normal", "auto"})),
    # size containment lays the box out as if empty (0 high), and strict's paint containment clips the text to it
    "contain": _keywords(frozenset({"none", "layout", "style", "inline-size"}),
                         frozenset({"paint", "content", "strict", "size"})),
    "clip": _keywords(frozenset({"auto"})),
    "mix-blend-mode": _keywords(frozenset({"normal"})),
    "zoom": _keywords(frozenset({"normal", "1", "100%"})),
    "font": _keywords(frozenset()),  # its size hides in a shorthand: write font-size
    **dict.fromkeys(("color", "-webkit-text-fill-color", "background-color", "background"), _colour_value),
}
