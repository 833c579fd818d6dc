"""A number of ten or more written in Chinese numerals, with its unit, reads as the FAQ's answers write it: in digits.

Customers write 差二十天, 分十二期, 三十天内 where the answers write 第20天, 12期, 30天: jieba keeps the numeral and
its unit as one word (二十天) that no FAQ question uses, so it weighed as an unknown word against the entry that
answers it. Split into its digits and its unit (20 天), it meets the answer's figure, as 差20天 already did. Only
numbers with 十 (ten to ninety-nine): a lone 一 or 两 is as often no number (一天到晚, 两三次), and small numbers are
words of their own. An amount run together with its currency (三万美元) is split from it the same way (三万 美元).
"""

from __future__ import annotations

import re

from oa_spec.gateway.faq.ages import numeral_value

# an amount in Chinese numerals run together with its currency (三万美元, 两千欧元), which jieba keeps as one word no
# FAQ question uses: the currency is said apart, so 换三万美元 is buying currency (not an amount in digits: 1万美元)
_COUNTED_CURRENCY = re.compile(r"([一二两三四五六七八九十几][一二两三四五六七八九十百千万几]*)"
                               r"(美元|美金|欧元|日元|港币|英镑)")
_SPELT = re.compile(r"([一二两三四五六七八九]?十[一二三四五六七八九]?)(天|个月|月|年|周|期|次|号)")


def in_digits(tokens: list[str]) -> list[str]:
    """The tokens with each Chinese numeral of ten or more and its unit (二十天) split into digits and the unit."""
    out: list[str] = []
    for token in tokens:
        match = _SPELT.fullmatch(token)
        value = numeral_value(match.group(1)) if match else None
        if match and value is not None:
            out.extend((str(value), match.group(2)))
        else:
            out.append(token)
    return out



_TEN_THOUSANDS = ("万", "万元", "万块")
_CASH = frozenset({"现金", "现钱"})  # 现钱 is the lexicon's 现金, read after this


def large_cash(tokens: list[str]) -> list[str]:
    """Cash counted in 万 (结8万现金, 取十万现金) is a large sum of cash (大额, the FAQ's 大额现金): what must be booked
    to take out; 现金 stays, so depositing it (存十万现金) is still told from taking it out."""
    out: list[str] = []
    for position, token in enumerate(tokens):
        if token in _CASH and position and tokens[position - 1].endswith(_TEN_THOUSANDS):
            out.append("大额")
        out.append(token)
    return out


def currency_apart(tokens: list[str]) -> list[str]:
    """The tokens with an amount run together with its currency (三万美元) split into the amount and the currency."""
    out: list[str] = []
    for token in tokens:
        match = _COUNTED_CURRENCY.fullmatch(token)
        out.extend(match.groups() if match else (token,))
    return out
