"""The article's texts for the policy engine: title, author, digest, every paragraph, heading, table cell,
code block and raw HTML block of the body, and every image's alt text, each at its file:line:col, without
the characters that draw nothing.

The policy packs check replies text by text; an article's regulated wording (a wealth article's
risk statement) may sit in any paragraph, so `ArticleTexts.shown` gives the whole article as its reader
sees it, one text for rules that ask "does the article say X anywhere", and `joined` the same with the
alt texts, read for what they claim.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from oa_spec.config.diagnostics import Position
from oa_spec.content.article import Article
from oa_spec.content.characters import readable
from oa_spec.content.markdown import blocks, inline_refs, missing_extra, parse_body
from oa_spec.util import precompiled

TextKind = Literal["title", "author", "digest", "heading", "paragraph", "cell", "code", "html", "alt"]
_QUOTED = precompiled.compile(r"“([^“”]+)”")  # how a finding's detail quotes what it found
_BLOCK_KINDS: dict[str, TextKind] = {
    "paragraph_open": "paragraph", "heading_open": "heading", "th_open": "cell", "td_open": "cell",
    "fence": "code", "code_block": "code", "html_block": "html",
}


@dataclass(frozen=True)
class ArticleText:
    kind: TextKind
    text: str
    position: Position


@dataclass(frozen=True)
class ArticleTexts:
    file: str
    items: tuple[ArticleText, ...]

    @property
    def joined(self) -> str:
        return "\n".join(item.text for item in self.items)

    @property
    def shown(self) -> str:
        """The article as its reader sees it: without image alt texts, which readers never see (a statement
        the article must make is not made there)."""
        return "\n".join(item.text for item in self.items if item.kind != "alt")

    def locate(self, detail: str, holds: Callable[[str, str], bool],
               concerns: Callable[[str], bool]) -> ArticleText:
        """The text a finding on the whole article is about: the first that `holds` a term the finding quotes
        (“保本”), else the first it `concerns` (where a missing statement was due: the first paragraph
        promoting the product), else the title."""
        for term in quoted_terms(detail):
            found = next((item for item in self.items if holds(item.text, term)), None)
            if found is not None:
                return found
        return next((item for item in self.items if concerns(item.text)), self.items[0])


def quoted_terms(detail: str) -> list[str]:
    """The terms a finding's detail quotes (“保本”), in order: what a finding on a text is placed on, in an article
    (ArticleTexts.locate) as in a block text of the spec (policy.engine.phrase_offset)."""
    return _QUOTED.findall(detail)


def article_texts(article: Article) -> ArticleTexts:
    items = [ArticleText("title", article.front.title, article.position_of("title"))]
    for name in ("author", "digest"):  # shown under the title and in the share card
        value = getattr(article.front, name)
        if value:
            items.append(ArticleText(name, value, article.position_of(name)))
    tokens = parse_body(article)
    for block in blocks(article, tokens):
        kind = _BLOCK_KINDS.get(block.kind)
        text = _html_text(block.text) if kind == "html" else block.text.strip()
        if kind and text:
            items.append(ArticleText(kind, text, block.position))
    for ref in inline_refs(article, tokens):
        if ref.kind == "image" and ref.text.strip():
            items.append(ArticleText("alt", ref.text.strip(), ref.position))
    # As readers read them: 保&#8203;本 is 保本 to a reader, so it must be to the packs (content/characters.py).
    read = (ArticleText(item.kind, readable(item.text), item.position) for item in items)
    kept = (item for item in read if item.kind == "title" or item.text.strip())  # (locate falls back to the title)
    ordered = sorted(kept, key=lambda t: (t.position.line, t.position.col))
    return ArticleTexts(article.file, tuple(ordered))


def _html_text(markup: str) -> str:
    """What a reader sees of a raw HTML block: its text without tags (scripts and styles dropped)."""
    try:
        import nh3  # lazy: the `content` extra is optional
    except ImportError as exc:
        raise missing_extra("nh3") from exc

    return html.unescape(nh3.clean(markup, tags=set())).strip()
