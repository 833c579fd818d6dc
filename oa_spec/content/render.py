"""Markdown -> the HTML the WeChat editor keeps.

What the editor keeps (../shared/content.md): inline styles only (it strips `class`, `id`, style sheets
and scripts), `section` rather than `div`, no external or base64 images, code whose newlines and
indentation survive only as `<br>` and `&nbsp;`, a width of at most 677 px. So every element carries
its style in a `style` attribute, code blocks are pre-broken, tables sit in a scrolling `section`, and
images point at `oaspec-image:<sha256>` placeholders the publisher swaps for uploaded URLs.

The output is deterministic: the same source and theme give the same bytes (no dates, no random ids,
no set iteration), so a plan can diff two renders. nh3 sanitizes the result whatever raw HTML the
author wrote: what validation refuses with a position, rendering drops.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from oa_spec import limits
from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import Article
from oa_spec.content.images import (
    PLACEHOLDER,
    PLACEHOLDER_SCHEME,
    ImageFile,
    ScannedImages,
    UploadManifest,
    placeholder,
    scan_images,
)
from oa_spec.content.markdown import markdown_parser, missing_extra, parse_body

if TYPE_CHECKING:
    from markdown_it.token import Token

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

KEPT_TAGS = frozenset({
    "section", "p", "br", "span", "strong", "em", "b", "i", "u", "s", "del", "sup", "sub", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code",
    "table", "thead", "tbody", "tr", "th", "td", "img", "a",
})
# Removed with everything inside them, not just unwrapped: their content is code or form state, never text.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "noscript",
    "template", "textarea", "select", "form", "audio", "video", "canvas",
})
KEPT_ATTRIBUTES = {"*": {"style"}, "a": {"href", "title"}, "img": {"src", "alt"}, "th": {"colspan", "rowspan"},
                   "td": {"colspan", "rowspan"}}
KEPT_STYLE_PROPERTIES = frozenset({
    "color", "background-color", "font-size", "font-weight", "font-style", "font-family", "line-height",
    "letter-spacing", "text-align", "text-decoration", "text-indent", "margin", "margin-top", "margin-bottom",
    "margin-left", "margin-right", "padding", "padding-top", "padding-bottom", "padding-left", "padding-right",
    "border", "border-top", "border-bottom", "border-left", "border-right", "border-collapse", "border-radius",
    "max-width", "width", "height", "overflow-x", "white-space", "word-break", "display", "list-style-type",
    "vertical-align",
})
LINK_SCHEMES = frozenset({"https", "http"})


@dataclass(frozen=True)
class Theme:
    """A bank's look, in the few colours and sizes an article needs. Restrained by default."""

    text: str = "#333333"
    accent: str = "#1F4E8C"  # headings, links, quote bar
    muted: str = "#666666"
    code_background: str = "#F6F8FA"
    quote_background: str = "#F5F7FA"
    border: str = "#DDDDDD"
    font_size_px: int = 15
    line_height: float = 1.75
    max_width_px: int = limits.ARTICLE_CONTENT_WIDTH_PX

    def __post_init__(self) -> None:
        # Values go into style attributes verbatim: only plain colours and numbers, never a quote.
        for name in ("text", "accent", "muted", "code_background", "quote_background", "border"):
            if not _COLOUR.fullmatch(getattr(self, name)):
                raise ValueError(f"theme colour {name} must be #RRGGBB, not {getattr(self, name)!r}")
        sizes_ok = (10 <= self.font_size_px <= 24 and 1 <= self.line_height <= 3
                    and 200 <= self.max_width_px <= limits.ARTICLE_CONTENT_WIDTH_PX)
        if not sizes_ok:
            raise ValueError("theme sizes out of range: font 10-24 px, line height 1-3, width 200-677 px")


@dataclass(frozen=True)
class Rendered:
    html: str
    images: tuple[tuple[str, str], ...]  # (image reference, as markdown-it normalises it; sha256), sorted
    manifest: UploadManifest  # body images and the cover


def render_article(article: Article, theme: Theme | None = None, root: Path | None = None) -> Rendered:
    """The body as WeChat HTML. Raises SpecError (at the image's position) if an image cannot be used."""
    scanned = scan_images(article, parse_body(article), root)
    if scanned.problems:
        raise SpecError(list(scanned.problems))
    return render_scanned(article, scanned, theme or Theme())


def render_scanned(article: Article, scanned: ScannedImages, theme: Theme) -> Rendered:
    """The body as WeChat HTML, its images already found and hashed (and usable)."""
    return Rendered(render_body(article.body, scanned.by_reference, theme),
                    tuple(sorted((ref, image.sha256) for ref, image in scanned.by_reference.items())),
                    scanned.manifest)


def render_body(markdown: str, images: dict[str, ImageFile], theme: Theme) -> str:
    parser = markdown_parser()
    tokens = parser.parse(markdown)
    styles = _styles(theme)
    for token in tokens:
        _style_token(token, styles)
        for child in token.children or []:
            _style_token(child, styles)
    renderer: Any = parser.renderer
    renderer.rules["fence"] = lambda toks, idx, *_: _code(toks[idx].content, styles)
    renderer.rules["code_block"] = lambda toks, idx, *_: _code(toks[idx].content, styles)
    renderer.rules["image"] = lambda toks, idx, *_: _image(toks[idx], images, styles)
    renderer.rules["table_open"] = lambda toks, idx, *_: (
        f'<section style="{styles["table_box"]}"><table style="{styles["table"]}">')
    renderer.rules["table_close"] = lambda *_: "</table></section>"
    body = parser.renderer.render(tokens, parser.options, {})
    return sanitize(f'<section style="{styles["root"]}">{body}</section>')


def sanitize(markup: str) -> str:
    try:
        import nh3  # lazy: the `content` extra is optional
    except ImportError as exc:
        raise missing_extra("nh3") from exc

    return nh3.clean(markup, tags=set(KEPT_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                     attributes={tag: set(names) for tag, names in KEPT_ATTRIBUTES.items()},
                     attribute_filter=_keep_attribute, strip_comments=True, link_rel=None,
                     url_schemes={*LINK_SCHEMES, PLACEHOLDER_SCHEME},
                     filter_style_properties=set(KEPT_STYLE_PROPERTIES))


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    # An <img> may only show an uploaded image: a placeholder, never a URL the author typed.
    if element == "img" and attribute == "src":
        return value if PLACEHOLDER.fullmatch(value) else None
    if attribute in ("href", "src"):  # the placeholder scheme is for images only
        return None if value.lower().startswith(PLACEHOLDER_SCHEME) else value
    return value


def _styles(theme: Theme) -> dict[str, str]:
    base = f"font-size:{theme.font_size_px}px;line-height:{theme.line_height}"
    return {
        "root": f"max-width:{theme.max_width_px}px;margin:0 auto;color:{theme.text};{base};word-break:break-word",
        "p": "margin:0 0 1em 0",
        "h1": f"font-size:22px;font-weight:bold;color:{theme.accent};margin:1.2em 0 0.8em 0",
        "h2": f"font-size:19px;font-weight:bold;color:{theme.accent};margin:1.2em 0 0.8em 0",
        "h3": f"font-size:17px;font-weight:bold;color:{theme.accent};margin:1em 0 0.6em 0",
        "h4": f"font-size:{theme.font_size_px}px;font-weight:bold;color:{theme.text};margin:1em 0 0.6em 0",
        "blockquote": (f"margin:0 0 1em 0;padding:0.6em 1em;border-left:3px solid {theme.accent};"
                       f"background-color:{theme.quote_background};color:{theme.muted}"),
        "ul": "margin:0 0 1em 0;padding-left:1.5em;list-style-type:disc",
        "ol": "margin:0 0 1em 0;padding-left:1.5em;list-style-type:decimal",
        "li": "margin:0.2em 0",
        "a": f"color:{theme.accent};text-decoration:underline",
        "strong": f"font-weight:bold;color:{theme.text}",
        "code": f"font-size:90%;padding:0 0.2em;background-color:{theme.code_background};border-radius:3px",
        "hr": f"border:0;border-top:1px solid {theme.border};margin:1.5em 0",
        "img": "max-width:100%;display:block;margin:0 auto",
        "table_box": "overflow-x:auto;margin:0 0 1em 0",
        "table": f"border-collapse:collapse;width:100%;font-size:{max(theme.font_size_px - 1, 10)}px",
        "th": f"border:1px solid {theme.border};padding:0.4em 0.6em;background-color:{theme.code_background}",
        "td": f"border:1px solid {theme.border};padding:0.4em 0.6em",
        "code_box": (f"overflow-x:auto;margin:0 0 1em 0;padding:0.8em 1em;background-color:{theme.code_background};"
                     "border-radius:4px"),
        "pre": "margin:0;white-space:nowrap;font-size:13px;line-height:1.6",
    }


def _style_token(token: Token, styles: dict[str, str]) -> None:
    key = "code" if token.type == "code_inline" else token.tag
    if token.nesting == -1 or key not in styles or token.type in ("image", "table_open"):
        return
    own = str(token.attrs.get("style") or "")  # table alignment: text-align:right
    token.attrSet("style", ";".join(part for part in (styles[key], own) if part))


def _code(content: str, styles: dict[str, str]) -> str:
    """Newlines as <br> and spaces as &nbsp;: the editor collapses both inside <pre>."""
    lines = content.removesuffix("\n").split("\n")
    kept = "<br>".join(html.escape(line.expandtabs(4), quote=False).replace(" ", "&nbsp;") for line in lines)
    return (f'<section style="{styles["code_box"]}"><pre style="{styles["pre"]}">'
            f'<code style="font-family:monospace">{kept}</code></pre></section>')


def _image(token: Token, images: dict[str, ImageFile], styles: dict[str, str]) -> str:
    src = str(token.attrs.get("src", ""))
    image = images.get(src)
    alt = html.escape(_alt_text(token.children or []), quote=True)
    if image is None:  # not reached after scan_images; an unknown image renders as its alt text
        return alt
    return f'<img src="{placeholder(image.sha256)}" alt="{alt}" style="{styles["img"]}">'


def _alt_text(children: Sequence[Token]) -> str:
    return "".join(child.content for child in children if child.type in ("text", "code_inline"))
