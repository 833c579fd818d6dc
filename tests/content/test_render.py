from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import load_article
from oa_spec.content.images import placeholder
from oa_spec.content.markdown import markdown_parser
from oa_spec.content.render import Theme, render_article, sanitize
from oa_spec.errors import OaspecError
from tests.content.helpers import article

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).resolve().parents[2]
RENDER = ("from pathlib import Path; from oa_spec.content.article import load_article; "
          "from oa_spec.content.render import render_article; import sys; "
          "sys.stdout.write(render_article(load_article(Path(sys.argv[1]), 'article.md')).html)")


def test_rendering_matches_the_golden_bytes() -> None:
    rendered = render_article(load_article(GOLDEN / "article.md", "article.md"))
    assert rendered.html == (GOLDEN / "article.html").read_text(encoding="utf-8")
    assert sanitize(rendered.html) == rendered.html  # nothing the renderer writes is lost to the sanitizer


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_same_source_gives_same_bytes_in_another_process(seed: str) -> None:
    # Different hash seeds change set and dict-of-set orders: the output must not depend on them.
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", RENDER, str(GOLDEN / "article.md")], capture_output=True,
                         text=True, env=env, check=True, timeout=60).stdout
    assert out == (GOLDEN / "article.html").read_text(encoding="utf-8")


def test_layout_is_sections_with_inline_styles_only(tmp_path: Path) -> None:
    html = render_article(load_article(GOLDEN / "article.md", "article.md")).html
    assert html.startswith('<section style="max-width:677px;') and html.endswith("</section>")
    assert "<div" not in html and " class=" not in html and " id=" not in html and "<style" not in html
    tags = re.findall(r"<(h1|p|table|th|td|ol|ul|li|blockquote|pre|code|a|img)\b[^>]*>", html)
    assert tags and all("style=" in m.group(0) for m in re.finditer(r"<(?:h1|p|table|th|td|li|img)\b[^>]*>", html))


def test_code_keeps_newlines_and_indentation_as_the_editor_needs(tmp_path: Path) -> None:
    html = render_article(article(tmp_path, "```\nif a < b:\n    go()\n```\n")).html
    assert "if&nbsp;a&nbsp;&lt;&nbsp;b:<br>&nbsp;&nbsp;&nbsp;&nbsp;go()" in html
    assert "\n" not in html.split("<pre")[1].split("</pre>")[0]


def test_tables_scroll_inside_a_section(tmp_path: Path) -> None:
    html = render_article(article(tmp_path, "| a | b |\n|---|---|\n| 1 | 2 |\n")).html
    assert '<section style="overflow-x:auto;margin:0 0 1em 0"><table style=' in html


def test_images_become_placeholders_with_a_path_to_hash_mapping(tmp_path: Path) -> None:
    rendered = render_article(article(tmp_path, "![封面](cover.png)\n"))
    [(reference, digest)] = rendered.images
    assert reference == "cover.png"
    assert f'<img src="{placeholder(digest)}" alt="封面"' in rendered.html


def test_an_unusable_image_stops_rendering_at_its_position(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"a\.md:6:1: error: body: the image 'https://e\.com/x\.png'"):
        render_article(article(tmp_path, "![x](https://e.com/x.png)\n"))


@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>",
    '<style>p { color: red }</style>',
    '<iframe src="https://evil.example.com"></iframe>',
    '<form action="https://evil.example.com"><input name="pin"></form>',
    '<svg><use href="#x"/></svg>',
])
def test_sanitizer_removes_active_content_and_what_is_inside_it(tmp_path: Path, markup: str) -> None:
    html = render_article(article(tmp_path, f"before\n\n{markup}\n\nafter\n")).html
    for word in ("script", "alert", "style>", "iframe", "evil", "form", "input", "svg", "use"):
        assert word not in html
    assert "before" in html and "after" in html


def test_sanitizer_strips_class_id_handlers_and_foreign_styles(tmp_path: Path) -> None:
    body = ('<p class="x" id="y" onclick="steal()" onmouseover="x()" style="position:fixed;color:#ff0000">'
            "hi <span onload=\"x()\">there</span></p>\n")
    html = render_article(article(tmp_path, body)).html
    assert '<p style="color:#ff0000">hi <span>there</span></p>' in html
    for word in ("class", "id=", "onclick", "onmouseover", "onload", "position"):
        assert word not in html


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,<b>x</b>",
    f"{placeholder('ab' * 32)}",
])
def test_links_that_are_not_web_addresses_lose_their_href(tmp_path: Path, link: str) -> None:
    html = render_article(article(tmp_path, f"[点我]({link})\n\n<a href=\"{link}\">raw</a>\n")).html
    assert "href" not in html and "点我" in html


def test_raw_html_images_cannot_point_at_urls(tmp_path: Path) -> None:
    html = sanitize('<img src="https://tracker.example.com/p.gif" alt="x"><img src="oaspec-image:zz">')
    assert "src" not in html


def test_theme_is_applied_and_cannot_inject_styles(tmp_path: Path) -> None:
    html = render_article(article(tmp_path, "# 标题\n"), Theme(accent="#8B0000", font_size_px=16)).html
    assert "color:#8B0000" in html and "font-size:16px" in html
    with pytest.raises(ValueError, match="#RRGGBB"):
        Theme(accent='red" onclick="x()')
    with pytest.raises(ValueError, match="out of range"):
        Theme(max_width_px=1200)


@pytest.mark.parametrize("module", ["markdown_it", "nh3"])
def test_without_the_content_extra_the_error_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    loaded = article(tmp_path, "正文\n")
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail as if not installed
    markdown_parser.cache_clear()  # a process without the extra has never built the parser
    with pytest.raises(OaspecError, match=r"pip install 'oaspec\[content\]'"):
        render_article(loaded)
