"""The article body parsed once with markdown-it-py (CommonMark + tables), and the things the checks,
the renderer and the text extraction need from it, each at its file:line:col.

markdown-it gives block tokens their source lines but inline tokens (links, images, raw HTML) none;
`_InlineFinder` walks a block's source in step with its inline children to find their columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from oa_spec.config.diagnostics import Position
from oa_spec.content.article import Article
from oa_spec.errors import OaspecError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

LIST_OPEN = ("bullet_list_open", "ordered_list_open")
LIST_CLOSE = ("bullet_list_close", "ordered_list_close")


@cache  # made once per process: building the rule chains costs more than parsing an article
def markdown_parser() -> MarkdownIt:
    """The one configuration everything uses, so what is checked is what is rendered. Shared: a
    MarkdownIt keeps no state between parse() calls."""
    try:
        from markdown_it import MarkdownIt  # lazy: the `content` extra is optional
    except ImportError as exc:
        raise missing_extra("markdown-it-py") from exc
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Every link and image is kept as a token, even javascript: or data:, so validation can point
    # at it; the sanitizer drops what is not allowed when rendering.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def missing_extra(package: str) -> OaspecError:
    return OaspecError(f"articles need {package}: install oaspec with its content extra, pip install 'oaspec[content]'")


def parse_body(article: Article) -> list[Token]:
    """The body's tokens. One parse serves every reader of the same body (the checks, the policy's texts, the
    image scan): they read the tokens and never change them; render_body parses its own to style them."""
    return list(_parsed(article.body))


@lru_cache(maxsize=64)  # a spec's articles, each read two or three times by `validate`
def _parsed(body: str) -> tuple[Token, ...]:
    return tuple(markdown_parser().parse(body))


@dataclass(frozen=True)
class InlineRef:
    kind: str  # "image", "link" or "html"
    target: str  # src, href, or the raw HTML
    text: str  # alt text or link text ("" for html)
    position: Position


@dataclass(frozen=True)
class Block:
    kind: str  # the block token's type: paragraph_open, heading_open, html_block, fence, ...
    text: str  # visible text ("" when it has none)
    position: Position
    list_depth: int  # lists this block sits in


def blocks(article: Article, tokens: list[Token]) -> Iterator[Block]:
    """Every block with text (paragraphs, headings, table cells, code, raw HTML) and every list, with
    its visible text and list depth, in source order."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.type in LIST_CLOSE:
            depth -= 1
        if token.map is None:
            continue
        if token.type in LIST_OPEN:
            depth += 1
            yield Block(token.type, "", block_position(article, token), depth)
        elif token.type == "inline":
            kind = tokens[index - 1].type if index else "paragraph_open"
            yield Block(kind, visible_text(token), block_position(article, token), depth)
        elif token.type in ("fence", "code_block", "html_block"):
            yield Block(token.type, token.content, block_position(article, token), depth)


def visible_text(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def block_position(article: Article, token: Token) -> Position:
    line = (token.map or [0])[0]
    lines = article.body_lines
    source = lines[line] if line < len(lines) else ""
    return article.body_position(line, len(source) - len(source.lstrip()) + 1)


def inline_refs(article: Article, tokens: list[Token]) -> Iterator[InlineRef]:
    """Links, images and raw inline HTML inside paragraphs, headings and cells; raw HTML blocks too."""
    lines = article.body_lines
    for token in tokens:
        if token.type == "html_block" and token.map:
            yield InlineRef("html", token.content, "", block_position(article, token))
        if token.type != "inline" or not token.map:
            continue
        finder = _InlineFinder(article, lines, token.map)
        for child in _flatten(token.children or []):
            if child.type == "image":  # located at its "![", where a reader sees the image start
                src = str(child.attrs.get("src", ""))
                start = finder.find("![")
                finder.find(src)
                yield InlineRef("image", src, child.content, start)
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                yield InlineRef("link", href, "", finder.find(href))
            elif child.type == "html_inline":
                yield InlineRef("html", child.content, "", finder.find(child.content))


def _flatten(children: list[Token]) -> Iterator[Token]:
    for child in children:
        yield child
        yield from _flatten(child.children or [])


class _InlineFinder:
    """Finds successive inline targets in a block's source, so two identical links get two columns.
    Offsets only move forward, so line and column are counted on from the last one found (a block of
    thousands of links stays linear)."""

    def __init__(self, article: Article, lines: list[str], block_map: list[int]) -> None:
        self.article = article
        self.first = block_map[0]
        self.source = "\n".join(lines[block_map[0]:block_map[1]])
        self.cursor = 0
        self.counted = 0  # offset up to which newlines are counted
        self.line = 0
        self.line_start = 0

    def find(self, target: str) -> Position:
        for needle in dict.fromkeys((target, unquote(target), _markdown_escaped(target))):
            found = self.source.find(needle, self.cursor) if needle else -1
            if found >= 0:
                self.cursor = found + len(needle)
                return self._position(found)
        return self._position(self.cursor)

    def _position(self, offset: int) -> Position:
        newlines = self.source.count("\n", self.counted, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.source.rfind("\n", self.counted, offset) + 1
        self.counted = offset
        return self.article.body_position(self.first + self.line, offset - self.line_start + 1)


def _markdown_escaped(target: str) -> str:
    return target.replace("(", "\\(").replace(")", "\\)")

