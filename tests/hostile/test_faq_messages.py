"""A customer's message to the FAQ ranker (`oaspec serve`): whatever a follower types, up to the gateway's 64 KB
body limit, is answered in bounded time and memory. An attack review sent 3,000 letters in one token (5 s and
4.9 GB: every substring was looked up) and 12,000 characters of spaced pinyin (22 s)."""

from __future__ import annotations

import random
import time

import pytest

from oa_spec.gateway.faq.pinyin import PinyinReader
from oa_spec.gateway.faq.ranker import FaqRanker
from testing.faq import load_faqs

BODY_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def ranker() -> FaqRanker:
    return FaqRanker(load_faqs())


def _letters(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(size))


@pytest.mark.parametrize("message", [
    _letters(BODY_LIMIT),  # one token of letters that spell nothing
    ("yinhangka diule zenme guashi " * 3000)[:BODY_LIMIT],  # spaced pinyin
    ("yinhangkadiule" * 5000)[:BODY_LIMIT - 1] + "k",  # unspaced pinyin whose tail is no syllable
    "银行卡丢了怎么挂失" * 7000,
    ("卡丢了怎么挂失？另外" * 7000)[:BODY_LIMIT],  # a turn to another question thousands of times (parts.py)
], ids=["letters", "spaced-pinyin", "unspaced-pinyin", "chinese", "turns"])
def test_any_message_is_ranked_in_bounded_time(ranker: FaqRanker, message: str) -> None:
    started = time.process_time()
    ranker.lookup(message)
    assert time.process_time() - started < 2  # a hang bound, not a speed target (they took 5 to 500 s)


def test_a_long_token_is_searched_only_for_terms_as_long_as_a_term(ranker: FaqRanker) -> None:
    # parts() looked at every substring: 4.5 million for 3,000 letters; now at most the longest term's length each
    started = time.process_time()
    assert ranker.normalize.parts("x" * 3000 + "贷款利率") == ["利率", "贷款", "贷款利率"]
    assert time.process_time() - started < 1


def test_pinyin_is_read_in_time_linear_in_its_length() -> None:
    # the reader looked at every space of the message for each piece and copied the words so far at each step
    reader = PinyinReader(["银行卡", "丢了", "怎么", "挂失"])
    spaced = ["yinhangka", "diule", "zenme", "guashi"] * 2000
    started = time.process_time()
    assert reader.read(spaced) == "银行卡丢了怎么挂失" * 2000
    assert time.process_time() - started < 2


def test_the_question_at_the_end_of_a_long_story_is_still_read(ranker: FaqRanker) -> None:
    story = "我跟你们说一下事情的经过，" * 100 + "银行卡丢了怎么挂失"
    assert ranker.lookup(story).entry_id == "card-loss"
