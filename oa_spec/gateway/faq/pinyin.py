"""Pinyin: typed pinyin read back into words, and the sound of a word for homophone typos.

Customers type pinyin with or without spaces (`guashi`, `gua shi`), with tone marks or numbers (`guà shī`,
`gua4 shi1`), ü as u or v. Keys here are toneless, `v`/`ü` written `u`, so 绿 and 路 share a key: a
pinyin typist does not tell them apart either. Southern speakers merge the retroflex initials into the flat ones
(`cheping` for ceping 测评, `zifubao` for zhifubao 支付宝): a run that spells no word as typed is read as a word
of two syllables or more that it spells with zh/ch/sh and z/c/s not told apart, at a higher cost than an exact word.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from oa_spec.gateway.faq.data import syllables
from oa_spec.gateway.faq.lattice import reached, read_back, relax

SKIP_COST = 3  # a syllable that spells no known word (of, 的...) costs more than a word
MERGED_COST = 2.5  # a word read with zh/ch/sh and z/c/s merged: more than two exact words, less than a skip
# a syllable read alone as a content word (jie: 借) is the weaker reading when another splits the same letters into
# as many words (jiedong le: 解冻 了, not 借 冻了): jie is as often half of a word; an everyday word (了, 不) is not
LONE_SYLLABLE_COST = 0.01


def merged(letters: str) -> tuple[str, list[int]]:
    """The letters with zh/ch/sh written z/c/s (no syllable ends in z, c or s, so an h after one is always the
    retroflex's), and where each position of the letters lands in the result."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(letters):
        where.append(len(out))
        if not (char == "h" and i and letters[i - 1] in "zcs"):
            out.append(char)
    where.append(len(out))
    return "".join(out), where


@lru_cache(maxsize=65536)
def syllables_of(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(s.replace("v", "u") for s in lazy_pinyin(word, style=Style.NORMAL, v_to_u=False, errors="ignore"))


def pinyin_key(word: str) -> str:
    return "".join(syllables_of(word))


MAX_READINGS = 16
COMMON_READINGS = 2  # pypinyin lists a character's readings commonest first; a third (还 fu) is archaic


@lru_cache(maxsize=65536)
def _char_readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, v_to_u=False, errors="ignore")
    return tuple(dict.fromkeys(r.replace("v", "u") for r in (found[0] if found else ()) if r))


def sound(text: str) -> str:
    """The usual reading of each character in turn: cheaper than `pinyin_key` (a cache per character, not
    per string) for the many pieces a homophone check looks at; the terms it is compared with are indexed
    under every reading (`readings`), so a polyphone still meets its term."""
    return "".join(syllables_said(text))


def syllables_said(text: str) -> tuple[str, ...]:
    """The usual reading of each character in turn, one syllable each (`sound` joined)."""
    return tuple(next(iter(_char_readings(char)), "") for char in text)


def readings(word: str) -> list[tuple[str, ...]]:
    """Every way the word can be read, the usual one first (pypinyin reads 还款 as hai kuan): polyphonic
    characters (还 hai/huan, 重 zhong/chong) give several, at most MAX_READINGS."""
    combos: list[tuple[str, ...]] = [()]
    for char in word:
        combos = [(*combo, r) for combo in combos for r in _char_readings(char)[:COMMON_READINGS]][:MAX_READINGS]
    return [r for r in dict.fromkeys([syllables_of(word), *combos]) if len(r) == len(word)]


def sounds_as_read(piece: str, term: str, everyday: frozenset[str]) -> bool:
    """A character of the piece that differs from the term's is a typo for it when it has the term's reading of
    it in its own phrase (会款 for 汇款), or when it is no everyday word of its own: a typist who writes 要 or 问
    meant it, and only met a rare reading of the term's character (先要 is not 先约, read xian yue: 约 yao is
    weighing; 可以问 is not 可以免, 免 wen is archaic). pypinyin's phrase readings are not always right (还款
    reads hai kuan), so a character that is no everyday word may still read the term another way (环款)."""
    reading = syllables_of(term)
    if len(piece) != len(term) or len(reading) != len(term):
        return True
    return all(typed == meant or typed not in everyday or said in _char_readings(typed)
               for typed, meant, said in zip(piece, term, reading, strict=True))


class PinyinReader:
    """Reads letters typed as pinyin into the words of a vocabulary (earlier words win a shared sound)."""

    def __init__(self, words: Iterable[str], everyday: frozenset[str] = frozenset()) -> None:
        self._everyday = everyday
        self._index: dict[str, tuple[str, frozenset[int]]] = {}
        self._merged: dict[str, tuple[str, frozenset[int]]] = {}
        self._syllables = syllables()
        for word in words:
            # only standard syllables: 嗯 read ng would let ling split into li (里) + ng (嗯)
            for parts in (r for r in readings(word) if set(r) <= self._syllables):
                cuts, position = set(), 0
                for part in parts[:-1]:
                    position += len(part)
                    cuts.add(position)
                self._index.setdefault("".join(parts), (word, frozenset(cuts)))
                if len(parts) >= 2:
                    key, where = merged("".join(parts))
                    self._merged.setdefault(key, (word, frozenset(where[c] for c in cuts)))
        self._longest = max((len(key) for key in self._index), default=0)

    def read(self, tokens: list[str]) -> str | None:
        """The words spelt by tokens (pinyin typed with spaces between some syllables), or None when the
        letters are not pinyin. A space is a syllable boundary a word must respect."""
        letters = "".join(tokens)
        space = [False] * (len(letters) + 1)
        position = 0
        for token in tokens[:-1]:
            position += len(token)
            space[position] = True
        size = len(letters)
        best, positions = reached(size)  # a skipped syllable's word is ""
        for start, here in positions:
            for end in range(start + 1, min(size, start + max(self._longest, 6)) + 1):
                piece = letters[start:end]
                inner = {k - start for k in range(start + 1, end) if space[k]}
                found = self._index.get(piece)
                if found is not None and inner <= found[1]:
                    lone = len(found[0]) == 1 and found[0] not in self._everyday
                    relax(best, end, (here[0] + 1.0 + LONE_SYLLABLE_COST * lone, start, found[0]))
                    continue
                if piece in self._syllables and not inner:
                    relax(best, end, (here[0] + SKIP_COST, start, ""))
                key, where = merged(piece)
                near = self._merged.get(key)
                if near is not None and {where[k] for k in inner} <= near[1]:
                    relax(best, end, (here[0] + MERGED_COST, start, near[0]))
        if best[size] is None:
            return None
        return read_back(best, size)


def is_pinyin(token: str) -> bool:
    """True when the token splits into pinyin syllables (so `ok`, `atm`, `app` are not pinyin)."""
    return _splits(token, syllables())


def _splits(token: str, inventory: frozenset[str]) -> bool:
    reachable = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        starts = range(max(0, end - 6), end)
        reachable[end] = any(reachable[start] and token[start:end] in inventory for start in starts)
    return reachable[-1]
