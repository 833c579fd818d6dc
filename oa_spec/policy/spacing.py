"""What a reader reads straight through inside a Chinese word, so the text rules read through it too
(compliance.md §0; attack reviews 63 to 66):
- spaces, separators, bullets and asterisks between Chinese characters (保 本·保 息 reads 保本保息; 某某*银行, 验* 证*
  码): nothing but a decoration stands there;
- a word spaced out one character at a time by any signs, emoji and clause punctuation included (验、证、码, 验~证.码,
  验😀证🙂码): a list has words between its commas (身份证、银行卡), so a lone comma between words stays a comma;
- combining marks drawn on a character (验〪证码, 验〮证码);
- and, read as well as the text, never instead of it (`gapped`, attack review 65): a gap of a few signs, emoji or
  letters drawn as a dot or a dash inside a word (密~码, 验😀证码, 验ㆍ证ㆍ码).
A sentence's end, a quotation mark, a bracket and a negator standing alone (会亏吗，不，保本保息) are never read
through, and a yes-no question answered by a negator between spaces (会亏吗 不 保本保息) reads as question and
answer. Each kept character keeps the offset of the character it came from, so a finding still points at the text
as written."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache

from oa_spec.policy.patterns import Pattern
from oa_spec.util import unseen
from oa_spec.util.hanzi import is_cjk

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
_NEGATORS = frozenset("不没无非未别勿莫否甭")
_YES_NO = "吗"  # 么, 嘛 and 呢 also mark a topic (理财产品么 不 保本: a denial; attack review 67)
# A gap in a word a reader reads straight through: a few signs (up to eight; an emoji's joiners, skin tones and
# selectors are part of it: 👨🏻‍👩🏻‍👧🏻‍👦🏻 is one) of anything but Chinese characters, ASCII letters and digits, line
# breaks, a clause's or sentence's punctuation (—— too), quotation marks and brackets, and the signs that say
# something (+ = ≠ < > # @ & % /), with a space on both sides or none.
# Letters drawn as a dot or a dash (ㆍ ー ˉ ـ ꞏ ᐧ ǀ), a lone tilde, dash or emoji (密~码, 密 ~ 码, 验😀证码, 某某—银行):
# every text rule reads the text across them too (`text.read_across`), which can only add findings, so a sign that
# may end a phrase (好的～) need not be told apart from one inside a word; an emoji with a space after it and none
# before (撤回了🙈 以后) ends one.
_NO_GAP = frozenset("\n。！？!?…，、,.;；:：\"'()[]{}<>【】《》〈〉「」『』〔〕+=≠#@&%‰/")
_DASHES = frozenset("—–―‒")  # two of them, ——, break a clause
_GAP_AT_MOST = 8
_EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f") | {chr(code) for code in range(0x1F3FB, 0x1F400)}
_GAP = Pattern(rf"(?<=[{_HAN}])[^{_HAN}a-z0-9\n]{{1,{4 * _GAP_AT_MOST}}}(?=[{_HAN}])")


# A letter or digit drawn in a circle, a box or brackets, or raised (Ⓐ ① 🄰 ⒜ ᵃ ¹), in a short run of signs between
# Chinese characters is a sign spacing the word out (验Ⓐ证Ⓐ码, 验Ⓐ*证Ⓐ*码, 保🄰本), not the letter NFKC makes of it,
# which no reading reads through (attack reviews 74 and 75, P1): it is read as SPACER, one more sign.
SPACER = "◦"
_RUN_AT_MOST = 6


def spaces_chinese(text: str, index: int) -> bool:
    """Whether text[index] is an enclosed or raised letter or digit in a run of at most six signs (nothing Chinese, no
    ASCII letter or digit, no line break) between Chinese characters."""
    if not _enclosed(text[index]):
        return False
    left, right = index, index + 1
    while left > 0 and index - left < _RUN_AT_MOST and _a_run_sign(text[left - 1]):
        left -= 1
    while right < len(text) and right - index < _RUN_AT_MOST and _a_run_sign(text[right]):
        right += 1
    return left > 0 and right < len(text) and is_cjk(text[left - 1]) and is_cjk(text[right])


def _a_run_sign(char: str) -> bool:
    return char != "\n" and not is_cjk(char) and not (char.isascii() and char.isalnum())


def _enclosed(char: str) -> bool:
    if char.isascii() or unicodedata.category(char) not in ("So", "No", "Lm"):
        return False
    plain = unicodedata.normalize("NFKC", char).strip("().")
    return plain.isascii() and plain.isalnum()


def read_through(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    """`chars` (one character each) joined without what a reader reads through, and the kept characters' offsets."""
    joined = "".join(chars)
    runs = [(run.start(), run.end()) for run in _BETWEEN.finditer(joined)]
    answered = _answers(joined, runs)
    dropped = {at for start, end in runs if _decoration(joined[start:end]) for at in range(start, end)}
    dropped |= _spaced_out(joined, runs)
    if not dropped and not answered:
        return joined, offsets
    kept = [at for at in range(len(joined)) if at not in dropped or at in answered]
    return "".join(answered.get(at, joined[at]) for at in kept), [offsets[at] for at in kept]


def _answers(joined: str, runs: list[tuple[int, int]]) -> dict[int, str]:
    """A question asked and answered by a negator standing alone between spaces or dots (会亏吗 不 保本保息): the
    first sign of each run read as the question mark and the comma it stands for, so the negator answers the
    question and is no negator of what follows (attack review 66: read through, it made 不保本保息, a denial)."""
    out: dict[int, str] = {}
    for (start, end), (after, after_end) in itertools.pairwise(runs):
        if (after == end + 1 and joined[end] in _NEGATORS and joined[start - 1] == _YES_NO
                and _decoration(joined[start:end]) and _decoration(joined[after:after_end])):
            out[start], out[after] = "?", ","
    return out


def without_marks(chars: str) -> bool:
    """Whether `chars` hold no combining mark (then `is_mark` need not be asked of each)."""
    return unseen.may_hold_a_mark().search(chars) is None or _marks().search(chars) is None


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
        # one character between: both runs space out the same word, unless it is a negator, a clause of its own
        # (会亏吗，不，保本保息: attack review 65) or one next to it
        if after == end + 1 and not _NEGATORS.intersection(joined[start - 1:after_end + 1]):
            dropped.update(range(start, end), range(after, after_end))
    return dropped


def _a_sign(run: str) -> bool:
    signs = run.strip()
    return 0 < len(signs) <= 3 and not any(
        ch in _NEVER_READ_THROUGH or unicodedata.category(ch) in _QUOTES_AND_BRACKETS for ch in signs)


def gapped(norm: str) -> tuple[str, tuple[int, ...]] | None:
    """`norm` without its gaps (`_GAP`), and where in `norm` each kept character is; None when it has none."""
    gaps = {at for gap in _GAP.finditer(norm) if _a_gap(gap.group()) for at in range(*gap.span())}
    if not gaps:
        return None
    kept = tuple(at for at in range(len(norm)) if at not in gaps)
    return "".join(norm[at] for at in kept), kept


def _a_gap(run: str) -> bool:
    signs = run.strip()
    spaced_evenly = run == signs or (run[0].isspace() and run[-1].isspace())
    drawn = sum(ch not in _EMOJI_PARTS for ch in signs)
    return (0 < drawn <= _GAP_AT_MOST and spaced_evenly and sum(ch in _DASHES for ch in signs) < 2
            and not any(ch.isspace() or ch in _NO_GAP or (ch.isascii() and ch.isalnum()) for ch in signs))
