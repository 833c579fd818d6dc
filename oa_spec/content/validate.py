"""Offline checks of one article against the platform's limits and what the WeChat editor keeps.

Everything found is reported, each at file:line:col of the Markdown file: front-matter problems at
their YAML line, body problems at the body line. Nothing is sent anywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spec import limits
from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.content.article import Article, load_article, one_line
from oa_spec.content.characters import bidi_controls
from oa_spec.content.css_values import colour
from oa_spec.content.diff import STRUCK_TAGS, hidden_styles, link_targets, strikes, struck_through
from oa_spec.content.images import ImageFile, ScannedImages, scan_images
from oa_spec.content.markdown import LIST_OPEN, InlineRef, blocks, inline_refs, parse_body
from oa_spec.content.render import (
    DROPPED_WITH_CONTENT,
    KEPT_TAGS,
    Rendered,
    Theme,
    render_body,
    render_scanned,
    sanitize,
)
from oa_spec.content.visibility import PAGE, Context, Hidden, hidden_by
from oa_spec.util.display import describe, mark_pile, value_problem
from oa_spec.util.urls import split_url

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")  # opening tags: a closing tag is reported with its opening one
_STRIPPED_ATTRIBUTE = re.compile(r"[\s/](on[a-zA-Z]+|class|id)\s*=", re.IGNORECASE)


def _attribute(name: str) -> re.Pattern[str]:
    """An attribute of raw HTML, its value quoted either way or bare (one of the three groups). A browser
    also starts an attribute after a slash: <p/style="display:none"> has a style."""
    return re.compile(rf"""[\s/]{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _values(attribute: re.Pattern[str], markup: str) -> Iterator[str]:
    for match in attribute.finditer(markup):
        yield next(group for group in match.groups() if group is not None)


_STYLE = _attribute("style")


@dataclass(frozen=True)
class ContentRules:
    """What an account allows its articles: link domains (exact, or '*.bank.cn' for subdomains)."""

    allowed_domains: tuple[str, ...] = ("mp.weixin.qq.com",)
    root: Path | None = None  # images must be inside; the article's own directory when None
    theme: Theme = field(default_factory=Theme)


def validate_file(path: Path, rules: ContentRules, display: str | None = None) -> list[Diagnostic]:
    """Every problem of the article at `path`, those of its front matter included."""
    try:
        article = load_article(path, display)
    except SpecError as exc:
        return list(exc.diagnostics)
    return validate_article(article, rules)


def validate_article(article: Article, rules: ContentRules) -> list[Diagnostic]:
    return check_article(article, rules).problems


@dataclass(frozen=True)
class Checked:
    problems: list[Diagnostic]
    rendered: Rendered | None  # the body as it would be published; None when an image cannot be used


def check_article(article: Article, rules: ContentRules) -> Checked:
    """The article's problems, and the HTML they were found in: what is checked is what gets published."""
    tokens = parse_body(article)
    scanned = scan_images(article, tokens, rules.root)
    rendered = None if scanned.problems else render_scanned(article, scanned, rules.theme)
    html_body = rendered.html if rendered else render_body(article.body, scanned.by_reference, rules.theme)
    refs = list(inline_refs(article, tokens))
    raw = list(_raw_html(refs, rules.theme))
    problems = [
        *_front_limits(article, rules.allowed_domains),
        *scanned.problems,
        *_image_limits(article, scanned, refs),
        *_body_size(article, html_body),
        *_links(article, refs, html_body, rules.allowed_domains),
        *raw,
        *_hidden_as_published(article, html_body, refs, rules.theme),
        *_struck_as_published(article, html_body, raw, refs),
        *_list_depth(article, tokens),
        *_reordering(article),
        *_piled(article),
    ]
    return Checked(sorted(problems, key=lambda d: (d.position.line, d.position.col, d.message)), rendered)


def _front_limits(article: Article, allowed: tuple[str, ...]) -> Iterator[Diagnostic]:
    front = article.front
    for name, value, most in (("title", front.title, limits.ARTICLE_TITLE_MAX_CHARS),
                              ("author", front.author, limits.ARTICLE_AUTHOR_MAX_CHARS),
                              ("digest", front.digest, limits.ARTICLE_DIGEST_MAX_CHARS)):
        if len(value) > most:
            yield Diagnostic(article.position_of(name), name, f"{len(value)} characters, the platform allows {most}",
                             f"shorten the {name}")
    if front.source_url:
        yield from _url_problems(front.source_url, article.position_of("source_url"), "source_url", allowed)


def _image_limits(article: Article, scanned: ScannedImages, refs: list[InlineRef]) -> Iterator[Diagnostic]:
    if scanned.cover is not None:
        yield from _image_problem(scanned.cover, article.position_of("cover"), "cover",
                                  limits.COVER_FORMATS, limits.COVER_MAX_BYTES)
    for ref in refs:
        image = scanned.by_reference.get(ref.target) if ref.kind == "image" else None
        if image is not None:
            yield from _image_problem(image, ref.position, "body", limits.BODY_IMAGE_FORMATS,
                                      limits.BODY_IMAGE_MAX_BYTES)


def _image_problem(image: ImageFile, position: Position, path: str, formats: tuple[str, ...],
                   most: int) -> Iterator[Diagnostic]:
    allowed = "/".join(formats)
    if image.format not in formats:
        what = "not an image" if image.format == "unknown" else f"a {image.format} image"
        yield Diagnostic(position, path, f"{image.path.name} is {what} (by its content); {path} images are {allowed}",
                         f"convert it to {allowed}")
    if image.size > most:
        yield Diagnostic(position, path, f"{image.path.name} is {image.size} bytes, over the {most} allowed",
                         "compress or resize it")


def _body_size(article: Article, rendered: str) -> Iterator[Diagnostic]:
    where = article.body_position(0)
    if len(rendered) >= limits.ARTICLE_BODY_MAX_CHARS:
        yield Diagnostic(where, "body", f"the rendered body is {len(rendered)} characters; the platform takes "
                         f"under {limits.ARTICLE_BODY_MAX_CHARS}", "split the article or shorten it")
    size = len(rendered.encode("utf-8"))
    if size >= limits.ARTICLE_BODY_MAX_BYTES:
        yield Diagnostic(where, "body", f"the rendered body is {size} bytes; the platform takes under "
                         f"{limits.ARTICLE_BODY_MAX_BYTES}", "split the article or shorten it")


def _links(article: Article, refs: list[InlineRef], published: str,
           allowed: tuple[str, ...]) -> Iterator[Diagnostic]:
    """Markdown links, and every href of raw HTML as a browser reads it (html5lib's tree, not a pattern: a link
    written <a title="x"href=...> is a link to nh3 and to the reader's browser, attack review 39 F2), each at the
    text that holds it; then any link of the body as it will be published that those did not cover, at the
    body's start."""
    checked: set[str] = set()
    for ref in refs:
        targets = [ref.target] if ref.kind == "link" else link_targets(ref.target) if ref.kind == "html" else []
        for url in targets:
            checked.add(url)
            yield from _url_problems(url, ref.position, "body", allowed)
    for url in dict.fromkeys(link_targets(published)):
        if url not in checked:
            yield from _url_problems(url, article.body_position(0), "body", allowed)


def _url_problems(url: str, position: Position, path: str, allowed: tuple[str, ...]) -> Iterator[Diagnostic]:
    """Links must be http(s) to an allowed domain."""
    parts = split_url(url.strip())
    scheme = (parts.scheme.lower() if parts else "")
    if scheme not in ("http", "https") or parts is None or not parts.hostname:
        yield Diagnostic(position, path, f"the link '{one_line(url)}' is not a web address",
                         "link only to https:// pages; scripts, anchors and mail links are removed by WeChat")
    elif not _host_allowed(parts.hostname, allowed):
        yield Diagnostic(position, path, f"the link to {parts.hostname} is not to an allowed domain",
                         f"link to {', '.join(allowed)}, or add the domain to the allowed domains")
    elif problem := value_problem(url):  # the plan prints it: nothing in it may pass for another character
        yield Diagnostic(position, path, f"the link {one_line(url)!r} {problem}",
                         "write the link in plain ASCII (a path's other characters percent-encoded)")


def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in (p.lower() for p in allowed):
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


def _raw_html(refs: list[InlineRef], theme: Theme) -> Iterator[Diagnostic]:
    inside = _inside(theme)
    for ref in refs:
        if ref.kind != "html":
            continue
        for tag in dict.fromkeys(m.group(1).lower() for m in _TAG.finditer(ref.target)):
            if tag in DROPPED_WITH_CONTENT:
                yield Diagnostic(ref.position, "body", f"<{tag}> is not allowed in an article",
                                 "scripts, styles, forms, frames and embeds are removed by WeChat; delete it")
            elif tag == "img":
                yield Diagnostic(ref.position, "body", "<img> in raw HTML is not allowed",
                                 "write images as ![alt](images/file.png) so they are uploaded")
            elif tag in STRUCK_TAGS:
                yield _struck(ref.position)
            elif tag not in KEPT_TAGS:
                yield Diagnostic(ref.position, "body", f"<{tag}> is not kept by the WeChat editor",
                                 "use Markdown, or one of: section, p, span, strong, em, table")
        for style in _published_styles(ref):
            hiding = hidden_by(style, inside)
            if hiding is not None:
                yield _hides(ref.position, hiding)
            if strikes("", style):
                yield _struck(ref.position)
        yield from _cut_off(ref, inside)
        for match in _STRIPPED_ATTRIBUTE.finditer(ref.target):
            yield Diagnostic(ref.position, "body", f"the attribute {match.group(1)}= is removed by WeChat",
                             "style with the theme or an inline style= instead; event handlers are never allowed")


def _cut_off(ref: InlineRef, inside: Context) -> Iterator[Diagnostic]:
    """A box of raw HTML that cuts off the text it holds (content/clipping.py), read in the tree a browser builds
    from it: refused where it is written, whether or not the editor keeps the styles that make it clip."""
    if "style" in ref.target.lower():
        for hidden, _ in hidden_styles(sanitize(ref.target), inside):
            if hidden.advice:
                yield _hides(ref.position, hidden)


def _published_styles(ref: InlineRef) -> list[str]:
    """The styles of a piece of raw HTML as the renderer publishes them: a declaration it drops (`overflow`,
    `position`) can hide nothing in the article (attack review 41 F3); the body as published is judged again whole
    (`_hidden_as_published`)."""
    return list(_values(_STYLE, sanitize(ref.target))) if "style" in ref.target.lower() else []


def _inside(theme: Theme) -> Context:
    """What raw HTML inherits from the article's root section."""
    return Context(colour(theme.text.lower()) or PAGE.text, font_px=theme.font_size_px,
                   line_height=theme.line_height)


def _hidden_as_published(article: Article, published: str, refs: list[InlineRef],
                         theme: Theme) -> Iterator[Diagnostic]:
    """The body as it will be published, judged with what each element inherits: what hides only when nested
    (0.6em in 0.6em in 0.6em; dark text on a parent's dark background), and, when the raw HTML's styles were
    all readable, any style the browser reads where they were not found (<p title="x"style=...>). Placed at
    the raw HTML that holds it."""
    inside = _inside(theme)
    raw_hides = any(hidden_by(style, inside) for ref in refs if ref.kind == "html"
                    for style in _published_styles(ref))
    raw_cuts = any(True for ref in refs if ref.kind == "html" for _ in _cut_off(ref, inside))
    for hidden, nested in dict.fromkeys(hidden_styles(published, inside)):
        if (raw_hides and not nested and not hidden.advice) or (raw_cuts and hidden.advice):
            continue  # reported where it is written
        value = str(hidden).partition(":")[2].partition(" ")[0]
        where = next((ref.position for ref in refs if ref.kind == "html" and value and value in ref.target.lower()),
                     article.body_position(0))
        yield _hides(where, hidden, " inside the elements around it" if nested else "")


def _struck_as_published(article: Article, published: str, raw: list[Diagnostic],
                         refs: list[InlineRef]) -> Iterator[Diagnostic]:
    """Struck text the browser draws where the raw HTML check did not find it (<p title="x"style=...>), placed at
    the first raw HTML."""
    if not any(problem.message == _STRUCK for problem in raw) and struck_through(published):
        yield _struck(next((ref.position for ref in refs if ref.kind == "html"), article.body_position(0)))


_STRUCK = "struck-through text reads as withdrawn: readers take nothing it says as said"


def _struck(where: Position) -> Diagnostic:
    return Diagnostic(where, "body", _STRUCK,
                      "delete what no longer holds, or write it without <del>, <s> or text-decoration:line-through")


def _hides(where: Position, hidden: Hidden, around: str = "") -> Diagnostic:
    unread = "" if hidden.understood else " cannot be checked, so it is taken as one that"
    return Diagnostic(where, "body", f"the style {hidden}{unread} hides this text from readers{around}", hidden.fix)


def _list_depth(article: Article, tokens: list[Token]) -> Iterator[Diagnostic]:
    for block in blocks(article, tokens):
        if block.kind in LIST_OPEN and block.list_depth > limits.ARTICLE_MAX_LIST_DEPTH:
            yield Diagnostic(block.position, "body", f"a list nested {block.list_depth} deep; the editor keeps "
                             f"{limits.ARTICLE_MAX_LIST_DEPTH} levels", "flatten the inner list")


def _reordering(article: Article) -> Iterator[Diagnostic]:
    """A bidirectional override, embedding or isolate makes readers see another order than the policy
    packs read (。险风零 shown as 零风险。): refused, raw or as a character reference."""
    for number, line in enumerate(article.body_lines):
        for col, code in bidi_controls(line):
            yield Diagnostic(article.body_position(number, col + 1), "body",
                             f"{describe(chr(code))} reorders the text readers see",
                             "remove it; write the text in the order it is read")


def _piled(article: Article) -> Iterator[Diagnostic]:
    """Combining marks piled on one character draw over the lines around it: a risk statement on the next line is
    scribbled over for readers while the packs read it as made. Refused as in every spec string, raw or written as
    character references (then at the line's start) (attack review 77 F4)."""
    for number, line in enumerate(article.body_lines):
        pile = mark_pile(line)
        at = pile[0] if pile else 0
        if pile is None and "&" in line:
            pile = mark_pile(html.unescape(line))
        if pile is not None:
            yield Diagnostic(article.body_position(number, at + 1), "body",
                             f"{pile[1]} combining marks piled on one character draw over the lines around it",
                             "remove them: keep at most two marks on a letter")
