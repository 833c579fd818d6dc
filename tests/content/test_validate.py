from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.content.validate import ContentRules, validate_file
from tests.content.helpers import GIF_BYTES, JPEG_BYTES, png_bytes, write_article

RULES = ContentRules(allowed_domains=("mp.weixin.qq.com", "*.citybank.example.cn"))
HEAD = "---\ntitle: 标题\ncover: cover.png\n---\n"  # the body starts on line 5


def found(tmp_path: Path, text: str, rules: ContentRules = RULES) -> list[str]:
    """'line:col message' of each problem."""
    path = write_article(tmp_path, text)
    return [f"{d.position.line}:{d.position.col} {d.message}" for d in validate_file(path, rules, "a.md")]


def test_a_clean_article_has_no_problems(tmp_path: Path) -> None:
    (tmp_path / "chart.jpg").write_bytes(JPEG_BYTES)
    body = ("# 标题\n\n正文见[说明](https://mp.weixin.qq.com/s/x)和[网点](https://www.citybank.example.cn/b)。\n\n"
            "![图表](chart.jpg)\n\n- 一\n  - 二\n")
    assert found(tmp_path, HEAD + body) == []


def test_front_matter_limits_point_at_the_value(tmp_path: Path) -> None:
    title, author, digest = "题" * 65, "作" * 9, "摘" * 121
    text = f"---\ntitle: {title}\nauthor: {author}\ndigest: {digest}\ncover: cover.png\n---\n正文\n"
    assert found(tmp_path, text) == [
        "2:8 65 characters, the platform allows 64",
        "3:9 9 characters, the platform allows 8",
        "4:9 121 characters, the platform allows 120",
    ]


def test_limits_are_inclusive_at_the_edge(tmp_path: Path) -> None:
    text = (f"---\ntitle: {'题' * 64}\nauthor: {'作' * 8}\ndigest: {'摘' * 120}\ncover: cover.png\n---\n正文\n")
    assert found(tmp_path, text) == []


def test_front_matter_errors_come_back_as_problems(tmp_path: Path) -> None:
    assert found(tmp_path, "---\ntitle: T\ncover: cover.png\nauthr: A\n---\n") == [
        "4:1 unknown front-matter field 'authr'"]


def test_body_over_the_character_limit_after_rendering(tmp_path: Path) -> None:
    # 2,000 short paragraphs are under 20,000 characters of Markdown but far over it once styled.
    body = "\n\n".join("段" for _ in range(2000))
    assert found(tmp_path, HEAD + body)[0].startswith("5:1 the rendered body is ")
    assert "under 20000" in found(tmp_path, HEAD + body)[0]


def test_body_over_the_byte_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A source small enough to read cannot reach 1 MB rendered, so the limit is lowered to test the check.
    monkeypatch.setattr(limits, "ARTICLE_BODY_MAX_BYTES", 1000)
    body = "字" * 300  # 900 bytes of text, over 1,000 with the wrapping section
    [problem] = found(tmp_path, HEAD + body)
    assert problem.startswith("5:1 the rendered body is 1")
    assert problem.endswith("bytes; the platform takes under 1000")


def test_body_images_must_be_jpeg_or_png_by_content_and_at_most_1_mb(tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_bytes(GIF_BYTES)
    (tmp_path / "notes.jpg").write_bytes(b"just text")
    (tmp_path / "big.png").write_bytes(png_bytes(padding=limits.BODY_IMAGE_MAX_BYTES))
    (tmp_path / "edge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (limits.BODY_IMAGE_MAX_BYTES - 8))
    most = limits.BODY_IMAGE_MAX_BYTES
    problems = found(tmp_path, HEAD + "a ![g](fake.png)\n\n![t](notes.jpg) ![b](big.png) ![e](edge.png)\n")
    assert problems == [
        "5:3 fake.png is a gif image (by its content); body images are jpeg/png",
        "7:1 notes.jpg is not an image (by its content); body images are jpeg/png",
        f"7:17 big.png is {(tmp_path / 'big.png').stat().st_size} bytes, over the {most} allowed",
    ]


def test_cover_format_and_size(tmp_path: Path) -> None:
    (tmp_path / "cover.png").write_bytes(b"RIFF\0\0\0\0WEBPVP8 ")
    assert found(tmp_path, HEAD + "正文\n") == [
        "3:8 cover.png is a webp image (by its content); cover images are jpeg/png/gif/bmp"]
    (tmp_path / "cover.png").write_bytes(GIF_BYTES)  # a gif cover is fine: it is a permanent material
    assert found(tmp_path, HEAD + "正文\n") == []
    assert found(tmp_path, "---\ntitle: T\ncover: gone.png\n---\n") == ["3:8 the image 'gone.png' does not exist"]


def test_external_and_escaping_images_are_refused_where_written(tmp_path: Path) -> None:
    body = "![a](https://cdn.example.com/a.png)\n\n![b](data:image/png;base64,AAAA) ![c](../x.png)\n"
    assert [p.split(" ", 2)[:2] for p in found(tmp_path, HEAD + body)] == [
        ["5:1", "the"], ["7:1", "the"], ["7:34", "the"]]


def test_links_only_to_allowed_domains(tmp_path: Path) -> None:
    body = ("[a](https://evil.example.com/x) [b](https://mp.weixin.qq.com.evil.cn/) [c](https://citybank.example.cn)\n"
            "[d](https://a.b.citybank.example.cn/ok) [e](javascript:alert(1)) [f](mailto:x@y.cn) [g](#top)\n")
    assert found(tmp_path, HEAD + body) == [
        "5:5 the link to evil.example.com is not to an allowed domain",
        "5:37 the link to mp.weixin.qq.com.evil.cn is not to an allowed domain",
        "5:76 the link to citybank.example.cn is not to an allowed domain",
        "6:45 the link 'javascript:alert(1)' is not a web address",
        "6:70 the link 'mailto:x@y.cn' is not a web address",
        "6:89 the link '#top' is not a web address",
    ]


def test_source_url_must_be_a_web_address(tmp_path: Path) -> None:
    text = "---\ntitle: T\ncover: cover.png\nsource_url: javascript:x\n---\n"
    assert found(tmp_path, text) == ["4:13 the link 'javascript:x' is not a web address"]


def test_scripts_forms_iframes_and_stripped_attributes_are_refused(tmp_path: Path) -> None:
    body = ("<script>alert(1)</script>\n\n<form><input></form>\n\n"
            "text <iframe src=\"https://x\"></iframe> and <img src=\"https://t.cn/p.gif\">\n\n"
            "<p class=\"x\" onclick=\"y()\">raw</p>\n\n<marquee>old</marquee>\n")
    assert found(tmp_path, HEAD + body) == [
        "5:1 <script> is not allowed in an article",
        "7:1 <form> is not allowed in an article",
        "7:1 <input> is not kept by the WeChat editor",
        "9:6 <iframe> is not allowed in an article",
        "9:44 <img> in raw HTML is not allowed",
        "11:1 the attribute class= is removed by WeChat",
        "11:1 the attribute onclick= is removed by WeChat",
        "13:1 <marquee> is not kept by the WeChat editor",
    ]


def test_lists_deeper_than_two_levels(tmp_path: Path) -> None:
    body = "- a\n  - b\n    - c\n      - d\n\n1. one\n   - two\n"
    assert found(tmp_path, HEAD + body) == [
        "7:5 a list nested 3 deep; the editor keeps 2 levels",
        "8:7 a list nested 4 deep; the editor keeps 2 levels",
    ]


def test_links_written_as_raw_html_are_checked_too(tmp_path: Path) -> None:
    body = ('<p>see <a href="https://evil.example.com/x">here</a></p>\n\n'
            "text <a href='jav&#x61;script:alert(1)'>x</a> <a title=t href=https://mp.weixin.qq.com/s/ok>ok</a>\n")
    assert found(tmp_path, HEAD + body) == [
        "5:1 the link to evil.example.com is not to an allowed domain",
        "7:6 the link 'javascript:alert(1)' is not a web address",
    ]


def test_source_url_must_be_an_allowed_web_address(tmp_path: Path) -> None:
    text = "---\ntitle: T\ncover: cover.png\nsource_url: https://evil.example.com/a\n---\n"
    assert found(tmp_path, text) == ["4:13 the link to evil.example.com is not to an allowed domain"]


def test_an_enormous_image_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with (tmp_path / "huge.png").open("wb") as handle:
        handle.truncate(limits.COVER_MAX_BYTES + 1)  # sparse: costs no disk and would take long to hash
    (tmp_path / "folder.png").mkdir()
    assert found(tmp_path, HEAD + "![h](huge.png) ![f](folder.png)\n") == [
        f"5:1 the image huge.png is larger than {limits.COVER_MAX_BYTES} bytes, "
        "more than the platform takes for any image",
        "5:16 the image 'folder.png' is not a file",
    ]


def test_messages_stay_on_one_line_whatever_the_author_wrote(tmp_path: Path) -> None:
    text = HEAD.replace("cover:", '"ti\\ntle": x\ncover:') + '<a href="https://evil.cn/a\nb">x</a>\n'
    problems = found(tmp_path, text)
    assert problems and all("\n" not in p for p in problems)
    assert problems == ["3:1 unknown front-matter field 'ti?tle'"]
    problems = found(tmp_path, HEAD + '<p><a href="javascript:a\n()">x</a></p>\n')
    assert problems == ["5:1 the link 'javascript:a?()' is not a web address"]


@pytest.mark.parametrize("style", [
    "display:none", "display: none !important", "font-size:0", "font-size:2px",
    "font-size:0.1em", "height:0;overflow-x:auto", "line-height:0", "text-indent:-9999px", "color:#fff",
    "color:#FFFFFF", "color:white", "color:transparent", "color:rgba(0,0,0,0)", "color:#333;background-color:#333",
    "display&#58;none", "\\64 isplay:none",
    # attack review 7, B1: light named colours, hsl/hwb white, exponents, absolute and font-relative units
    "color:lightyellow", "color:linen", "color:oldlace", "color:aliceblue", "color:hsl(0,0%,100%)",
    "color:hsla(0, 0%, 100%, 1)", "color:hwb(0 100% 0%)", "font-size:1e-9px", "font-size:0.01ch",
    "text-indent:-10in", "margin-left:-30cm", "letter-spacing:-1in", "margin:0 0 0 -40mm", "color:#333;color:#fff0",
    "display:table-column", "display:table-column-group", "height:1px;width:1px;overflow-x:hidden",
    "height:4px;overflow-x:hidden"])  # attack review 8 (in styles the renderer keeps: attack review 41 F3)
def test_a_style_that_hides_text_from_readers_is_refused(tmp_path: Path, style: str) -> None:
    quote = "'" if '"' in style else '"'
    body = f"<p style={quote}{style}{quote}>理财非存款、产品有风险、投资须谨慎。</p>\n"
    [problem] = found(tmp_path, HEAD + body)
    assert problem.startswith("5:1 the style ") and problem.endswith(" hides this text from readers")


@pytest.mark.parametrize("style", [
    "visibility:hidden", "dis/**/play:none", "max-height:4px;overflow:hidden", "background:url(x.png)",
    "position:absolute;left:-9999px", "outline:80px solid #fff", "-webkit-text-stroke:100px white"])
def test_a_style_the_renderer_drops_is_not_refused(tmp_path: Path, style: str) -> None:
    """Attack review 41 F3: what is judged is the article as published, and the renderer keeps none of these."""
    assert found(tmp_path, HEAD + f'<p style="{style}">理财非存款、产品有风险、投资须谨慎。</p>\n') == []


@pytest.mark.parametrize("style", ["color:#1F4E8C", "font-size:14px", "color:#fff;background-color:#1F4E8C",
                                   "display:block", "text-indent:2em", "height:120px", "margin:0 auto"])
def test_styles_that_leave_text_readable_are_kept(tmp_path: Path, style: str) -> None:
    assert found(tmp_path, HEAD + f'<p style="{style}">理财非存款、产品有风险、投资须谨慎。</p>\n') == []


@pytest.mark.parametrize("style", ["font-size:calc(0px)", "font-size:var(--s)", "text-indent:min(-100vw, 0px)",
                                   "color:lab(100 0 0)", "font-size:3furlongs", "background-color:canvas"])
def test_a_style_value_that_cannot_be_checked_is_refused_with_what_to_write(tmp_path: Path, style: str) -> None:
    """Attack review 7, B1: what oaspec cannot read, a reviewer cannot check: it is taken to hide."""
    path = write_article(tmp_path, HEAD + f'<p style="{style}">理财非存款、产品有风险、投资须谨慎。</p>\n')
    [problem] = validate_file(path, RULES, "a.md")
    assert problem.message == (f"the style {style} cannot be checked, so it is taken as one that hides this text "
                               "from readers")
    assert problem.hint.startswith("write plain values that can be checked: lengths in px or em")


def test_a_style_after_a_slash_is_read_as_the_browser_reads_it(tmp_path: Path) -> None:
    """Attack review 7, B1: in a raw HTML block, <p/style=...> is a style attribute to nh3 and to browsers."""
    body = '<section>\n<p/style="display:none">理财非存款、产品有风险、投资须谨慎。</p>\n</section>\n'
    assert found(tmp_path, HEAD + body) == ["5:1 the style display:none hides this text from readers"]


@pytest.mark.parametrize(("body", "message"), [
    ('<section style="font-size:0.6em">\n<section style="font-size:0.6em">\n<p style="font-size:0.6em">理财非存款</p>\n'
     "</section>\n</section>\n", "the style font-size:0.6em (of 9px) hides this text from readers inside the "
     "elements around it"),
    ('前言<span style="font-size:70%"><span style="font-size:70%"><span style="font-size:70%">理财非存款</span>'
     "</span></span>\n", "the style font-size:70% (of 10.5px) hides this text from readers inside the elements "
     "around it"),
    ('<section style="background-color:#111111;color:#eeeeee">\n<p style="color:#222222">理财非存款</p>\n</section>\n',
     "the style color:#222222 hides this text from readers inside the elements around it")])
def test_a_style_that_hides_only_inside_its_parents_is_refused(tmp_path: Path, body: str, message: str) -> None:
    """Attack review 7, B1: each style alone leaves the text readable (9 px, #222 on white); nested, it does not."""
    path = write_article(tmp_path, HEAD + body)
    assert [(d.position.line, d.message) for d in validate_file(path, RULES, "a.md")] == [(5, message)]


def test_a_style_the_browser_reads_where_the_check_did_not_is_refused_as_published(tmp_path: Path) -> None:
    """Attack review 7, B1: no space before style= is a parse error browsers (and nh3) forgive."""
    body = '<section>\n<p title="x"style="display:none">理财非存款、产品有风险、投资须谨慎。</p>\n</section>\n'
    assert found(tmp_path, HEAD + body) == ["5:1 the style display:none hides this text from readers"]


@pytest.mark.parametrize(("body", "shown"), [
    ("<p>" + "<sub>" * 11 + "理财非存款、产品有风险、投资须谨慎。" + "</sub>" * 11 + "</p>\n", "font-size:"),
    ('<section style="text-indent:-40px"><section style="text-indent:-40px"><p>理财非存款、产品有风险、投资须谨慎。'
     "</p></section></section>\n", "margin-left:-80px"),
])
def test_text_the_browsers_own_styles_or_added_up_margins_hide_is_refused(tmp_path: Path, body: str,
                                                                          shown: str) -> None:
    """Attack review 8, B3: nested <sub> shrink the text to ~2 px, and margins each in range add up off-screen."""
    problems = found(tmp_path, HEAD + body)
    assert len(problems) == 1 and shown in problems[0] and "hides this text from readers" in problems[0], problems


@pytest.mark.parametrize("body", [
    "> <del>理财非存款、产品有风险、投资须谨慎。</del>本文仅为市场观察。\n",
    "前言<s>理财非存款、产品有风险、投资须谨慎。</s>\n",
    '<p style="text-decoration:line-through">理财非存款、产品有风险、投资须谨慎。</p>\n',
    '<section>\n<p title="x"style="text-decoration:underline line-through">理财非存款</p>\n</section>\n',
])
def test_struck_through_text_is_refused_where_it_is_written(tmp_path: Path, body: str) -> None:
    """Attack review 34 F4: a statement struck through reads as withdrawn, and the plan called striking it a
    formatting change: validate refuses struck text at its line, saying what to write instead."""
    path = write_article(tmp_path, HEAD + body)
    [problem] = validate_file(path, RULES, "a.md")
    assert (problem.position.line, problem.message) == (5, "struck-through text reads as withdrawn: readers take "
                                                           "nothing it says as said")
    assert problem.hint == ("delete what no longer holds, or write it without <del>, <s> or "
                            "text-decoration:line-through")


@pytest.mark.parametrize("tag", ['<a title="x"href="https://evil.example/phish">', "<a title='x'href=https://evil.example/phish>",
                                 '<a title="x"/href="https://evil.example/phish">'])
def test_a_raw_html_link_is_read_as_the_browser_reads_it(tmp_path: Path, tag: str) -> None:
    """Attack review 39 F2: no space between a quoted value and href= is a parse error browsers (and nh3) forgive:
    the link is checked as one, at the raw HTML that holds it."""
    assert found(tmp_path, HEAD + f"<p>更多：{tag}官方渠道</a></p>\n") == [
        "5:1 the link to evil.example is not to an allowed domain"]
