"""Jyutping: a question typed in Cantonese romanisation read back into characters.

Hong Kong and Guangdong customers who cannot type Chinese spell Cantonese in Jyutping, most with tone numbers
(`ngo5 zoeng1 kaat1 m4 gin3 zo2, dim2 joeng2 gwaa3 sat1`: 我张卡唔见咗，点样挂失). Such a run is read into the words
of a vocabulary (the FAQ's, the lexicon's, written Cantonese's) before written Cantonese is read as Mandarin, so
唔见咗 then reads 不见了 as if typed in characters. Each character's readings are data (`data/jyutping.tsv`).

A run is Jyutping, not pinyin, when every syllable of it is a Jyutping syllable and it says so: a tone 6 or a
syllable pinyin has not (joeng, kaat, gwaa, zyun), with a tone number typed; or, untoned, at least two syllables
pinyin has not and as many as the rest (ok la, an English word before a particle, is not Jyutping). Mandarin
pinyin (gua4 shi1, xinyongka) has syllables Jyutping has not (shi, xin, gua), so it is left to the pinyin reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from oa_spec.gateway.faq.data import data_lines, syllables
from oa_spec.gateway.faq.lattice import reached, read_back, relax

MAX_READINGS = 16  # readings of a word indexed (the product of its characters' readings, commonest first)
UNTONED_COST = 0.3  # a word met only without its tones: a typist's tone may be wrong, a toned match is better
CHAR_COST = 2.0  # a syllable read as a character of the vocabulary's words (出, 扣) that is no word of its own
SKIP_COST = 3.0  # a syllable that spells no known character is dropped: worse than any word
_SYLLABLE = re.compile(r"([a-z]+)([1-6]?)")


@lru_cache(maxsize=1)
def char_readings() -> dict[str, tuple[str, ...]]:
    """Character -> its Jyutping readings with tone numbers, the commonest first."""
    rows = (line.split("\t") for line in data_lines("jyutping.tsv"))
    return {char: tuple(readings.split()) for char, readings in rows}


@lru_cache(maxsize=1)
def jyutping_syllables() -> frozenset[str]:
    return frozenset(r.rstrip("123456") for readings in char_readings().values() for r in readings)


def _word_readings(word: str) -> list[tuple[str, ...]]:
    table = char_readings()
    combos: list[tuple[str, ...]] = [()]
    for char in word:
        combos = [(*combo, r) for combo in combos for r in table.get(char, ())][:MAX_READINGS]
    return [c for c in combos if len(c) == len(word)]


def syllables_typed(run: str) -> list[tuple[str, str]] | None:
    """The run's syllables as (letters, tone), or None when it is not typed in Jyutping."""
    found: list[tuple[str, str]] = []
    for token in re.split(r"[ '’-]+", run.strip()):
        pieces = _SYLLABLE.findall(token)
        if not pieces or "".join(a + b for a, b in pieces) != token:
            return None
        found.extend(pieces)
    inventory, pinyin = jyutping_syllables(), syllables()
    if not found or any(letters not in inventory for letters, _ in found):
        return None
    toned = sum(bool(tone) for _, tone in found)
    foreign = sum(letters not in pinyin for letters, _ in found)
    if toned:
        return found if foreign or any(tone == "6" for _, tone in found) else None
    return found if foreign >= 2 and 2 * foreign >= len(found) else None


class JyutpingReader:
    """Reads Jyutping syllables into the words of a vocabulary (earlier words win a shared sound)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._toned: dict[tuple[str, ...], str] = {}
        self._untoned: dict[tuple[str, ...], str] = {}
        used: Counter[str] = Counter()
        for word in words:
            used.update(word)
            for reading in _word_readings(word):
                self._toned.setdefault(reading, word)
                self._untoned.setdefault(tuple(r.rstrip("123456") for r in reading), word)
        self._longest = max((len(key) for key in self._toned), default=1)
        # a syllable no word spells: the character of that sound the vocabulary's words use most (ceot1: 出)
        self._chars: dict[str, str] = {}
        table = char_readings()
        for char, _ in used.most_common():
            for syllable in table.get(char, ()):
                self._chars.setdefault(syllable, char)
                self._chars.setdefault(syllable.rstrip("123456"), char)

    def read(self, said: list[tuple[str, str]]) -> str:
        """The words spelt by the syllables, fewest words first; a syllable that spells none is dropped."""
        size = len(said)
        best, positions = reached(size)
        for start, here in positions:
            letters, tone = said[start]
            char = self._chars.get(letters + tone)
            relax(best, start + 1, (here[0] + (SKIP_COST if char is None else CHAR_COST), start, char or ""))
            for end in range(start + 1, min(size, start + self._longest) + 1):
                piece = said[start:end]
                word = self._toned.get(tuple(a + b for a, b in piece)) if all(b for _, b in piece) else None
                cost = 1.0
                if word is None:
                    word, cost = self._untoned.get(tuple(a for a, _ in piece)), 1.0 + UNTONED_COST
                if word is not None:
                    relax(best, end, (here[0] + cost, start, word))
        return read_back(best, size)
