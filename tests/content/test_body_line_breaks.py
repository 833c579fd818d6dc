"""Line breaks in an article's Markdown body that git does not see (a lone CR, U+0085, U+2028, U+2029): git and a
pull request's diff show one line, the renderer (a CR) or the follower's browser (the others, mandatory breaks in
Unicode's line breaking) break it, so a reviewer reads other text from what is published. Refused as in spec files
and front matter (attack review 50 F3), at the line and column git shows, with what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.diagnostics import SpecError
from oa_spec.content.article import load_article
from testing.cli import Cli

SEPARATORS = {"nel": "\x85", "line-separator": "\u2028", "paragraph-separator": "\u2029", "lone-cr": "\r"}
HINT = "use an ordinary line break (Enter, LF); remove the invisible line separator"
CARD_DATES = Path("accounts") / "content" / "young" / "card-dates.md"
# A reviewer's diff shows one line of body text; markdown-it reads a heading after the CR.
VISIBLE = "账单有疑问，请通过官方渠道核对。"
HIDDEN = "# 本行信用卡全年免息"


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_a_line_break_git_does_not_see_in_the_body_is_refused_where_git_shows_it(tmp_path: Path, sep: str) -> None:
    (tmp_path / "a.md").write_bytes(f"---\ntitle: 账单日\ncover: cover.png\n---\n正文\n{VISIBLE}{sep}{HIDDEN}\n"
                                    .encode())
    with pytest.raises(SpecError) as caught:
        load_article(tmp_path / "a.md", "a.md")
    first = caught.value.diagnostics[0]
    assert (first.position.line, first.position.col) == (6, len(VISIBLE) + 1), first
    assert first.hint == HINT and f"U+{ord(sep):04X}" in first.message, first


def test_every_further_break_is_counted_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T\ncover: c.png\n---\n一\u2028二\n三\r四\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_article(tmp_path / "a.md", "a.md")
    assert "(1 more in the body)" in caught.value.diagnostics[0].message


def test_a_crlf_body_still_reads(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes("---\r\ntitle: T\r\ncover: c.png\r\n---\r\n一\r\n二\r\n".encode())
    assert load_article(tmp_path / "a.md", "a.md").body == "一\n二\n"


@pytest.mark.parametrize("sep", ["\r", "\u2028"], ids=["lone-cr", "line-separator"])
def test_validate_refuses_the_hidden_line_at_the_line_git_shows(cli: Cli, citybank: Path, sep: str) -> None:
    article = citybank.parent / CARD_DATES
    text = article.read_text(encoding="utf-8")
    article.write_bytes((text + f"\n{VISIBLE}{sep}{HIDDEN}\n").encode())
    result = cli("validate", "-f", str(citybank))
    assert result.returncode == 1, result.stdout + result.stderr
    where = f"{CARD_DATES}:{text.count(chr(10)) + 2}:{len(VISIBLE) + 1}: error: "
    assert where in result.stderr and f"U+{ord(sep):04X}" in result.stderr and HINT in result.stderr, result.stderr
