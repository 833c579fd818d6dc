"""policy/spacing.py: the text rules read straight through what a reader reads through inside a word (attack
reviews 63 and 64): combining marks drawn on a character, decoration between characters, and signs spacing a word
out one character at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy.text import normalise
from tests.policy.helpers import reply_spec, run_yaml, text_rules_on

ASKS = "pii.no-credential-solicitation"
MARKS = ["\u302a", "\u0323", "\u0332", "\u0300", "\u0489", "\u20dd", "\ufe0f", "\U000e0100",
         "\u302e", "\u302f", "\U00016ff0"]  # Mc, spacing marks, too (attack review 64)
SIGNS = ["•", "‧", "∙", "⋅", "*", ".", "~", "+", "、", ",", "=", "♥", "＊", "～"]
# Review 64: two different signs, a sign with spaces, a doubled sign, two emoji, a look-alike pair.
SPACED = ["验*证~码", "验* 证* 码", "验 * 证 * 码", "验**证**码", "验😀证🙂码", "验、证⸲码", "验∗证∼码", "验,证.码"]


@pytest.mark.parametrize("mark", MARKS)
def test_a_combining_mark_inside_a_word_is_read_through_and_the_finding_points_at_the_text(mark: str) -> None:
    typed = f"欢迎您。如需办理，请回复短信验{mark}证码和卡{mark}号。"
    text = normalise(typed)
    assert "验证码和卡号" in text.norm
    start = text.norm.index("验证码")
    assert typed[text.offsets[start]:text.offsets[start + 3]] == f"验{mark}证码"
    assert ASKS in text_rules_on(typed)


@pytest.mark.parametrize("sign", SIGNS)
def test_one_sign_spacing_out_each_character_is_read_through(sign: str) -> None:
    typed = f"请回复短信验{sign}证{sign}码给客服"
    assert "验证码" in normalise(typed).norm
    assert ASKS in text_rules_on(typed)


@pytest.mark.parametrize("typed", SPACED)
def test_a_word_spaced_out_by_any_signs_is_read_through(typed: str) -> None:
    assert "验证码" in normalise(f"请回复{typed}给客服").norm
    assert ASKS in text_rules_on(f"请回复短信{typed}给客服")


@pytest.mark.parametrize(("typed", "read"), [
    ("请回复验证*码", "验证码"), ("请把密*码发给我", "密码"), ("某某*银行", "某某银行"), ("某*某银*行", "某某银行"),
])
def test_decoration_inside_a_word_is_read_through_anywhere(typed: str, read: str) -> None:
    assert read in normalise(typed).norm


@pytest.mark.parametrize(("typed", "kept"), [
    ("理财≠存款", "理财≠存款"),  # a sign that says something
    ("回复姓名+身份证号", "姓名+身份证号"),
    ("不存在的～早八前点一下", "的~早"),  # a tilde softening a sentence's end
    ("一点小心意——价值一百元", "意——价"),  # a dash breaking a clause
    ("关注我们👇点击菜单", "们👇点"),  # an emoji ending a phrase
    ("@小鱼儿：跟着买", "@小鱼儿"),
    ("请准备身份证、银行卡、户口本", "身份证、银行卡、户口本"),  # a list: words between its signs
    ("“存款”和“理财”是两个栏目", '"存款"和"理财"'),  # quotation marks, the same each time
    ("好。好。好", "好。好。好"),  # sentences
    ("存款+理财组合", "存款+理财"),  # one sign between words
    ("甲、乙两方", "甲、乙"),  # one sign, not a spacing-out
    ("《存》《贷》", "《存》《贷》"),  # brackets
])
def test_lists_quotes_sentences_and_a_lone_sign_are_not_read_through(typed: str, kept: str) -> None:
    assert kept in normalise(typed).norm


def test_a_spec_rule_reads_a_forbidden_term_spaced_out(tmp_path: Path) -> None:
    spec = reply_spec("开户请加•微•信联系客户经理。").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n      rules: [{id: bank.no-wechat, message: 不得引导加微信, "
                                 "basis: 本行规范, forbidden: [加微信]}]\n", 1)
    assert "bank.no-wechat" in spec
    run = run_yaml(tmp_path, spec)
    assert run.hits("bank.no-wechat")


# --- review 65: a negator standing alone, letters drawn as a dot or a dash, one sign inside a word -------------------
def test_a_negator_standing_alone_between_commas_is_not_read_into_the_next_clause() -> None:
    typed = "这款理财产品会亏吗，不，保本保息。理财非存款，产品有风险，投资须谨慎。"
    assert "wealth.no-guaranteed-return" in text_rules_on(typed)


@pytest.mark.parametrize("gap", ["\u318d", "\ua78f", "\u1427", "\u30fc", "\u02c9", "\u0640", "\u01c0"])
def test_letters_drawn_as_a_dot_or_a_dash_inside_a_word_are_read_across(gap: str) -> None:
    assert ASKS in text_rules_on(f"请回复短信验{gap}证{gap}码。")


@pytest.mark.parametrize("typed", ["请把密~码发给我们。", "请回复短信验证~码。", "请回复短信验😀证码。",
                                   "请把密—码发给我们。"])
def test_one_sign_inside_a_word_is_read_across(typed: str) -> None:
    assert ASKS in text_rules_on(typed)


def test_reading_across_gaps_only_adds_findings_and_keeps_phrase_ends() -> None:
    kept = "王姐，您把身份证照片发群里了，我先帮您撤回了🙈 以后身份证照片不要发给任何人。"
    assert ASKS not in text_rules_on(kept)  # an emoji and a space end a phrase
    dashed = "有人问“理财存款”是什么产品——我行没有这种产品。理财就是理财，存款就是存款。"
    assert "wealth.not-deposit" not in text_rules_on(dashed)  # —— breaks a clause


def test_a_spec_rule_reads_a_forbidden_term_across_a_gap(tmp_path: Path) -> None:
    spec = reply_spec("某某~银行的客户也欢迎。").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n      rules: [{id: bank.no-rivals, message: 不得点名同业, "
                                 "basis: 本行规范, forbidden: [某某银行]}]\n", 1)
    assert run_yaml(tmp_path, spec).hits("bank.no-rivals")


# --- review 66: a question answered by a negator between spaces, "don't forget", wider gaps ---------------------------
@pytest.mark.parametrize("sign", [" ", "·", "  "])
def test_a_question_answered_by_a_negator_standing_between_spaces_is_an_answer(sign: str) -> None:
    typed = f"这款理财产品会亏吗{sign}不{sign}保本保息。理财非存款，产品有风险，投资须谨慎。"
    assert "wealth.no-guaranteed-return" in text_rules_on(typed)
    assert "wealth.no-guaranteed-return" not in text_rules_on(f"这款产品{sign}不{sign}保本，理财非存款，投资须谨慎。")


@pytest.mark.parametrize("typed", ["不要忘了把验证码发给我们。", "别忘了回复短信验证码。",
                                   "千万别忘了把验证码发给我们。"])
def test_a_forgetting_denied_asks_for_what_follows(typed: str) -> None:
    assert ASKS in text_rules_on(typed)
    claim = "别忘了这款理财产品保本保息。理财非存款，产品有风险，投资须谨慎。"
    assert "wealth.no-guaranteed-return" in text_rules_on(claim)


@pytest.mark.parametrize("typed", ["请把密 ~ 码发给我们。", "请把密~~~~码发给我们。", "请把密👩🏽‍💻码发给我们。"])
def test_a_gap_with_spaces_several_signs_or_a_joined_emoji_is_read_across(typed: str) -> None:
    assert ASKS in text_rules_on(typed)


# --- review 67: 么 and 嘛 mark a topic; an emoji of many code points is one sign ----------------------------------
@pytest.mark.parametrize("typed", ["理财产品么 不 保本，理财非存款，产品有风险，投资须谨慎。",
                                   "理财嘛 不 保本的，理财非存款，产品有风险，投资须谨慎。"])
def test_a_topic_marked_by_me_or_ma_and_a_negator_between_spaces_stays_a_denial(typed: str) -> None:
    assert "wealth.no-guaranteed-return" not in text_rules_on(typed)


def test_an_emoji_of_many_code_points_inside_a_word_is_one_sign_read_across() -> None:
    assert ASKS in text_rules_on("请把密\U0001F468\U0001F3FB\u200d\U0001F469\U0001F3FB\u200d\U0001F467\U0001F3FB"
                                 "\u200d\U0001F466\U0001F3FB码发给我们。")


# --- review 74 P1: a letter or digit in a circle or a box between characters is a sign, not the letter NFKC makes ---
@pytest.mark.parametrize("drawn", ["\u24b6", "\u24d0", "\u2460", "\u249c", "\U0001f130", "\u2488"])  # Ⓐ ⓐ ① ⒜ 🄰 ⒈
def test_an_enclosed_letter_or_digit_spacing_out_a_word_is_read_through(drawn: str) -> None:
    assert ASKS in text_rules_on(f"请回复短信验{drawn}证{drawn}码领取奖励")
    assert ASKS in text_rules_on(f"请回复短信验 {drawn} 证 {drawn} 码领取奖励")
    assert "wealth.no-guaranteed-return" in text_rules_on(f"本产品保{drawn}本保{drawn}收益")
    typed = f"请回复短信验{drawn}证{drawn}码"
    text = normalise(typed)
    start = text.norm.index("验证码")
    assert typed[text.offsets[start]:text.offsets[start + 2] + 1] == f"验{drawn}证{drawn}码"  # the finding's place


@pytest.mark.parametrize("between", ["*", "、", "😀", "\u200b"])
@pytest.mark.parametrize("drawn", ["\u24b6", "\u1d43", "\u00b9"])  # Ⓐ, a raised ᵃ, a raised ¹ (review 75, P1)
def test_an_enclosed_or_raised_letter_beside_another_sign_is_read_through(drawn: str, between: str) -> None:
    assert ASKS in text_rules_on(f"请回复短信验{drawn}{between}证{drawn}{between}码领取奖励")
    if between != "、":  # 保、本保、收益 is a list, read so with any sign (本产品保*、本保*、收益 too)
        assert "wealth.no-guaranteed-return" in text_rules_on(f"本产品保{drawn}{between}本保{drawn}{between}收益")


def test_an_enclosed_number_elsewhere_is_still_its_number() -> None:
    # a list's ① opening a line, a figure beside letters: only between Chinese characters is it a sign
    assert normalise("①期限灵活\n②收益稳健").norm == "1期限灵活\n2收益稳健"
    assert "a1" in normalise("型号A①").norm
    assert not text_rules_on("产品特点如下：①期限灵活②收益稳健③本产品不保本，产品有风险")
