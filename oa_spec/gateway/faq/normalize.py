"""Bring a customer's message closer to the FAQ's words before ranking.

Steps, each kept as data in `data/` so a bank can extend it without code: full-width to half-width and
lower case; traditional to simplified script (`t2s.tsv`); pinyin typed without tones turned back into the
vocabulary word it spells; everyday words mapped to the bank's term (`lexicon.tsv`); homophone typos
(挂史 for 挂失) replaced by the vocabulary word with the same pinyin when the typed word is not a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from oa_spec.gateway.faq.segment import is_dictionary_word

_ASCII_RUN = re.compile(r"[a-z]+(?:\s+[a-z]+)*")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _data_lines(name: str) -> list[str]:
    text = (resources.files("oa_spec.gateway.faq") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    return {ord(t): s for t, s in (line.split("\t") for line in _data_lines("t2s.tsv"))}


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, str], ...]:
    """(variant, canonical), longest variant first so a longer phrase wins over its part."""
    pairs: list[tuple[str, str]] = []
    for line in _data_lines("lexicon.tsv"):
        canonical, variants = line.split("\t")
        pairs.extend((variant.strip(), canonical) for variant in variants.split(",") if variant.strip())
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def pinyin_key(word: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False, errors="ignore"))


def basic(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(t2s_table())


@lru_cache(maxsize=1)
def _lexicon_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pass, longest term first at each position, canonical terms mapping to themselves: a variant
    inside a longer known term (短信 in 短信通知, 银行 in 手机银行) is left alone."""
    mapping = {variant: canonical for variant, canonical in lexicon()}
    mapping.update({canonical: canonical for _, canonical in lexicon()})
    mapping.update({word: word for word in bank_words()})
    alternatives = sorted(mapping, key=lambda term: (-len(term), term))
    return re.compile("|".join(re.escape(term) for term in alternatives)), mapping


@lru_cache(maxsize=1)
def bank_words() -> frozenset[str]:
    return frozenset(line.split()[0] for line in _data_lines("bank_dict.txt"))


def apply_lexicon(text: str) -> str:
    pattern, mapping = _lexicon_pattern()
    return pattern.sub(lambda m: f" {mapping[m.group(0)]} ", text)


class Normalizer:
    """Knows the vocabulary (the FAQ's words and the lexicon's terms) so pinyin and homophones map to it."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        # Typed pinyin may spell any word of the FAQ; a homophone typo is only corrected towards a banking
        # term (bank_dict.txt, the lexicon), never towards an everyday word (上办 must not become 上班).
        terms = set(bank_words()) | {t for pair in lexicon() for t in pair if len(t) >= 2}
        terms = {t for t in terms if _CJK_RUN.fullmatch(t)}
        words = {w for w in vocabulary if len(w) >= 2 and _CJK_RUN.fullmatch(w)} | terms
        self._by_pinyin = self._index(words)
        self._homophones = self._index(terms)
        self._words = words

    @staticmethod
    def _index(words: Iterable[str]) -> dict[str, str]:
        index: dict[str, str] = {}
        for word in sorted(words, key=lambda w: (-len(w), w)):
            index.setdefault(pinyin_key(word), word)
        return index

    def __call__(self, text: str) -> str:
        text = basic(text)
        text = _ASCII_RUN.sub(lambda m: self._from_pinyin(m.group(0)), text)
        text = _CJK_RUN.sub(lambda m: self._fix_homophones(m.group(0)), text)
        return apply_lexicon(text)

    def _from_pinyin(self, run: str) -> str:
        """Greedy longest match of vocabulary pinyin over letters typed without tones (spaces ignored)."""
        letters, out, start = run.replace(" ", ""), [], 0
        while start < len(letters):
            for end in range(len(letters), start, -1):
                word = self._by_pinyin.get(letters[start:end])
                if word is not None:
                    out.append(word)
                    start = end
                    break
            else:
                return run  # not all pinyin of known words: leave it (atm, app, ok...)
        return " ".join(out)

    def _fix_homophones(self, run: str) -> str:
        """Left to right: a real word (longest first) is kept whole, so 公积金 never becomes 公基金; a
        non-word that sounds like a banking term and shares a character with it is corrected."""
        out: list[str] = []
        start = 0
        while start < len(run):
            pieces = [run[start:end] for end in range(min(len(run), start + 4), start + 1, -1)]
            chosen, width = self._choose(pieces)
            out.append(chosen or run[start])
            start += width or 1
        return "".join(out)

    def _choose(self, pieces: list[str]) -> tuple[str | None, int]:
        for piece in pieces:
            if piece in self._words or is_dictionary_word(piece):
                return piece, len(piece)
        for piece in pieces:
            word = self._homophones.get(pinyin_key(piece))
            if word is not None and set(word) & set(piece):  # one character right: a typo, not a pun
                return word, len(piece)
        return None, 0
