"""The citybank example's articles: three streams for three audiences, two articles each, all clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from oa_spec.config.diagnostics import Position
from oa_spec.content.article import Article, load_article
from oa_spec.content.collection import find_articles, validate_collection
from oa_spec.content.images import image_file
from oa_spec.content.render import render_article
from oa_spec.content.texts import article_texts
from oa_spec.content.validate import ContentRules, validate_article
from testing.cli import run_cli
from tests.content.bank import ARTICLES as EXAMPLE_ARTICLES

ACCOUNTS = Path(__file__).resolve().parents[2] / "specs" / "examples" / "citybank" / "accounts"
CONTENT = ACCOUNTS / "content"  # `content/**/*.md` relative to accounts/citybank.yaml
RISK_STATEMENT = "理财非存款、产品有风险、投资须谨慎"


def bank_domains() -> tuple[str, ...]:
    settings = yaml.safe_load((ACCOUNTS.parent / "oaspec.yaml").read_text(encoding="utf-8"))
    return ("mp.weixin.qq.com", *settings["policies"]["settings"]["allowed_domains"])


def streams() -> dict[str, tuple[str, ...]]:
    account = yaml.safe_load((ACCOUNTS / "citybank.yaml").read_text(encoding="utf-8"))["accounts"][0]
    return {s["id"]: tuple(s["audience"]["tags"]) for s in account["content"]["streams"]}


def articles() -> list[Article]:
    return [load_article(path, str(path.relative_to(ACCOUNTS))) for path in sorted(CONTENT.rglob("*.md"))]


@pytest.mark.parametrize("article", articles(), ids=lambda a: a.file)
def test_each_example_article_validates_clean(article: Article) -> None:
    rules = ContentRules(allowed_domains=bank_domains(), root=CONTENT)
    assert [str(d) for d in validate_article(article, rules)] == []
    assert render_article(article, root=CONTENT).html.startswith("<section")


def test_the_contract_glob_finds_all_six_and_they_check_clean_together() -> None:
    naming_file = ACCOUNTS / "citybank.yaml"
    found = find_articles(["content/**/*.md"], naming_file, ACCOUNTS.parent, Position(str(naming_file), 1, 1))
    assert found.problems == () and len(found.paths) == 6
    rules = ContentRules(allowed_domains=bank_domains(), root=CONTENT)
    loaded, problems = validate_collection(found.paths, rules, streams=list(streams()))
    assert problems == [] and len(loaded) == 6


def test_three_streams_for_three_audiences_two_articles_each() -> None:
    known = streams()
    by_stream: dict[str, list[Article]] = {}
    for article in articles():
        by_stream.setdefault(article.front.stream, []).append(article)
        assert article.front.audience == (), article.file  # the stream's audience: one place to rename a tag
        assert article.front.date is not None and article.front.title and article.front.digest
    assert sorted(by_stream) == ["anti-fraud", "finance-class", "monthly-report"]
    assert {stream: len(items) for stream, items in by_stream.items()} == dict.fromkeys(by_stream, 2)
    assert {known[s][0] for s in by_stream} == {"年轻客群", "银发客户", "高净值客户"}


def test_wealth_articles_carry_the_risk_statement() -> None:
    wealth = [a for a in articles() if a.front.stream == "monthly-report"]
    assert wealth and all(RISK_STATEMENT in article_texts(a).joined for a in wealth)


def test_images_are_small_real_files_and_all_used() -> None:
    used: set[Path] = set()
    for article in articles():
        rendered = render_article(article, root=CONTENT)
        used |= {entry.path for entry in rendered.manifest.entries}
    files = {p.resolve() for p in CONTENT.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert files == used
    for path in files:
        image = image_file(path)
        assert image.format in ("png", "jpeg") and image.size < 50 * 1024, path.name


def test_the_examples_plan_shows_six_new_drafts_and_apply_creates_them(tmp_path: Path) -> None:
    spec = str(ACCOUNTS.parent / "oaspec.yaml")  # the example as committed; the local account is in tmp_path
    assert run_cli("validate", "-f", spec, cwd=tmp_path).returncode == 0
    plan = run_cli("plan", "-f", spec, "--account", "citybank", "--format", "json", cwd=tmp_path)
    changes = json.loads(plan.stdout)["accounts"][0]["changes"]
    created = sorted(c["address"] for c in changes if c["kind"] == "article" and c["action"] == "create")
    assert created == [f"citybank/content/articles/{name}" for name in EXAMPLE_ARTICLES]
    applied = run_cli("apply", "-f", spec, "--account", "citybank", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    live = json.loads((tmp_path / ".oaspec" / "local" / "citybank.json").read_text(encoding="utf-8"))["state"]
    drafts = {a["name"]: a for a in live["articles"]}
    assert sorted(drafts) == list(EXAMPLE_ARTICLES) and all(a["draft_id"] for a in drafts.values())
    again = run_cli("plan", "-f", spec, "--account", "citybank", "--detailed-exitcode", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
