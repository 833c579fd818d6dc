"""`oaspec validate` and `oaspec plan` over the citybank example whose article holds markup a browser reads
otherwise than a regular expression does (attack review 39): what scan would call blocking on the draft must be
refused before it is applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import Cli

CARD_DATES = Path("accounts") / "content" / "young" / "card-dates.md"
ASSET_ALLOCATION = Path("accounts") / "content" / "wealth" / "asset-allocation.md"
STATEMENT = "理财非存款、产品有风险、投资须谨慎。"  # the wealth article's only risk statement, a line of its own
PREFACE = "本文内容仅供参考，过往业绩不代表未来表现。"  # with it, more than a line of a phone's width


def with_body_line(spec: Path, relative: Path, line: str) -> None:
    article = spec.parent / relative
    article.write_text(article.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


@pytest.mark.parametrize("tag", [
    '<a title="x"href="https://evil.example/phish">',  # the attack: no space after a quoted value
    "<a title='x'href='https://evil.example/phish'>",
    '<a title="x"HREF=https://evil.example/phish>',
    '<a title="x"\x0chref="https://evil.example/phish">',  # a form feed separates attributes too
])
def test_a_raw_html_link_is_read_as_the_browser_reads_it(cli: Cli, citybank: Path, tag: str) -> None:
    """F2: <a title="x"href=...> is a link to a browser (and to nh3, which keeps it); validate and plan must
    refuse its foreign domain as they refuse <a title="x" href=...>, at the line that holds it."""
    with_body_line(citybank, CARD_DATES, f"<p>更多：{tag}官方渠道</a></p>")
    for command in ("validate", "plan"):
        result = cli(command, "-f", str(citybank))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "the link to evil.example is not to an allowed domain" in result.stderr, (command, result.stderr)
        assert f"{CARD_DATES}:" in result.stderr, result.stderr


def with_statement_as(spec: Path, markup: str) -> None:
    article = spec.parent / ASSET_ALLOCATION
    text = article.read_text(encoding="utf-8")
    assert f"\n{STATEMENT}\n" in text
    article.write_text(text.replace(f"\n{STATEMENT}\n", f"\n{markup}\n"), encoding="utf-8")


CLIPPED = {
    # the attack: one unbreakable line in a 40 px box that cuts what overflows it sideways
    "nowrap-x": f'<p style="width:40px;white-space:nowrap;overflow-x:hidden">本文内容仅供参考。{STATEMENT}</p>',
    # (attack review 41 F3: a style the renderer drops, overflow or max-height, is not in the published article,
    # so each case is written with overflow-x and height, which it keeps)
    "ellipsis": f'<p style="max-width:120px;white-space:nowrap;overflow-x:hidden;text-overflow:ellipsis">{STATEMENT}'
                "</p>",
    "page-wide": f'<p style="white-space:nowrap;overflow:hidden">{PREFACE}{STATEMENT}</p>',
    "one-line-high": f'<p style="height:30px;overflow:hidden">{PREFACE}{STATEMENT}</p>',
    "line-height": f'<p style="height:40px;line-height:3;overflow-x:hidden">市场有风险。<br>{STATEMENT}</p>',
    "nested": f'<section style="width:60px;overflow-x:clip"><span style="white-space:nowrap">{STATEMENT}</span>'
              "</section>",
    "pushed": f'<section style="overflow:hidden"><p style="text-indent:300px;white-space:nowrap">{STATEMENT}</p>'
              "</section>",
    "contained": f'<p style="contain:paint;height:10px">{STATEMENT}</p>',
}


@pytest.mark.parametrize("variant", sorted(CLIPPED))
def test_a_risk_statement_a_box_cuts_off_is_not_made(cli: Cli, citybank: Path, variant: str) -> None:
    """F1: a box that clips what overflows it, too narrow or too low for its text, shows a reader part of the
    statement; validate and plan refuse it where it is written, as they refuse display:none."""
    with_statement_as(citybank, CLIPPED[variant])
    _refused_where_written(cli, citybank, "hides this text from readers")


@pytest.mark.parametrize("markup", [
    f'<p style="height:120px">{STATEMENT}</p>',
    # (the renderer drops `overflow`: attack review 41 F3)
    f'<p style="overflow:hidden">{STATEMENT}</p>',  # it wraps in the page: all of it is seen
    f'<p style="width:300px;overflow:hidden">{PREFACE}{STATEMENT}</p>',
    f'<p style="height:120px;overflow:hidden">{STATEMENT}</p>',
    f'<section style="overflow-x:auto"><p style="white-space:nowrap">{STATEMENT}</p></section>',  # it scrolls
])
def test_a_clipping_box_its_statement_fits_in_is_kept(cli: Cli, citybank: Path, markup: str) -> None:
    with_statement_as(citybank, markup)
    result = cli("validate", "-f", str(citybank))
    assert result.returncode == 0, result.stderr


GLUE = {"nbsp": "&nbsp;", "word-joiner": "&#8288;", "narrow-nbsp": "&#8239;", "zero-width-nbsp": "&#65279;"}
UNBREAKABLE = {
    **{name: f'<p style="width:100px;overflow-x:hidden">{joiner.join(STATEMENT)}</p>' for name, joiner in GLUE.items()},
    "keep-all": f'<p style="width:60px;overflow-x:hidden;word-break:keep-all">{STATEMENT}</p>',
    "flex-row": f'<section style="display:flex;overflow-x:hidden"><p style="white-space:nowrap">{PREFACE}</p>'
                f'<p style="white-space:nowrap">{STATEMENT}</p></section>',
    "flex-scroll": f'<section style="display:flex;overflow-x:auto"><p>{PREFACE}</p><p>{STATEMENT}</p></section>',
    "joined-scroll": f'<p style="height:40px;overflow-x:auto">{"&nbsp;".join(PREFACE + STATEMENT)}</p>',
}


@pytest.mark.parametrize("variant", sorted(UNBREAKABLE))
def test_a_risk_statement_kept_from_wrapping_out_of_its_box_is_not_made(cli: Cli, citybank: Path,
                                                                         variant: str) -> None:
    """Attack review 41 F1: characters that forbid a line break (no-break spaces, word joiners), keep-all and a
    flex row keep the statement from wrapping inside a box that cuts it off, and all of it reached the published
    article. A statement is made only where a reader is sure to see it: a style outside those that cannot hide
    it (a clip, a flex row) hides it, and joined text counts as kept on one line."""
    with_statement_as(citybank, UNBREAKABLE[variant])
    _refused_where_written(cli, citybank, "hides this text from readers")


BADGE = ('<section style="width:24px;height:24px;line-height:24px;border-radius:50%;overflow:hidden;'
         'text-align:center;background-color:#c00;color:#fff">12</section>')


@pytest.mark.parametrize("markup", [
    f"{STATEMENT}\n\n{BADGE}",  # a round numbered badge: the renderer drops its overflow
    f'<p style="overflow:hidden;position:relative;top:0">{STATEMENT}</p>',  # styles the renderer drops
])
def test_a_style_the_renderer_drops_hides_nothing(cli: Cli, citybank: Path, markup: str) -> None:
    """Attack review 41 F3: validate refused a badge for a clip that the published article cannot have (the
    renderer keeps no `overflow`, `position` or `top`). What is judged is what is published, and the plan shows the
    statement as made."""
    with_statement_as(citybank, markup)
    result = cli("validate", "-f", str(citybank))
    assert result.returncode == 0, result.stderr
    plan = cli("plan", "-f", str(citybank))
    assert plan.returncode == 0, plan.stderr
    assert STATEMENT in plan.stdout and "[隐藏" not in plan.stdout, plan.stdout


OFF_THE_RIGHT = {  # attack review 42 F1
    "one-box": f'<p style="margin-left:300px;padding-left:300px;text-indent:300px">{STATEMENT}</p>',
    "nested": f'<section style="margin-left:300px"><p style="margin-left:300px">{STATEMENT}</p></section>',
    "em-offsets": f'<section style="padding:0 0 0 14em"><p style="margin-left:12em">{STATEMENT}</p></section>',
}


@pytest.mark.parametrize("variant", sorted(OFF_THE_RIGHT))
def test_a_risk_statement_offsets_push_off_the_right_edge_is_not_made(cli: Cli, citybank: Path,
                                                                      variant: str) -> None:
    """Attack review 42 F1: each margin, padding and indent was within the allow-list's bounds, but together they
    started the statement past the phone's 375 px: validate and plan refuse it where it is written."""
    with_statement_as(citybank, OFF_THE_RIGHT[variant])
    _refused_where_written(cli, citybank, "hides this text from readers", "375px")


@pytest.mark.parametrize("markup", [
    '<p style="white-space:pre">' + " " * 120 + f"{STATEMENT}</p>",  # attack review 42 F2
    '<p style="white-space:pre"><span>' + " " * 60 + "</span><span>" + " " * 60 + f"</span>{STATEMENT}</p>",
])
def test_a_risk_statement_kept_spaces_push_off_the_screen_is_not_made(cli: Cli, citybank: Path, markup: str) -> None:
    """Attack review 42 F2: white-space:pre kept 120 spaces before the statement, and its line whole, so it began
    past the phone's edge; the judge had collapsed the spaces. validate and plan refuse it where it is written."""
    with_statement_as(citybank, markup)
    _refused_where_written(cli, citybank, "white-space:pre", "hides this text from readers")


def test_a_risk_statement_an_inline_box_may_paint_over_is_not_made(cli: Cli, citybank: Path) -> None:
    """Attack review 42 F3: a later span's 100px top padding, on a white background, painted over the statement
    above it; its padding, on the allow-list, was taken as hiding only the span's own text. validate and plan
    refuse it where it is written (scan counts no statement in such a live body)."""
    with_statement_as(citybank, f"<p>{STATEMENT}</p>\n<p><span style=\"padding-top:100px;padding-right:300px;"
                                "background-color:#ffffff\">。</span></p>")
    _refused_where_written(cli, citybank, "padding-top:100px on an inline <span>", "put them on a block")


@pytest.mark.parametrize("style", ["width:48px;line-height:0.07", "font-size:8px;letter-spacing:-4px",  # the attack
                                   "font-size:30px;line-height:20px", "font-size:10px;letter-spacing:-3px"])
def test_a_risk_statement_drawn_over_itself_is_not_made(cli: Cli, citybank: Path, style: str) -> None:
    """Attack review 42 F4: a line height under the font's own stacks the statement's lines; a letter-spacing of
    -4px, allowed at 16px, is half an em at 8px. Both are judged against the element's own font size."""
    with_statement_as(citybank, f'<p style="{style}">{STATEMENT}</p>')
    _refused_where_written(cli, citybank, "hides this text from readers")


def test_a_risk_statement_under_a_px_line_height_smaller_than_its_font_is_not_made(cli: Cli, citybank: Path) -> None:
    """A line-height in px on a section is inherited as 16px, not as a multiple of the section's font: under a
    30px paragraph its lines are drawn over one another, and validate says so where the paragraph is."""
    with_statement_as(citybank, f'<section style="line-height:16px"><p style="font-size:30px">{STATEMENT}</p>'
                                "</section>")
    _refused_where_written(cli, citybank, "hides this text from readers", "line-height", "drawn", at=None)


def test_a_risk_statement_nested_inline_boxes_paint_over_is_not_made(cli: Cli, citybank: Path) -> None:
    """Nested spans' vertical paddings, each within its line's leading (3.2px at 16px), add up past it: summed as
    the horizontal offsets are, and refused on the span that takes the sum past the leading."""
    spans = '<span style="padding-top:3px;background-color:#ffffff">' * 4 + "。" + "</span>" * 4
    with_statement_as(citybank, f"<p>{STATEMENT}</p>\n<p>{spans}</p>")
    _refused_where_written(cli, citybank, "padding-top:3px on an inline <span>", "the inline boxes around it",
                           "put them on a block")


def _refused_where_written(cli: Cli, citybank: Path, *phrases: str,
                           at: str | None = f"{ASSET_ALLOCATION}:26:1") -> None:
    """validate and plan both refuse the spec (exit 1), at the statement's line when `at`, saying each phrase."""
    for command in ("validate", "plan"):
        result = cli(command, "-f", str(citybank))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert at is None or at in result.stderr, result.stderr
        assert all(phrase in result.stderr for phrase in phrases), result.stderr
