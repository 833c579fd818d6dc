"""A bank's text message or app notice pasted into the question: its fixed parts are no words of the question.

Customers paste what their phone showed them and ask about it (【XX银行】您尾号4410的账户已被冻结… 怎么解). The
notice's signature (【XX银行】, 【中国银行】), the masked card number (尾号4410, 6222****1234), a code in brackets
(排号【A032】), and the figures it writes with decimals (128.00元, 2.00元) say which bank wrote and when, not what
is asked: the signature, the masked number and the code go, a decimal amount keeps its whole part. Else the
signature's placeholder (xx), 尾号 and the code weigh as words the FAQ never uses, and the decimal point of a
figure cuts the notice into clauses that seem to ask on their own. A message the phone showed (【可用额度不足】),
followed by a space and the question, is a clause of its own, as words typed apart are; a label copied
(【取现】 手续费多少) is not.
"""

from __future__ import annotations

import re

# a signature: a short bank name in brackets, 【XX银行】, 【中国XX银行】, 【XX银行信用卡中心】 (not 【本行工资卡】, nor
# a channel's name: 【手机银行】 is where the customer looked)
_CHANNEL = r"(?![^】\]]{0,12}(?:手机|网上|微信|电话|直销)银行)"
_SIGNATURE = re.compile(rf"[【\[]\s*{_CHANNEL}[^【】\[\]\s]{{0,10}}(?:银行|信用卡中心)\s*[】\]]")
# a bank's name masked by whoever pasted it (XX银行, xx行): the bank, unnamed
_PLACEHOLDER = re.compile(r"x{2,}(?=银行|行)")
# a masked card number: 尾号4410, 尾号为4410, 尾数4410, 6222****1234, ****1234
_MASKED = re.compile(r"(?:尾号|尾数|末四位)[为是:]?\s*[0-9*x]{3,}|[0-9]{0,6}\*{2,}[0-9]{2,}")
# a message the phone showed, then the question after a space (【可用额度不足】 能给我加点吗): the space ends a clause,
# as it does between Chinese words (normalize.py). A message tells a state (已, 不, 错误, 失败, 请…); a label the
# customer copied (【指纹登录】 怎么开, 【取现】 手续费多少) is what the question after it asks about, and stays in it.
# Runs are bounded, as every pattern's are (tests/hostile/test_pattern_shapes.py).
_STATE = "(?:已|不|错误|异常|失败|成功|请|需|为准|超限|上限|锁定)"
_PASTED_END = re.compile(rf"([【\[「][^】\]」]{{0,40}}{_STATE}[^】\]」]{{0,40}}[】\]」])\s+(?=\S)")
# a code shown in brackets (排号【A032】, 【预约码 8821】 keeps its name): a ticket's or an order's number, no word
_CODE = re.compile(r"[【\[「]\s*[a-z]{0,3}[0-9]{2,}[a-z0-9-]*\s*[】\]」]")
# an amount in yuan and fen (128.00, 2.00元); not a rate (1.45%)
_DECIMAL = re.compile(r"([0-9])\.[0-9]{2}(?![0-9%])")


def plain_notice(text: str) -> str:
    """The text without a pasted notice's signature and masked card number, its figures without decimals."""
    text = _CODE.sub("", _MASKED.sub("", _PLACEHOLDER.sub("", _SIGNATURE.sub(" ", text))))
    return _PASTED_END.sub(r"\1,", _DECIMAL.sub(r"\1", text))
