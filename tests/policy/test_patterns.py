"""The rule packs' patterns are compiled on first use and skipped in a text without their anchors:
every answer is the one `re` gives."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from oa_spec.policy import anchors, patterns
from oa_spec.policy.measure import load_corpus
from oa_spec.policy.negation import CLAUSE_END, clause_end
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import normalise

CORPUS = Path(__file__).parent / "corpus"


def test_the_shipped_pattern_anchors_are_read_from_the_current_patterns() -> None:
    assert anchors.PATTERNS_FILE.read_text(encoding="utf-8") == anchors.pattern_file_text(), \
        "a rule pack's pattern changed: regenerate the anchors with python -m oa_spec.policy.anchors"


def _answers(pattern: re.Pattern[str] | Pattern, text: str) -> list[object]:
    def spans(found: re.Match[str] | None) -> object:
        return found and (found.span(), found.groups())

    return [spans(pattern.search(text)), spans(pattern.search(text, 2, 9)), spans(pattern.match(text)),
            spans(pattern.fullmatch(text)), [(m.span(), m.groups()) for m in pattern.finditer(text, 1)],
            pattern.findall(text), pattern.sub("。", text), pattern.split(text)]


@pytest.mark.parametrize("source", [r"保本[^。]{0,4}(保息)", r"(?<!不)[稳包]赚", r"[^。]{0,3}", r"收益(?:高|)"])
@pytest.mark.parametrize("text", ["这款保本，年年保息", "稳赚不赔", "今天天气不错", "", "不稳赚，包赚"])
def test_a_pattern_answers_as_re_does_with_or_without_its_anchors(source: str, text: str) -> None:
    lazy = Pattern(source)
    lazy._anchors = anchors.anchors(source)  # as the anchors file would give them
    assert _answers(lazy, text) == _answers(re.compile(source), text)
    assert _answers(lazy, text) == _answers(re.compile(source), text)  # compiled by then, or still skipped


def test_a_text_without_the_anchors_compiles_nothing() -> None:
    lazy = Pattern("保本[^。]{0,4}保息")
    lazy._anchors = (("保本",), ("保息",))
    assert lazy.search("只保本不保收益") is None and lazy._compiled is None
    assert lazy.search("保本又保息") is not None and lazy._compiled is not None


def test_a_pattern_asked_about_many_fresh_strings_is_compiled_instead_of_scanned_for_its_anchors() -> None:
    # an attack review: a pattern that never matched looked for its many anchor words in each sentence of a long
    # text, a fresh slice each time: that cost more than the search, and made validate super-linear
    lazy = Pattern("保本[^。]{0,4}保息")
    lazy._anchors = (("保本",), ("保息",))
    for number in range(patterns.ANCHOR_CHECKS):
        assert lazy.search(f"第{number}句没有那两个词") is None
    assert lazy._compiled is None  # a few texts: skipped by their anchors, nothing compiled
    assert lazy.search("再一句") is None and lazy._compiled is not None
    assert lazy.search("保本又保息") is not None


def test_a_clause_ends_at_its_mark_however_far_and_finding_it_costs_no_search() -> None:
    # the same review: with no punctuation after it, each match's clause end was searched to the end of the text;
    # bounding it at 300 characters (the next review) hid a secret asked for further on, so the marks are found once
    text = "晒心得" * 1000 + "，转发有礼"
    assert clause_end(text, 10) == 3000 and clause_end(text, 10, 500) == 500
    assert clause_end("分享不影响积分，转发有礼", 2) == 7 and clause_end("转发有礼", 1) == 4
    assert clause_end("分享——转发", 0) == 2 and clause_end("分享——", 0, 3) == 3  # a dash ends one only whole
    searched: list[int] = []
    original = CLAUSE_END.compiled().search

    def counting(string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        searched.append(min(endpos, len(string)) - pos)
        return original(string, pos, endpos)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CLAUSE_END, "_compiled", type("Counting", (), {"search": staticmethod(counting)})())
        for start in range(0, 3000, 3):
            clause_end(text, start)
    assert sum(searched) < 1_000 * 10  # each call looks from its mark, not across the text


def test_a_pattern_the_anchors_file_lacks_is_compiled_and_searched() -> None:
    lazy = Pattern("从未见过的句式[^。]*")
    assert lazy.search("这是从未见过的句式。") is not None


def test_a_flagged_pattern_is_never_skipped() -> None:
    lazy = Pattern("vip", re.IGNORECASE)  # the lower-case word proves nothing in 尊享VIP
    assert lazy.search("VIP专享") is not None and lazy._anchors == ()


@pytest.mark.long
def test_every_pack_pattern_finds_in_every_corpus_text_what_re_finds() -> None:
    """Soundness of the shipped anchors over every labelled text: a skipped search would have found nothing."""
    anchors.pattern_file_text()  # imports every policy module, so every pattern is made
    sources = patterns.sources()
    shipped = patterns._stored()
    compiled = {s: re.compile(s) for s in sources if shipped.get(s)}
    texts = [normalise(line.text).norm for path in sorted(CORPUS.glob("*.tsv")) for line in load_corpus(path)]
    differ = []
    for source, pattern in compiled.items():
        lazy = Pattern(source)
        for text in texts:
            if lazy._cannot_match(text) and pattern.search(text) is not None:
                differ.append((source, text))
    assert differ == []
