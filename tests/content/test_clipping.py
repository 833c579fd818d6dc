"""A box that cuts its text off makes no statement (attack review 39 F1): judged with the text it holds."""

from __future__ import annotations

import time

import pytest

from oa_spec.content.diff import policy_reading, visible_lines
from oa_spec.content.render import Theme, render_body

STATEMENT = "理财非存款、产品有风险、投资须谨慎。"
PREFACE = "本文内容仅供参考，过往业绩不代表未来表现。"


@pytest.mark.parametrize("markup", [
    f'<p style="width:40px;white-space:nowrap;overflow-x:hidden">本文内容仅供参考。{STATEMENT}</p>',  # the attack
    f'<p style="width:100px;overflow-x:hidden;white-space:pre">{STATEMENT}</p>',
    f'<p style="max-width:6em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{STATEMENT}</p>',
    f'<p style="inline-size:120px;overflow-inline:clip;text-wrap-mode:nowrap">{STATEMENT}</p>',
    f'<p style="white-space:nowrap;overflow:hidden">{PREFACE}{STATEMENT}</p>',  # the phone's width cuts it
    f'<p style="width:200px;overflow:hidden;white-space:nowrap;white-space:normal">{STATEMENT}{STATEMENT}</p>',
    f'<p style="height:24px;overflow:hidden">{PREFACE}{STATEMENT}</p>',  # a line high: the rest is below
    f'<p style="max-height:2em;line-height:2.5;overflow-y:auto">{STATEMENT}</p>',
    f'<p style="-webkit-line-clamp:1;overflow:hidden">{PREFACE}{STATEMENT}</p>',
    f'<section style="height:40px;overflow:hidden"><p>{PREFACE}</p><p>{STATEMENT}</p></section>',
    f'<section style="height:40px;overflow:hidden;padding:30px 0">{STATEMENT}</section>',
    f'<section style="width:60px;overflow:clip"><span style="white-space:nowrap">{STATEMENT}</span></section>',
    f'<section style="width:80px;white-space:nowrap"><p style="overflow:hidden">{STATEMENT}</p></section>',
    f'<section style="overflow:hidden"><p style="width:900px">{PREFACE}{STATEMENT}</p></section>',
    f'<section style="overflow:hidden"><p style="margin-left:-20px">{STATEMENT}</p></section>',
    f'<section style="overflow:hidden"><p style="text-indent:300px;white-space:nowrap">{STATEMENT}</p></section>',
    f'<section style="width:300px;overflow:hidden"><p style="letter-spacing:1em;white-space:nowrap">{STATEMENT}</p>'
    "</section>",
    f'<section style="width:300px;overflow:hidden"><p style="font-size:40px;white-space:nowrap">{STATEMENT}</p>'
    "</section>",
    '<p style="width:100px;overflow:hidden;white-space:nowrap"><span>理财非存款、</span><span>产品有风险、</span>'
    "<span>投资须谨慎。</span></p>",  # split into short pieces of one line
    f'<p style="contain:paint;height:10px">{STATEMENT}</p>',
])
def test_a_statement_a_box_cuts_off_is_not_made(markup: str) -> None:
    assert policy_reading(markup).shown == []
    lines = " ".join(visible_lines(markup))
    assert lines.startswith("[隐藏（"), lines  # (a box that cuts off what overflows it hides: attack review 41)


@pytest.mark.parametrize("markup", [
    f'<p style="height:120px">{PREFACE}{STATEMENT}</p>',
    f'<p style="width:320px;white-space:nowrap">{STATEMENT}</p>',
    f'<p style="height:120px;overflow-y:auto">{PREFACE}{STATEMENT}</p>',  # it scrolls, and fits anyway
    f'<section style="overflow-x:auto"><p style="white-space:nowrap">{PREFACE}{STATEMENT}</p></section>',  # scrolls
    f'<p style="width:40px;white-space:nowrap;overflow-x:visible">{STATEMENT}</p>',  # overflows, seen
    f'<p style="width:40px;white-space:nowrap">{STATEMENT}</p>',
])
def test_a_box_its_statement_fits_in_shows_it(markup: str) -> None:
    assert policy_reading(markup).shown == [PREFACE + STATEMENT if PREFACE in markup else STATEMENT]
    assert not visible_lines(markup)[0].startswith("[隐藏")


@pytest.mark.parametrize("markup", [
    f'<p style="overflow:hidden">{PREFACE}{STATEMENT}</p>',  # (it would wrap within the page)
    f'<p style="width:300px;overflow:hidden">{PREFACE}{STATEMENT}</p>',
    f'<p style="height:120px;overflow:clip">{PREFACE}{STATEMENT}</p>',
])
def test_a_box_that_cuts_off_what_overflows_it_makes_no_statement(markup: str) -> None:
    """Attack review 41: the estimate of what fits was beaten case by case (no-break spaces, keep-all, a flex
    row, a spacer, a float); a statement is made only where a reader is sure to see it, so a clip hides it."""
    assert policy_reading(markup).shown == []
    assert visible_lines(markup)[0].startswith("[隐藏（overflow")


@pytest.mark.parametrize("markup", [
    f'<p style="height:40px"><span style="display:inline-block;height:200px"></span>{STATEMENT}</p><p>下文</p>',
    f'<p style="height:40px">{PREFACE * 4}{STATEMENT}</p><p>下文</p>',  # pushed out, over what follows
    f'<p style="white-space:nowrap">{PREFACE}{STATEMENT}</p>',  # past the phone's edge
    f'<p style="width:100px;overflow-x:auto;height:20px">{"&nbsp;".join(STATEMENT)}</p>',  # kept on one line
])
def test_a_statement_pushed_out_of_its_box_is_not_made(markup: str) -> None:
    assert STATEMENT not in "".join(policy_reading(markup).shown)


def test_the_renderers_own_scrolling_tables_and_code_are_seen() -> None:
    body = f"| 概念 | 含义 |\n|:--|:--|\n| {PREFACE * 3} | {STATEMENT * 3} |\n\n```\n{STATEMENT * 10}\n```\n"
    html = render_body(body, {}, Theme())
    assert not any(line.startswith("[隐藏") for line in visible_lines(html)), visible_lines(html)


def test_boxes_nested_hundreds_deep_are_laid_out_in_bounded_time() -> None:
    """Each box lays its text out again: what they may lay out in all is bounded, and past it a box is taken to
    cut its text off."""
    markup = '<section style="overflow-x:auto;width:370px">字' * 3000 + "</section>" * 3000
    started = time.process_time()
    shown = policy_reading(markup).shown
    assert time.process_time() - started < 10  # CPU time: other jobs on the machine do not count
    assert 0 < len(shown) < 3000
