"""A console news (图文) reply is read as its follower reads the card: the title, then the description under it, as
one text (attack review 70 F1). Read field by field, a guarantee or a credential request split across the two passed
`scan`, the rollback gate and the webhook-answer check."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.kinds.state import AccountState, Button, KeywordRule, Menu, NewsArticle, Reply
from testing.accounts import seed_bank
from testing.cli import Cli
from tests.cli.test_scan import CLEAN

URL = "https://m.bank.example.cn/a"
PRODUCT = NewsArticle(title="稳盈1号理财产品", digest="保本保收益，年化8%", content_url=URL)
UNDISCLAIMED = NewsArticle(title="稳盈1号理财产品", digest="年化8%，欢迎购买", content_url=URL)
CREDENTIAL = NewsArticle(title="请回复短信", digest="验证码领取奖励", content_url=URL)
HARMLESS = NewsArticle(title="十二月理财展望", digest="理财非存款，产品有风险，投资须谨慎。", content_url=URL)


SPEC = """\
version: 1
bank: 测试银行
policies:
  packs: [cn-bank]
  settings: {allowed_domains: [m.bank.example.cn]}
accounts:
  - id: bank
    name: 测试银行
    menu:
      - {name: 账户, type: click, key: ACCOUNT}
"""


def local_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


def news(*articles: NewsArticle) -> Reply:
    return Reply(f"[图文] {articles[0].title}", media="news", news=articles)


def console(tmp_path: Path, default: Reply, keyword: Reply) -> None:
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),)), default_reply=default,
                                     keyword_replies=(KeywordRule("验证", "contains", ("领奖",), keyword),)))


def test_a_claim_split_across_a_news_cards_title_and_description_is_found_by_scan(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, news(PRODUCT, UNDISCLAIMED), news(HARMLESS, CREDENTIAL))
    out = cli("scan", "-f", str(local_spec(tmp_path)), "--format", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    data = json.loads(out.stdout)
    found = {(f["address"], f["rule"], f["path"], f["excerpt"]) for f in data["accounts"][0]["findings"]}
    assert ("bank/replies/default", "wealth.no-guaranteed-return", "replies.default.text.news.0",
            "稳盈1号理财产品 保本保收益，年化8%") in found, found
    assert ("bank/replies/default", "wealth.risk-disclaimer", "replies.default.text.news.1",
            "稳盈1号理财产品 年化8%，欢迎购买") in found, found
    assert ("bank/replies/keywords/验证", "pii.no-credential-solicitation", "replies.keywords.验证.reply.news.1",
            "请回复短信 验证码领取奖励") in found, found
    # the second article's claim is its own: the first card, with its disclaimer, is not named
    assert not any(path.endswith("news.0") for address, _, path, _ in found if address.endswith("验证")), found


def test_a_harmless_news_card_split_across_title_and_description_stays_clean(cli: Cli, tmp_path: Path) -> None:
    # the disclaimer in the description covers the wealth word of the title: read alone, the title would lack it
    console(tmp_path, news(HARMLESS), Reply(CLEAN))
    out = cli("scan", "-f", str(local_spec(tmp_path)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "bank: no findings on the live account" in out.stdout
