"""`oaspec scan` over a live article edited in the console to hide its required risk statement by markup a
browser reads otherwise than Python's HTMLParser did, or by what the standard's style sheet and prefixed CSS
hide (attack review 35, end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState, Article
from testing.accounts import ONE_BANK_SPEC, seed_bank
from testing.cli import Cli

STATEMENT = "<p>理财非存款、产品有风险、投资须谨慎。</p>"
WRAPPED = {
    "dup": '<p style="display:none" style="margin:0 0 1em 0">理财非存款、产品有风险、投资须谨慎。</p>',  # F1
    "nul": f'<section\x00 style="display:none">{STATEMENT}</section>',  # F2
    "scope": f'<section style="display:none"><table><tr><td></section>{STATEMENT}</td></tr></table></section>',  # F3
    "stray": f'<tbody><section style="display:none"></tbody>{STATEMENT}</section>',  # F3
    "popover": f"<section popover>{STATEMENT}</section>",  # F4
    "webkit": f'<section style="-webkit-transform:scale(0)">{STATEMENT}</section>',  # F5
    # attack review 39 F1: a narrow box that cuts a line it keeps whole
    "clipped": '<p style="width:40px;white-space:nowrap;overflow-x:hidden">理财非存款、产品有风险、投资须谨慎。</p>',
    "clipped-high": f'<section style="height:20px;overflow:hidden"><p>本文内容仅供参考。</p>{STATEMENT}</section>',
}


def scan_article(cli: Cli, tmp_path: Path, content: str) -> tuple[int, str]:
    seed_bank(tmp_path, AccountState(articles=(Article("wealth/december-outlook", "十二月理财展望",
                                                       content="<p>欢迎到网点咨询本行理财产品。</p>" + content),)))
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(ONE_BANK_SPEC, encoding="utf-8")
    out = cli("scan", "-f", str(spec))
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, out.stdout


@pytest.mark.parametrize("variant", sorted(WRAPPED))
def test_scan_reports_a_risk_statement_the_console_hid(cli: Cli, tmp_path: Path, variant: str) -> None:
    code, stdout = scan_article(cli, tmp_path, WRAPPED[variant])
    assert code == 1 and "bank/content/articles/wealth/december-outlook" in stdout, stdout
    assert "wealth.risk-disclaimer" in stdout, stdout


def test_scan_takes_a_risk_statement_readers_see(cli: Cli, tmp_path: Path) -> None:
    code, stdout = scan_article(cli, tmp_path, STATEMENT)
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout


S, PREFACE = "理财非存款、产品有风险、投资须谨慎。", "本文内容仅供参考，过往业绩不代表未来表现。"
OUT_OF_SIGHT = {  # attack review 41 F2: pushed out of a box that clips, or painted over
    "relative-top": f'<section style="height:100px;overflow:hidden"><p style="position:relative;top:200px">{S}</p>'
                    "</section>",
    "spacer": f'<section style="height:60px;overflow:hidden"><section style="height:200px"></section><p>{S}</p>'
              "</section>",
    "br": f'<section style="height:60px;overflow:hidden"><br><br><br><br><br><br><p>{S}</p></section>',
    "flex": f'<section style="display:flex;overflow:hidden"><p style="flex-shrink:0;width:100%">{PREFACE}</p>'
            f'<p style="flex-shrink:0;width:100%">{S}</p></section>',
    "nbsp": '<p style="width:100px;overflow:hidden">' + "&nbsp;".join(S) + "</p>",
    "word-joiner": '<p style="width:100px;overflow:hidden">' + "&#8288;".join(S) + "</p>",
    "keep-all": f'<p style="width:60px;overflow:hidden;word-break:keep-all">{S}</p>',
    "float": f'<section style="height:40px;overflow:hidden"><span style="float:left;width:100%;height:40px"></span>'
             f"{S}</section>",
    "fixed-height": f'<section style="height:40px"><section style="height:200px"></section><p>{S}</p></section>'
                    "<p>更多理财资讯请关注本行。</p>",
    "text-stroke": f'<p style="-webkit-text-stroke:100px white">{S}</p>',
    "outline": f'<p>{S}</p><p style="outline:80px solid #ffffff">更多理财资讯请关注本行。</p>',
    "relative-cover": f'<p>{S}</p><section style="position:relative;top:-60px;height:60px;background:#ffffff">'
                      "</section>",
    "negative-margin-cover": f'<p>{S}</p><section style="margin-top:-50px;height:50px;background-color:#fff">'
                             "</section>",
    "box-before": f'<section style="transform:translateY(60px);height:60px;background:#fff"></section><p>{S}</p>',
}


@pytest.mark.parametrize("variant", sorted(OUT_OF_SIGHT))
def test_scan_does_not_count_a_risk_statement_out_of_sight(cli: Cli, tmp_path: Path, variant: str) -> None:
    """A console edit that cuts the statement off, pushes it out of a fixed-height box, or paints something over
    it (a stroke, an outline, a box moved over it) leaves it unseen: scan must not count it as made. Only styles
    that cannot hide, move or cover text count, on the statement, its ancestors and anything that may overlap it."""
    code, stdout = scan_article(cli, tmp_path, OUT_OF_SIGHT[variant])
    assert code == 1 and "wealth.risk-disclaimer" in stdout, stdout


@pytest.mark.parametrize("around", [
    '<p style="font-weight:bold;text-align:center;margin:0 0 1em 0;padding:4px 8px;border:1px solid #ddd;'
    'border-radius:4px;background-color:#f5f7fa;color:#333333;letter-spacing:1px;line-height:1.75">{}</p>',
    '<section style="max-width:100%;margin:0 auto"><p style="font-size:15px">{}</p></section>',
])
def test_scan_counts_a_risk_statement_in_plain_styles(cli: Cli, tmp_path: Path, around: str) -> None:
    code, stdout = scan_article(cli, tmp_path, around.format(S))
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout


OFF_THE_RIGHT = {  # attack review 42 F1: allowed offsets, each within bounds, added up past the phone's right edge
    "one-box": f'<p style="margin-left:300px;padding-left:300px;text-indent:300px">{S}</p>',
    "nested": f'<section style="margin-left:300px"><p style="margin-left:300px">{S}</p></section>',
    "border-and-padding": f'<section style="border-left:100px solid #eee;padding-left:200px"><p '
                          f'style="padding-inline-start:60px">{S}</p></section>',
}


@pytest.mark.parametrize("variant", sorted(OFF_THE_RIGHT))
def test_scan_does_not_count_a_risk_statement_pushed_off_the_right_edge(cli: Cli, tmp_path: Path,
                                                                        variant: str) -> None:
    """Margins, paddings, borders and indents, each on the allow-list and within its bounds, add up: a statement
    whose start they leave less than an em from the phone's 375 px edge is not seen."""
    code, stdout = scan_article(cli, tmp_path, OFF_THE_RIGHT[variant])
    assert code == 1 and "wealth.risk-disclaimer" in stdout, stdout


SPACES = " " * 120
KEPT_SPACES = {  # attack review 42 F2: white space a browser keeps, before the statement on its line
    "pre": f'<p style="white-space:pre">{SPACES}{S}</p>',
    "pre-in-span": f'<p style="white-space:pre"><span>{SPACES}</span>{S}</p>',
    "tabs": f'<p style="white-space:pre">{chr(9) * 16}{S}</p>',
    "pre-wrap-nowrap": f'<p style="white-space:pre-wrap;text-wrap-mode:nowrap">{SPACES}{S}</p>',
    "pre-after-margin": f'<section style="margin-left:150px"><p style="white-space:pre">{S}</p></section>',
}


@pytest.mark.parametrize("variant", sorted(KEPT_SPACES))
def test_scan_does_not_count_a_risk_statement_kept_spaces_push_off_the_screen(cli: Cli, tmp_path: Path,
                                                                             variant: str) -> None:
    """white-space:pre keeps the spaces before the statement, and keeps its line whole: past the phone's edge."""
    code, stdout = scan_article(cli, tmp_path, KEPT_SPACES[variant])
    assert code == 1 and "wealth.risk-disclaimer" in stdout, stdout


@pytest.mark.parametrize("markup", [f'<p style="white-space:pre">    {S}</p>',
                                    f'<p style="white-space:pre-wrap">{SPACES}{S}</p>'])
def test_scan_counts_a_risk_statement_a_few_kept_spaces_indent(cli: Cli, tmp_path: Path, markup: str) -> None:
    """A few kept spaces leave the statement on the screen; pre-wrap wraps after a run of spaces (they hang)."""
    code, stdout = scan_article(cli, tmp_path, markup)
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout


def _nested(style: str, depth: int) -> str:
    """`depth` spans, each in the one before, each with `style`, around a note."""
    return f'<span style="{style}">' * depth + "注" + "</span>" * depth


INLINE_PAINT = {  # attack review 42 F3: an inline box's vertical padding or border paints over the lines above it
    "padding-top": f'<p>{S}</p><p><span style="padding-top:100px;padding-right:300px;background-color:#ffffff">。'
                   "</span></p>",
    "border-top": f'<p>{S}</p><p><span style="border-top:100px solid #ffffff;padding-right:300px">。</span></p>',
    "shorthand": f'<p>{S}</p><p><strong style="padding:60px 150px;background-color:#fff">注</strong></p>',
    "display-inline": f'<p>{S}</p><p style="display:inline;padding:60px 150px;background-color:#fff">注</p>',
    "em": f'<p>{S}</p><p><span style="border-width:5em 0 0 0;border-style:solid;border-color:#fff">注</span></p>',
    # several nested inline boxes, each within its line's leading (3.2px at 16px), added up past it
    "nested-padding": f'<p>{S}</p><p>{_nested("padding-top:3px;background-color:#fff", 4)}</p>',
    "nested-border": f'<p>{S}</p><p>{_nested("border-top:3px solid #fff", 3)}</p>',
    "nested-mixed": f'<p>{S}</p><p><em style="padding:3px 0">{_nested("border-bottom:thin solid #fff", 2)}</em></p>',
}


@pytest.mark.parametrize("variant", sorted(INLINE_PAINT))
def test_scan_does_not_count_a_risk_statement_an_inline_box_may_paint_over(cli: Cli, tmp_path: Path,
                                                                          variant: str) -> None:
    """Vertical padding and borders of an inline box take no room on its line (CSS 2.1 §10.6.1), and are painted
    after the text before them: like an offset, they may paint over any text of the body."""
    code, stdout = scan_article(cli, tmp_path, INLINE_PAINT[variant])
    assert code == 1 and "wealth.risk-disclaimer" in stdout, stdout


@pytest.mark.parametrize("around", [
    f'<p>{S}</p><p>详见<span style="padding:2px 6px;border-radius:4px;background-color:#f0f0f0">产品说明书</span>'
    "。</p>",
    f'<p>{S}</p><p style="padding:12px;border:1px solid #ddd">请到网点咨询。</p>',
    f'<p>{S}</p><p><span style="display:inline-block;padding:20px;background-color:#fff">标签</span></p>',
    f'<p>{S}</p><p><span style="padding:1px 4px"><span style="padding:2px 6px">产品说明书</span></span></p>',
    f'<p>{S}</p><p style="line-height:2">{_nested("padding-top:4px;background-color:#fff", 3)}</p>',
])
def test_scan_counts_a_risk_statement_beside_a_highlight(cli: Cli, tmp_path: Path, around: str) -> None:
    """A highlight whose padding stays within its line's leading, and a block's padding, cover nothing."""
    code, stdout = scan_article(cli, tmp_path, around)
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout


OVERLAPPING = {  # attack review 42 F4: lines or characters drawn on one another
    "stacked-lines": f'<p style="width:48px;line-height:0.07">{S}</p>',
    "stacked-px": f'<p style="font-size:20px;line-height:4px">{S}</p>',
    "stacked-percent": f'<section style="line-height:30%"><p>{S}</p></section>',
    "overlapping-chars": f'<p style="font-size:8px;letter-spacing:-4px">{S}</p>',
    "overlapping-em": f'<p style="letter-spacing:-0.4em">{S}</p>',
    "inherited-px": f'<section style="letter-spacing:-3px"><p style="font-size:9px">{S}</p></section>',
    # a line-height in px (or %) is inherited as that length, not as a multiple of the parent's font
    "inherited-line-px": f'<section style="line-height:16px"><p style="font-size:30px">{S}</p></section>',
    "inherited-line-percent": f'<section style="line-height:100%"><p style="font-size:2em">{S}</p></section>',
    "inherited-line-heading": f'<section style="font-size:16px;line-height:18px"><h1>{S}</h1></section>',
}


@pytest.mark.parametrize("variant", sorted(OVERLAPPING))
def test_scan_does_not_count_a_risk_statement_drawn_over_itself(cli: Cli, tmp_path: Path, variant: str) -> None:
    """A line height below the font's own stacks the lines on one another; a letter-spacing below a quarter of
    the font's size (in em, whatever the unit written) draws each character over the one before."""
    code, stdout = scan_article(cli, tmp_path, OVERLAPPING[variant])
    assert code == 1 and "wealth.risk-disclaimer" in stdout, stdout


@pytest.mark.parametrize("style", ["line-height:1", "line-height:24px;font-size:15px", "letter-spacing:-0.5px",
                                   "letter-spacing:-0.05em", "line-height:normal;letter-spacing:2px"])
def test_scan_counts_a_risk_statement_in_ordinary_spacing(cli: Cli, tmp_path: Path, style: str) -> None:
    code, stdout = scan_article(cli, tmp_path, f'<p style="{style}">{S}</p>')
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout


@pytest.mark.parametrize("around", [
    f'<section style="line-height:32px"><p style="font-size:30px">{S}</p></section>',
    f'<section style="line-height:1.5"><p style="font-size:30px">{S}</p></section>',
    f'<section style="line-height:16px"><p style="font-size:30px;line-height:1.2">{S}</p></section>',
    f'<section style="line-height:20px"><p style="font-size:12px">{S}</p></section>',
])
def test_scan_counts_a_risk_statement_under_an_inherited_line_height_its_font_fits(cli: Cli, tmp_path: Path,
                                                                                 around: str) -> None:
    """A px line-height inherited by a font it is at least as tall as, or replaced by the paragraph's own, and a
    bare multiple (inherited as a multiple), keep the lines apart."""
    code, stdout = scan_article(cli, tmp_path, around)
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout
