"""Traditional to simplified Chinese, one character for one, so offsets into the original text stay valid
(穩賺不賠 reads as 稳赚不赔, 不影響 as 不影响). The table (`data/t2s.tsv`) is OpenCC's, with the Hong Kong and
Taiwan variant characters; the FAQ ranker and the compliance rules both read text through it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """For str.translate: each traditional character's code point -> its simplified character."""
    text = (resources.files("oa_spec.util") / "data" / "t2s.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {ord(traditional): simplified for traditional, simplified in rows}
