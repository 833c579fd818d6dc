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

It is an allow-list of properties too (attack review 41): a statement is made only where a reader is sure to
see it, so a property not judged here (position, float, outline, text-stroke, a flex row...) is taken to hide
the text it styles, like a value not understood; and one that can move a box or paint beyond it (`Hidden.covers`:
an offset, a negative margin, a transform, an unknown property) may cover any text of the body.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from oa_spec.content.css_values import (
    BORDER_WIDTH_KEYWORDS,
    EDGE_SLACK_PX,
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
from oa_spec.content.style_judges import (
    BOX_SIZES,
    HIDES,
    JUDGES,
    MIN_CONTRAST,
    MIN_FONT_PX,
    MIN_LINE_HEIGHT,
    MIN_SPACING_EM,
    OFFSET_PX,
    OVERFLOWS,
    OWN_TEXT,
    UNKNOWN,
)

DEFAULT_TEXT = colour("#333333") or WHITE  # the theme's text colour (content/render.py Theme.text)


class Context(NamedTuple):
    """What an element inherits: its text colour, the opaque colour behind it, its font size in px; and how its
    text is laid out (content/clipping.py): how far from the page's left edge it starts (every margin, padding,
    border and indent around it), the width it wraps in, its line height (a multiple of its own font size; and in px
    where a length set it, which its children inherit as that length), whether it
    stays on one line and keeps its spaces, the letter-spacing added to each character, whether it scrolls
    sideways, and how far the vertical paddings and borders of the inline boxes it is in reach past its text."""

    text: Rgba = DEFAULT_TEXT
    behind: Rgba = WHITE
    font_px: float = FONT_PX
    shift_px: float = 0.0
    indent_px: float = 0.0  # its first line's text-indent (inherited), from where its text starts
    width_px: float = VIEWPORT_WIDTH_PX
    line_height: float = 1.2  # line-height:normal
    line_px: float | None = None  # a line-height given as a length or %: inherited as that length, not a multiple
    nowrap: bool = False
    spaces_kept: bool = False  # white-space:pre, pre-wrap or break-spaces: a run of spaces is drawn, not one space
    spacing_px: float = 0.0
    scrolled: bool = False  # inside a box that scrolls sideways: the reader can scroll to a long line
    painted_px: float = 0.0  # how far the inline boxes around it (and its own) paint above or below its line


PAGE = Context()
PLAIN_STYLES = ("colours and backgrounds, font size, weight and style, text-align, line-height, letter-spacing, "
                "margins and paddings of 0 or more, borders and widths")
PLAIN_VALUES = "lengths in px or em (or %), colours as #RRGGBB or rgb(); calc(), var() and other functions"


@dataclass(frozen=True)
class Hidden:
    """Why an element's text is hidden: the declaration, and whether it was judged or not understood; `advice`
    when it was judged with the text it holds (a box that cuts it off), not by the style alone."""

    declaration: str
    understood: bool = True
    advice: str = ""
    covers: bool = False  # it may move its box, or paint, over other text of the body
    unlisted: bool = False  # a property not judged here (attack review 41)

    def __str__(self) -> str:
        return self.declaration

    @property
    def fix(self) -> str:
        if self.advice:
            return self.advice
        if self.unlisted:
            return ("a statement counts only in styles that cannot hide, move or cover it: remove the style, and "
                    f"use {PLAIN_STYLES}")
        if self.understood:
            return ("what an article must say, readers must see: remove the style (or give a light colour a "
                    "dark background of its own)")
        return f"write plain values that can be checked: {PLAIN_VALUES} cannot be"




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
    found = next(_judged(style), None)
    if found is not None:
        return found
    declarations = _declarations(style)
    sizes = []
    for name, value in declarations:
        size = font_size_px(value, context.font_px) if name == "font-size" else None
        if size is not None and size < MIN_FONT_PX:
            return Hidden(f"{name}:{value} (of {context.font_px:g}px)")
        sizes += [] if size is None else [size]
    return (_drawn_over(declarations, min(sizes, default=context.font_px)) or _clipped(declarations, context.font_px)
            or _too_faint(declarations, context.text, context.behind))


def _drawn_over(declarations: list[tuple[str, str]], font_px: float) -> Hidden | None:
    """A line height below the font's own, or a letter- or word-spacing closer than a quarter of it, each judged
    against the element's own font size (its smallest declared): the lines, or the characters, are drawn on one
    another (attack review 42 F4)."""
    for name, value in declarations:
        px = None if value in ("normal", *GLOBAL_KEYWORDS) else font_size_px(value, font_px)
        if px is None:
            continue
        multiple = number(value) if name == "line-height" else None
        if name == "line-height" and (multiple if multiple is not None else px / font_px) < MIN_LINE_HEIGHT:
            return Hidden(f"{name}:{value}")  # (of its own font: lines drawn on one another)
        if name in ("letter-spacing", "word-spacing") and px < MIN_SPACING_EM * font_px:
            return Hidden(f"{name}:{value}")  # (of its own font: characters drawn on one another)
    return None


def covering(style: str, context: Context = PAGE, tag: str = "") -> Hidden | None:
    """The declaration in `style` that may move its element's box, or paint, over other text of the body (a
    position, a negative margin, a transform, an outline, a property not judged here; on an inline element laid
    out in `context`, a vertical padding or border past its line's leading), or None."""
    return next((found for found in _judged(style) if found.covers), None) or _painted_past_line(style, context, tag)


def _painted_past_line(style: str, context: Context, tag: str) -> Hidden | None:
    """An inline box's vertical paddings and borders take no room on its line (CSS 2.1 §10.6.1, §10.8.1): its
    background and border reach over the lines above and below it, painted after their text (attack review 42
    F3). What stays within the leading of its line (at least a fifth of an em) covers no character; the paddings
    and borders of nested inline boxes are added up (`context.painted_px`, as `painted_px` sums them), as the
    offsets that move a text to the side are."""
    found = _declarations(style)
    if not _laid_out_inline(found, tag):
        return None
    leading = max((context.line_height - _CONTENT_EM) * context.font_px, _PAINT_SLACK_EM * context.font_px)
    if context.painted_px <= leading:
        return None
    for name, value in found:
        px = _vertical_px(name, value.split(), context.font_px)
        if px > 0.0:
            around = "" if px >= context.painted_px else (
                f"; with the inline boxes around it, {context.painted_px:g}px")
            return Hidden(f"{name}:{value} on an inline <{tag or 'span'}> (painted {px:g}px above or below its "
                          f"line{around}, over the text there)", covers=True, advice=INLINE_PAINT)
    return None


def painted_px(style: str, tag: str, around_px: float, font_px: float) -> float:
    """How far an element's text is painted over above or below its line by its own vertical padding or border
    (its largest, of its own `font_px`) and the inline boxes around it (`around_px`): 0 where it is not laid out
    inline (a block's, or an inline-block's, padding takes room of its own)."""
    found = _declarations(style)
    if not _laid_out_inline(found, tag):
        return 0.0
    return around_px + max((_vertical_px(name, value.split(), font_px) for name, value in found), default=0.0)


def _laid_out_inline(found: list[tuple[str, str]], tag: str) -> bool:
    displays = [value for name, value in found if name == "display"]
    return any(value in _INLINE_DISPLAYS for value in displays) if displays else tag not in _BLOCK_TAGS


def _vertical_px(name: str, parts: list[str], font_px: float) -> float:
    """How far a padding or border declaration reaches above or below its box's text, in px (0 for others)."""
    if name in ("padding", "border-width"):
        picks = parts[:1] + parts[2:3]
    elif name in _VERTICAL_SIDES:
        picks = parts
    elif name in _VERTICAL_BORDERS:
        if any(part in ("none", "hidden") for part in parts):
            return 0.0
        picks = [part for part in parts if _paint_px(part, font_px) is not None][:1] or ["medium"]
    else:
        return 0.0
    return max((px for part in picks if (px := _paint_px(part, font_px)) is not None), default=0.0)


def _paint_px(part: str, font_px: float) -> float | None:
    if part in BORDER_WIDTH_KEYWORDS:
        return BORDER_WIDTH_KEYWORDS[part]
    return length_px(part, VIEWPORT_WIDTH_PX) if part.endswith("%") else font_size_px(part, font_px)


@lru_cache(maxsize=4096)
def _judged_all(style: str) -> tuple[Hidden, ...]:
    if "\\" in _without_comments(html.unescape(style)):  # a CSS escape (\64 isplay) spells what no reviewer reads
        return (Hidden("a CSS escape in a style", understood=False, covers=True),)
    found = []
    for written, value in _written_declarations(style):
        name = property_named(written)
        judge = JUDGES.get(name)
        verdict = judge(value) if judge else UNKNOWN  # (a property not judged here may hide: attack review 41)
        if verdict is not None:
            found.append(Hidden(f"{written}:{value}", understood=verdict == HIDES,
                                covers=judge is None or name not in OWN_TEXT, unlisted=judge is None))
    return tuple(found)


def _judged(style: str) -> Iterator[Hidden]:
    yield from _judged_all(style)


def _clipped(declarations: list[tuple[str, str]], font_px: float) -> Hidden | None:
    """A box smaller than a line of its text that clips what overflows it (the screen-reader-only pattern:
    height:1px;overflow:hidden) shows none of it (attack review 8)."""
    clips = any(name in OVERFLOWS and value != "visible" for name, value in declarations)
    for name, value in declarations if clips else ():
        if name == "aspect-ratio" and value not in ("auto", *GLOBAL_KEYWORDS):  # (clipped, no line's height is kept)
            return Hidden(f"{name}:{value} with its overflow clipped", understood=False)
        size = length_px(value, VIEWPORT_WIDTH_PX) if name in BOX_SIZES else None
        if size is not None and size < font_px:
            return Hidden(f"{name}:{value} with its overflow clipped")
    return None


def inherited(style: str, context: Context = PAGE, tag: str = "") -> Context:
    """What the element's children inherit (its last declarations win; sub, sup and small shrink the text as
    browsers' own styles do; where the text starts, content/clipping.py `laid_out` adds up)."""
    text, behind, font = context.text, context.behind, context.font_px
    font *= _SMALLER if tag in _SMALLER_TAGS else 1.0
    for name, value in _declarations(style):
        if name in _INKS:
            text = _resolve(value, text)
        elif name in _PAPERS:
            behind = (text if value == "currentcolor" else colour(value) or TRANSPARENT).over(behind)
        elif name == "font-size":
            font = font_size_px(value, font) or font
    return context._replace(text=text, behind=behind, font_px=font)


def hidden_within(context: Context) -> Hidden | None:
    """Text that inherits a size too small to read, or a place pushed off the screen, though no one style
    says so (nested 0.9em, sub in sub, -40px margins one inside another: attack review 8)."""
    if context.font_px < MIN_FONT_PX:
        return Hidden(f"font-size:{context.font_px:.1f}px (what the elements around it leave)")
    if context.line_height < MIN_LINE_HEIGHT:
        given = f"{context.line_px:g}px" if context.line_px is not None else f"{context.line_height:g}"
        return Hidden(f"line-height:{given} (what the elements around it leave, of a {context.font_px:g}px font: its "
                      "lines are drawn on one another)", advice=DRAWN_OVER)
    if context.spacing_px < MIN_SPACING_EM * context.font_px:
        return Hidden(f"letter-spacing:{context.spacing_px:g}px (what the elements around it leave, of a "
                      f"{context.font_px:g}px font: its characters are drawn on one another)", advice=DRAWN_OVER)
    start = context.shift_px + min(context.indent_px, 0.0)
    if start < OFFSET_PX[0]:
        return Hidden(f"margin-left:{start:g}px (the margins and indents around it added up)")
    # its first character, after the first line's indent, and the right edge of the box its lines wrap in
    reach = max(context.shift_px + max(context.indent_px, 0.0) + context.font_px, context.shift_px + context.width_px)
    if reach > VIEWPORT_WIDTH_PX + EDGE_SLACK_PX:
        return Hidden(f"margin-left:{context.shift_px:g}px (the margins, paddings, borders and indents around it "
                      f"added up, text-indent:{context.indent_px:g}px: its text reaches {reach:g}px, past a "
                      f"phone's {VIEWPORT_WIDTH_PX:g}px)",
                      advice=OFF_THE_EDGE)
    return None


INLINE_PAINT = ("padding and borders above and below text paint over the lines around it on an inline element: "
                "put them on a block (a <p> or <section>), or keep them within the line's spacing")
_BLOCK_TAGS = frozenset({"p", "section", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                         "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                         "figure", "figcaption", "article", "header", "footer", "nav", "aside", "main", "address",
                         "hr", "details", "summary", "fieldset", "body", "html"})
_INLINE_DISPLAYS = frozenset({"inline", "ruby"})
_CONTENT_EM, _PAINT_SLACK_EM = 1.2, 0.2  # an inline box's content area (a font's ascent and descent) is about 1.2em
_VERTICAL_SIDES = frozenset({"padding-top", "padding-bottom", "padding-block", "padding-block-start",
                             "padding-block-end", "border-top-width", "border-bottom-width", "border-block-width",
                             "border-block-start-width", "border-block-end-width"})
_VERTICAL_BORDERS = frozenset({"border", "border-top", "border-bottom", "border-block", "border-block-start",
                               "border-block-end"})
_SMALLER, _SMALLER_TAGS = 0.83, frozenset({"sub", "sup", "small"})  # font-size: smaller
DRAWN_OVER = (f"a statement must be drawn apart to be read: give it a line-height of at least {MIN_LINE_HEIGHT:g} (of "
              f"its font size) and a letter-spacing of no less than {MIN_SPACING_EM:g}em")
OFF_THE_EDGE = ("a statement must start and end on the phone's screen: make the margins, paddings, borders and "
                "indents of it and the elements around it add up to less than the phone's width less its text "
                "(no more than about 100px in all), or remove the width that keeps it wider than the screen")
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
