from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import MAX_SOURCE_BYTES, load_article
from tests.content.helpers import write_article


def errors(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_article(path, "a.md")
    return [str(d) for d in caught.value.diagnostics]


def test_front_matter_becomes_typed_values_with_positions(tmp_path: Path) -> None:
    path = write_article(tmp_path, """
        ---
        title: 五分钟看懂存款保险
        author: 示例城市银行
        digest: 存款保险保什么、保多少，一文说清。
        cover: images/deposit.png
        stream: finance-class
        audience: [年轻客群]
        date: 2026-12-09
        source_url: https://mp.weixin.qq.com/s/abc
        comments: on
        ---
        # 正文
        """)
    article = load_article(path, "a.md")
    front = article.front
    assert (front.title, front.author, front.cover, front.stream) == (
        "五分钟看懂存款保险", "示例城市银行", "images/deposit.png", "finance-class")
    assert front.audience == ("年轻客群",)
    assert front.date == datetime.date(2026, 12, 9)
    assert front.comments is True
    assert str(article.position_of("title")) == "a.md:2:8"
    assert str(article.position_of("date")) == "a.md:8:7"
    assert article.body_line == 12
    assert article.body.startswith("# 正文")
    assert str(article.body_position(0)) == "a.md:12:1"


def test_defaults_when_optional_fields_are_left_out(tmp_path: Path) -> None:
    front = load_article(write_article(tmp_path, "---\ntitle: T\ncover: c.png\n---\nbody\n"), "a.md").front
    assert (front.author, front.digest, front.stream, front.audience, front.date, front.comments) == (
        "", "", "", (), None, False)


def test_unknown_field_is_refused_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    found = errors(write_article(tmp_path, "---\ntitle: T\ncover: c.png\ndigets: x\n---\n"))
    assert found == ["a.md:4:1: error: digets: unknown front-matter field 'digets'\n    hint: did you mean 'digest'?"]


def test_every_front_matter_problem_is_reported_at_its_value(tmp_path: Path) -> None:
    found = errors(write_article(tmp_path, """
        ---
        title: T
        cover: c.png
        date: 2026-02-30
        comments: maybe
        audience: {a: 1}
        title: again
        ---
        """))
    assert [line.split(": error")[0] for line in found if ": error" in line] == [
        "a.md:4:7", "a.md:5:11", "a.md:6:11", "a.md:7:1"]
    assert "given twice" in found[-1]


def test_missing_required_fields(tmp_path: Path) -> None:
    found = errors(write_article(tmp_path, "---\nauthor: A\n---\nbody\n"))
    assert [f.split("\n")[0] for f in found] == [
        "a.md:1:1: error: title: the front matter has no 'title'",
        "a.md:1:1: error: cover: the front matter has no 'cover'",
    ]


@pytest.mark.parametrize(("text", "where", "what"), [
    ("# no front matter\n", "a.md:1:1", "does not start with front matter"),
    ("---\ntitle: T\ncover: c\nbody\n", "a.md:1:1", "never closed"),
    ("---\ntitle: [T\ncover: c\n---\n", "a.md:3:6", "not valid YAML"),
    ("---\n- a\n- b\n---\n", "a.md:2:1", "not a mapping"),
])
def test_broken_front_matter_is_located(tmp_path: Path, text: str, where: str, what: str) -> None:
    found = errors(write_article(tmp_path, text))
    assert found[0].startswith(where) and what in found[0]


def test_not_utf8_and_oversized_files_are_refused_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntitle: T\ncover: c\n---\n\xff\xfe\n")
    assert errors(bad)[0].startswith("a.md:5:1: error: the article is not valid UTF-8")
    big = tmp_path / "big.md"
    big.write_bytes(b"---\ntitle: T\ncover: c\n---\n" + b"x" * MAX_SOURCE_BYTES)
    assert "larger than" in errors(big)[0]
    assert "cannot read" in errors(tmp_path / "missing.md")[0]


def test_crlf_and_bom_are_read_like_plain_files(tmp_path: Path) -> None:
    path = tmp_path / "w.md"
    path.write_bytes("\ufeff---\r\ntitle: 标题\r\ncover: c.png\r\n---\r\n正文\r\n".encode())
    article = load_article(path, "w.md")
    assert article.front.title == "标题" and article.body.strip() == "正文"
    assert str(article.position_of("cover")) == "w.md:3:8"
