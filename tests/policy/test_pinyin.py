"""Pinyin typed into Chinese (cun款, zhuan家) is read back by the word it makes with the Chinese beside it;
letters that make no word stay as typed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from oa_spec.policy import pinyin
from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text
from oa_spec.policy.pinyin import _TABLE, MAX_PHRASE_WORDS, MAX_SYLLABLES, read_back, syllable_table, table_text
from oa_spec.policy.text import normalise


@pytest.mark.parametrize(("typed", "read"), [
    ("cun款型理财上新", "存款型理财上新"),
    ("zhuan家都在买", "专家都在买"),  # the same letters as 稳zhuan's, another character
    ("稳zhuan不赔", "稳赚不赔"),
    ("理财bao本", "理财保本"),  # not 财宝: a word of the rules wins over a commoner one
    ("baoben理财", "保本理财"),  # two syllables in one run
    ("分期fei率低至0.55%", "分期费率低至0.55%"),
    ("请报一下登录mi码", "请报一下登录密码"),
    ("分xiang给好友", "分享给好友"),
    ("回复yzm即可领取", "回复验证码即可领取"),  # initials
    ("请发yanzhengma", "请发验证码"),  # a word of the rules, though its spelling is far down the product (432)
    ("请把收到的 yanzhengma 发给客服", "请把收到的 验证码 发给客服"),  # a space away from the Chinese
    ("xiaoyuan 专属额度", "校园 专属额度"),
])
def test_pinyin_touching_chinese_is_read_as_the_word_it_makes(typed: str, read: str) -> None:
    assert normalise(typed).norm == read


@pytest.mark.parametrize(("typed", "read"), [
    ("qing hui fu nin shou dao de yan zheng ma", "请回复您收到的验证码"),  # spaced pinyin, no Chinese at all
    ("qing fa song mi ma he ka hao gei ke fu", "qing 发送密码 he 卡号 gei 客服"),  # what spells none stays
    ("Dear客户，请reply您的card number和CVV", "dear客户,请回复您的卡号和cvv"),  # English the vocabulary knows
    ("Xuesheng zhuanxiang jiekuan!", "学生专享借款!"),  # spaced words each spelling a word of the rules
])
def test_spaced_words_are_read_by_the_words_they_spell(typed: str, read: str) -> None:
    assert normalise(typed).norm == read


@pytest.mark.parametrize("typed", ["app store 下载", "please call me", "hello world", "wifi 密码",
                                   "qing " * (MAX_PHRASE_WORDS + 1)])
def test_spaced_words_that_spell_nothing_stay_as_typed(typed: str) -> None:
    assert normalise(typed).norm == typed


@pytest.mark.parametrize("typed", ["app下载", "pin码输错三次", "vip专享", "wifi密码", "logo设计", "mini版",
                                   "ai客服", "u盾", "a股", "hello你好", "ok好的"])
def test_letters_that_make_no_word_stay_as_typed(typed: str) -> None:
    assert normalise(typed).norm == typed


def test_a_read_back_word_points_at_the_letters() -> None:
    typed = "装修cun款送li"
    text = normalise(typed)
    start = text.norm.index("送礼")
    assert typed[text.offsets[start]:] == "送li"


@pytest.mark.parametrize(("text", "rule"), [
    ("cun款满5万送li，扫码预约", "deposit.no-improper-inducement"),
    ("dxs借款无需父母同意，马上到账", "loan.student-targeting"),
    ("guan注后回复“抽奖”即可参与抽奖", "platform.induced-follow"),
    ("请把手机收到的dong态码发给客服，为您解冻账户", "pii.no-credential-solicitation"),
    ("qing fa song mi ma he ka hao gei ke fu, xie xie nin de pei he.", "pii.no-credential-solicitation"),
])
def test_a_rule_reads_the_spelled_word(text: str, rule: str) -> None:
    assert rule in fired(cn_bank_text.RULES, text)


def test_the_shipped_table_is_built_from_the_rules_current_words() -> None:
    """A word added to the rules is read back only once the table is rebuilt: a stale table fails here."""
    shipped = (Path(pinyin.__file__).parent / _TABLE).read_text(encoding="utf-8")
    assert shipped == table_text(), "run: python -m oa_spec.policy.pinyin"


def test_every_syllable_stands_for_characters() -> None:
    table = syllable_table()
    assert "存" in table["cun"] and "赚" in table["zhuan"] and "专" in table["zhuan"]
    assert all(chars and syllable.isascii() and syllable.isalpha() for syllable, chars in table.items())


def test_a_long_run_of_letters_is_not_read() -> None:
    assert read_back("a" * (MAX_SYLLABLES * 6 + 1), "理财", "") is None
    hostile = "理财" + "a" * 200_000 + "本"
    started = time.process_time()
    normalise(hostile)
    assert time.process_time() - started < 2


def test_english_words_are_passed_over_without_building_the_rules_words() -> None:
    # the table of every run of the rules' words costs ~15 ms: a rule term in English (apply now) or letters
    # that are no syllables must not build it, or every `validate` pays for it
    pinyin._rule_words.cache_clear()
    assert read_back("apply now", "", "") is None and read_back("qq", "加", "") is None
    assert pinyin._rule_words.cache_info().currsize == 0
    assert read_back("yan zheng ma", "", "") == "验证码"
    assert pinyin._rule_words.cache_info().currsize == 1
