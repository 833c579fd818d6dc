from __future__ import annotations

from pathlib import Path

from oa_spec.content.texts import article_texts
from tests.content.helpers import article

FRONT = "---\ntitle: 稳健理财入门\nauthor: 财富管理部\ndigest: 三分钟读懂净值型产品。\ncover: cover.png\n---\n"


def test_every_text_a_reader_sees_with_its_position(tmp_path: Path) -> None:
    body = ("## 什么是净值型理财\n\n净值会**波动**，\n收益不保证。\n\n"
            "| 产品 | 风险 |\n|---|---|\n| 稳健 | R2 |\n\n"
            "- 看说明书\n  - 看风险等级\n\n![收益走势示意](cover.png)\n\n"
            "<section><p>理财非存款、产品有风险、投资须谨慎</p><script>x()</script></section>\n\n"
            "```\n年化 = 收益 / 本金\n```\n")
    texts = article_texts(article(tmp_path, body, FRONT))
    assert [(t.kind, t.text, f"{t.position.line}:{t.position.col}") for t in texts.items] == [
        ("title", "稳健理财入门", "2:8"),
        ("author", "财富管理部", "3:9"),  # shown under the title: a reader sees it as much as the digest
        ("digest", "三分钟读懂净值型产品。", "4:9"),
        ("heading", "什么是净值型理财", "7:1"),
        ("paragraph", "净值会波动，\n收益不保证。", "9:1"),
        ("cell", "产品", "12:1"), ("cell", "风险", "12:1"),
        ("cell", "稳健", "14:1"), ("cell", "R2", "14:1"),
        ("paragraph", "看说明书", "16:1"),
        ("paragraph", "看风险等级", "17:3"),
        ("alt", "收益走势示意", "19:1"),
        ("html", "理财非存款、产品有风险、投资须谨慎", "21:1"),
        ("code", "年化 = 收益 / 本金", "23:1"),
    ]
    assert "理财非存款、产品有风险、投资须谨慎" in texts.joined
    assert "x()" not in texts.joined  # a script is not text a reader sees


def test_an_article_without_digest_or_body_has_only_its_title(tmp_path: Path) -> None:
    texts = article_texts(article(tmp_path, "", "---\ntitle: 只有标题\ncover: cover.png\n---\n"))
    assert [t.kind for t in texts.items] == ["title"]
    assert texts.file == "a.md"
