"""The one place jieba is loaded (the policy package may share it later): a tokenizer with the banking
dictionary and the lexicon's words, built once per process. jieba's own dictionary ships inside its package:
nothing is downloaded."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

from oa_spec.gateway.faq.data import segmenter_words

_lock = threading.Lock()

# jieba adds each added word's frequency to its total, and scores a cut against that total: without a fixed total,
# every word the lexicon gains would shift how unrelated text is cut (seven nonsense variants, found in no message,
# changed a cut that decided a question). The total is the one the dictionary reached when this was fixed.
SEGMENTER_TOTAL = 140_911_967


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    import jieba

    with _lock:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        instance = jieba.Tokenizer()
        instance.initialize()
        for word, frequency in segmenter_words():
            instance.add_word(word, frequency)
        instance.total = SEGMENTER_TOTAL
        return instance


def cut(text: str) -> list[str]:
    return [str(word) for word in tokenizer().cut(text, HMM=False)]


COMMON_WORD_FREQ = 20  # jieba lists typo-like rarities (冻洁, 订期: 3); a real everyday word is far above


def is_dictionary_word(word: str) -> bool:
    return int(tokenizer().FREQ.get(word) or 0) >= COMMON_WORD_FREQ


def frequency(word: str) -> int:
    return int(tokenizer().FREQ.get(word) or 0)
