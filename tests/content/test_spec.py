"""`content.articles` in the spec: found by safe globs, checked against the account, compiled into the desired
drafts, and read by the policy packs; every problem at file:line:col, through `oaspec validate` too."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.content.images import PLACEHOLDER
from oa_spec.plan.workspace import Workspace
from testing.accounts import edit
from tests.conftest import run_cli
from tests.content.bank import ARTICLES, article_file, citybank, set_front

ACCOUNT_FILE = Path("citybank") / "accounts" / "citybank.yaml"


def validate(spec: Path, cwd: Path) -> tuple[int, str]:
    result = run_cli("validate", "-f", str(spec.relative_to(cwd)), cwd=cwd)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def test_the_examples_compile_into_six_drafts_with_their_slots(tmp_path: Path) -> None:
    ws = Workspace.open(citybank(tmp_path), tmp_path / ".oaspec")
    compiled = ws.account("citybank")
    drafts = {a.name: a for a in compiled.desired.articles}
    assert sorted(drafts) == sorted(ARTICLES)
    outlook = drafts["wealth/december-outlook"]
    assert (outlook.stream, outlook.date, outlook.audience, outlook.broadcast) == (
        "monthly-report", "2026-12-05", ("高净值客户",), True)
    assert outlook.source_url == "https://www.citybank.example.cn/wealth/insights/2026-12"
    lesson = drafts["young/deposit-insurance"]
    assert (lesson.broadcast, lesson.comments, len(lesson.cover_sha256)) == (False, True, 64)
    assert PLACEHOLDER.search(lesson.content)  # images wait for their uploaded URLs
    assert not ws.policy.blocking
    assert {c.state.name for c in compiled.articles} == set(ARTICLES)
    assert ws.account("branch-xinhua").desired.articles == ()


def test_a_slot_the_stream_does_not_schedule_is_an_error_at_the_markdown_line(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    set_front(article_file(spec, "young/deposit-insurance"), "date", "2026-12-10")
    code, stderr = validate(spec, tmp_path)
    assert code == 1
    assert ("citybank/accounts/content/young/deposit-insurance.md:7:7: error: date: 2026-12-10 is not a slot of "
            "the stream finance-class") in stderr
    assert "its slots around then: 2026-12-02, 2026-12-09, 2026-12-16, 2026-12-23" in stderr


def test_tags_must_exist_and_a_broadcast_reaches_one_tag(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    set_front(article_file(spec, "elderly/safe-transfer"), "audience", "[银发客户, 年轻客群]")
    set_front(article_file(spec, "elderly/fake-service"), "audience", "[长辈]")
    code, stderr = validate(spec, tmp_path)
    assert code == 1
    assert "elderly/fake-service.md:7:11: error: audience: the account has no tag '长辈'" in stderr
    assert ("elderly/safe-transfer.md:7:11: error: audience: a broadcast goes to one tag (message/mass/sendall "
            "filters by one tag_id), and this one names 2: 银发客户, 年轻客群") in stderr


def test_a_slot_over_the_broadcast_quota_is_refused_naming_the_slot(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    account = spec.parent / "accounts" / "citybank.yaml"
    edit(account, "cadence: {every: month, on: 5}", "cadence: {every: week, on: sat}")
    set_front(article_file(spec, "wealth/asset-allocation"), "date", "2027-01-02")
    code, stderr = validate(spec, tmp_path)  # the calendar's rule, on the stream: no article fills a slot over it
    assert code == 1 and "[platform.broadcast-quota]" in stderr and "2026-12, 2027-01" in stderr
    set_front(article_file(spec, "wealth/asset-allocation"), "date", "2026-12-26")
    code, stderr = validate(spec, tmp_path)
    assert code == 1
    # The fifth broadcast of December: 12-05, 12-12, 12-19 (monthly-report), 12-20 (anti-fraud), 12-26.
    assert ("wealth/asset-allocation.md:7:7: error: date: the slot monthly-report 2026-12-26 is a broadcast over "
            "the quota of a service account (4 per month)") in stderr


@pytest.mark.parametrize("day", ["9999-12-29", "9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
@pytest.mark.parametrize("command", ["validate", "calendar"])
def test_a_slot_date_outside_this_century_is_refused_at_its_line(tmp_path: Path, day: str, command: str) -> None:
    """Attack review 36 F2: a slot near the last date Python has made the cadence walk step past it (validate,
    plan and calendar ended in an internal OverflowError)."""
    spec = citybank(tmp_path)
    set_front(article_file(spec, "wealth/asset-allocation"), "date", day)
    result = run_cli(command, "-f", str(spec.relative_to(tmp_path)), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"wealth/asset-allocation.md:7:7: error: date: {day} is not a slot this century" in result.stderr


def test_a_wealth_article_without_its_risk_statement_fails_with_the_rule_basis_and_line(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    path = article_file(spec, "wealth/asset-allocation")
    edit(path, "理财非存款、产品有风险、投资须谨慎。", "欢迎到网点咨询本行理财产品。")
    code, stderr = validate(spec, tmp_path)
    assert code == 1
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(n for n, line in enumerate(lines, 1) if "现金管理类产品" in line)  # the first to name a wealth product
    assert (f"citybank/accounts/content/wealth/asset-allocation.md:{row}:1: error [wealth.risk-disclaimer]: "
            in stderr)
    assert "缺少：理财非存款、产品有风险、投资须谨慎" in stderr
    assert "依据 basis: 商业银行理财业务监督管理办法" in stderr
    assert "citybank/content/articles/wealth/asset-allocation" in stderr


def test_an_image_alt_text_is_read_for_claims_but_never_makes_a_required_statement(tmp_path: Path) -> None:
    """Attack review 27 F9: readers see the image, not its alt text, so a risk statement written only there is
    not made; a claim written there is still read."""
    spec = citybank(tmp_path)
    path = article_file(spec, "wealth/asset-allocation")
    edit(path, "理财非存款、产品有风险、投资须谨慎。", "欢迎到网点咨询本行理财产品。")
    edit(path, "![三类资金的配置示意]", "![理财非存款、产品有风险、投资须谨慎。]")
    code, stderr = validate(spec, tmp_path)
    assert code == 1 and "error [wealth.risk-disclaimer]" in stderr
    assert "缺少：理财非存款、产品有风险、投资须谨慎" in stderr
    edit(path, "![理财非存款、产品有风险、投资须谨慎。]", "![本行理财保本保收益]")
    edit(path, "欢迎到网点咨询本行理财产品。", "理财非存款、产品有风险、投资须谨慎。")
    code, stderr = validate(spec, tmp_path)
    assert code == 1 and "[wealth.no-guaranteed-return]" in stderr and "wealth.risk-disclaimer" not in stderr, stderr


def test_a_forbidden_term_is_placed_on_the_paragraph_that_says_it(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    path = article_file(spec, "wealth/december-outlook")
    edit(path, "市场有涨有跌。", "本行理财产品保本保收益，市场有涨有跌。")
    ws_error = validate(spec, tmp_path)[1]
    row = next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "保本保收益" in line)
    assert f"wealth/december-outlook.md:{row}:1: error [wealth.no-guaranteed-return]" in ws_error


def test_globs_stay_inside_the_spec_and_problems_point_at_the_glob(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    account = spec.parent / "accounts" / "citybank.yaml"
    edit(account, "articles: [content/**/*.md]", "articles: [content/**/*.md, ../../outside/*.md, drafts/*.md]")
    code, stderr = validate(spec, tmp_path)
    assert code == 1
    line = next(n for n, text in enumerate(account.read_text(encoding="utf-8").split("\n"), 1) if "articles:" in text)
    assert f"{ACCOUNT_FILE}:{line}:35: error: content.articles: '../../outside/*.md': '..' reaches outside" in stderr
    assert f"{ACCOUNT_FILE}:{line}:55: error: content.articles: no Markdown file matches 'drafts/*.md'" in stderr
