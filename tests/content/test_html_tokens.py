"""content/html_tokens.py: tags, comments and raw text split where a browser's tokenizer splits them."""

from __future__ import annotations

import pytest

from oa_spec.content.html_tokens import BrowserTokens, tag_end


class _Events(BrowserTokens):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.events.append(("comment", data))


def events(markup: str) -> list[tuple[str, str]]:
    parser = _Events()
    parser.feed(markup)
    parser.close()
    return parser.events


@pytest.mark.parametrize(("markup", "expected"), [
    ("</ p>S", [("comment", " p"), ("text", "S")]),
    ("</>S", [("text", "S")]),
    ('</p a=">S">T', [("end", "p"), ("text", "T")]),
    ("<title></ title>S</title >T", [("start", "title"), ("text", "</ title>S"), ("end", "title"), ("text", "T")]),
    ("<title>S</titlex></TITLE/>T", [("start", "title"), ("text", "S</titlex>"), ("end", "title"), ("text", "T")]),
    ("<title/>S</title>T", [("start", "title"), ("text", "S"), ("end", "title"), ("text", "T")]),
    ("<plaintext>S</plaintext>T", [("start", "plaintext"), ("text", "S</plaintext>T")]),
    ("<!-->S", [("comment", ""), ("text", "S")]),
    ("<!-- a --!>S", [("comment", " a "), ("text", "S")]),
    ("<!-- -- >S-->T", [("comment", " -- >S"), ("text", "T")]),
    ("<![CDATA[>S", [("comment", "[CDATA["), ("text", "S")]),
    ("S<!-- T", [("text", "S"), ("comment", " T")]),
    ('S<p title="T', [("text", "S")]),
    ("<textarea>S", [("start", "textarea"), ("text", "S")]),
])
def test_markup_splits_as_a_browser_splits_it(markup: str, expected: list[tuple[str, str]]) -> None:
    assert events(markup) == expected


def test_a_tag_ends_at_the_first_gt_outside_its_quoted_values() -> None:
    assert tag_end('</p a=">" b=\'>\' c=d>x', 3) == 20
    assert tag_end("</p =\">x", 3) == 7  # `=` first starts a name, so the quote is part of it
    assert tag_end('</p a="x', 3) is None
