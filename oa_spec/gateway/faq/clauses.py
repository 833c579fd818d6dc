"""A customer's message as clauses: which words are the story and which are asked, and who is asking.

Customers tell the story first and ask last (家里装修差二十万，能在你们这贷款吗), run several questions
together (消费贷可以提前还款吗，有违约金吗), say who they are (我是香港的客户), or type a search box's keywords
apart (春节 网点 营业, each of them asked): the ranker weighs a word by the clause it is in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from oa_spec.gateway.faq.data import CJK, stopwords


def content_words(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """The words that carry meaning, each with the banking terms inside it."""
    stop = stopwords()
    out: dict[str, tuple[str, ...]] = {}
    for word, parts in analysed:
        if word not in stop and (CJK.fullmatch(word) or (word.isalnum() and len(word) > 1)):
            out[word] = tuple(dict.fromkeys((*out.get(word, ()), *parts)))
    return out


CLAUSE_BREAKS = frozenset(",.!?;:。，！？；：~～")


# Words that make a clause a question of its own: customers run several questions together (消费贷可以提前还款吗，
# 有违约金吗), and each of them is asked, not told as the story. Not 是不是: a guess (是不是没通过) tells a worry.
# A comparison (区别: 余额和可用余额不一样，差的是什么) asks too, and so does a hurried 'how to do it' (咋整, 怎么弄),
# and the clause a polite 请问 opens, whatever the lexicon made of its question word (请问这个公众号最多能绑几张卡;
# 請問帳戶被凍結的期間，定存的利息還會照常計算嗎: the state is asked about too), and a choice offered
# (是月供变少还是年限缩短: 是 … 还是; not a lone 还是, 'still'), and an angry customer's demand (那2块钱你们必须退给我:
# 必须), what they want done as much as a question is; and Wu's 伐 (好改伐, 要收铜钿伐), its 吗, and the south-west's
# 咋个 (咋个绑, 咋个整), its 怎么; and whether something is really the bank's (是不是真是你们发的: the lexicon's 辨别).
ASKING = frozenset({"吗", "呢", "么", "伐", "怎么", "怎么办", "咋", "咋办", "咋个", "如何", "怎样", "多少", "多久",
                    "几", "什么", "啥", "哪", "哪里", "怎么弄", "咋弄", "咋整", "怎么搞", "怎么整", "能不能", "有没有",
                    "可不可以", "可以吗", "行不行", "要不要", "原因", "区别", "请问", "必须", "辨别"})
# and a word the segmenter keeps whole around a question word asks as the word does (多少钱, 什么时候, 多久能到)
ASKING_HEADS = ("多少", "什么", "多久", "怎么", "如何", "怎样")
QUESTION_MARKS = frozenset("?？")
# A clause that ends on 'not' asks too, in speech and in the north-west and south-west (能提前还不, 批了没, 批咗未):
# V不 and V没 at the end are V不V cut short
ENDS_ASKING = frozenset({"不", "没", "没有", "未"})


def _a_or_not_a(previous: Sequence[str], word: str) -> bool:
    """X不X asks too, however it is cut: 能 不能, 会 不会, 开 不 开 (能不能提前还, 网点开不开门), or kept whole
    (好不好帮我提高点, 对不对); not 是不是, a guess (ASKING)."""
    if len(word) == 3 and word[1] == "不" and word[0] == word[2] != "是":
        return True
    return bool(previous) and ((word.startswith("不") and word[1:] == previous[-1] not in ("", "是"))
                               or (len(previous) > 1 and previous[-1] == "不" and previous[-2] == word != "是"))


Clauses = list[tuple[set[str], bool]]


def clauses_of(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> Clauses:
    """The message's clauses that have content words: (the words, whether the clause asks a question)."""
    clauses: list[tuple[list[tuple[str, tuple[str, ...]]], bool]] = [([], False)]
    for item in analysed:
        words, asks = clauses[-1]
        if item[0] in CLAUSE_BREAKS:
            clauses[-1] = (words, asks or item[0] in QUESTION_MARKS or _ends_asking(words))
            clauses.append(([], False))
        else:
            asks = (asks or item[0] in ASKING or item[0].startswith(ASKING_HEADS)
                    or _a_or_not_a([w for w, _ in words], item[0]) or _counts_asked(words, item[0])
                    or (item[0] == "还是" and any(w == "是" for w, _ in words)))  # 是月供变少还是年限缩短
            words.append(item)
            clauses[-1] = (words, asks)
    clauses[-1] = (clauses[-1][0], clauses[-1][1] or _ends_asking(clauses[-1][0]))
    return [(words, asks) for words, asks in ((set(content_words(c)), a) for c, a in clauses) if words]


# 几 before a measure asks how many (最长能借几年, 要等几天) unless a word before it makes it 'a few' (这 几天,
# 过 几年 再说); 前几天 and 好几年 the segmenter keeps whole
_A_FEW_BEFORE = frozenset({"这", "那", "过", "前", "后", "好", "近", "头", "最近", "再过"})


def _counts_asked(words: Sequence[tuple[str, tuple[str, ...]]], word: str) -> bool:
    return len(word) > 1 and word.startswith("几") and not (words and words[-1][0] in _A_FEW_BEFORE)


def _ends_asking(words: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    return bool(words) and words[-1][0] in ENDS_ASKING


def last_clause(clauses: Clauses, known: Callable[[str], bool] = lambda word: False) -> set[str]:
    """The content words of the last clause that has any, when the message has several clauses: customers
    tell the story first and ask last (家里装修差二十万，能在你们这贷款吗). The last one with a `known` word (the
    FAQ's or a banking word), when one has: 活期里的钱转成定期，怎么操作 asks about 定期. Empty for a one-clause
    message."""
    filled = [words for words, _ in clauses]
    if len(filled) < 2:
        return set()
    return next((words for words in reversed(filled) if any(known(w) for w in words)), filled[-1])


def asking_clauses(clauses: Clauses, known: Callable[[str], bool]) -> set[str]:
    """The content words of every clause that asks a question of its own about a `known` word (吗, 怎么, 多少,
    a question mark): 城易贷可以提前还款吗，有违约金吗 asks about 城易贷 too, not only about 违约金. Empty for a
    one-clause message."""
    if len(clauses) < 2:
        return set()
    return {word for words, asks in clauses if asks and any(known(w) for w in words) for word in words}


# A banking thing named alone before the question (二类电子账户 嗯 一天能转多少钱): a customer dictating by voice names
# the topic, pauses, then asks about it. The clause is no story: what it names is asked too. Only the thing and a
# filler: 看别人都在这里查余额 tells what others do, 卡里一动钱就来短信那个 describes the thing.
FILLERS = frozenset({"嗯", "呃", "那个", "这个", "就是", "的", "啊", "呀", "哦", "吧", "呢"})


def topic_clauses(analysed: Sequence[tuple[str, tuple[str, ...]]], thing: Callable[[str], bool],
                  signed: bool = False) -> set[str]:
    """The banking `thing` named alone, with fillers at most, in a clause followed by another: the topic asked;
    and in a message `signed` (signed.py), the words of the clause before a question that names no thing: the
    topic signed first, then the act and the question word (社保卡 丢, 补 怎么; 支付宝 账户 冻结, 解 怎么)."""
    spoken: list[list[str]] = [[]]
    raw: list[list[str]] = [[]]
    for word, _ in analysed:
        if word in CLAUSE_BREAKS:
            spoken.append([])
            raw.append([])
        else:
            raw[-1].append(word)
            if word not in FILLERS:
                spoken[-1].append(word)
    said = [words for words in spoken if words]
    alone = {words[0] for words in said[:-1] if len(words) == 1 and thing(words[0])}
    alone |= {words[-1] for words in [words for words in raw if words][:-1] if _described(words) and thing(words[-1])}
    if signed and len(said) > 1 and not any(thing(word) for word in said[-1]):
        alone |= set(said[-2])
    return alone


# a clause that only points at a thing (手机上开的那个二类电子账户，…; 我刚办的那张卡，…) names the topic asked after it
_POINTING = frozenset({"的", "那个", "这个", "那张", "这张", "那种", "这种"})


def _described(words: Sequence[str]) -> bool:
    return len(words) > 1 and words[-2] in _POINTING


# A search box's words (他行卡 余额 查询, 春节 网点 营业, 分期 提前还清 手续费): several fragments of one or two words
# each, none asking. They are not a story told before a question clause: every fragment is asked.
FRAGMENT_WORDS = 2
# a question word typed alone asks of every fragment before it (销卡后 再申请 多久, 补卡 网点 哪里)
ASKED_OF_ALL = frozenset({"多久", "哪里"})


def keyword_fragments(clauses: Clauses) -> bool:
    """The message is keywords typed apart, with no question word: every fragment is asked."""
    return len(clauses) > 1 and all(len(words) <= FRAGMENT_WORDS and (not asks or words <= ASKED_OF_ALL)
                                    for words, asks in clauses)


def split_clauses(analysed: Sequence[tuple[str, tuple[str, ...]]]
                  ) -> Iterator[tuple[list[tuple[str, tuple[str, ...]]], str]]:
    """Each clause of the analysed words with the break that ends it (。 after the last)."""
    clause: list[tuple[str, tuple[str, ...]]] = []
    for item in [*analysed, ("。", ())]:
        if item[0] not in CLAUSE_BREAKS:
            clause.append(item)
            continue
        yield clause, item[0]
        clause = []


def told_fragments(analysed: Sequence[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The content words of the clauses that end on 了: what happened (理财到期了 基金定投 设置), not an act asked
    for."""
    told: set[str] = set()
    for clause, _ in split_clauses(analysed):
        if clause and clause[-1][0] == "了":
            told.update(content_words(clause))
    return told


# 系 after Cantonese is 'am', written Mandarin keeps it; and a newcomer says so (刚来这个城市第2个月, 刚来这边上班):
# who asks, not what is asked
INTRODUCING = (("我", "是"), ("本人", "是"), ("我", "系"), ("刚", "来"))
# An angry customer ends on a demand, not a question (别让我一趟趟地跑, 别再像上次那样忽悠我, 别告诉我只能换个破杯子):
# a clause that opens on 'don't' tells how the customer feels, like an introduction tells who asks
DEMANDING = frozenset({"别", "不要", "千万别"})
# A customer who runs two topics together may set one aside (积分先不管，就想问信用卡怎么还; 年费的事先不说;
# 手续费无所谓，多久到账; 信用卡积分的事我先不问了; or has read about it already: 定期利率我看过了) and ask the other: a
# clause that ends on setting its thing aside goes, banking words and all, and so does one where the customer
# declines it in person (大额存单我不买). A product declined in a clause of its own (大额存单我钱不够，就不买了) sets
# aside the clause before it.
SETTING_ASIDE = ("不管", "不说", "不提", "不问", "不重要", "放一边", "放一放", "无所谓", "另说", "不用管",
                "看过", "了解过")
TRAILING = "了啦吧哈呀啊的先"
SET_ASIDE_VERBS = frozenset({"说", "问", "管", "提", "聊", "讲", "买", "办"})
SET_ASIDE_BEFORE = ("先", "就", "暂时", "我")
# and one put off till later (这个回头再说, 短信提醒以后再说吧): what it refers to is not asked now
LATER = ("再说",)
# A clause that opens on 'besides' (我刚换了手机号，另外想开个动账短信) turns from what was told to what is asked: the
# told clauses before it (none that asks) are another matter
ANOTHER_MATTER = frozenset({"另外"})
# and so does a question added on by the way (刚开通了手机银行，顺便问下里面怎么查余额; 顺手想把卡也绑上): what was
# done is told
BY_THE_WAY = ("顺便问", "顺带问", "顺道问", "顺手问", "顺便想", "顺带想", "顺手想")
# A requirement the customer hopes away after the question (怎么查余额，不会非要下载app吧): 'surely I need not…' tells
# what the customer fears the answer is; what is asked is the question before it. Not a doubt of another kind
# (手续费不会很高吧, 不会没有额度限制吧: a second question), nor one alone or after a story (不会就拿不回来了吧).
DOUBTING = frozenset({"不会", "总不会", "该不会", "难道"})
REQUIRED = ("非要", "非得", "一定", "必须", "只能")
# A standing the customer introduces themself by (我是外国人，可以申请房贷吗; 我是未成年人) decides what they may do: it
# is what is asked about, not who asks, and the clause stays (outside.txt's words: no answer here covers them)
STANDINGS = frozenset({"外国人", "外籍", "外籍人士", "老外", "未成年", "未成年人"})


def without_introductions(analysed: Sequence[tuple[str, tuple[str, ...]]],
                          known: Callable[[str], bool]) -> list[tuple[str, tuple[str, ...]]]:
    """The message without the clauses where customers say who they are (您好，我是香港的客户，...; 我是替我爸问的):
    a place or a person named there tells who asks, not what is asked; nor those that open on a demand (别让我跑)
    or set a topic aside (积分先不管), nor what was told before a turn to another matter (另外想问).
    A clause that names a banking word stays (我是你们的信用卡客户, 别偷偷按活期算)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    clause: list[tuple[str, tuple[str, ...]]] = []
    start = 0  # where the clause before this one begins in out
    asked_until = 0  # out[:asked_until] ends on the last clause that asks
    for item in [*analysed, ("。", ())]:
        if item[0] not in CLAUSE_BREAKS:
            clause.append(item)
            continue
        if clause and (clause[0][0] in ANOTHER_MATTER or "".join(w for w, _ in clause[:2]).startswith(BY_THE_WAY)):
            del out[asked_until:]
            start = len(out)
        opening = tuple(word for word, _ in clause[:2])
        bare, puts_off = not any(known(w) or w in STANDINGS for w, _ in clause), _puts_off(clause)
        introduces = (((opening in INTRODUCING or opening[:1] in {(w,) for w in DEMANDING}) and bare) or puts_off
                      or _sets_aside(clause) or (asked_until > 0 and _hopes_away(clause)) or _spares(clause))
        if puts_off and bare:  # 就不买了: what is put off is the clause before
            del out[start:]
            asked_until = min(asked_until, len(out))
        start = len(out)
        if not introduces or len(clause) + 1 >= len(analysed):  # a message that is all introduction stays whole
            out.extend(clause)
        out.append(item)
        if item[0] in QUESTION_MARKS or _asks([word for word, _ in clause]):
            asked_until = len(out)
        clause = []
    return out[:-1]


# A benefit told (想把卡绑到微信上，以后就不用下那个App了): what the customer will no longer need is not asked about
SPARING = ("以后就不用", "以后不用", "这样就不用", "那样就不用", "就不用")


def _spares(clause: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """The clause tells what the customer will no longer need to do (以后就不用下App了), asking nothing."""
    words = [word for word, _ in clause]
    return "".join(words).startswith(SPARING) and not _asks(words)


def _asks(words: Sequence[str]) -> bool:
    """The clause asks a question of its own: a question word, alone or inside a word, X不X (能 不能), or V不
    at the end (收钱 不)."""
    return any(word in ASKING or _a_or_not_a(words[:position], word) or (len(word) > 1 and (
        word.startswith("几") or "啥" in word or "什么" in word)) for position, word in enumerate(words)) or (
        bool(words) and words[-1] in ENDS_ASKING)


def _hopes_away(clause: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """The clause opens on a doubt and names a requirement (不会非要…吧, 难道一定要…吗), however cut."""
    words = [word for word, _ in clause]
    return not DOUBTING.isdisjoint(words[:2]) and any(need in "".join(words) for need in REQUIRED)


# and in the grammar of Chinese Sign Language, where 'not want' follows the act (大额存单 买 不 想: 不想买)
SIGNED_DECLINING = tuple(f"{verb}不想" for verb in SET_ASIDE_VERBS)


def _sets_aside(clause: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """The clause ends on setting its topic aside (积分先不管了, 年费的事无所谓), read on its text however cut."""
    return "".join(word for word, _ in clause).rstrip(TRAILING).endswith((*SETTING_ASIDE, *SIGNED_DECLINING))


def _puts_off(clause: Sequence[tuple[str, tuple[str, ...]]]) -> bool:
    """The clause ends on 'not (for now)' and a verb of talking or taking (先不说, 就不问了, 就不买了), or on 'later'
    (回头再说)."""
    words = [word for word, _ in clause]
    if "".join(words).rstrip(TRAILING).endswith(LATER):
        return True
    words = words[:-1] if words and words[-1] == "了" else words
    if len(words) >= 2 and words[-1] in {f"不{verb}" for verb in SET_ASIDE_VERBS}:
        before = words[-2]
    elif len(words) >= 3 and words[-2] == "不" and words[-1] in SET_ASIDE_VERBS:
        before = words[-3]
    else:
        return False
    return before.endswith(SET_ASIDE_BEFORE)
