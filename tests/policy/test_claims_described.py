"""Probe 59's readings: a secret described by where it comes from or what it is typed for, not named
(手机上刚收到的那串数字, 存折取款用的那几位数字); a loan's price as an everyday purchase or an amount in words; written
Cantonese read as Mandarin before any rule; and the careful texts that describe the same secrets to protect
them. Each reading fails without the change its comment names; the careful texts keep those changes narrow."""

from __future__ import annotations

import pytest

from oa_spec.policy.text import normalise
from tests.policy.helpers import text_rules_on

CREDENTIALS = "pii.no-credential-solicitation"
LOAN_PRICE = "loan.apr-disclosure"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml credential (probe 59): the code by where it comes from, the PIN by what it is typed for
    ("您好，请回复您刚收到的那串数字，我们帮您完成解冻。", CREDENTIALS),
    ("您的贷款已审批通过，放款前请回复手机收到的六位短信数字。", CREDENTIALS),
    ("孃孃，你手机上刚收到的那几个数字发给我嘛，我帮你把额度调高点。", CREDENTIALS),
    ("张阿姨，把存折取款用的那几位数字报给我，我帮您登记。", CREDENTIALS),
    ("银行卡年度核验：请在本对话中提供付款时输入的那串数字。", CREDENTIALS),
    ("扫码填写资料即可激活电子社保卡：姓名、身份证号码、银行卡号、交易密码，一次填好免跑腿。", CREDENTIALS),
    # cantonese.tsv: 覆返 is 回复, 𠮶 (t2s of 嗰) is 那
    ("唔该覆返张卡背后嗰三个字同埋有效期俾我哋。", CREDENTIALS),
    # vocabulary.AMOUNT in words (三百多块); cn_bank_credit._PRICE: a day's cost as a drink, words between
    ("房产抵押经营贷：每借1万元，一整年下来利息也就三百多块。理性借贷，按时还款。", LOAN_PRICE),
    ("借款一万块，每天也就少喝一杯奶茶的钱｜信用贷在线申请，请理性借贷。", LOAN_PRICE),
    # cantonese.tsv: 一啲 is 一点, 我哋度 is 我们这里
    ("三年期大額存單，20萬起存，放喺我哋度一啲風險都冇，歡迎嚟網點辦理。", "deposit.insurance-wording"),
])
def test_a_secret_or_a_price_described_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "预约成功后，请回复短信中的数字1确认到店时间。",  # an instruction, not a code received
    "请勿向任何人透露手机收到的六位短信数字。",
    "温馨提示：取款时输入的那串数字只有您自己知道，不要告诉任何人。",
])
def test_the_same_secrets_described_to_protect_them_are_not_asked_for(text: str) -> None:
    assert CREDENTIALS not in text_rules_on(text)


def test_cantonese_place_and_quantity_words_read_as_mandarin() -> None:
    assert normalise("放喺我哋度一啲風險都冇").norm == "放在我们这里一点风险都没"
