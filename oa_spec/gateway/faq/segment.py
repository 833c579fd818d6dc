"""The one place jieba is loaded (the policy package may share it later): a tokenizer with the banking
dictionary, built once per process. jieba's own dictionary ships inside its package: nothing is downloaded."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from importlib import resources
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    import jieba

    with _lock:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        instance = jieba.Tokenizer()
        instance.initialize()
        with resources.as_file(resources.files("oa_spec.gateway.faq") / "data" / "bank_dict.txt") as path:
            instance.load_userdict(str(path))
        return instance


def cut(text: str) -> list[str]:
    return [str(word) for word in tokenizer().cut(text, HMM=False)]


COMMON_WORD_FREQ = 20  # jieba lists typo-like rarities (冻洁, 订期: 3); a real everyday word is far above


def is_dictionary_word(word: str) -> bool:
    return int(tokenizer().FREQ.get(word) or 0) >= COMMON_WORD_FREQ
