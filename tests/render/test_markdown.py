"""The Markdown plan is posted as a pull-request comment: spec texts must not escape its code blocks."""

from __future__ import annotations

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Article, Reply
from oa_spec.plan.diff import diff
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.render.comment import render_comment
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


def test_every_view_of_the_plan_shows_a_renamed_article_s_edit() -> None:
    # the plan's text, `show --format markdown` and the pull-request comment read one change with its account's plan
    old = Article("young/card-dates", "信用卡账单日", content='<p>核对：<a href="https://bank.example/bill">账单</a></p>',
                  content_sha256="1" * 64, draft_id="DRAFT_1")
    new = Article("young/card-dates-2026", "信用卡账单日", content_sha256="2" * 64,
                  content='<p>核对：<a href="https://bank.example/partner">账单</a></p>')
    changes = diff("bank", AccountState(articles=(new,)), AccountState(articles=(old,)))
    plan = Plan([AccountPlan("bank", "local", changes, AccountState(), "sha256:x", "sha256:y")])
    edit = ["-核对：账单 [链接 https://bank.example/bill]", "+核对：账单 [链接 https://bank.example/partner]"]
    for view in (render_text(plan), render_markdown(plan), render_comment(plan)):
        compared = view[view.index("compared with article young/card-dates, which this plan deletes"):]
        assert all(line in compared for line in edit)
