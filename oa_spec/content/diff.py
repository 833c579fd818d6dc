"""A readable diff of two rendered bodies, for the plan.

Diffed on the visible text of the rendered HTML, one line per paragraph, heading, list item, table
row or code line, not on the Markdown source: the live side of a plan is the draft's HTML as
`draft/get` returns it, and the repository has no Markdown for it. Link targets, images and text a
style hides are kept as visible markers, so changing a link or swapping an image shows, while a theme
change alone (styles only) is reported as such instead of as a wall of HTML.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from oa_spec.content.characters import readable
from oa_spec.content.clipping import Budget, cut_off, laid_out
from oa_spec.content.images import PLACEHOLDER
from oa_spec.content.visibility import PAGE, Context, Hidden, covering, declared, hidden_by, hidden_within, inherited
from oa_spec.util.display import exact

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_LINE_BREAKING = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "section", "pre", "table", "hr",
    "br", "ul", "ol", "div",
})
_CELL = frozenset({"td", "th"})
_ISOLATE, _ISOLATE_END = "\u2067", "\u2069"  # RLI, PDI: how a right-to-left element is read (content/characters.py)


def _right_to_left(values: dict[str, str]) -> bool:
    """An element that says it is drawn right to left: its dir attribute or any `direction` it declares (every
    declaration, comments and escapes read; a reading too many costs nothing, as the stored order is read too)."""
    return (values.get("dir", "").strip().lower() == "rtl"
            or "rtl" in (value.split()[0] for value in declared(values.get("style", ""), "direction") if value))


STRUCK_TAGS = frozenset({"s", "strike", "del"})
_DECORATIONS = ("text-decoration", "text-decoration-line")  # (-webkit-text-decoration too: visibility.declared)


def strikes(tag: str, style: str) -> bool:
    """An element whose text is drawn struck through, withdrawn in the reader's eyes: <del>, <s>, <strike>, or a
    decoration with line-through in its style (which no descendant can take off)."""
    return tag in STRUCK_TAGS or any("line-through" in value.split() for name in _DECORATIONS
                                     for value in declared(style, name))


class _Open(NamedTuple):
    """An element not yet closed."""

    closing: str  # what closing it appends
    context: Context  # what it passes on
    hides: bool  # a style hides its text
    unseen: bool  # a reader may not see its text
    rtl: bool  # it is drawn right to left, by its own direction or by one it inherits
    struck: bool  # its text is struck through, by itself or by an element around it


# The plain article elements: text in any other (<font>, <details>, <svg>, <noscript>...) may not be seen, so it
# never makes a required statement (it is still read for what it claims).
_SHOWN_ELEMENTS = frozenset({
    "p", "span", "strong", "b", "em", "i", "u", "s", "strike", "del", "ins", "mark", "sub", "sup", "section", "div",
    "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "code",
    "br", "hr", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "figcaption",
    "center", "html", "body"})
# Attributes by which an element's text may not be seen: those the HTML standard's own style sheet hides by
# (§15.3.1: `hidden`, and `popover`, which only a script or a button opens, and no script runs in an article;
# <dialog> without `open` is outside the plain elements), and the old colour attributes (color, bgcolor), which
# oaspec does not judge (attack review 35 F4).
_UNSEEN_BY = ("hidden", "popover", "color", "bgcolor")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})


class _VisibleText:
    """Walks the tree a browser builds from the body (`_tree`): each element's start, its text, its end."""

    def __init__(self, markers: bool) -> None:
        self.markers = markers  # link targets and hidden text marked (the plan), or the bare text (policies)
        self.lines: list[str] = []
        self.links: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.open: list[_Open] = []
        # The body has a style sheet (<style>, <link>): its selectors (a type, an id, an attribute, p+p, :last-child,
        # *, body) may hide any text, so none of it is taken as seen: oaspec reads no selectors.
        self.styled = False
        self.struck_any = False  # some text is struck through
        self.hidden: list[tuple[str, Hidden]] = []  # each style that hides text, and why
        self.alts: list[str] = []  # the bare text leaves images' alt texts out: readers never see them
        self.shown: list[str] = []  # the text a reader sees: not what a style, `hidden`, <noscript> or <template> hides
        self.budget = Budget()  # what its clipping boxes may lay out (content/clipping.py)
        # A style that may move a box, or paint, over other text (attack review 41): no text of the body is sure to
        # be seen, so none of it makes a statement.
        self.covered: Hidden | None = None

    def walk(self, root: Element) -> None:
        """Each element in document order: its start, its text, its children (each followed by the text after it,
        its tail) and its end. Without recursion: a body can nest elements thousands deep."""
        pending: list[tuple[Element, bool]] = [(root, True)]
        while pending:
            element, starting = pending.pop()
            if not starting:
                self.handle_endtag(element.tag)
            elif isinstance(element.tag, str):  # (not a comment)
                self.handle_starttag(element.tag, element.attrib, element)
                if element.tag not in _VOID:  # (a void element has no content and no end)
                    self.handle_data(element.text or "")
                    pending.append((element, False))
                    pending.extend((child, True) for child in reversed(element))
                    continue
            self.handle_data(element.tail or "")

    def handle_starttag(self, tag: str, values: dict[str, str], element: Element) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _LINE_BREAKING:
            self._end_line()
        elif tag in _CELL and "".join(self.current).strip():
            self.current.append(" | ")
        elif tag == "img" and self.markers:
            self.current.append(_image_marker(values.get("src", ""), values.get("alt", "")))
        elif tag == "img" and values.get("alt", "").strip():
            self.alts.append(readable(values.get("alt", "")).strip())
        style = values.get("style", "")
        if tag in _VOID:
            self.covered = self.covered or (covering(style) if style else None)
            return
        parent = self.open[-1] if self.open else _Open("", PAGE, False, False, False, False)
        context, hidden_above = parent.context, parent.hides
        within = laid_out(style, context, inherited(style, context, tag), tag)
        painted = covering(style, within, tag) if style else None
        self.covered = self.covered or painted
        if painted is not None and painted.advice and not parent.hides:  # (an inline box's paint: validate says so)
            self.hidden.append((style, painted))
        hiding = None if hidden_above else ((hidden_by(style, context) if style else None) or hidden_within(within)
                                            or (cut_off(element, within, self.budget) if style else None))
        if hiding:
            self.hidden.append((style, hiding))
        href = values.get("href", "") if tag == "a" else ""
        if href:
            self.links.append(href)
        if self.markers and hiding:  # (only the plan marks it)
            self.current.append(f"[隐藏（{hiding}）：")
        struck = not parent.struck and strikes(tag, style)  # seen withdrawn: no statement, and marked for the plan
        self.struck_any = self.struck_any or struck
        if self.markers and struck:
            self.current.append("[删除线：")
        unseen = parent.unseen or self._unseen(tag, values) or struck
        # drawn right to left, and inherited: read so (content/characters.py), its text in an isolate
        isolates = not self.markers and not parent.rtl and _right_to_left(values)
        if isolates:
            self.current.append(_ISOLATE)
            self.shown.append(_ISOLATE)
        self.open.append(_Open("".join([f" [链接 {exact(href)}]" if href and self.markers else "",
                                        "]" if struck and self.markers else "", "]" if hiding and self.markers
                                        else "", _ISOLATE_END if isolates else ""]),
                               within, hidden_above or hiding is not None, unseen, parent.rtl or isolates,
                               parent.struck or struck))

    def _unseen(self, tag: str, values: dict[str, str]) -> bool:
        """Text a reader may not see, whatever its style says: an element outside the plain article elements
        (<font>, <details>, <dialog>, <svg>, <option>, <iframe>, <noscript>, <template>...), or one with an
        attribute that hides it or colours its text (`_UNSEEN_BY`)."""
        return tag not in _SHOWN_ELEMENTS or any(name in values for name in _UNSEEN_BY)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        closing = self.open.pop().closing  # (the tree closes every element in order)
        self.current.append(closing)
        if closing.endswith(_ISOLATE_END):  # a right-to-left element's end
            self.shown.append(_ISOLATE_END)
        if tag in _LINE_BREAKING:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if data and not self.skip:
            self.current.append(data.replace("\xa0", " "))
            if not (self.styled or (self.open and (self.open[-1].hides or self.open[-1].unseen))):
                self.shown.append(data.replace("\xa0", " "))

    def _end_line(self) -> None:
        self.shown.append("\n")
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []
        if self.open and self.open[-1].rtl:  # a line inside a right-to-left element: drawn so too
            self.current.append(_ISOLATE)
            self.shown.append(_ISOLATE)


def _image_marker(src: str, alt: str) -> str:
    match = PLACEHOLDER.fullmatch(src)
    name = f"sha256:{match.group(1)[:12]}" if match else src.rsplit("/", 1)[-1][:40]
    return f"[图片 {name} {alt}]" if alt else f"[图片 {name}]"


@lru_cache(maxsize=16)  # one body is read for its text, its links and its hidden styles: parsed once (read only)
def _tree(markup: str) -> Element:
    """The document a browser builds from the markup, by the HTML standard's tokenizer and tree construction
    (html5lib): the first of two attributes with one name kept, U+0000 in a tag read as U+FFFD, an end tag with
    a table cell between it and its element ignored, table parts outside a table dropped, text in a table
    fostered out of it, <noscript> raw text as where scripts run (attack review 35 F1-F3). In the standards mode
    of the article's page (its doctype), where a <table> closes an open <p>."""
    import html5lib  # (imported when a body is read, not with every command)

    return html5lib.parse(_PAGE_MODE + markup, treebuilder="etree", namespaceHTMLElements=False, scripting=True)


_PAGE_MODE = "<!DOCTYPE html>"  # (a second doctype in the body is ignored, as a browser ignores it)


@lru_cache(maxsize=16)  # validate asks of one body whether any text is struck and which styles hide (read only)
def _read(markup: str, markers: bool) -> _VisibleText:
    parser = _VisibleText(markers)
    parser.styled = any(sheet in markup.lower() for sheet in ("<style", "<link"))
    parser.walk(_tree(markup))
    parser._end_line()
    return parser


def visible_lines(markup: str, markers: bool = True) -> list[str]:
    """The body's text, a line per block; with `markers`, each link's target after its text and the text
    of an element whose style hides it marked (content/visibility.py). Without them (the policy packs read
    a live draft so), the characters that draw nothing are removed: 保&#8203;本 reads as 保本; the plan
    keeps them, shown escaped, for the reviewer."""
    parsed = _read(markup, markers)
    lines = parsed.lines
    if markers and parsed.covered:  # (the plan: no statement of the body is sure to be seen)
        lines = [f"[隐藏（{parsed.covered} 可能遮住全文）]", *lines]
    return lines if markers else [kept for line in lines if (kept := readable(line).strip())]


def link_targets(markup: str) -> list[str]:
    """Every element's href in the tree a browser builds from `markup`, read as the browser reads it: character
    references decoded, the first of two kept, an attribute right after a quoted value (title="x"href=) read as
    one (attack review 39 F2)."""
    return [href for element in _tree(markup).iter() if (href := element.get("href")) is not None]


def struck_through(markup: str) -> bool:
    """Whether any of the body's text is drawn struck through (`strikes`)."""
    return _read(markup, markers=False).struck_any


def hidden_styles(markup: str, alone: Context = PAGE) -> list[tuple[Hidden, bool]]:
    """Each style in the body that hides its text, and whether it does only with what its element
    inherits (it would not in `alone`); a box that cuts its text off (content/clipping.py) is judged with its
    text, and is neither."""
    return [(hidden, not hidden.advice and hidden_by(style, alone) is None)
            for style, hidden in _read(markup, markers=False).hidden]


@dataclass(frozen=True)
class PolicyReading:
    """A live body as the policy packs read it, from one parse."""

    # The text a reader sees, a line per block: what a style hides is left out, and so is all a reader may not see
    # (outside the plain article elements, `hidden`, an old colour attribute, anything beside a style sheet): a
    # statement no reader sees is not made. Characters that draw nothing are kept: the reader draws by them.
    shown: list[str]
    # All of its text, hidden included, then every image's alt text: read for what it claims (in its drawn order
    # too, so the characters that draw nothing are kept), never as a statement the article makes.
    everything: list[str]
    links: list[str]  # every link target, in order
    # The body has a style sheet, or a style that may move a box or paint over other text (attack review 41): any
    # of its lines may be the only one a reader sees (`shown` is empty), so each is also read alone (review 34 F7).
    styled: bool = False


def policy_reading(markup: str) -> PolicyReading:
    parsed = _read(markup, markers=False)
    shown = [] if parsed.covered else [kept for line in "".join(parsed.shown).split("\n")
                                       if (kept := " ".join(line.split())) and readable(kept).strip()]
    # (a body whose boxes may be moved over one another reads as one with a style sheet: any line may be seen alone)
    everything = [line for line in parsed.lines if readable(line).strip()]
    return PolicyReading(shown, [*everything, *parsed.alts], parsed.links, parsed.styled or bool(parsed.covered))


def body_diff(old_html: str, new_html: str, old_label: str = "live", new_label: str = "repository") -> str:
    """A unified diff of what readers see; "" when the bodies are the same bytes."""
    if old_html == new_html:
        return ""
    old, new = visible_lines(old_html), visible_lines(new_html)
    if old == new:
        return "(the text is unchanged; only formatting changed)"
    lines = difflib.unified_diff(old, new, fromfile=old_label, tofile=new_label, n=1, lineterm="")
    return "\n".join(lines)
