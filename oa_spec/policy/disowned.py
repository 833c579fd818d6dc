"""A claim the words right after it give to something else (compliance.md §0.4): read from where the claim
ends, in its own clause, what a negator before it cannot show.

- said not to be the product (亲测有效的不是理财，是防沉迷; 零门槛的不是贷款);
- said to be another thing, then denied of the product (秒到账的是你的游戏点券，不是贷款);
- said to exist only in a game or a story (零利率的只有游戏里的NPC商店, “稳赚商人”NPC只存在于剧情中,
  白拿的只有新手礼包);
- ranked below something else (晒收益不如晒手办): the writer prefers the other, the claim is not offered.
"""

from __future__ import annotations

from oa_spec.policy.patterns import Pattern

# (a game, a plot, a dream or a tale: where the promise holds, and nowhere real)
_FICTION = (r"游戏|剧情|梦里|梦中|童话|小说|传说|动漫|番剧|番里|二次元|npc|新手礼包|副本|电视剧|电影里|穿越剧")
_DISOWNED = Pattern(r'"?(?:'
                    r"(?:的|这件事|这事儿?)?(?:不是|并不是|并非|可不是|从来不是|从来都不是)"
                    # (not what says it is real or within reach: 财富自由不是梦, 秒批不是问题, 零门槛不是口号)
                    r"(?!不|梦|问题|难事|难题|事|奢望|幻想|空想|神话|遥不可及|奢求|什么难|吹|口号|说说|空话|玩笑|开玩笑|盖的|假|虚的|随便说)"
                    r"|的(?:是|只有|仅有)[^,，;；。!！?？]{1,14}?[,，]而?(?:不是|并非|并不是)"
                    # (or the product then said to have it: 零门槛的只有知识课堂，贷款是有门槛的)
                    r"|的(?:只有|仅有)[^,，;；。!！?？]{1,14}?[,，](?:而|但)?(?:贷款|理财|基金|存款|保险|产品)(?:是|可是|都是)?有"
                    rf"|[^,，;；。!！?？]{{0,8}}?(?:只有|仅有|只存在于|仅存在于|只在|只出现在)[^,，;；。!！?？]{{0,10}}?(?:{_FICTION})"
                    r"|不如"
                    # or asked for and refused right after (有家人想看别人的收益截图——不给看)
                    r"|\s*(?:——|—|--|[,，])\s*(?:不给看|不给晒|不晒|不发|不展示|不提供)"
                    # or said to be gone (保本理财早就没有了) or dismissed right after (…能稳赚，没有的事)
                    r"|[^,，;；。!！?？]{0,6}?(?:早就|早已|已经|早都)(?:没有了|没了|不存在了|取消了|停售了|绝迹了)"
                    r"|[^,，;；。!！?？]{0,8}?[,，]\s*(?:那|这)?(?:是|纯属|都是)?(?:没有的事|骗人的|瞎说的?|胡说的?)"
                    # (…的理财早在2018年资管新规后就退场了)
                    r"|[^,，;；。!！?？]{0,20}?(?:就|早已|早就|已经|已)(?:退场|退出市场|绝迹|不复存在)"
                    # or the things so named said to be mostly scams (那些零门槛、秒到账的贷款，大多是高利贷)
                    r"|[^。!！?？]{0,16}?(?:大多|多半|大都|基本上?|往往|十有八九)(?:都)?是(?:高利贷|坑|骗局|套路|陷阱|诈骗|骗人)"
                    # or, asked after its product, answered that none exists (稳赚的理财？不存在的)
                    r"|的(?:理财|贷款|基金|产品|保险|存款|好事|买卖)[?？]\s*(?:不存在|没有的事|没有这回事))")


def disowned(norm: str, end: int) -> bool:
    """The claim that ends at `end` is said of something else, or ranked below it, by the words after it."""
    return _DISOWNED.match(norm, end) is not None


# A question answered right after it as a scammer's words (人人可借？那是骗子的话术。): what it asked is refuted, as
# vocabulary.ANSWERED_NO's answers refute it.
ANSWERED_AS_FRAUD = Pattern(r'[?？]"?\s*(?:答[:：])?(?:那|这|这些|那些|这种|那种)?(?:话|说法)?'
                            r"(?:都|就|全|纯属|分明)?(?:是|属于)?(?:骗子|诈骗|骗局|骗人|忽悠人?|套路|陷阱|没有的事|钓鱼|假冒|冒充)"
                            # or as a daydream (零门槛贷款？醒醒吧; 秒批？哪有这种好事; 天上不会掉馅饼)
                            r"|[?？]\s*(?:醒醒|别做梦|做梦|天上不会掉馅饼|天上哪有馅饼|哪有这(?:种|样的?|么好的?)好?事|想得美)")


# A thing said to be absent right before it, or each of a list of them (本帖无抽奖、无奖品; 暂无奖励): none is offered.
_NONE_OF = ("无", "没有", "不含", "不设", "并无", "暂无", "毫无")


def none_before(norm: str, start: int) -> bool:
    return norm.endswith(_NONE_OF, 0, start)


# A negation earlier in the clause that asks where such a thing could be (哪有什么稳赚不赔的理财), says it was never
# said (我们从来没说过这款理财保本) or puts it in the mouth of whoever says it; not 哪有…比 (哪有比它更稳的), which
# builds a superlative.
_DENIED_BEFORE = Pattern(r"哪(?:有|来|儿有|里有)(?![^,，;；。!！?？]{0,12}?(?:比|更|第二))(?:什么|啥|那么多|这么多)?"
                         r"|没(?:有)?(?:说过|讲过|承诺过|宣传过|保证过|提过)"
                         # or whoever says it (谁跟你说理财稳赚，你就把他拉黑)
                         r"|谁(?:跟|和|对|给|向)(?:你|您)(?:说|讲|保证|承诺|打包票)"
                         # or anything that asks it of the reader (任何让你转发朋友圈领红包的“银行活动”，都先核实)
                         r"|任何(?:让|要|叫|要求|诱导|引导)(?:你|您)")


def denied_before(norm: str, clause: int, start: int) -> bool:
    return _DENIED_BEFORE.search(norm, clause, start) is not None
