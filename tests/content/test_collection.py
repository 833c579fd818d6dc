from __future__ import annotations

from pathlib import Path

from oa_spec.config.diagnostics import Position
from oa_spec.content.collection import article_id, find_articles, validate_collection
from oa_spec.content.validate import ContentRules
from tests.content.helpers import write_article

WHERE = Position("spec/accounts/bank.yaml", 7, 17)


def article_text(stream: str = "finance-class", date: str = "2026-12-09") -> str:
    lines = ["---", "title: T", "cover: cover.png"]
    lines += [f"stream: {stream}"] if stream else []
    lines += [f"date: {date}"] if date else []
    return "\n".join([*lines, "---", "正文", ""])


def test_globs_are_relative_to_the_naming_file_and_recursive(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts"
    write_article(accounts / "content" / "young", article_text(), "a.md")
    write_article(accounts / "content" / "young" / "deep", article_text(), "b.md")
    (accounts / "content" / "notes.txt").write_text("not an article")
    found = find_articles(["content/**/*.md", "content/young/*.md"], accounts / "bank.yaml", tmp_path, WHERE)
    assert found.problems == ()
    assert [p.relative_to(accounts.resolve()).as_posix() for p in found.paths] == [
        "content/young/a.md", "content/young/deep/b.md"]
    assert found.ids == ("young/a", "young/deep/b")  # below the first glob's folder, which found them first
    assert [article_id(p, (accounts / "content").resolve()) for p in found.paths] == list(found.ids)


def test_globs_that_match_nothing_or_reach_outside_are_errors_at_the_spec(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    write_article(tmp_path / "elsewhere", article_text(), "x.md")
    (spec_dir / "accounts").mkdir(parents=True)
    found = find_articles(["content/*.md", "../../elsewhere/*.md", "/etc/*.md"], spec_dir / "accounts" / "bank.yaml",
                          spec_dir, WHERE)
    assert found.paths == ()
    assert [(str(d.position), d.message) for d in found.problems] == [
        ("spec/accounts/bank.yaml:7:17", "no Markdown file matches 'content/*.md'"),
        ("spec/accounts/bank.yaml:7:17", "'../../elsewhere/*.md': '..' reaches outside the spec's directory"),
        ("spec/accounts/bank.yaml:7:17", "'/etc/*.md': an absolute path reaches outside the spec's directory"),
    ]


def test_globs_never_follow_a_linked_folder_out_of_the_spec(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    write_article(tmp_path / "elsewhere", article_text(), "x.md")
    (spec_dir / "content").mkdir(parents=True)
    (spec_dir / "content" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write_article(spec_dir / "content" / "own", article_text(), "y.md")
    found = find_articles(["content/**/*.md"], spec_dir / "bank.yaml", spec_dir, WHERE)
    assert found.ids == ("own/y",) and found.problems == ()  # ** passes the link by, as include: does
    named = find_articles(["content/linked/*.md"], spec_dir / "bank.yaml", spec_dir, WHERE)
    assert named.paths == () and "symbolic link" in named.problems[0].message


def test_two_article_names_that_read_the_same_are_refused(tmp_path: Path) -> None:
    """Attack review 36 F3: café.md in NFC and in NFD were two articles that read the same in every plan, history
    and waiver; names are compared as the spec's other names are (NFKC, case)."""
    for name in ("caf\u00e9.md", "cafe\u0301.md", "Notice.md", "notice.md"):
        write_article(tmp_path / "content", article_text(), name)
    found = find_articles(["content/*.md"], tmp_path / "bank.yaml", tmp_path, WHERE)
    assert len(found.paths) == 4
    assert sorted(d.message.split(" (")[1].split(")")[0] for d in found.problems) == sorted(
        ["caf\u00e9.md", "cafe\u0301.md", "Notice.md", "notice.md"])
    assert all("names that read the same" in d.message for d in found.problems)


def test_two_articles_cannot_fill_one_slot(tmp_path: Path) -> None:
    first = write_article(tmp_path, article_text(), "a.md")
    second = write_article(tmp_path, article_text(), "b.md")
    other_day = write_article(tmp_path, article_text(date="2026-12-16"), "c.md")
    _, problems = validate_collection([first, second, other_day], ContentRules(), display_base=tmp_path)
    assert [str(d).split("\n")[0] for d in problems] == [
        "b.md:5:7: error: date: the slot finance-class 2026-12-09 is already filled by a.md"]


def test_a_date_needs_a_stream_and_the_stream_must_exist(tmp_path: Path) -> None:
    no_stream = write_article(tmp_path, article_text(stream=""), "a.md")
    typo = write_article(tmp_path, article_text(stream="finance-clas"), "b.md")
    broken = write_article(tmp_path, "---\ntitle: T\n---\n", "c.md")
    articles, problems = validate_collection([no_stream, typo, broken], ContentRules(), display_base=tmp_path,
                                             streams=["finance-class", "anti-fraud"])
    assert [a.file for a in articles] == ["a.md", "b.md"]
    assert [(str(d.position), d.message, d.hint) for d in problems] == [
        ("a.md:4:7", "a date without a stream fills no slot", "add stream: <the stream's id>, or remove the date"),
        ("b.md:4:9", "no content stream 'finance-clas'", "did you mean 'finance-class'?"),
        ("c.md:1:1", "the front matter has no 'cover'", "add 'cover:' between the '---' lines"),
    ]
