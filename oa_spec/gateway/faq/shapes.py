"""Characters of similar shape: handwriting input reads 手杌 for 手机, 房货 for 房贷, 利宰 for 利率.

A customer who writes by hand on the phone's pad (or picks from its candidates at a glance) gets a character
that looks like the one meant, the way a pinyin typist gets one that sounds like it (pinyin.py). The groups of
shape-alike characters are data (`data/shapes.txt`). A run that is no word but is one shape-alike character away
from a banking term reads as that term (normalize.py step 3, beside the homophones); one character, not two: a
term of two characters with both changed is another word.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from oa_spec.gateway.faq.data import data_lines


@lru_cache(maxsize=1)
def alikes() -> dict[str, frozenset[str]]:
    """character -> the characters of similar shape it may be written for (every group it is in)."""
    found: dict[str, set[str]] = {}
    for line in data_lines("shapes.txt"):
        group = line.split()
        for character in group:
            found.setdefault(character, set()).update(c for c in group if c != character)
    return {character: frozenset(others) for character, others in found.items()}


class ShapeReader:
    """Knows the terms a shape-alike typo is corrected towards."""

    def __init__(self, terms: Iterable[str]) -> None:
        shapes = alikes()
        # every way of writing a term with one of its characters in a shape-alike: 手杌银行 -> 手机银行; the
        # first term (longest first, then in order) keeps a written form two terms share
        self._typos: dict[str, str] = {}
        for term in sorted(set(terms), key=lambda w: (-len(w), w)):
            for position, character in enumerate(term):
                for other in sorted(shapes.get(character, ())):
                    self._typos.setdefault(term[:position] + other + term[position + 1:], term)

    def term_of(self, piece: str) -> str | None:
        """The term the piece is a shape-alike typo of, if any."""
        return self._typos.get(piece)
