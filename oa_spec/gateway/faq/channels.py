"""Where a thing is done, not what it is done to.

The bank's channels (手机银行, 网上银行, 公众号, 网点) are banking things, and a question about one is not the
same question about a card (手机银行怎么注销 is not 怎么注销银行卡). Named after 在, 通过, 去 or 到
(销户能在手机银行上办吗，还是得去网点), the channel is where the customer would do what is asked, which the
entry's answer tells: no other thing asked.
"""

from __future__ import annotations

from collections.abc import Sequence

CHANNELS = frozenset({"手机银行", "网上银行", "公众号", "网点"})
WHERE = frozenset({"在", "通过", "去", "到"})


def channels_where(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The channels named as where a thing is done (在手机银行上, 通过网上银行); a channel named elsewhere too is
    not among them."""
    words = [word for word, _ in analysed]
    where = {word for before, word in zip(["", *words], words, strict=False) if word in CHANNELS and before in WHERE}
    elsewhere = {word for before, word in zip(["", *words], words, strict=False)
                 if word in CHANNELS and before not in WHERE}
    return where - elsewhere
