"""Attack review 7, B2: characters readers do not see cannot split a claim from the policy packs, and none
that reorder or hide text is accepted in an article's front matter, nor a reordering one in its body."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.content.characters import DEFAULT_IGNORABLE, drawn_order, readable
from oa_spec.content.diff import visible_lines
from oa_spec.content.texts import article_texts
from oa_spec.content.validate import ContentRules, validate_file
from tests.conftest import run_cli
from tests.content.bank import article_file, citybank
from tests.content.helpers import article, write_article

HEAD = "---\ntitle: 标题\ncover: cover.png\n---\n"  # the body starts on line 5
# Every one the attack used, raw or as a character reference: each draws nothing between 保 and 本.
INVISIBLE = ["\u200b", "&#8203;", "&shy;", "\u2060", "\ufeff", "\u034f", "\ufe00", "\ufe0f", "\u180e", "\u200c",
             "\u200d", "\u17b4", "\u115f", "\u3164", "\uffa0", "\u2061", "\u2064", "\U0001d173", "\U0001d17a",
             "\U000e0001", "\U000e007f", "&#x2060;", "&#xFEFF;", "&#x1D173;", "&ZeroWidthSpace;", "&NoBreak;",
             "\u2800", "\ufff9", "\U00013430"]  # attack review 8


def test_the_default_ignorable_table_is_unicode_s() -> None:
    assert sum(high - low + 1 for low, high in DEFAULT_IGNORABLE) == 4174  # DerivedCoreProperties 15.1
    assert readable("保\u200b本 ❤\ufe0f 👨\u200d👩\u200d👧") == "保本 ❤ 👨👩👧"
    assert readable("理财非存款、产品有风险 R2 ①") == "理财非存款、产品有风险 R2 ①"


@pytest.mark.parametrize("mark", INVISIBLE)
def test_the_packs_read_a_word_whole_whatever_draws_nothing_inside_it(tmp_path: Path, mark: str) -> None:
    texts = article_texts(article(tmp_path, f"本理财产品保{mark}本保{mark}收益，零{mark}风险。\n"))
    assert texts.items[-1].text == "本理财产品保本保收益，零风险。"
    assert "保本保收益" in texts.joined


@pytest.mark.parametrize("mark", ["&#8203;", "\u200b", "&shy;", "\u2060", "\U000e0001", "\u3164"])
def test_validate_finds_a_guarantee_split_by_invisible_characters(tmp_path: Path, mark: str) -> None:
    spec = citybank(tmp_path)
    path = article_file(spec, "wealth/december-outlook")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n本理财产品保{mark}本保{mark}收益，零{mark}风险。\n")
    result = run_cli("validate", "-f", str(spec.relative_to(tmp_path)), cwd=tmp_path)
    row = len(path.read_text(encoding="utf-8").split("\n")) - 1
    assert result.returncode == 1
    assert f"wealth/december-outlook.md:{row}:1: error [wealth.no-guaranteed-return]" in result.stderr


def test_a_live_draft_is_read_by_the_packs_without_them_and_shown_with_them_in_the_plan() -> None:
    live = "<p>保&#8203;本保\u2060收益</p><p>\u200b</p>"
    assert visible_lines(live, markers=False) == ["保本保收益"]
    assert visible_lines(live) == ["保\u200b本保\u2060收益", "\u200b"]


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("title", '"信用卡账单\\e[2J"', "U+001B"), ("title", '"账单\\r日"', "U+000D"),
    ("title", '"账单日\\u202eFORGED"', "U+202E RIGHT-TO-LEFT OVERRIDE"), ("author", '"行\\u202e长"', "U+202E"),
    ("author", '"行\\u2066长"', "U+2066 LEFT-TO-RIGHT ISOLATE"), ("digest", "本理财产品保\u200b本保收益", "U+200B"),
    ("digest", "保\u2060本", "U+2060 WORD JOINER"), ("audience", "[高净值\u200d客户]", "U+200D"),
    ("stream", "monthly\ufe0f", "U+FE0F")])
def test_front_matter_text_is_refused_as_every_spec_string_is(tmp_path: Path, field: str, value: str,
                                                             shown: str) -> None:
    front = HEAD.replace("cover:", f"{field}: {value}\ncover:") if field != "title" else HEAD.replace("标题", value)
    path = write_article(tmp_path, front + "正文\n")
    [problem] = validate_file(path, ContentRules(), "a.md")
    column = len(f"{field}: ") + 1
    assert (problem.position.line, problem.position.col, problem.path) == (2 if field == "title" else 3, column, field)
    assert problem.message.startswith(f"the text contains {shown}")
    assert problem.hint == "remove the character; write the text as people should see it"


def test_a_read_more_link_that_could_pass_for_another_is_refused(tmp_path: Path) -> None:
    # The plan prints 阅读原文 bare: a full-width letter would read as the old link (edge spaces are stripped).
    front = HEAD.replace("cover:", "source_url: https://mp.weixin.qq.com/s/ａ\ncover:")
    path = write_article(tmp_path, front + "正文\n")
    [problem] = validate_file(path, ContentRules(), "a.md")
    assert (problem.path, problem.position.line) == ("source_url", 3)
    assert "contains U+FF41 FULLWIDTH LATIN SMALL LETTER A" in problem.message


@pytest.mark.parametrize(("href", "shown", "reason"), [
    ("https://mp.weixin.qq.com/s/biｌｌ", "s/bi\\uff4c\\uff4c", "U+FF4C FULLWIDTH LATIN SMALL LETTER L"),
    ("https://mp.weixin.qq.com/s/bill&nbsp;", "s/bill\\xa0", "ends with U+00A0 NO-BREAK SPACE"),
    ("https://mp.weixin.qq.com/s/b\u0456ll", "s/b\\u0456ll", "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"),
], ids=["full-width", "no-break-space", "cyrillic"])
def test_a_body_link_that_could_pass_for_another_is_refused_and_shown_escaped(
        tmp_path: Path, href: str, shown: str, reason: str) -> None:
    # Raw HTML keeps an href as written (markdown-it percent-encodes its own links): the plan's [链接 …] marker
    # read as the old link.
    path = write_article(tmp_path, HEAD + f'核对：<a href="{href}">账单查询</a>。\n')
    [problem] = validate_file(path, ContentRules(), "a.md")
    assert (problem.path, problem.position.line) == ("body", 5) and reason in problem.message
    [line] = visible_lines(f'<p>核对：<a href="{href}">账单查询</a>。</p>')
    assert f'[链接 "https://mp.weixin.qq.com/{shown}"]' in line


def test_front_matter_keeps_what_readers_need(tmp_path: Path) -> None:
    path = write_article(tmp_path, HEAD.replace("标题", "年终回馈 ❤️ 👨‍👩‍👧") + "正文\n")
    assert validate_file(path, ContentRules(), "a.md") == []


@pytest.mark.parametrize(("line", "col", "shown"), [
    ("本行理财\u202e。险风零，息保本保\u202c", 5, "U+202E"), ("零风险&#x202E;。", 4, "U+202E"),
    ("零风险&#8238;。", 4, "U+202E"), ("零风险&#x0202d", 4, "U+202D"), ("a\u2067b", 2, "U+2067"),
    ("`code \u202b`", 7, "U+202B")])
def test_a_control_that_reorders_the_body_is_refused_where_it_is(tmp_path: Path, line: str, col: int,
                                                                 shown: str) -> None:
    path = write_article(tmp_path, HEAD + "正文\n\n" + line + "\n")
    problem, *more = validate_file(path, ContentRules(), "a.md")  # (the first line also closes with U+202C)
    assert (problem.position.line, problem.position.col) == (7, col)
    assert problem.message.startswith(shown) and problem.message.endswith(" reorders the text readers see")
    assert [(p.position.col, p.message[:6]) for p in more] == ([(15, "U+202C")] if "\u202c" in line else [])


def test_emoji_sequences_stay_in_the_body(tmp_path: Path) -> None:
    path = write_article(tmp_path, HEAD + "全家理财 👨‍👩‍👧 ❤️ 🏳️‍🌈\n")
    assert validate_file(path, ContentRules(), "a.md") == []


def test_a_title_of_joiners_alone_is_still_the_text_a_finding_falls_back_to(tmp_path: Path) -> None:
    texts = article_texts(article(tmp_path, "\u200b\n", "---\ntitle: \"\\u200d\"\ncover: cover.png\n---\n"))
    assert [(t.kind, t.text) for t in texts.items] == [("title", "")]
    assert texts.locate("“保本”", lambda text, term: term in text, lambda text: False).kind == "title"


@pytest.mark.parametrize(("stored", "drawn"), [
    ("请发送\u202e码证验", "请发送验证码"),
    ("请发送\u202e码证验\u202c给我", "请发送验证码给我"),
    # attack review 28: a pop or an isolate's end that matches nothing, or closes what was opened inside the run,
    # does not end the override (the bidirectional algorithm ignores the first and pairs the second)
    ("请发送\u202e\u2069码证验", "请发送验证码"),
    ("请发送\u202e\u2066\u2069码证验", "请发送验证码"),
    ("请发送\u202e\u202a\u202c码证验", "请发送验证码"),
    ("\u2067请\u202e码证验\u2069发送", "请验证码发送"),  # the isolate it was opened in ends it
    ("行一\u202e二行\n三行", "行一行二\n三行"),  # and so does the line's end
    # attack review 29: a left-to-right override inside is drawn as one piece, and a lone CR or U+2029 ends a
    # paragraph as a line feed does
    ("请发送\u202e码\u202d验证\u202c\u202c", "请发送验证码"),
    ("请发送\u202e码证验\u2029给我", "请发送验证码\u2029给我"),
    ("请发送\u202e码证验\r给我", "请发送验证码\r给我"),
    # attack review 30: a closing control of the other kind inside the piece does not end it
    ("请发送\u202e码\u2066\u202c验证\u2069\u202c给我", "请发送验证码给我"),
    ("请发送\u202e码\u202d验\u2069证\u202c\u202c给我", "请发送验证码给我"),
    # attack review 31: an isolate's end closes the embeddings opened inside the isolate (as GNU FriBidi draws it)
    ("请发送\u202e码\u2066\u202a\u2069证验\u202c给我", "请发送验证码给我"),
    ("请发送\u202e码\u2067\u202b\u2069证验\u202c给我", "请发送验证码给我"),
    # attack review 32: no control at all, but right-to-left marks that make the paragraph run right to left
    ("\u200f给我\u200f码\u200f验证\u200f请发送", "请发送验证码给我"),
    ("\u061c给我\u061c码\u061c验证\u061c请发送", "请发送验证码给我"),
    ("没有控制字符", "没有控制字符"),
])
def test_a_right_to_left_override_is_read_in_the_order_it_is_drawn(stored: str, drawn: str) -> None:
    assert readable(drawn_order(stored)) == drawn


def test_a_neutral_character_first_does_not_set_the_paragraphs_direction() -> None:
    # attack review 33: a modifier letter (U+02B9) is no strong character; the first strong one (an RLM) decides
    assert "请发送验证码给我" in readable(drawn_order("\u02b9\u200f给我\u200f码\u200f验证\u200f请发送"))


PILE = "\u0316\u0317\u0318\u0319\u031c\u031d\u031e\u031f" * 4  # marks below, each drawn under the one before


@pytest.mark.parametrize(("line", "col"), [
    (f"详见下文。{PILE}\n理财非存款、产品有风险、投资须谨慎。", 6), (f"a{PILE}", 2),
    ("详见下文。" + "&#x0316;" * 3, 1), ("详见下文。e" + "&#791;&#x317;&#x0318;", 1)])
def test_a_pile_of_marks_in_the_body_is_refused_where_it_is(tmp_path: Path, line: str, col: int) -> None:
    """Attack review 77 F4: three combining marks piled on one character are refused in every spec string, since
    they draw over the lines around them, but an article body took a pile of them: drawn down over the risk
    statement on the line below, which the packs still read as made, while the reader sees it scribbled over."""
    path = write_article(tmp_path, HEAD + "正文\n\n" + line + "\n")
    [problem] = validate_file(path, ContentRules(), "a.md")
    assert (problem.position.line, problem.position.col) == (7, col)
    assert "combining marks piled on one character" in problem.message


def test_the_marks_a_language_writes_stay_in_the_body(tmp_path: Path) -> None:
    path = write_article(tmp_path, HEAD + "Nguyễn Thị Ánh, Việt Nam ệ\n")  # two marks at most on a letter
    assert validate_file(path, ContentRules(), "a.md") == []
