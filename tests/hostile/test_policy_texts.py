"""Texts that repeat what the rules look for, with no punctuation to end a clause or sentence: every text rule
reads them in time proportional to their length, because a match looks at its own clause and sentence
(policy/text.py LOOK_AROUND), never back to the start of the text nor across all of it. Before that bound,
5,000 characters of 关注即送 took 41 s in one rule and 20,000 of 最好 38 s in another; an article body may
hold 20,000."""

from __future__ import annotations

import time

import pytest

from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text
from oa_spec.policy.text import normalise

LENGTH = 5_000
REPEATED = ["最好", "保险利息本金存入", "理财保本保息稳赚不赔", "分享好友领红包", "关注即送", "关注不送",
            "理财、基金、", "投资于理财模拟"]  # a list without its 等, a holding without a deposit
# For all of them together, every rule: a hang bound, not a speed target (minutes before). In-process bounds here and
# in the other hostile tests count this process's CPU seconds (time.process_time), not the wall clock: a machine busy
# with other work (4 test workers on 2 cores, a CI runner's neighbours) stretches the wall clock threefold, a hang not.
SECONDS = 30


@pytest.mark.long
def test_every_text_rule_reads_long_repetitive_texts_in_bounded_time() -> None:
    started = time.process_time()
    results = [fired(cn_bank_text.RULES, (word * (LENGTH // len(word)))[:LENGTH - 4] + "立即申请")
               for word in REPEATED]
    elapsed = time.process_time() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert "ad.absolute-terms" in results[0] and "insurance.not-deposit" in results[1]  # still read, not skipped
    assert "wealth.no-guaranteed-return" in results[2] and "platform.induced-sharing" in results[3]
    assert "platform.induced-follow" in results[4] and "platform.induced-follow" not in results[5]


@pytest.mark.long
def test_a_product_named_once_then_thousands_of_short_sentences_is_read_in_bounded_time() -> None:
    # Each deposit word of an insurance promotion once had the whole text read again to see whether its
    # sentence was the policy's: 5,000 characters of 存入。 after one 年金保险 took 79 s; and each likeness to a
    # deposit had the text read again without it (是存款， 20 s, 就是存款， 17 s).
    shapes = [("年金保险，立即投保。", "存入。"), ("年金保险，立即投保。", "每年存入本金利息。"),
              ("这款理财，立即购买。", "像存款。"), ("这款理财立即购买，", "就是存款，"),
              ("大额存单不是理财，立即购买，", "是存款，")]
    texts = [head + (sentence * LENGTH)[:LENGTH] for head, sentence in shapes]
    started = time.process_time()
    results = [fired(cn_bank_text.RULES, text) for text in texts]
    elapsed = time.process_time() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert "insurance.not-deposit" in results[0] and "insurance.not-deposit" in results[1]
    assert "wealth.not-deposit" in results[3]


def test_spaced_texts_are_read_in_linear_time() -> None:
    # Deciding whether each space sits inside a Chinese run once looked outward from every space: 200,000
    # characters of spaced letters took 31 s. Spaced pinyin (qing fa song…) is read back word by word.
    texts = ["理财 " + "a " * 100_000, "qing fa song yan zheng ma, " * 8_000]
    started = time.process_time()
    read = [normalise(text).norm for text in texts]
    elapsed = time.process_time() - started
    assert elapsed < SECONDS / 3, f"took {elapsed:.1f} s"
    assert read[0].startswith("理财 a a") and read[1].startswith("qing 发送验证码,")


def test_a_text_of_promises_and_fraud_warnings_in_turn_is_read_in_bounded_time() -> None:
    # A promise beside a warning of something else is the bank's (packs/framing.py): each claim once had every
    # sentence of the text read again for a warning marker, so 30,000 characters of them took 94 s.
    text = ("稳盈1号理财产品保本保收益。小心电信诈骗。" * 1_500)[:30_000]
    started = time.process_time()
    found = fired(cn_bank_text.RULES, text)
    elapsed = time.process_time() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert "wealth.no-guaranteed-return" in found
