"""Southern accents in pinyin input: the sounds a southern speaker does not tell apart, so neither does the
pinyin they type (牛水 for 流水, 荒贷 for 房贷, 幸用卡 for 信用卡, 纯款 for 存款).

Speakers from the south (Fujian, Guangdong, Hunan, Sichuan, Jiangxi, Zhejiang) merge
- the retroflex initials into the flat ones: zh/ch/sh as z/c/s (搜机 for 手机, 租销 for 注销);
- n and l at the start of a syllable (腻率 for 利率, 连费 for 年费);
- f and hu (荒 huang for 房 fang, 烦 fan for 还 huan, 灰 hui for 费 fei, 哄 hong for 风 feng);
- the nasal endings -ng and -n after a, e and i (星 xing for 信 xin, 民 min for 明 ming, 板 ban for 绑 bang).
`southern` writes a syllable with each pair merged, so two syllables such a speaker says alike share a key. A
run that sounds like a banking term only this way is corrected after an exact homophone and a shape-alike
(normalize.py step 3), under the same guards (it shares a character with the term and cuts no real word) and two
more, as the looser match reaches more everyday words: one character slipped, as for a shape, and towards a
banking term only, never a customer's phrase for one (说卡 is not 锁卡, 想取出来 not 先取出来).
"""

from __future__ import annotations

from collections.abc import Iterable

# f + final as a hu- speaker says it: fei is hui, feng is hong (the Minnan 风), fan is huan
_F_AS_HU = {"fa": "hua", "fan": "huan", "fang": "huang", "fei": "hui", "fen": "hun", "feng": "hong", "fo": "huo",
            "fou": "hou", "fu": "hu"}
_NASALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def southern(syllable: str) -> str:
    """The syllable as a southern speaker's pinyin merges it (toneless, ü written u)."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
    if syllable.startswith("n") and len(syllable) > 1 and syllable != "ng":
        syllable = "l" + syllable[1:]
    syllable = _F_AS_HU.get(syllable, syllable)
    for long, short in _NASALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


def southern_key(syllables: Iterable[str]) -> str:
    return " ".join(southern(s) for s in syllables)
