"""policy/spacing.py: the text rules read straight through what a reader reads through inside a word (attack
review 63, F1 and F2): combining marks drawn on a character and one sign spacing out each character."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy.text import normalise
from tests.policy.helpers import reply_spec, run_yaml, text_rules_on

ASKS = "pii.no-credential-solicitation"
MARKS = ["\u302a", "\u0323", "\u0332", "\u0300", "\u0489", "\u20dd", "\ufe0f", "\U000e0100"]
SIGNS = ["•", "‧", "∙", "⋅", "*", ".", "~", "+", "、", ",", "=", "♥", "＊", "～"]


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


@pytest.mark.parametrize(("typed", "kept"), [
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
