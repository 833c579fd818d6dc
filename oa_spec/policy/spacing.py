"""What a reader reads straight through inside a Chinese word, so the text rules read through it too
(compliance.md §0; attack review 63): separators between Chinese characters (保 本·保 息 reads 保本保息), one
sign put between each character of a word (验*证*码, 验、证、码, 验~证~码), and combining marks drawn on a character
(验〪证码, 卡̣号). Each kept character keeps the offset of the character it came from, so a finding still points
at the text as written."""

from __future__ import annotations

import re
from functools import cache

from oa_spec.policy.patterns import Pattern
from oa_spec.util import unseen
from oa_spec.util.hanzi import is_cjk

# Not line breaks: a title, a heading and a paragraph are clauses of their own. The bullets (• ‧ ∙ ⋅) are · drawn
# another way.
_SEPARATOR_RUN = Pattern(r"[ \t\u3000·・\-_|/\u2022\u2027\u2219\u22c5]+")
_HAN = "\u3400-\u9fff\uf900-\ufaff"  # hanzi.is_cjk's characters
# A sign between two Chinese characters. Removed only where the same sign spaces out single characters, twice or
# more (验*证*码): a list has words between its signs (身份证、银行卡、验证码); a sentence's end, a quotation mark
# and a bracket are never read through (“存款”和“理财” quotes two words; quotes are " once normalised).
_SPACER = Pattern(rf"(?<=[{_HAN}])[^\w\s。！？!?…\"'()\[\]{{}}<>【】《》〈〉「」『』〔〕](?=[{_HAN}])")


def read_through(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    """`chars` (one character each) joined without what a reader reads through, and the kept characters' offsets."""
    joined = "".join(chars)
    dropped = _separators(joined) | _spacers(joined)
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


def _separators(joined: str) -> set[int]:
    """Each character of a separator run with Chinese on both sides."""
    out: set[int] = set()
    for run in _SEPARATOR_RUN.finditer(joined):
        start, end = run.span()
        if start > 0 and end < len(joined) and is_cjk(joined[start - 1]) and is_cjk(joined[end]):
            out.update(range(start, end))
    return out


def _spacers(joined: str) -> set[int]:
    """Each sign that spaces out single Chinese characters: the same sign two characters before or after it."""
    found = {sign.start() for sign in _SPACER.finditer(joined)}
    return {at for at in found
            if (at + 2 in found and joined[at + 2] == joined[at]) or (at - 2 in found and joined[at - 2] == joined[at])}
