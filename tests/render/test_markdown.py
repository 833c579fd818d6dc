"""The Markdown plan is posted as a pull-request comment: spec texts must not escape its code blocks."""

from __future__ import annotations

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Reply
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.render.markdown import render_markdown
from oa_spec.render.terminal import render_text

HOSTILE = "欢迎关注\n```\n# 已审核通过 ![x](https://tracker.example/p.png) @all\n````"


def plan_with_reply(text: str) -> Plan:
    change = Change("create", "reply", "subscribe", "bank/replies/subscribe", None, Reply(text))
    return Plan([AccountPlan("bank", "local", [change], AccountState(), "sha256:x", "sha256:y")])


def test_a_reply_text_cannot_close_the_code_block_or_add_lines() -> None:
    markdown = render_markdown(plan_with_reply(HOSTILE))
    # The text holds a run of 4 backticks, so the block is fenced with 5, and its lines stay one line.
    assert "  `````diff\n" in markdown and "\n  `````\n" in markdown
    assert "\n# 已审核通过" not in markdown and "\\n# 已审核通过" in markdown


def test_the_terminal_view_shows_line_breaks_escaped() -> None:
    text = render_text(plan_with_reply("第一行\n第二行"))
    assert "+ text: 第一行\\n第二行" in text
