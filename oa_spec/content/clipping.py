"""Boxes that cut their text off: a statement a reader cannot see whole is not made (attack review 39 F1).

A box whose overflow is not visible (hidden, clip, auto, scroll) or whose paint is contained shows only what fits
in it. `visibility.hidden_by` refuses one smaller than a character by its style alone; this module judges the rest
against the text the box holds, laid out as a phone would lay it out at the most: each character a full em wide
(its letter-spacing added), wrapped at spaces and between ideographs unless white-space keeps it on one line (where
white-space:pre keeps them, each space drawn an em wide and a tab eight: attack review 42 F2), each line as high
as its line-height, below the margins, paddings and borders of the elements around it (a paragraph's
own margins, 1em, when it declares none). A box whose text may not fit by that estimate is taken to hide all of
it, as display:none does: the estimate errs towards cutting, never towards showing. A box that only scrolls, with
no width or height of its own (the renderer's tables and code blocks), is not judged: a reader swipes through it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from oa_spec.content.css_values import (
    BORDER_WIDTH_KEYWORDS,
    EDGE_SLACK_PX,
    VIEWPORT_WIDTH_PX,
    font_size_px,
    length_px,
    number,
)
from oa_spec.content.style_judges import OVERFLOWS
from oa_spec.content.visibility import Context, Hidden, declarations, inherited, painted_px

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

Declared = dict[str, list[str]]

NORMAL_LINE_HEIGHT = 1.2  # line-height:normal, as a multiple of the font size
ADVICE = ("a statement must be seen whole: remove the overflow (or contain) style, or the width, height or "
          "white-space:nowrap that keeps the box smaller than its text")
_NOT_CLIPPING = frozenset({"visible", "inherit", "initial", "unset", "revert", "revert-layer"})
_SCROLLS = frozenset({"auto", "scroll", "overlay"})
_PAINTS = frozenset({"paint", "content", "strict"})  # paint containment clips as overflow:clip does
_WIDTHS, _MAX_WIDTHS = ("width", "inline-size", "min-width", "min-inline-size"), ("max-width", "max-inline-size")
_HEIGHTS = ("height", "max-height", "block-size", "max-block-size")
_CLAMPS = ("line-clamp", "-webkit-line-clamp", "max-lines")
_WRAPPING, _ONE_LINE = ("white-space", "text-wrap", "text-wrap-mode"), frozenset({"nowrap", "pre"})
_KEEPING_SPACES = frozenset({"pre", "pre-wrap", "break-spaces"})
_COLLAPSING = frozenset({"normal", "nowrap", "pre-line"})
_TAB = 8  # spaces a tab stops at (tab-size's initial value)
_BREAKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "section", "pre", "table",
                     "hr", "br", "ul", "ol", "div", "article", "header", "footer", "figure", "figcaption", "caption"})
_UA_MARGINS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "figure", "hr"})
_UA_FONTS = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h5": 0.83, "h6": 0.67}
_VOID = frozenset({"br", "hr", "img", "wbr", "input", "col", "area", "embed", "source"})
_COLLAPSED = re.compile(r"[ \t\n\r\f]+")  # (a no-break space is kept: it draws as wide as a space)
_SIDES = ("top", "right", "bottom", "left")
_LOGICAL = {"block-start": 0, "inline-end": 1, "block-end": 2, "inline-start": 3}
_JOINERS = frozenset("\u00a0\u2007\u202f\u2060\ufeff\u200d\u034f\u180e")
_DIGIT_EM = 0.6
MEASURED_NODES = 200_000  # what one body's boxes may lay out in all: nested boxes lay their text out again


@dataclass
class Budget:
    """The nodes a body's clipping boxes may still lay out; a box past it is taken to cut its text off (no body
    the platform takes comes near it: a 20,000-character body nests a few hundred boxes at most)."""

    left: int = MEASURED_NODES


@lru_cache(maxsize=4096)
def _child(style: str, parent: Context, tag: str) -> Context:
    return laid_out(style, parent, inherited(style, parent, tag), tag)


def laid_out(style: str, parent: Context, within: Context, tag: str = "") -> Context:
    """`within` (what `visibility.inherited` passes on from `parent`) with how its text is laid out: where it
    starts from the page's left edge (every margin, padding, border and indent of it and its ancestors added up:
    attack review 42), the width it wraps in (a declared width taken to hold the paddings and borders, so the text
    gets the least), its line height, whether it stays on one line, and its letter-spacing. `tag` adds a heading's
    own font size."""
    if not style and tag not in _UA_FONTS:
        return within
    found = declarations(style)
    font = within.font_px * (_UA_FONTS.get(tag, 1.0) if "font-size" not in found else 1.0)
    _, right, _, left = _insets(style, parent.width_px, font)
    margins = _box_sides(found, "margin", parent.width_px, font)
    own = [px for name in _WIDTHS for value in found.get(name, ()) if (px := length_px(value, parent.width_px))
           is not None]
    width = max(own) - right - left + margins[1] + margins[3] if own else parent.width_px - right - left
    for value in (value for name in _MAX_WIDTHS for value in found.get(name, ())):
        cap = length_px(value, parent.width_px)
        width = width if cap is None else min(width, cap)
    spacing = [px for value in found.get("letter-spacing", ()) if (px := font_size_px(value, font)) is not None]
    wrapping = [part for name in _WRAPPING for value in found.get(name, ()) for part in value.split()]
    wrapping += ["nowrap" for value in found.get("word-break", ()) if value == "keep-all"]  # (a CJK run is one word)
    spaces = [value for value in found.get("white-space", ()) if value in _KEEPING_SPACES | _COLLAPSING]
    line_height, line_px = _line_height(found, parent, font)
    return within._replace(font_px=font, width_px=max(width, 0.0), line_height=line_height, line_px=line_px,
                           shift_px=parent.shift_px + left + _moved(found, within),
                           indent_px=_first_line(found, parent),
                           nowrap=any(part in _ONE_LINE for part in wrapping) if wrapping else parent.nowrap,
                           spaces_kept=any(value in _KEEPING_SPACES for value in spaces) if spaces
                           else parent.spaces_kept,
                           spacing_px=max(spacing, default=parent.spacing_px),
                           painted_px=painted_px(style, tag, parent.painted_px, font),
                           scrolled=parent.scrolled or any(value in _SCROLLS for name in ("overflow", "overflow-x")
                                                           for value in found.get(name, ())))


def cut_off(box: Element, context: Context, budget: Budget) -> Hidden | None:
    """Why the element `box`, laid out in `context` (what it passes on), shows a reader only part of its text;
    None when all of it fits, or when the box does not clip. Each node laid out is taken from `budget`."""
    found = declarations(style := box.get("style", ""))
    clipping = [(name, value) for name in OVERFLOWS for value in found.get(name, ()) if value not in _NOT_CLIPPING]
    contained = [("contain", value) for value in found.get("contain", ()) if _PAINTS & set(value.split())]
    height = _height(style, context)
    # text pushed out of a box of a fixed height runs over what follows it (attack review 41): judged as a clip
    # below, not beside (it spills to the side where it is seen)
    fixed = [(name, value) for name in _HEIGHTS for value in found.get(name, ())] if height < math.inf else []
    # a line kept whole runs past the phone's edge, which cuts it off, unless its box scrolls
    whole = [] if context.scrolled else [(name, value) for name in (*_WRAPPING, "word-break")
                                         for value in found.get(name, ()) if value in (*_ONE_LINE, "keep-all")]
    if not clipping and not contained and not fixed and not whole:
        return None
    sized = height < math.inf or any(name in found for name in (*_WIDTHS, *_MAX_WIDTHS))
    if not sized and not contained and not whole and all(value in _SCROLLS for _, value in clipping):
        return None
    name, value = (clipping or contained or fixed or whole)[0]
    # (a line kept whole is cut off by the phone's edge: from where the box's text starts, attack review 42)
    layout = _Layout(context.width_px if clipping or contained else VIEWPORT_WIDTH_PX - context.shift_px if whole
                     else math.inf,
                     height if clipping or contained or fixed else math.inf, budget)
    layout.read(box, context)
    verdict = layout.verdict()
    return None if verdict is None else Hidden(f"{name}:{value} ({verdict}: a reader sees only part of its text)",
                                               advice=ADVICE)


class _Layout:
    """The text of a clipping box, line by line: how high its lines reach, and how far right and left."""

    def __init__(self, width: float, height: float, budget: Budget) -> None:
        self.width, self.height, self.budget = width, height, budget
        self.used = 0.0  # the height of the lines closed, and of the margins between them
        self.line, self.line_high, self.narrowest, self.wraps = 0.0, 0.0, math.inf, False  # the open line
        self.reach, self.left = 0.0, 0.0  # the rightmost and leftmost text, from the box's left edge
        self.text = False

    def read(self, box: Element, context: Context) -> None:
        """Each element of `box` in document order, without recursion: a body can nest thousands deep."""
        start = _indent(declarations(box.get("style", "")), context)
        pending: list[tuple[Element, Context, float, bool]] = [(box, context, start, False)]
        self.run(box.text or "", context, start)
        pending.extend((child, context, start, True) for child in reversed(box))
        while pending and self.budget.left > 0:
            self.budget.left -= 1
            element, outer, offset, starting = pending.pop()  # (outer, offset: the parent's, for a start)
            tag = element.tag if isinstance(element.tag, str) else ""
            if not starting:
                if element is not box:  # (the box's own paddings are out of its height already)
                    self.end(element, outer)
                    self.run(element.tail or "", *pending[-1][1:3])
                continue
            inside, moved = self.start(element, tag, outer, offset) if tag else (outer, offset)
            if tag and tag not in _VOID:
                self.run(element.text or "", inside, moved)
                pending.append((element, inside, moved, False))
                pending.extend((child, inside, moved, True) for child in reversed(element))
            else:
                self.run(element.tail or "", outer, offset)
        self.close()

    def start(self, element: Element, tag: str, parent: Context, offset: float) -> tuple[Context, float]:
        found = declarations(style := element.get("style", ""))
        inside = _child(style, parent, tag)
        top, _, _, left = _insets(style, parent.width_px, inside.font_px)
        empty = not self.line  # (a <br> that ends no text is an empty line)
        if tag in _BREAKS:
            self.close()
        self.used += top + (inside.font_px if tag in _UA_MARGINS and "margin" not in found else 0.0)
        heights = [px for name in ("height", "min-height", "block-size", "min-block-size")
                   for value in found.get(name, ()) if (px := length_px(value, 0.0)) is not None]
        if tag == "img":  # an image of unknown height may push the text out of the box
            self.used += max(heights, default=math.inf)
        elif heights or (tag == "br" and empty):  # a box of its own height (taken as more than its text), an empty line
            self.close()
            self.used += max(heights, default=inside.line_height * inside.font_px)
        return inside, offset + left + _indent(found, inside)

    def end(self, element: Element, inside: Context) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        found = declarations(style := element.get("style", ""))
        if tag in _BREAKS:
            self.close()
        bottom = _insets(style, inside.width_px, inside.font_px)[2]
        self.used += bottom + (inside.font_px if tag in _UA_MARGINS and "margin" not in found else 0.0)

    def run(self, data: str, inside: Context, offset: float) -> None:
        if not (inside.spaces_kept and inside.nowrap):
            self.piece(_COLLAPSED.sub(" ", data).strip(), inside, offset)
            return
        # white space kept on a line kept whole (white-space:pre): each space drawn, a newline a new line (attack
        # review 42 F2)
        first, *others = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.piece(first.expandtabs(_TAB), inside, offset)
        for line in others:
            self.close()
            self.piece(line.expandtabs(_TAB), inside, offset)

    def piece(self, text: str, inside: Context, offset: float) -> None:
        """Text of one line, its white space already collapsed or kept."""
        if not text.strip(" \t\f"):
            self.line += _ems(text) * inside.font_px  # (kept spaces move what follows them)
            return
        self.text = True
        # characters that forbid a break beside them keep the text on one line (UAX #14 GL, WJ, ZWJ: attack review 41)
        nowrap = inside.nowrap or not _JOINERS.isdisjoint(text)
        spacing = max(inside.spacing_px, 0.0)
        self.line_high = max(self.line_high, inside.line_height * inside.font_px)
        self.narrowest, self.wraps = min(self.narrowest, inside.width_px), self.wraps or not nowrap
        self.left = min(self.left, offset)
        self.line += _ems(text) * inside.font_px + len(text) * spacing
        piece = self.line if nowrap else _widest_piece(text) * (inside.font_px + spacing)
        self.reach = max(self.reach, offset + piece, offset + min(self.line, inside.width_px))

    def close(self) -> None:
        if self.line:
            lines = math.ceil(self.line / max(self.narrowest, 1.0)) if self.wraps else 1
            self.used += self.line_high * max(lines, 1)
        self.line, self.line_high, self.narrowest, self.wraps = 0.0, 0.0, math.inf, False

    def verdict(self) -> str | None:
        if self.budget.left <= 0:
            return "in a body too deeply nested in such boxes to lay its text out"
        if not self.text:
            return None
        if self.reach > self.width + EDGE_SLACK_PX:
            return f"a box {self.width:g}px wide, its text reaching {self.reach:g}px"
        if self.left < -EDGE_SLACK_PX:
            return f"its text starting {-self.left:g}px left of the box"
        if self.used > self.height + EDGE_SLACK_PX:
            return f"a box {self.height:g}px high, its text {self.used:g}px"
        return None


def _ems(text: str) -> float:
    """How many ems `text` takes at most: a digit (tabular in a phone's fonts) 0.6, any other character one."""
    return sum(_DIGIT_EM if "0" <= char <= "9" else 1.0 for char in text)


def _widest_piece(text: str) -> int:
    """The most characters of `text` no line may break between: a word, or an ideograph with the punctuation
    after it."""
    widest = run = 0
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF" and not unicodedata.category(char).startswith("P")
        run = 0 if char == " " else 1 if wide else run + 1
        widest = max(widest, run)
    return widest


def _height(style: str, context: Context) -> float:
    """The height a box shows its text in: its least declared height (a line-clamp is that many lines), less its
    paddings and borders."""
    found = declarations(style)
    heights = [px for name in _HEIGHTS for value in found.get(name, ())
               if (px := length_px(value, VIEWPORT_WIDTH_PX)) is not None]
    clamps = [count for name in _CLAMPS for value in found.get(name, ()) if (count := number(value)) is not None]
    shown = min([*heights, *(count * context.line_height * context.font_px for count in clamps)], default=math.inf)
    top, _, bottom, _ = _insets(style, context.width_px, context.font_px)
    margins = _box_sides(found, "margin", context.width_px, context.font_px)
    return shown - top - bottom + margins[0] + margins[2]


def _line_height(found: Declared, parent: Context, font: float) -> tuple[float, float | None]:
    """The line height as a multiple of the element's own font, and in px where a length or percentage gives it:
    the tallest the style declares, else the parent's. A length is inherited as that length (CSS 2.1 §10.8.1: its
    computed value is absolute), so a child with a larger font is judged against its own font, not the multiple
    it left its parent (attack review 42 F4)."""
    heights: list[tuple[float, float | None]] = []
    for value in found.get("line-height", ()):
        multiple = number(value)
        px = font_size_px(value, font) if multiple is None and value != "normal" else None
        heights.append((NORMAL_LINE_HEIGHT, None) if value == "normal" else (multiple, None) if multiple is not None
                       else ((px or 0.0) / font if font else 0.0, px or 0.0))
    if heights:
        return max(heights, key=lambda height: height[0])
    if parent.line_px is not None:
        return (parent.line_px / font if font else 0.0), parent.line_px
    return parent.line_height, None


def _moved(found: Declared, context: Context) -> float:
    """How far a relative left moves the box and all it holds."""
    return sum(px for name in ("left", "inset-inline-start") for value in found.get(name, ())
               if (px := length_px(value, context.width_px)) is not None)


def _first_line(found: Declared, parent: Context) -> float:
    """The text-indent of the box's first line, from its content's left edge: the one it inherits and its own (the
    furthest declared) added up (a browser takes the nearest: adding them errs towards moving the text)."""
    own = [px for value in found.get("text-indent", ()) if (px := length_px(value, parent.width_px)) is not None]
    return parent.indent_px + max(own, key=abs, default=0.0)


def _indent(found: Declared, context: Context) -> float:
    """How far the text is moved right inside its box: text-indent, and a relative left."""
    return sum(px for name in ("text-indent", "left", "inset-inline-start") for value in found.get(name, ())
               if (px := length_px(value, context.width_px)) is not None)


@lru_cache(maxsize=4096)
def _insets(style: str, percent_of: float, font: float) -> tuple[float, float, float, float]:
    """The margins, paddings and borders on each side (top, right, bottom, left), in px."""
    found = declarations(style)
    if not any(name.startswith(("margin", "padding", "border")) for name in found):
        return 0.0, 0.0, 0.0, 0.0
    sides = [sum(values) for values in zip(*(_box_sides(found, box, percent_of, font)
                                             for box in ("margin", "padding", "border")), strict=True)]
    return sides[0], sides[1], sides[2], sides[3]


def _box_sides(found: Declared, box: str, percent_of: float, font: float) -> list[float]:
    """Each side's margin, padding or border width: the largest of the shorthands and longhands declaring it."""
    per_side: list[list[float]] = [[], [], [], []]
    shorthands = [("border-width", False), ("border", True)] if box == "border" else [(box, False)]
    for name, first_only in shorthands:
        for value in found.get(name, ()):
            lengths = [px for part in value.split() if (px := _length(part, percent_of, font)) is not None]
            for side, px in enumerate(_four(lengths[:1] if first_only else lengths)):
                per_side[side].append(px)
    suffix = "-width" if box == "border" else ""
    for side, name in enumerate(_SIDES):
        for longhand in (f"{box}-{name}", f"{box}-{name}{suffix}"):
            per_side[side] += [px for value in found.get(longhand, ()) for part in value.split()[:1]
                               if (px := _length(part, percent_of, font)) is not None]
    for name, side in _LOGICAL.items():
        per_side[side] += [px for value in found.get(f"{box}-{name}{suffix}", ())
                           if (px := _length(value, percent_of, font)) is not None]
    return [max(values, key=abs, default=0.0) for values in per_side]


def _four(lengths: list[float]) -> list[float]:
    """A shorthand's one to four values, each side's (top, right, bottom, left)."""
    if not lengths:
        return []
    top = lengths[0]
    right = lengths[1] if len(lengths) > 1 else top
    bottom = lengths[2] if len(lengths) > 2 else top
    return [top, right, bottom, lengths[3] if len(lengths) > 3 else right]


def _length(part: str, percent_of: float, font: float) -> float | None:
    if part in BORDER_WIDTH_KEYWORDS:
        return BORDER_WIDTH_KEYWORDS[part]
    relative = part.endswith(("em", "ex", "ch", "ic", "lh", "cap")) and not part.startswith(("r", "-r"))
    return font_size_px(part, font) if relative else length_px(part, percent_of)
