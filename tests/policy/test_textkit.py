"""textkit.Spans: whether a match overlaps, or lies inside, matches already found, asked in a bisection; the
same answers as asking each found match in turn (which made a text repeating a claim quadratic)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oa_spec.policy.packs.textkit import Spans, outside
from oa_spec.policy.text import Match

_SPAN = st.tuples(st.integers(0, 60), st.integers(1, 8)).map(lambda s: Match("x" * s[1], s[0], s[0] + s[1]))


@given(st.lists(_SPAN, max_size=20), st.lists(_SPAN, max_size=20))
def test_overlap_is_what_asking_each_found_match_says(found: list[Match], matches: list[Match]) -> None:
    expected = [m for m in matches if not any(f.start < m.end and m.start < f.end for f in found)]
    assert outside(matches, found) == expected


@given(st.lists(_SPAN, max_size=20), _SPAN)
def test_a_match_is_covered_when_found_matches_hold_every_character_of_it(found: list[Match], m: Match) -> None:
    held = {i for f in found for i in range(f.start, f.end)}
    assert Spans(found).cover(m) == all(i in held for i in range(m.start, m.end))


def test_runs_merge_and_stay_sorted() -> None:
    spans = Spans([Match("ab", 5, 7), Match("a", 0, 1), Match("abc", 6, 9), Match("a", 9, 10)])
    assert (spans.starts, spans.ends) == ([0, 5], [1, 10])
