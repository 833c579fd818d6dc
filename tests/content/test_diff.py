from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path
from unittest.mock import patch

import nh3

from oa_spec.content import diff
from oa_spec.content.diff import body_diff, policy_reading, visible_lines
from oa_spec.content.render import Theme, render_article
from tests.content.helpers import article


def render(tmp_path: Path, body: str, theme: Theme | None = None) -> str:
    return render_article(article(tmp_path, body), theme).html


def test_identical_bodies_have_no_diff(tmp_path: Path) -> None:
    html = render(tmp_path, "段落一\n\n段落二\n")
    assert body_diff(html, html) == ""


def test_a_changed_paragraph_shows_as_one_readable_change(tmp_path: Path) -> None:
    old = render(tmp_path / "old", "# 标题\n\n第一段。\n\n第二段。\n\n第三段。\n")
    new = render(tmp_path / "new", "# 标题\n\n第一段。\n\n第二段已改。\n\n第三段。\n")
    assert body_diff(old, new) == (
        "--- live\n+++ repository\n@@ -2,3 +2,3 @@\n 第一段。\n-第二段。\n+第二段已改。\n 第三段。")


def test_a_theme_change_alone_is_named_as_formatting(tmp_path: Path) -> None:
    old = render(tmp_path, "# 标题\n\n正文\n")
    new = render(tmp_path, "# 标题\n\n正文\n", Theme(accent="#8B0000"))
    assert body_diff(old, new) == "(the text is unchanged; only formatting changed)"


def test_image_swaps_and_table_rows_are_visible(tmp_path: Path) -> None:
    (tmp_path / "other.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\1" * 10)
    old = render(tmp_path, "![图](cover.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    new = render(tmp_path, "![图](other.png)\n\n| a | b |\n|---|---|\n| 1 | 3 |\n")
    lines = visible_lines(new)
    assert lines[1:] == ["a | b", "1 | 3"] and lines[0].startswith("[图片 sha256:") and lines[0].endswith(" 图]")
    diff = body_diff(old, new)
    assert "-1 | 2\n+1 | 3" in diff and diff.count("[图片 sha256:") == 2


def test_live_html_from_the_platform_diffs_too() -> None:
    live = '<p>旧文<img src="https://mmbiz.qpic.cn/abc/0?wx_fmt=png"></p><script>x</script><p>&nbsp;尾&amp;</p>'
    assert visible_lines(live) == ["旧文[图片 0?wx_fmt=png]", "尾&"]


def test_a_link_that_points_elsewhere_shows_its_old_and_new_target(tmp_path: Path) -> None:
    old = render(tmp_path, "了解[财富服务](https://m.citybank.example.cn/wealth)。\n")
    new = render(tmp_path, "了解[财富服务](https://www.citybank.example.cn/promo)。\n")
    assert body_diff(old, new) == ("--- live\n+++ repository\n@@ -1 +1 @@\n"
                                   "-了解财富服务 [链接 https://m.citybank.example.cn/wealth]。\n"
                                   "+了解财富服务 [链接 https://www.citybank.example.cn/promo]。")


def test_text_a_style_hides_is_marked_as_hidden() -> None:
    shown = visible_lines('<p>正文</p><p style="display:none">理财非存款</p>'
                          '<p><span style="color:#fff">保本</span>。</p>')
    assert shown == ["正文", "[隐藏（display:none）：理财非存款]", "[隐藏（color:#fff）：保本]。"]
    assert visible_lines('<p style="display:none">理财非存款</p>', markers=False) == ["理财非存款"]


def test_each_line_inside_a_right_to_left_element_is_read_right_to_left_and_none_after_it() -> None:
    """Attack review 34 F2: `direction` is inherited, so every line inside <section dir="rtl"> opens an isolate."""
    reading = policy_reading('<section dir="rtl"><p>甲</p><p>乙<b>丙</b></p></section><p>丁</p>')
    assert reading.shown == ["\u2067甲", "\u2067乙丙", "丁"]


def test_struck_text_is_marked_so_striking_a_statement_is_no_mere_formatting_change() -> None:
    """Attack review 34 F4: the plan said "only formatting changed" when the risk statement was struck through."""
    old = "<p>理财非存款、产品有风险、投资须谨慎。本文仅为市场观察。</p>"
    new = "<p><del>理财非存款、产品有风险、投资须谨慎。</del>本文仅为市场观察。</p>"
    assert body_diff(old, new) == ("--- live\n+++ repository\n@@ -1 +1 @@\n"
                                   "-理财非存款、产品有风险、投资须谨慎。本文仅为市场观察。\n"
                                   "+[删除线：理财非存款、产品有风险、投资须谨慎。]本文仅为市场观察。")
    assert visible_lines('<p style="text-decoration:line-through">甲<s>乙</s></p>') == ["[删除线：甲乙]"]


_TAGS = ("p", "section", "div", "span", "table", "tbody", "tr", "td", "th", "caption", "b", "em", "a", "ul", "ol",
         "li", "h1", "blockquote", "pre", "center", "figure")
_PIECES = ["x", "<section hidden>", "<div hidden>", "<span hidden>", "<p hidden>", '<a href="https://m.bank.cn/">',
           *(f"<{tag}>" for tag in _TAGS), *(f"</{tag}>" for tag in _TAGS)]


class _HiddenMarker(HTMLParser):
    """Whether the marker S is inside a `hidden` element of well-formed markup (a serialized tree)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []
        self.hidden: bool | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(any(name == "hidden" for name, _ in attrs))

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "S" in data:
            self.hidden = any(self.open)


def test_live_bodies_are_read_from_the_tree_another_browser_engine_builds() -> None:
    """Attack review 35 F3's differential test: misnested tags, stray table parts and scopes in random bodies;
    the marker is shown to the policies exactly where html5ever (Servo's parser, through nh3) leaves it outside
    every `hidden` element."""
    rng = random.Random(35)
    for _ in range(1500):
        pieces = [rng.choice(_PIECES) for _ in range(rng.randint(4, 10))]
        pieces.insert(rng.randint(0, len(pieces)), "S")
        markup = "".join(pieces)
        tree = _HiddenMarker()
        tree.feed(nh3.clean(markup, tags=set(_TAGS), attributes={"*": {"hidden"}, "a": {"href"}}, link_rel=None))
        shown = "S" in "".join(policy_reading(markup).shown)
        assert tree.hidden is None or shown is not tree.hidden, markup


def test_a_body_nested_thousands_deep_is_read_whole() -> None:
    """The tree is walked without recursion: 5,000 nested elements neither crash the reading nor lose what the
    outermost one hides."""
    deep = "<span>" * 5000 + "理财非存款" + "</span>" * 5000
    assert policy_reading(deep).shown == ["理财非存款"]
    assert policy_reading(f"<section hidden>{deep}</section>").shown == []


def test_one_body_is_read_once_for_all_that_validate_asks_of_it() -> None:
    # validate asks whether any text is struck through and which styles hide text, of each body: one walk
    markup = '<p style="color:#fff">保本</p><p><s>旧价</s>新价</p>'
    with patch.object(diff._VisibleText, "walk", autospec=True, side_effect=diff._VisibleText.walk) as walked:
        assert diff.struck_through(markup)
        assert diff.hidden_styles(markup)
        assert diff.policy_reading(markup).everything
    assert walked.call_count == 1
