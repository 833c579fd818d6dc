"""What a reader reads straight through inside a Chinese word, so the text rules read through it too
(compliance.md §0; attack reviews 63 and 64):
- spaces, separators, bullets and asterisks between Chinese characters (保 本·保 息 reads 保本保息; 某某*银行, 验* 证*
  码): nothing but a decoration stands there;
- a word spaced out one character at a time by any signs, emoji and clause punctuation included (验、证、码, 验~证.码,
  验😀证🙂码): a list has words between its commas (身份证、银行卡), so a lone comma between words stays a comma;
- combining marks drawn on a character (验〪证码, 验〮证码).
A sentence's end, a quotation mark and a bracket are never read through (“存款”和“理财” quotes two words). Each kept
character keeps the offset of the character it came from, so a finding still points at the text as written."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

from oa_spec.policy.patterns import Pattern
from oa_spec.util import unseen

_HAN = "\u3400-\u9fff\uf900-\ufaff"  # hanzi.is_cjk's characters
# A run of anything but letters, digits and line breaks between two Chinese characters (marks are gone by now);
# a longer one is no word's inside.
_BETWEEN = Pattern(rf"(?<=[{_HAN}])[^\w\n]{{1,16}}(?=[{_HAN}])")
# What stands between the characters of a word as decoration only: spaces, separators, bullets, asterisks,
# word-internal hyphens. Not what says something: + = ≠ (姓名+身份证号, 理财≠存款), @ and # (a name, a topic), a dash
# (——, a clause's break), a tilde (好的～ softens a sentence's end), emoji and other symbols (❗ and 👇 end a
# phrase): those only space a word out one character at a time.
_DECORATION = frozenset(" \t·・-_|/•‧∙⋅*∗⁎﹡^`\u2010\u2011")
_NEVER_READ_THROUGH = frozenset("。！？!?…\"'")  # nor, in a spaced-out word, a sentence's end or a quotation mark
_QUOTES_AND_BRACKETS = ("Ps", "Pe", "Pi", "Pf")


def read_through(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    """`chars` (one character each) joined without what a reader reads through, and the kept characters' offsets."""
    joined = "".join(chars)
    runs = [(run.start(), run.end()) for run in _BETWEEN.finditer(joined)]
    dropped = {at for start, end in runs if _decoration(joined[start:end]) for at in range(start, end)}
    dropped |= _spaced_out(joined, runs)
    if not dropped:
        return joined, offsets
    kept = [at for at in range(len(joined)) if at not in dropped]
    return "".join(joined[at] for at in kept), [offsets[at] for at in kept]


def without_marks(chars: str) -> bool:
    """Whether `chars` hold no combining mark (then `is_mark` need not be asked of each)."""
    return _marks().search(chars) is None


def is_mark(char: str) -> bool:
    return _marks().match(char) is not None


@cache
def _marks() -> re.Pattern[str]:
    return re.compile(f"[{unseen.marks()}]")


def _decoration(run: str) -> bool:
    return all(ch in _DECORATION or unicodedata.category(ch) == "Cf" for ch in run)


def _spaced_out(joined: str, runs: list[tuple[int, int]]) -> set[int]:
    """The signs of each chain of two or more runs one Chinese character apart (验、证、码): each run one sign or a few,
    with spaces, none a sentence's end, a quotation mark or a bracket."""
    signs = [(start, end) for start, end in runs if _a_sign(joined[start:end])]
    dropped: set[int] = set()
    for (start, end), (after, after_end) in itertools.pairwise(signs):
        if after == end + 1:  # one character between: both runs space out the same word
            dropped.update(range(start, end), range(after, after_end))
    return dropped


def _a_sign(run: str) -> bool:
    signs = run.strip()
    return 0 < len(signs) <= 3 and not any(
        ch in _NEVER_READ_THROUGH or unicodedata.category(ch) in _QUOTES_AND_BRACKETS for ch in signs)
