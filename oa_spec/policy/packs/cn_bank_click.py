"""cn-bank text finder for clicks induced on WeChat (compliance.md §4, platform.induced-click): bait that hands out
what is not there, and the platform's voice borrowed.
"""

from __future__ import annotations

from oa_spec.policy.packs.textkit import quoted
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.text import Text, find_pattern

# Bait for a click (点我领红包, 点我抽奖, 您有一个红包待领取) and WeChat's own voice borrowed (微信官方,
# 微信团队; a 系统通知 that hands out prizes): the follower clicks for what is not there (运营规范: 诱导点击,
# 混淆). A real campaign says 点击参与 and names its rules; a warning quotes the bait.
# (after probe 169: a tap asked for, 轻触此处即刻查看并确认领取, and a system notice's prize told at more length)
_CLICK_BAIT = Pattern(r"(?:点|戳|轻触|轻点)(?:我|这里|此处)[^,，;；。!！?？]{0,8}?(?:领|抢|拿|拆|抽|赢)"
                         r"|您有(?:一个|一笔|\d+个|\d+笔|新的)[^,，;；。!！?？]{0,6}(?:红包|奖金|现金|奖励|奖品)"
                         r"[^,，;；。!！?？]{0,2}(?:待|未|尚未)领取")
# (企业微信官方客服 is the bank's own enterprise WeChat, not the platform's voice)
_BORROWED_VOICE = Pattern(r"(?<!企业)微信(?:支付)?官方|微信(?:支付)?团队|腾讯官方|微信红包|微信安全中心"
                             r"|\[微信\]|【微信】|系统(?:通知|消息|提示)[^。!！?？]{0,40}(?:红包|中奖|奖励|领取|点击)")


def induced_click(t: Text) -> list[str]:
    if t.contexts.education:
        return []
    found = find_pattern(t, _CLICK_BAIT) + find_pattern(t, _BORROWED_VOICE)
    return quoted(t, sorted(found, key=lambda m: m.start))
