"""Pinyin typed into Chinese to slip past a filter (cun款, 分xiang给好友, 理财bao本), read back as characters.

A run of Latin letters touching a Chinese character is read as pinyin when it splits into syllables of
data/pinyin.tsv: each syllable with the characters, of the words the rules look for, that it may stand
for. Of those, the characters kept are the ones that make the likeliest word with the Chinese beside
them, by the segmenter's dictionary (zhuan家 reads 专家, 稳zhuan 稳赚); letters that make no word with it
(app, pin码, vip) stay as typed. Initials (zf, gz, yzm) are words of their own: vocabulary.PINYIN_DODGES.
Words spaced apart (qing fa song yan zheng ma, card number) are read where they spell the rules' words in
pinyin, or are English the vocabulary knows (vocabulary.ENGLISH_WORDS), Chinese beside them or not.

Rebuild the table after adding words to claims.yaml, vocabulary.py or finance_words.txt (needs pypinyin):
    python -m oa_spec.policy.pinyin
"""

from __future__ import annotations

import itertools
from functools import cache
from importlib import resources
from pathlib import Path

from oa_spec.policy.segment import load_compact
from oa_spec.policy.vocabulary import ENGLISH_WORDS, PINYIN_DODGES
from oa_spec.util import precompiled
from oa_spec.util.hanzi import is_cjk

_CJK_RUN = precompiled.compile(r"[\u4e00-\u9fff]{2,}")
_TABLE = "data/pinyin.tsv"
_CLAIMS = "data/claims.yaml"
_FINANCE = "data/finance_words.txt"
MAX_SYLLABLES = 4  # bao ben bao xi: longer runs are English or a link, not a dodge
MAX_READINGS = 64  # candidate spellings tried for one run
_LONGEST = 6  # zhuang, chuang: the longest syllable
MAX_PHRASE_WORDS = 200  # a longer spaced run is prose or an attack, not a message typed in pinyin
CONTEXT = 3  # Chinese characters on each side a word may take in


@cache
def syllable_table() -> dict[str, str]:
    """Syllable -> the characters it may stand for."""
    text = resources.files("oa_spec.policy").joinpath(_TABLE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {syllable: chars for syllable, chars in rows}


@cache
def _dictionary() -> dict[str, int]:
    return load_compact()[0]


@cache
def _rule_words() -> frozenset[str]:
    """Every run of two to four characters in the rules' claims and the finance dictionary: a spelling
    that makes one of these (bao本 保本) wins over a commoner everyday word (财宝 of 理财bao)."""
    package = resources.files("oa_spec.policy")
    runs = _CJK_RUN.findall(package.joinpath(_CLAIMS).read_text(encoding="utf-8")
                            + package.joinpath(_FINANCE).read_text(encoding="utf-8"))
    return frozenset(run[i:i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1))


def _split(letters: str) -> list[str] | None:
    """The letters as syllables of the table, fewest first (xian before xi an); None if they are not."""
    table = syllable_table()
    if len(letters) > MAX_SYLLABLES * _LONGEST:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - _LONGEST), end):
            head = best[start]
            if head is not None and letters[start:end] in table and (
                    best[end] is None or len(head) + 1 < len(best[end] or ())):
                best[end] = [*head, letters[start:end]]
    return best[-1]


def _likelihood(left: str, spelled: str, right: str) -> tuple[bool, int]:
    """Whether the spelling makes one of the rules' words, then the frequency of the commonest word it
    makes: a word of two or more characters that takes in every spelled character (and one beside it
    when one character is spelled)."""
    words, rule_words = _dictionary(), _rule_words()
    found: tuple[bool, int] = (False, 0)
    for before in range(len(left) + 1):
        for after in range(len(right) + 1):
            word = left[len(left) - before:] + spelled + right[:after]
            if len(word) >= 2 and (before or after or len(spelled) >= 2):
                found = max(found, (word in rule_words, words.get(word, 0)))
    return found


def read_back(letters: str, left: str, right: str) -> str | None:
    """What a run of letters between two runs of Chinese stands for: a word touching either (the other
    may be empty), or words spaced apart (qing fa song yan zheng ma, card number) anywhere."""
    if " " in letters:
        words = letters.split(" ")
        return _read_phrase(words) if len(words) <= MAX_PHRASE_WORDS else None
    if not (left or right):
        return None
    if letters in PINYIN_DODGES or letters in ENGLISH_WORDS:
        return PINYIN_DODGES.get(letters) or ENGLISH_WORDS[letters]
    syllables = _split(letters)
    if not syllables or len(syllables) > MAX_SYLLABLES:
        return None
    whole = _rule_word(syllables)  # however far down the product of the readings its spelling sits
    if whole is not None:
        return whole
    table = syllable_table()
    spellings = itertools.islice(itertools.product(*(table[s] for s in syllables)), MAX_READINGS)
    scored = [(_likelihood(left[-CONTEXT:], "".join(chars), right[:CONTEXT]), "".join(chars)) for chars in spellings]
    (rule_word, frequency), spelled = max(scored, key=lambda pair: pair[0])
    return spelled if rule_word or frequency else None


def _read_phrase(tokens: list[str]) -> str | None:
    """Spaced words: English the vocabulary knows (card number), and runs of pinyin syllables that spell
    the rules' words (yan zheng ma), or words that do each (xuesheng zhuanxiang); what spells none stays as typed."""
    pieces: list[str] = []
    at, changed = 0, False
    while at < len(tokens):
        word, width = _english_at(tokens, at) or _spelled_at(tokens, at) or _word_of(tokens[at]) or (tokens[at], 1)
        changed = changed or width > 1 or word != tokens[at]
        pieces.append(word)
        at += width
    if not changed:
        return None
    out = [pieces[0]]
    for before, piece in itertools.pairwise(pieces):  # Chinese joins Chinese; a space stays beside letters
        out.append(piece if is_cjk(before[-1]) and is_cjk(piece[0]) else " " + piece)
    return "".join(out)


def _english_at(tokens: list[str], at: int) -> tuple[str, int] | None:
    for width in (2, 1):
        phrase = " ".join(tokens[at:at + width])
        if len(tokens) >= at + width and phrase in ENGLISH_WORDS:
            return ENGLISH_WORDS[phrase], width
    return None


def _word_of(token: str) -> tuple[str, int] | None:
    """One spaced word whose syllables spell a word of the rules (xuesheng, yanzhengma)."""
    syllables = _split(token) if token not in ENGLISH_WORDS else None
    whole = _rule_word(syllables) if syllables else None
    return (whole, 1) if whole is not None else None


def _rule_word(syllables: list[str]) -> str | None:
    """The word of the rules that all the syllables spell together, if any."""
    found = _spelled_at(syllables, 0)
    return found[0] if found is not None and found[1] == len(syllables) else None


def _spelled_at(tokens: list[str], at: int) -> tuple[str, int] | None:
    """The longest run of two to four syllables from `at` that spells a word of the rules."""
    table = syllable_table()
    for width in range(min(MAX_SYLLABLES, len(tokens) - at), 1, -1):
        syllables = tokens[at:at + width]
        if not all(s in table for s in syllables):  # English (apply now): the rules' words are not built
            continue
        spelled = [w for w in _spellings(syllables, "") if w in _rule_words()]
        if spelled:
            return max(spelled, key=lambda w: _dictionary().get(w, 0)), width
    return None


def _spellings(syllables: list[str], head: str) -> list[str]:
    """Every spelling of the syllables whose every beginning begins a word of the rules."""
    if not syllables:
        return [head]
    prefixes = _rule_prefixes()
    return [word for char in syllable_table()[syllables[0]] if head + char in prefixes
            for word in _spellings(syllables[1:], head + char)]


@cache
def _rule_prefixes() -> frozenset[str]:
    return frozenset(word[:end] for word in _rule_words() for end in range(1, len(word) + 1))


def build(sources: list[str]) -> dict[str, str]:
    """The table: every character of the sources under each of its two commonest readings, ü as v and u."""
    from pypinyin import Style, pinyin

    table: dict[str, list[str]] = {}
    for char in sorted({char for char in "".join(sources) if is_cjk(char)}):
        for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0][:2]:
            for spelling in dict.fromkeys((reading, reading.replace("v", "u"))):
                table.setdefault(spelling, [])
                if char not in table[spelling]:
                    table[spelling].append(char)
    return {syllable: "".join(chars) for syllable, chars in sorted(table.items())}


def table_text() -> str:
    """The table file as `main` writes it from the rules' current words."""
    here = Path(__file__).parent
    sources = [(here / name).read_text(encoding="utf-8")
               for name in ("data/claims.yaml", "data/finance_words.txt", "vocabulary.py")]
    rows = [f"{syllable}\t{chars}" for syllable, chars in build(sources).items()]
    header = "# syllable\tthe characters of the rules' words it may stand for (python -m oa_spec.policy.pinyin)"
    return "\n".join([header, *rows]) + "\n"


def main() -> None:
    out, text = Path(__file__).parent / _TABLE, table_text()
    out.write_text(text, encoding="utf-8")
    print(f"{out}: {text.count(chr(10)) - 1} syllables")  # noqa: T201 (a maintainer's build command, run by hand)


if __name__ == "__main__":
    main()
