"""A child's age is a minor: 孩子才十二岁 and 给10岁的孩子办卡 ask about a minor's account (未成年, outside.txt),
which no FAQ entry answers, however the rest of the message reads like opening an account.

An age is a number, in digits or Chinese numerals up to 99, followed by 岁 (周岁, 虚岁 too); one under 18 reads
未成年. Older ages are left as they are: an adult's age says nothing the FAQ does not answer. So is the customer's
own age (我17岁，想办张信用卡): the credit card answer says who may apply (年满18周岁), a minor's account is
opened for a child by someone else. Asking a child's age (小孩子几岁可以单独办卡, 孩子多大能开户) reads 未成年 too:
the age a child may bank from is a minor's account.
"""

from __future__ import annotations

import re

ADULT = 18
_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_OWN = re.compile(r"我(?:今年|现在|才|刚|都|已经|还)*(?:满|刚满|不到|没满|未满)?$")
_CHILD_AGE = re.compile(r"((?:孩子|小孩|小朋友|娃|伢)[^，。？！,.?!\s]{0,3}?)(?:几岁|多大|多少岁|满几岁)")
_AGE = re.compile(r"([0-9]{1,2}|[零一二两三四五六七八九十]{1,3})\s*(?:周|虚)?岁")


def numeral_value(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    if "十" not in number:
        return _DIGITS[number] if len(number) == 1 else None
    tens, _, units = number.partition("十")
    if len(tens) > 1 or len(units) > 1 or tens == "零" or units == "零":
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def _minor(match: re.Match[str]) -> str:
    age = numeral_value(match.group(1))
    if age is None or age >= ADULT or _OWN.search(match.string[:match.start()]):
        return match.group(0)
    return "未成年"


def minors(text: str) -> str:
    """The text with each age under 18 written 未成年."""
    return _CHILD_AGE.sub(r"\1未成年", _AGE.sub(_minor, text))
