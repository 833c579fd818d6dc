"""Where a clause and a sentence of a normalised text begin and end, and whether a phrase in it is negated
(compliance.md §0.4): by a negator in its own clause, a short negator just before it, an anti-fraud frame, a
no to the question it is asked in, or quotation marks that name the words instead of saying them.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from oa_spec.policy.disowned import ANSWERED_AS_FRAUD, denied_before
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.vocabulary import (
    ANSWER_MARK,
    ANSWERED_NO,
    CLAUSE_NEGATORS,
    FORBIDDEN_LIST,
    FRAUD_FRAME,
    MENTIONED,
    NEGATIVE_ANSWER,
    NEGATORS,
    QUOTE_MARKERS,
    UNRELATED,
    YES_NO_QUESTION,
)

NEGATION_WINDOW = 4
# An emoji the writer follows with a space ends a chat message's clause (别着急🙂 您把…告诉我): its negator
# does not reach the next.
# A tilde closing a chat phrase ends its clause too (钱别闲着啦～这款理财…), not one between figures (3%~5%, 1~3年).
CLAUSE_END = Pattern(r"[，,；;。！？!?\n：:】]|——|[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?(?=\s)"
                     r"|(?<![\d%a-z])~(?![\d])")
SENTENCE_END = Pattern(r"[。！？!?\n]")

# A clause or sentence is read within this many characters of the word: a reviewer's clause is never longer,
# and an unbounded look-back made each match cost the whole text (a 20,000-character article took minutes).
LOOK_AROUND = 300


def clause_start(norm: str, start: int) -> int:
    """Where the clause holding `start` begins (after the last comma, semicolon or full stop)."""
    lo = max(0, start - LOOK_AROUND)
    found = None
    for found in CLAUSE_END.finditer(norm, lo, start):  # noqa: B007 - the last one is the clause start
        pass
    return found.end() if found is not None else lo


def clause_end(norm: str, start: int, limit: int | None = None) -> int:
    """Where the clause holding `start` ends: the next comma, semicolon or full stop, else `limit` (the text's
    end). However far that is: an exemption read in the rest of the clause must see all of it (a secret asked for
    300 characters on). The text's clause marks are found once, so each call costs a lookup, not a search."""
    hi = len(norm) if limit is None else limit
    marks = _clause_marks(norm)
    next_mark = bisect_left(marks, start)
    if next_mark == len(marks) or marks[next_mark] >= hi:
        return hi
    found = CLAUSE_END.search(norm, marks[next_mark], hi)  # as searching from `start` finds it
    return found.start() if found else hi


@lru_cache(maxsize=256)
def _clause_marks(norm: str) -> tuple[int, ...]:
    return tuple(m.start() for m in CLAUSE_END.finditer(norm))


def sentence(norm: str, start: int) -> str:
    lo, hi = sentence_bounds(norm, start)
    return norm[lo:hi]


def sentence_bounds(norm: str, start: int) -> tuple[int, int]:
    """Where the sentence holding `start` begins and ends, within LOOK_AROUND of it."""
    lo, hi = max(0, start - LOOK_AROUND), min(len(norm), start + LOOK_AROUND)
    before = None
    for before in SENTENCE_END.finditer(norm, lo, start):  # noqa: B007 - the last one starts the sentence
        pass
    after = SENTENCE_END.search(norm, start, hi)
    return before.end() if before else lo, after.start() if after else hi


@lru_cache(maxsize=1 << 16)  # rules ask again about the same positions (each reward near each share word)
def negated(norm: str, start: int) -> bool:
    """True when the phrase at `start` is negated in its own clause (不构成对产品收益的承诺), sits
    within 4 characters after a short negator (非保本), is quoted after 警惕/谨防/所谓 or named as a word
    (“保本”二字), its sentence is an anti-fraud warning (凡是要求您发送验证码的都是诈骗), or it is asked about
    and the answer says no (一样吗？不一样; 保本吗？答：该产品为非保本…)."""
    clause = clause_start(norm, start)
    lo, hi = sentence_bounds(norm, start)
    if FRAUD_FRAME.search(_unless_adopted(norm, _after_the_lesson(norm, lo, clause), hi + 1)):  # (听说…？ asks)
        return True
    if any(r.start() <= start < r.end() for r in _REFUTED.finditer(norm, lo, hi)):
        return True
    if FORBIDDEN_LIST.search(norm, lo, start) or _KEYWORD_LABEL.search(norm, max(0, start - 16), start):
        return True
    if YES_NO_QUESTION.search(norm[lo:hi]) and (NEGATIVE_ANSWER.match(norm, hi)  # 一样吗？不一样。
                                                 or _denied_in_answer(norm, hi, norm[start:start + 2])):
        return True
    if ANSWERED_NO.match(norm, hi) or ANSWERED_AS_FRAUD.match(norm, hi):  # 贷款“零门槛”？答：不是。
        return True
    if UNRELATED.search(norm, start, clause_end(norm, start, hi)):  # …理财、基金等产品购买无关
        return True
    if (_after_a_negator(norm, clause, start) or _no_commitment_on(norm, clause, start, hi)
            or denied_before(norm, clause, start)):
        return True
    if _wrong_option(norm, start):
        return True
    quote, close = norm.rfind('"', max(0, start - LOOK_AROUND), start), norm.find('"', start, start + LOOK_AROUND)
    # not inside quotation marks: none opened before it, or the last one closed a quotation the text has put
    # behind it (账单太大别慌“分期轻松还”…每期手续费率 is no longer quoted, nor turned round by 别慌)
    if quote < 0 or close < 0 or norm.find('"', quote + 1, start) >= 0:
        return False
    if _after_a_negator(norm, clause_start(norm, quote), quote):  # 贷款不是“有额度就能借、借了不用还”
        return True
    close = quotations_end(norm, close)
    after = norm[close + 1:close + 16] if close >= 0 else ""  # “…请提供验证码…”的短信？这是诈骗！
    marked = (_MARKED.search(norm, max(0, quote - LOOK_AROUND), quote) and not _ADOPTED.match(after)
              and not (_ASKING.search(norm, quote, start) and _ANSWERED_YES.match(norm, start)))
    return bool(marked or MENTIONED.match(after)
                or FRAUD_FRAME.search(after) or _REPORTED.match(after) or _DISMISSED.match(after)
                or _WITHDRAWN.match(after) or _REVEALED.match(after))



# probe 175: a belief others hold (不少家长把“…”叫作“会长利息的定期”：…跟存定期一样省心) frames nothing when the text
# never sets it straight: the writer has taken it up.
_OTHERS_HOLD, _SET_STRAIGHT = Pattern(r"(?:有的?|不少|很多)(?:客户|人|家长|父母|投资者)把"), Pattern(
    r"其实|实际上|事实上|并不|并非|不是|不等于|不同|两回事|两码事|误|错|不准确|不对|区别|说明|澄清|可不|而是|搞混|混淆|弄混|分清|警惕|谨防|当心|小心")


def _unless_adopted(norm: str, lo: int, hi: int) -> str:
    held = _OTHERS_HOLD.search(norm, lo, hi)
    if held is None or _SET_STRAIGHT.search(norm, held.start(), held.start() + LOOK_AROUND):
        return norm[lo:hi]
    return norm[lo:held.start()] + "·" * len(held.group()) + norm[held.end():hi]


# A question answered yes (有没有保本保息的？——有！; “是不是零门槛？”是的): its asking negates nothing, it is affirmed.
_ASKING = Pattern(r"有没有|是不是|能不能|可不可以|是否|能否")
_ANSWERED_YES = Pattern(r'[^。!！?？\n]{0,60}?(?:[?？]"?|"(?=\s*(?:——|—|-|[:：])))\s*(?:——|—|-|[:：])?\s*'
                        r"(?:(?:答|a|回答)[:：]\s*)?(?:当然|肯定|必须|绝对)?(?:有|是的|能|可以|对)(?:的|啊|呀|哦|哈)?(?=[!！。,，~]|$)")


# probe 158: a warning lesson said to be over before the clause (防骗讲完，说点实在的：…; 反诈课后彩蛋：…; 看清校园贷的
# 套路之后，…; 上面讲了非法集资的识别方法，而…): what follows is the column's own offer, the lesson frames none of it.
_LESSON_OVER = Pattern(r"(?:讲完|说完|学完|讲到这里|就到这里|讲了这么多|课后"
                       r"|(?:看清|认清|学会|识别)[^,，;；。!！?？]{1,12}?之后)"
                       r"(?:了|啦)?[^,，;；:：。!！?？]{0,4}?(?:[,，:：]|——)"
                       r"|(?:上面|前面|刚才|以上)(?:讲|说|介绍)了[^,，;；。!！?？]{1,16}?[,，]而")


# probe 158: a quiz's option that its answer is not (下列哪个说法对？A.大学生可以随便借网贷 … 答案是C) is named as the
# wrong one, not said.
_OPTION = Pattern(r"(?<![a-z0-9])([a-d])[.．、)）](?=[\u4e00-\u9fff])")
_ANSWER_LETTER = Pattern(r"(?:正确)?答案(?:是|为)?[:：]?\s*([a-d])(?![a-z])")


def _wrong_option(norm: str, start: int) -> bool:
    last = None
    for last in _OPTION.finditer(norm, max(0, start - 40), start):  # noqa: B007 - the last one
        pass
    if last is None or SENTENCE_END.search(norm, last.end(), start):
        return False
    answer = _ANSWER_LETTER.search(norm, start, start + LOOK_AROUND)
    return answer is not None and answer.group(1) != last.group(1)


def _after_the_lesson(norm: str, lo: int, clause: int) -> int:
    """Where the sentence's own words begin for its frame: after the last lesson said to be over before `clause`."""
    for over in _LESSON_OVER.finditer(norm, lo, clause):
        lo = over.end()
    return lo


def quotations_end(norm: str, close: int) -> int:
    """The closing mark of a run of quotations that `close` closes the first of (“存款送油”“买理财返现”属于不规范营销),
    or -1 when one is left open. Read within LOOK_AROUND: a run walked whole cost each claim in it the whole run
    (an article of 5,000 quotations took 10 s)."""
    run_end = close + LOOK_AROUND
    while 0 <= close < run_end and norm.startswith('"', close + 1):
        close = norm.find('"', close + 2, close + 2 + LOOK_AROUND)
    return close

# A quotation refuted right after it (有读者留言说“养老基金都是赚的”，这并不准确): what it says, and the verb that
# reports it, are not claimed; what follows the refutation still is.
_REFUTED = Pattern(r'(?:[^,，;；。!！?？"]{0,8}?(?:说|称|讲|道|表示|留言|评论))?[:：]?"[^"]{1,40}"[,，]?'
                   r"(?:这|此|这话|这种说法|这个说法|该说法)(?:其实|并|可|完全|根本)?(?:不准确|不正确|不对|不成立|站不住脚|是错的|错了|有误)"
                   # or dismissed as no reason to buy (「我朋友買咗賺咗好多」唔係投資理由)
                   r'|"[^"]{1,40}"[,，]?(?:并?不是|并非|唔係|不能(?:作为|成为|当作))(?:投资|买入|购买|入手|下单)?(?:的)?理由')


# A quoted line answered by the reader's refusal (短信让“输入卡背三位数”——删！, 来电说“报个验证码”——挂！): a scammer's
# words in a rhyme that tells what to do with them (probe 125).
_DISMISSED = Pattern(r"[—\-~～:：,，\s]{0,4}(?:删掉?|挂掉?|挂断|拉黑|不理|别理|无视)(?:它|掉)?[!！。]")
# probe 156: a quoted campaign or feature said withdrawn (“晒收益”活动已下线) is named as what is no longer done
_WITHDRAWN = Pattern(r"(?:活动|栏目|功能|玩法|专区|板块)?(?:已经?|现已|均已|已全面)"
                     r"(?:下线|停止|叫停|取消|终止|撤下|关停|停办)")


# probe 118: what a disclaimer makes no commitment on, however far before the commitment (本行均不就产品的本金安全
# 或任何收益水平作出承诺, 不对…作任何保证)
_NO_COMMITMENT = Pattern(r"不(?:就|对)[^,，;；。!！?？]{1,30}?(?:作|做)出?(?:任何)?(?:承诺|保证)")


def _no_commitment_on(norm: str, clause: int, start: int, hi: int) -> bool:
    return any(m.start() < start < m.end() for m in _NO_COMMITMENT.finditer(norm, clause, clause_end(norm, start, hi)))


# A quoted promise the reader is told to report (如有客户经理承诺“存款送礼”请向我行投诉) is named, not made, a
# hotline's number between or not (probe 127: 许诺“存款返现”，请拨打96658投诉).
_REPORTED = Pattern(r"[^。!！?？]{0,8}?(?:\d[\d-]{2,14})?(?:投诉|举报)")
# A quoted label then shown to be another product (买的“理财存单”其实是一份分红险): the label is named, not said.
# probe 169: the customer's word taken up as the name of the bank's own product (您说的“存单式理财”就是我们的…理财)
_ADOPTED = Pattern(r"(?:就|也|正|便)是(?:我们|我行|本行|咱们?|咱家)(?![^?？]{0,15}[?？])")  # (matched in 15 characters)
_REVEALED = Pattern(r"(?:其实|实际上|实则|原来|竟然)(?:就)?是(?:一[份款张个只笔])?[^,，;；。!！?？\"]{0,6}?"
                    r"(?:保险|保单|险|理财|基金)")


# The keyword a reply answers (关键词回复【保本】：…不承诺保本) is the customer's word, named in its label; a menu
# label (菜单【理财存款】) is the bank's own. A label joined by + is a form the customer fills in, not a word
# (回复【姓名+卡号】): what follows the + is asked for.
_KEYWORD_LABEL = Pattern(r"(?:关键词|关键字|回复)[^【。]{0,4}【[^】+]{0,10}$")
_ANSWER = Pattern(rf'"?\s*{ANSWER_MARK}')
_ANSWERED_REFUSING = Pattern(rf'[?？]"?\s*{ANSWER_MARK}[^。!！?？]{{0,12}}?'
                             r"(?:不以|不会|不能|不是|并非|没有|不得|不存在|禁止)")
# A question put by the customer (问：…？, 客户问…？): the bank answers it, it does not say it.
# (有阿姨问：…？, 老人家问我：“…吗？”: an older depositor asking is a customer asking; so is a viewer:
# 宝子们问…？, 弹幕问：…？)
_ASKED = Pattern(r"(?<![\u4e00-\u9fff])问[:：]|(?:客户|网友|用户|粉丝|读者|有人|有乡亲|有老乡|有街坊)问"
                    r"|(?:宝子|宝宝|家人|铁子|姐妹|小伙伴|朋友)们?问|弹幕(?:里|上)?(?:有人)?问"
                    r"|评论区(?:里)?(?:有人)?问|私信(?:里)?(?:有人)?问"
                    r"|(?:阿姨|大爷|大妈|大娘|大婶|婶子|大伯|大叔|大姐|大哥|奶奶|爷爷|老人家|老人|储户|村民|乡亲|老乡|街坊"
                    r"|邻居|姐妹)(?:们)?(?:来)?问(?:我|咱|我们)?[:：]?"
                    r"|(?<![a-z])q[:：]|问(?:了|过)?(?:客服|客户经理|理财经理|柜员)[:：]")


# A marker before the quotation, or before a run of them (您说的“不看征信”或“秒批”), a few words between (probe 126:
# 您说的线上“秒批”).
_MARKED = Pattern("(?:" + "|".join(QUOTE_MARKERS) + ')[^"。!！?？,，;；]{0,4}(?:"[^"]{0,20}"[或和、及与]?){0,4}$')


def asked_by_customer(norm: str, start: int) -> bool:
    """The phrase at `start` is in a question the customer puts (问：预期收益率是多少？): the bank answers it."""
    lo, hi = sentence_bounds(norm, start)
    if _ANSWER.match(norm, hi + 1):  # a run of questions before one answer is asked together (问：能查余额吗？
        for _ in range(3):  # 只要我把卡号发给你？答：不需要)
            if lo == 0 or norm[lo - 1] not in "?？":
                break
            lo = sentence_bounds(norm, lo - 1)[0]
    # (the match may begin with the asking: 客户问：“这款理财能保证收益吗？”)
    # (probe 172: a text opening on a question its answer refuses, 基金申购送礼？答：…我行不以抽奖…, is an FAQ's)
    return ((norm.startswith(("?", "？"), hi) and (bool(_ASKED.search(norm, lo, min(hi, start + 3)))
                                                  or (lo == 0 and bool(_ANSWERED_REFUSING.match(norm, hi)))))
            or _in_question_turn(norm, start))


def _in_question_turn(norm: str, start: int) -> bool:
    """An FAQ's question turn runs from 问： to its 答：, whatever its sentences end with (问：我邻居买了你们的
    理财赚了不少，我也想买。答：…): the customer's telling, answered by the bank."""
    asks = list(_QUESTION_TURN.finditer(norm, max(0, start - LOOK_AROUND), start + 1))
    answer = _ANSWER_TURN.search(norm, asks[-1].end(), start + LOOK_AROUND) if asks else None
    return answer is not None and answer.start() > start  # (a match that begins the answer, 答：其实差不多, is its)


_QUESTION_TURN = Pattern(r"(?<![\u4e00-\u9fff])问[:：]|(?<![a-z])q[:：]")
_ANSWER_TURN = Pattern(rf"(?<![a-z])a[:：]|{ANSWER_MARK}")


def said_by_the_customer(norm: str, start: int) -> bool:
    """In a chat transcript the customer's own turn (客户：这个理财能保本吗？我只想要稳赚的。客服：…) is answered, not
    said by the bank; 尊敬的客户： is a greeting, not a turn. The phrase may begin with the turn (客户：“…稳赚的”).
    A customer's words with no answer from the bank around them are a testimonial, not a turn. Read within
    LOOK_AROUND, as every look-back here is."""
    around = list(_TURN.finditer(norm, max(0, start - LOOK_AROUND), start + LOOK_AROUND))
    turns = [m.group(1) for m in around if m.start(1) <= start]
    return bool(turns) and turns[-1] in _CUSTOMER and any(m.group(1) not in _CUSTOMER for m in around)


_CUSTOMER = ("客户", "用户")


_TURN = Pattern(r"(?:^|(?<=[。!！?？\n】\]\s\"]))"
                   r"(客户|用户|(?:在线|人工|智能)?客服|坐席|柜员|理财经理|客户经理)[:：]")


def _denied_in_answer(norm: str, question_end: int, head: str) -> bool:
    """The answer's first sentence says the asked word negated: 这款理财保本吗？答：该产品为非保本浮动收益型."""
    end = sentence_bounds(norm, question_end + 1)[1]
    found = norm.find(head, question_end + 1, end)
    for _ in range(ANSWER_MENTIONS):  # read without a question of its own: a run of questions must not recurse
        if found < 0:
            return False
        if _after_a_negator(norm, clause_start(norm, found), found):
            return True
        found = norm.find(head, found + 1, end)
    return False


# An answer denies the asked word at its first mentions; a sentence repeating it scores of times (没有风险吗 over and
# over, unpunctuated) asked each question to read them all: validate took 15 s on 20,000 characters.
ANSWER_MENTIONS = 3


def denied_in_clause(norm: str, start: int) -> bool:
    """A clause negator before `start` in its clause, and nothing else of `negated`'s frames: a product's
    descriptor denied (他推荐的产品也不是我行代销的, 并非本行代销) describes none (probe 108); a short 不 or
    非 (不收申购费) or a quoted slogan beside it leaves it describing one."""
    return bool(CLAUSE_NEGATORS.search(norm, clause_start(norm, start), start))


def _after_a_negator(norm: str, clause: int, start: int) -> bool:
    """A negator of the clause before `start`, or a short one within 4 characters (非保本); never one from the
    clause before (不会少，国家全额保障). A phrase with a negator of its own is a list item of its own: the
    negators of the items before it (不用跑网点、不用交流水、不用房产证明) do not turn it round."""
    if norm.startswith(NEGATORS, start):
        clause = max(clause, norm.rfind("、", clause, start) + 1)
    for taken in _OBJECT_TAKEN.finditer(norm, clause, start + 1):  # 无需担保秒批: 无需 ends at 担保
        clause = min(taken.end(), start)
    if any(not _RHETORICAL.match(norm, m.start()) and not (_ASKING.search(norm, max(0, m.start() - 1), m.end() + 1)
                                                           and _ANSWERED_YES.match(norm, start))
           for m in CLAUSE_NEGATORS.finditer(norm, clause, start)):
        return True
    for neg in NEGATORS:
        j = norm.rfind(neg, max(clause, start - NEGATION_WINDOW - len(neg)), start)
        if (j >= 0 and start - (j + len(neg)) <= NEGATION_WINDOW and not a_not_a(norm, j)
                and not _inside_a_word(norm, j) and not _RHETORICAL.match(norm, j)):
            return True
    return False


# 不是…嘛 asks the reader to agree (您家孩子不是刚上大二嘛): it affirms what it holds (probe 126); so does 不…更待何时
# (现在不上车更待何时: now or never), and a forgetting denied asks for what follows (别忘了回复短信验证码, 不要忘了把
# 验证码发给我们: attack review 66).
_RHETORICAL = Pattern(r"不是[^,，;；。!！?？]{1,12}?嘛|不[^,，;；。!！?？]{1,12}?更待何时"
                      r"|(?:千万|可)?(?:别|不要|不能|不可|勿|请勿|切勿|莫)忘")


# A negator that has taken its object, a thing the borrower need not bring (无需担保, 不用抵押), negates nothing
# after it (probe 100: 无需担保秒批 promises 秒批).
_OBJECT_TAKEN = Pattern(r"(?:无需|无须|不需要?|不用|免)(?:提供|任何)?(?:担保人?|抵押物?|质押|证明|材料|流水|排队|面签)"
                        r"(?=[\u4e00-\u9fff])")


def _inside_a_word(norm: str, j: int) -> bool:
    """The 不 at `j` belongs to a word that negates nothing (NOT_NEGATING), where it begins it or not (差不多)."""
    return any(norm.startswith(word, j - offset) for word, offset in _NOT_NEGATING_AT)


# 不 inside a word of its own negates nothing after it (不少老客户, 不断增值, 不仅…还, 不管涨跌, 一字不差地, 差不多),
# nor does one that urges (不能错过的消费贷) or finds no equal (找不到对手, 找不到比这更低的), the customer's
# inability that the offer answers (还不上也能一直往后延), or a time said to be short (不到一分钟钱就到了).
NOT_NEGATING = ("不少", "不断", "不仅", "不错", "不久", "不管", "不论", "不过", "不但", "不止", "不妨", "不容错过",
                "不能错过", "不可错过", "不要错过", "不到对手", "不出对手", "不到比", "不出比", "不差地", "差不多",
                "还不上", "还不起", "还不了",
                "生意不好", "经营不好", "效益不好", "行情不好",  # probe 146: a hard time the offer answers
                "钱不够", "费不够",  # probe 153: money short (生活费不够就先借来周转), which the offer answers
                "进不出",  # money that only comes in (只进不出) denies no loss: it promises one away
                "记不住", "记不清", "想不起", "看不懂", "搞不懂",  # the reader's trouble, which the offer answers
                "不到一分钟", "不到两分钟", "不到三分钟", "不到五分钟", "不到十分钟", "不到半小时", "不到一小时")
_NOT_NEGATING_AT = tuple((word, word.index("不")) for word in NOT_NEGATING)


def a_not_a(norm: str, j: int) -> bool:
    """不 between two of the same character (动不动, 是不是, 要不要) asks or intensifies; it negates nothing."""
    return norm.startswith("不", j) and 0 < j < len(norm) - 1 and norm[j - 1] == norm[j + 1]


def in_quotation_marks(norm: str, start: int) -> bool:
    """The position sits inside a pair of quotation marks of its sentence: the text names the words
    (“保本理财”退出历史舞台, 谨防“黑户可贷、当天放款”), it does not say them."""
    lo, hi = sentence_bounds(norm, start)
    return norm.count('"', lo, start) % 2 == 1 and norm.find('"', start, hi) >= 0


# Words quoted to be corrected right after (弹幕说“买这个稳赚吧”，主播纠正一下：…; 有人说“理财就是存款”，这种说法不对)
# are a misconception answered, not a claim made.
_CORRECTION = Pattern(r'"[^"。!！?？]{0,12}?(?:纠正|澄清|并非如此|不是这样|不对|错了|是误区|是误解|是错误|这种说法'
                      r"|这个说法|这类说法|没有哪)"
                      # or asked and answered no (消费贷“人人可贷”？不存在的)
                      r'|"[?？]\s*(?:不存在|没有的事|没这回事|没有这回事|假的)')


def corrected(norm: str, start: int, end: int) -> bool:
    """The match (or its end) sits in quotation marks that a correction follows in the same sentence."""
    inside = start if in_quotation_marks(norm, start) else -1
    if inside < 0 and end > start and in_quotation_marks(norm, end - 1):
        inside = end - 1
    closing = norm.find('"', inside + 1, sentence_bounds(norm, inside)[1] + 1) if inside >= 0 else -1
    return closing >= 0 and bool(_CORRECTION.match(norm, closing))


# A line staff are told to say (先说“日息低至万分之二”, 统一回答“…”) is said to the customer, not named.
_SCRIPT = Pattern(r"(?:先|就|要|统一|直接|主动|跟客户|对客户|和客户|向客户)(?:说|讲|回答|答复|强调|报)[:：]?$")


def scripted(norm: str, start: int) -> bool:
    """The quotation marks around `start` open a line staff are told to say to the customer."""
    lo = sentence_bounds(norm, start)[0]
    opening = norm.rfind('"', lo, start)
    return opening >= 0 and bool(_SCRIPT.search(norm, max(lo, opening - 6), opening))
