"""Chinese as the FAQ ranker and the compliance rules read it: traditional to simplified, one character for
one, so offsets into the original text stay valid (穩賺不賠 reads as 稳赚不赔, 不影響 as 不影响; the table,
`data/t2s.tsv`, is OpenCC's with the Hong Kong and Taiwan variant characters); and written Cantonese as
Mandarin (`data/cantonese.tsv`: 买咗就唔使惊蚀本 reads as 买了就不用怕亏本).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[tuple[str, str]]:
    text = (resources.files("oa_spec.util") / "data" / name).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return [(source, target) for source, target in rows]


def is_cjk(char: str) -> bool:
    """A Chinese character: the unified ideographs, extension A and the compatibility block."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """For str.translate: each traditional character's code point -> its simplified character."""
    return {ord(traditional): simplified for traditional, simplified in _rows("t2s.tsv")}


@lru_cache(maxsize=1)
def cantonese() -> dict[str, str]:
    """Written Cantonese phrase (simplified script) -> its Mandarin; data a bank may extend."""
    return dict(_rows("cantonese.tsv"))


@lru_cache(maxsize=1)
def cantonese_phrases() -> re.Pattern[str]:
    """Any phrase of `cantonese()`, matched literally, longest first."""
    return re.compile("|".join(map(re.escape, sorted(cantonese(), key=lambda w: (-len(w), w)))))


def as_mandarin(found: re.Match[str]) -> str:
    """The Mandarin of a match of `cantonese_phrases()`: `cantonese_phrases().sub(as_mandarin, text)`."""
    return cantonese()[found.group(0)]
