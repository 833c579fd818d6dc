"""The Markdown plan is posted as a pull-request comment: spec texts must not escape its code blocks."""

from __future__ import annotations

from pathlib import Path

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Article, Reply
from oa_spec.plan.diff import diff
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.render.comment import render_comment
from oa_spec.render.markdown import diff_block, render_markdown
from oa_spec.render.terminal import render_text
from testing.cli import run_cli
from tests.content.bank import small_bank

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


def test_an_article_body_diff_is_coloured_by_its_own_prefix_only(tmp_path: Path) -> None:
    """In the PR comment's diff block, GitHub colours a line by its first column: the body's real additions and
    removals are marked there, and an unchanged paragraph whose text starts with `+ ` or `- ` is not (attack
    review 45, F6)."""
    spec = small_bank(tmp_path)
    article = spec.parent / "content" / "young" / "card-dates.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n\\+ 新版提示：逾期会影响征信。\n\n\\- 旧版提示：请按时还款。\n", encoding="utf-8")
    assert run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path).returncode == 0
    article.write_text(text.replace("1. 打开自动还款，避免忘记。", "1. 打开自动还款，避免逾期。")
                       + "\n逾期一天即按日计收利息。\n\n\\+ 新版提示：逾期会影响征信。\n\n\\- 旧版提示：请按时还款。\n",
                       encoding="utf-8")
    planned = run_cli("plan", "-f", str(spec), "--format", "markdown", "--out", "plan.json", cwd=tmp_path)
    shown = run_cli("show", "plan.json", "--format", "markdown", "--max-chars", "65536", cwd=tmp_path)
    for comment in (planned.stdout, shown.stdout):
        start = comment.index("  ```diff\n") + len("  ```diff\n")
        # the block is indented under its list item: GitHub reads its column one after those two spaces
        block = [line.removeprefix("  ") for line in comment[start:comment.index("  ```\n", start)].splitlines()]
        assert {line[0] for line in block if "新版提示" in line or "旧版提示" in line} == {" "}, block
        assert next(line for line in block if "逾期一天" in line).startswith("+"), block
        assert next(line for line in block if "避免逾期" in line).startswith("+"), block
        assert next(line for line in block if "避免忘记" in line).startswith("-"), block


def test_a_body_diff_is_read_by_its_hunk_counts_not_by_what_its_lines_say() -> None:
    lines = ["  body:", "  --- live", "  +++ repository", "  @@ -1,3 +1,3 @@", "   + 未改", "  --- 删去",
             "  ++++ 加上", "   - 未改", "  slot: finance-class", "  - text: 旧", "  + text: 新"]
    block = [line.removeprefix("  ") for line in diff_block(lines)[1:-1]]
    assert [line[0] for line in block] == [" ", " ", " ", " ", " ", "-", "+", " ", " ", "-", "+"]
