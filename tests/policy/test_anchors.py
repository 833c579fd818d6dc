"""A text is searched only with the claim patterns it holds an anchor of: what is found never changes."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from pathlib import Path
from typing import cast
from unittest.mock import patch

import pytest

from oa_spec.policy import anchors, lexicon
from oa_spec.policy.lexicon import Alternation
from oa_spec.policy.measure import load_corpus
from oa_spec.policy.text import normalise
from oa_spec.util import precompiled

CORPUS = Path(__file__).parent / "corpus"


def test_the_shipped_anchors_are_read_from_the_current_patterns() -> None:
    assert anchors.FILE.read_text(encoding="utf-8") == anchors.file_text(), \
        "claims.yaml changed: regenerate the anchors with python -m oa_spec.policy.anchors"


def test_the_shipped_snapshot_of_the_claims_is_claims_yaml_now() -> None:
    assert lexicon.SNAPSHOT.read_text(encoding="utf-8") == lexicon.snapshot_text(), \
        "claims.yaml changed: regenerate its snapshot with python -m oa_spec.policy.anchors"


@pytest.mark.skipif(sys.implementation.cache_tag != "cpython-311", reason="programs are stored for CPython 3.11")
def test_the_stored_regex_programs_are_those_of_the_current_patterns() -> None:
    wanted = anchors.program_sources()
    stored = precompiled.stored()
    assert set(stored) == wanted, \
        "patterns changed: regenerate the stored programs with python -m oa_spec.policy.anchors"
    assert all(stored[key] == precompiled.program(*key) for key in wanted), \
        "re compiles differently: regenerate the stored programs with python -m oa_spec.policy.anchors"


def test_a_snapshot_of_other_bytes_is_not_read_the_yaml_is() -> None:
    snapshot = lexicon.snapshot_text()
    assert lexicon.data_of("guarantee: {terms: [保本]}".encode(), snapshot) == {"guarantee": {"terms": ["保本"]}}
    assert lexicon.data_of("guarantee: {terms: [保本]}".encode(), "") == {"guarantee": {"terms": ["保本"]}}


@pytest.mark.parametrize(("pattern", "groups"), [
    ("保本[^。]{0,4}保息", (("保本",), ("保息",))),
    ("(?:稳赚|包赚)不赔", (("不赔",), ("包赚", "稳赚"))),
    ("(?:稳赚|包赚|躺赚)", (("包赚", "稳赚", "躺赚"),)),  # re reads this as 赚 after one of 稳包躺
    ("(?<!不)[稳包]赚(?:钱)?", (("赚",), ("包", "稳"))),  # a lookbehind and an optional part require nothing
    ("(?:赚|挣)+了", (("了",), ("挣", "赚"))),
    ("收益(?:高|)", (("收益",),)),  # a branch that can match nothing requires nothing
    ("[^。]{0,9}", ()),
    ("(?i)vip", ()),  # case-insensitive: the lower-case word proves nothing
])
def test_anchors_are_the_words_every_match_must_hold(pattern: str, groups: tuple[tuple[str, ...], ...]) -> None:
    assert sorted(anchors.anchors(pattern)) == sorted(groups)


def test_the_most_selective_group_comes_first() -> None:
    assert anchors.anchors("[赚挣][^。]{0,3}保本保息")[0] == ("保本保息",)


def test_the_alternation_finds_the_leftmost_match_and_at_a_tie_the_pattern_first_in_the_file() -> None:
    sources = ("稳赚", "赚不赔", "稳赚不赔")
    text = "这款稳赚不赔，还能赚不赔"
    combined = re.compile("|".join(f"(?:{s})" for s in sources))
    split = Alternation(tuple(re.compile(s) for s in sources))
    for pos in range(len(text)):
        a, b = combined.search(text, pos), split.search(text, pos)
        assert (a and (a.span(), a.group(0))) == (b and (b.span(), b.group(0)))


def test_the_alternation_answers_the_same_from_any_position_in_any_order_and_string() -> None:
    sources = ("稳赚", "赚不赔", "零风险")
    combined = re.compile("|".join(f"(?:{s})" for s in sources))
    split = Alternation(tuple(re.compile(s) for s in sources))
    texts = ["这款稳赚不赔，还能赚不赔", "零风险" + "。" * 5 + "稳赚", "稳赚不赔"]
    for pos in [5, 0, 9, 3, 3, 11, 1, 0, 8, 2]:  # backwards, repeated, across strings: the kept search is per string
        for text in texts:
            a, b = combined.search(text, pos), split.search(text, pos)
            assert (a and (a.span(), a.group(0))) == (b and (b.span(), b.group(0)))


class _Counting:
    """A compiled pattern that counts how often it is searched."""

    def __init__(self, source: str) -> None:
        self.pattern, self.searches = re.compile(source), 0

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        self.searches += 1
        return self.pattern.search(string, pos)


def test_stepping_through_a_long_text_does_not_rescan_it_for_a_pattern_found_nowhere() -> None:
    # find_pattern searches again one character on from each negated match; a pattern matching nowhere once
    # scanned to the text's end at every step (20,000 characters of 稳赚保收益 took 8 s).
    text = "稳赚" * 5_000
    hit, miss = _Counting("稳赚"), _Counting("保本保息")
    split = Alternation(cast("tuple[re.Pattern[str], ...]", (hit, miss)))
    pos, steps = 0, 0
    while (found := split.search(text, pos)) is not None:
        pos, steps = found.start() + 1, steps + 1
    assert steps == 5_000 and miss.searches == 1 and hit.searches == 5_001


def test_a_pattern_the_anchors_file_lacks_is_searched_in_every_text() -> None:
    stale = lexicon.candidates(lexicon.index_of({}), "今天天气不错")
    assert stale == {c: tuple(range(len(lexicon.patterns(c)))) for c in lexicon.categories() if lexicon.patterns(c)}


def test_a_text_without_an_anchor_word_is_searched_with_no_pattern() -> None:
    assert lexicon.candidates(lexicon._index(), "今天天气不错") == {}
    chosen = lexicon.candidates(lexicon._index(), normalise("本金一分都不会少，到期稳稳拿回家").norm)
    assert chosen.get("guarantee")


SHARDS = 6  # the corpus in six interleaved shards, so the workers check it side by side


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_corpus_text_finds_what_the_whole_alternation_finds(shard: int) -> None:
    """Soundness over the whole labelled corpus (30,000 texts): a skipped pattern would have found nothing.
    Where no pattern of a category can match a text (_texts_a_pattern_may_match), the whole alternation
    finds nothing there either, and what the anchors choose must find nothing too."""
    norms = [normalise(text).norm for text in _corpus_texts()[shard::SHARDS]]
    may_match = _texts_a_pattern_may_match(norms)
    differ = []
    for i, norm in enumerate(norms):
        for category, pattern in _whole().items():
            chosen = lexicon.pattern(category, norm)
            expected = [(m.span(), m.group(0)) for m in pattern.finditer(norm)] if i in may_match[category] else []
            found = [] if chosen is None else _all(chosen, norm)
            if found != expected:
                differ.append((category, norm))
    assert differ == []


# A pattern that looks around its match, anchors it, refers back or commits (an atomic group, a possessive
# repeat) may match alone in a text and not where the text is joined to the next: searched in each text alone.
# (Conservative: a caret or dollar anywhere but after `[` or `\` counts.)
_SEARCHED_IN_EACH_TEXT = re.compile(r"\(\?(?:[=!>(]|<[=!]|P=)|\\[bBAZ1-9]|(?<!\[)\^|(?<!\\)\$|[*+?}]\+")


def _texts_a_pattern_may_match(norms: list[str]) -> dict[str, set[int]]:
    """Category -> the texts (their indices) one of its patterns may match: every text it matches, and maybe
    more. A pattern that reads no context is searched once through all the texts joined by newlines: where it
    matches inside a text, the joined search finds that match or an earlier one running into it, and either
    marks the text (so one search per pattern, not one per pattern and text, which took four times as long)."""
    joined = "\n".join(norms)
    starts = list(itertools.accumulate((len(norm) + 1 for norm in norms), initial=0))
    out: dict[str, set[int]] = {}
    for category in _whole():
        marked = out.setdefault(category, set())
        for source in lexicon.patterns(category):
            pattern = _compiled(source)
            if _SEARCHED_IN_EACH_TEXT.search(source):
                marked.update(i for i, norm in enumerate(norms) if pattern.search(norm))
                continue
            for m in pattern.finditer(joined):
                last = max(m.start(), m.end() - 1)
                marked.update(range(bisect.bisect_right(starts, m.start()) - 1, bisect.bisect_right(starts, last)))
    return out


def test_a_pattern_reading_past_its_match_or_committing_is_searched_in_each_text_alone() -> None:
    reads = ["(?<!不)保本", "保本(?!型)", "(?<=是)保本", "^保本", "保本$", r"\b保本", "(保)本\\1", "(?P<a>保)(?P=a)",
             "(?>保本)", "保[^。]*+息", "(保)?(?(1)本|息)"]
    assert all(_SEARCHED_IN_EACH_TEXT.search(source) for source in reads)
    joinable = ["保本[^。]{0,4}保息", "(?:稳赚|包赚)不赔", r"\d+%"]
    assert not any(_SEARCHED_IN_EACH_TEXT.search(source) for source in joinable)


def test_a_text_a_joined_search_runs_into_is_marked_with_the_one_it_starts_in() -> None:
    # 保[^。]*息 from the first text runs through the newline into the second, whose own 保息 it swallows
    with patch.object(lexicon, "patterns", lambda category: ("保[^。]*息",)), \
            patch(f"{__name__}._whole", lambda: {"guarantee": re.compile("保[^。]*息")}):
        assert _texts_a_pattern_may_match(["保本", "保息", "今天天气不错"]) == {"guarantee": {0, 1}}


def test_the_shards_cover_the_whole_corpus() -> None:
    texts = _corpus_texts()
    assert len(texts) > 25_000
    assert sorted(text for shard in range(SHARDS) for text in texts[shard::SHARDS]) == sorted(texts)


@functools.cache
def _corpus_texts() -> tuple[str, ...]:
    return tuple(line.text for path in sorted(CORPUS.glob("*.tsv")) for line in load_corpus(path))


@functools.cache  # ~1,300 patterns: re's own cache keeps 512, so each shard compiled them all again (~1 s)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


@functools.cache
def _whole() -> dict[str, re.Pattern[str]]:
    """Each category's patterns as one alternation, in their order: what the anchors must not change."""
    return {c: re.compile("|".join(f"(?:{p})" for p in lexicon.patterns(c)))
            for c in lexicon.categories() if lexicon.patterns(c)}


def _all(alternation: Alternation, norm: str) -> list[tuple[tuple[int, int], str]]:
    out, pos = [], 0
    while pos <= len(norm) and (m := alternation.search(norm, pos)) is not None:
        out.append((m.span(), m.group(0)))
        pos = m.end() if m.end() > m.start() else m.end() + 1
    return out
