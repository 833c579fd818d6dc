"""Word segmentation for the text rules: jieba over a compact dictionary shipped in the package.

jieba's own start reads a 5 MB dictionary and builds a prefix dictionary of 600,000 entries (about a
second, 4.5 s on a busy machine) on every run. The package instead ships words.marshal.gz: the prefix
dictionary already built from jieba's common words (frequency >= 100, and every single character)
plus the finance user dictionary in data/finance_words.txt. Loading it takes a few tens of
milliseconds, and happens only when a text rule first asks for word boundaries, so `validate` on a
spec whose texts never need them does not pay even that. jieba itself is optional (the `nlp` extra):
without it, `words()` returns None and callers fall back to their word lists.

Rebuild after editing finance_words.txt (needs jieba installed):  python -m oa_spec.policy.segment
"""

from __future__ import annotations

import gzip
import marshal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

COMMON_WORD_MIN_FREQ = 100
_COMPACT = "data/words.marshal.gz"
_FINANCE = "data/finance_words.txt"


def finance_words() -> dict[str, int]:
    """The finance user dictionary: word -> frequency."""
    text = resources.files("oa_spec.policy").joinpath(_FINANCE).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, freq = line.split()
            out[word] = int(freq)
    return out


def load_compact() -> tuple[dict[str, int], int]:
    """The shipped prefix dictionary (word or word prefix -> frequency, 0 for a bare prefix) and its total."""
    raw = resources.files("oa_spec.policy").joinpath(_COMPACT).read_bytes()
    freq, total = marshal.loads(gzip.decompress(raw))
    return freq, total


@cache
def _tokenizer() -> Any:
    try:
        import jieba  # optional, and imported only when a rule needs words
    except ImportError:
        return None
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = load_compact()
    tokenizer.initialized = True  # skip jieba's own dictionary load
    return tokenizer


def words(text: str) -> list[tuple[int, int]] | None:
    """(start, end) of each word of `text`; None when jieba is not installed."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return None
    spans = []
    start = 0
    for word in tokenizer.cut(text, HMM=False):
        spans.append((start, start + len(word)))
        start += len(word)
    return spans


def build(jieba_dict: Path, out: Path) -> int:
    """Write the compact prefix dictionary; returns the number of words in it."""
    chosen: dict[str, int] = {}
    for line in jieba_dict.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split()
        if int(freq) >= COMMON_WORD_MIN_FREQ or len(word) == 1:
            chosen[word] = int(freq)
    chosen.update(finance_words())
    prefixes: dict[str, int] = {}
    for word in chosen:
        for end in range(1, len(word)):
            prefixes.setdefault(word[:end], 0)
    prefixes.update(chosen)
    out.write_bytes(gzip.compress(marshal.dumps((prefixes, sum(chosen.values()))), mtime=0))
    return len(chosen)


def main() -> None:
    import jieba

    out = Path(__file__).with_name("data") / "words.marshal.gz"
    count = build(Path(jieba.__file__).with_name("dict.txt"), out)
    print(f"{out}: {count} words, {out.stat().st_size} bytes")  # noqa: T201 (a maintainer's build command, run by hand)


if __name__ == "__main__":
    main()
