"""No spec or live text can change what a reviewer sees in any renderer (issue 10 item 1)."""

from __future__ import annotations

import json
import re

import pytest

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Tag
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.render.machine import render_json
from oa_spec.render.markdown import render_markdown
from oa_spec.render.terminal import render_text
from oa_spec.util.display import code_span, json_safe, markdown, visible

HIDE_START = "vip\n<!--"
HIDE_END = "-->x"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


def hostile_plan() -> Plan:
    """A conditional menu between two tags whose names would open and close an HTML comment."""
    changes = [
        Change("create", "tag", HIDE_START, f"bank/tags/{HIDE_START}", None, Tag(HIDE_START)),
        Change("create", "conditional_menu", "segment", "bank/conditional_menus/segment", None,
               ConditionalMenu("segment", MatchRule(tag=HIDE_START),
                               (Button("转账\x1b[2J", "view", url="https://evil.example/"),))),
        Change("create", "tag", HIDE_END, f"bank/tags/{HIDE_END}", None, Tag(HIDE_END)),
        Change("create", "tag", "a\u202eb\rc", "bank/tags/a\u202eb\rc", None, Tag("a\u202eb\rc")),
    ]
    plan = Plan([AccountPlan("bank`\n# x", "local", changes, AccountState(), "sha256:x", "sha256:y")])
    plan.accounts[0].notes.append("note <!-- hidden")
    return plan


def outside_code(markdown_text: str) -> str:
    """What GitHub would read as Markdown/HTML: the text without fenced blocks and code spans."""
    kept: list[str] = []
    fence: str | None = None
    for line in markdown_text.splitlines():
        opening = re.match(r"\s*(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            kept.append(re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", line))
    assert fence is None, "a code block was left open"
    return "\n".join(kept)


def test_a_tag_name_cannot_hide_a_conditional_menu_in_markdown() -> None:
    text = render_markdown(hostile_plan())
    prose = outside_code(text)
    assert "<!--" not in prose and "-->" not in prose and "<" not in prose.replace("\\<", "")
    assert "evil.example" in text and "segment" in prose
    assert not any(line.startswith("#") and line.strip("# ") == "x" for line in text.splitlines())


def test_markdown_has_no_raw_controls_and_no_extra_lines() -> None:
    text = render_markdown(hostile_plan())
    assert not RAW_CONTROLS.search(text)
    assert "\\x1b[2J" in text and "\\u202e" in text


def test_the_terminal_never_receives_an_escape_or_carriage_return() -> None:
    text = render_text(hostile_plan(), colour=False)
    assert not RAW_CONTROLS.search(text)
    assert "\\x1b[2J" in text and "\\r" in text
    coloured = render_text(hostile_plan(), colour=True)
    assert "\x1b[2J" not in coloured and "\r" not in coloured


def test_each_change_stays_on_its_own_line_in_the_terminal() -> None:
    lines = render_text(hostile_plan()).splitlines()
    assert any(line.strip().startswith("+") and "tag vip\\n<!--" in line for line in lines)
    assert not any(line.startswith("<!--") for line in lines)


def test_json_escapes_bidirectional_and_invisible_characters_but_keeps_the_data() -> None:
    text = render_json(hostile_plan())
    assert not RAW_CONTROLS.search(text)
    data = json.loads(text)
    assert data["accounts"][0]["changes"][3]["key"] == "a\u202eb\rc"


@pytest.mark.parametrize("raw", ["\x1b[2J", "\r", "\x00", "\u202e", "\u200b", "\ufeff", "\x9b", "\u2028", "\ud800"])
def test_visible_spells_out_every_unsafe_character(raw: str) -> None:
    assert raw not in visible(f"a{raw}b") and visible(f"a{raw}b").startswith("a\\")


def test_markdown_escapes_html_and_emphasis() -> None:
    assert markdown("<b>*x*</b> [l](u) | a_b") == r"\<b\>\*x\*\</b\> \[l\](u) \| a\_b"


@pytest.mark.parametrize("text", ["a`b", "``", "`x`", "a\nb"])
def test_a_code_span_cannot_be_closed_early(text: str) -> None:
    span = code_span(text)
    fence = re.match(r"`+", span)
    assert fence and span.endswith(fence.group()) and "\n" not in span
    assert fence.group() not in span[len(fence.group()):-len(fence.group())]


def test_characters_beyond_the_bmp_are_escaped_unambiguously() -> None:
    assert visible("a\U000e0041") == "a\\U000e0041"
    dumped = json.dumps({"n": "a\U000e0041"}, ensure_ascii=False)
    assert json.loads(json_safe(dumped)) == {"n": "a\U000e0041"} and "\U000e0041" not in json_safe(dumped)
