"""`oaspec validate` and `oaspec plan` over the citybank example whose article holds markup a browser reads
otherwise than a regular expression does (attack review 39): what scan would call blocking on the draft must be
refused before it is applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import Cli

CARD_DATES = Path("accounts") / "content" / "young" / "card-dates.md"


def with_body_line(spec: Path, relative: Path, line: str) -> None:
    article = spec.parent / relative
    article.write_text(article.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


@pytest.mark.parametrize("tag", [
    '<a title="x"href="https://evil.example/phish">',  # the attack: no space after a quoted value
    "<a title='x'href='https://evil.example/phish'>",
    '<a title="x"HREF=https://evil.example/phish>',
    '<a title="x"\x0chref="https://evil.example/phish">',  # a form feed separates attributes too
])
def test_a_raw_html_link_is_read_as_the_browser_reads_it(cli: Cli, citybank: Path, tag: str) -> None:
    """F2: <a title="x"href=...> is a link to a browser (and to nh3, which keeps it); validate and plan must
    refuse its foreign domain as they refuse <a title="x" href=...>, at the line that holds it."""
    with_body_line(citybank, CARD_DATES, f"<p>更多：{tag}官方渠道</a></p>")
    for command in ("validate", "plan"):
        result = cli(command, "-f", str(citybank))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "the link to evil.example is not to an allowed domain" in result.stderr, (command, result.stderr)
        assert f"{CARD_DATES}:" in result.stderr, result.stderr
