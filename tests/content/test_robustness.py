"""Whatever an author writes, checking and rendering give problems or HTML, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oa_spec.content.article import load_article
from oa_spec.content.diff import body_diff
from oa_spec.content.render import render_body
from oa_spec.content.texts import article_texts
from oa_spec.content.validate import ContentRules, validate_article
from tests.content.helpers import FRONT, png_bytes

PIECES = st.sampled_from([
    "# ", "- ", "  - ", "1. ", "> ", "| a | b |\n|---|---|\n| 1 | 2 |", "```\n", "`", "**", "_", "![a](",
    "cover.png", "https://x.cn", ")", "[l](", "<script>", "</script>", "<a href='", "'>", "<img src=", "&amp;",
    "\n", "\n\n", "---", "理财", "<!--", "-->", "\t", "\\", "<section style=\"color:red\">", "</section>",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40))
def test_any_body_checks_renders_and_diffs_without_crashing(parts: list[str]) -> None:
    # Line breaks git does not see are refused (test_body_line_breaks.py): a body holds none.
    body = "".join(parts).translate(dict.fromkeys(map(ord, "\r\x85\u2028\u2029")))
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "cover.png").write_bytes(png_bytes())
        (directory / "a.md").write_text(FRONT + body, encoding="utf-8")
        article = load_article(directory / "a.md", "a.md")
        problems = validate_article(article, ContentRules())
        last_line = (FRONT + body).count("\n") + 1
        for problem in problems:  # every problem points into the file: the body, or the field it is about
            assert problem.position.line >= article.body_line or problem.path in ("cover", "title")
            assert problem.position.line <= last_line and problem.position.col >= 1
        html = render_body(article.body, {}, ContentRules().theme)
        assert "<script" not in html and "javascript:" not in html.lower()
        article_texts(article)
        body_diff(html, render_body(article.body + "\n\nx", {}, ContentRules().theme))
