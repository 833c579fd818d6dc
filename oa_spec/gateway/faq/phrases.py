"""Readings of words that only their neighbours tell, applied after the lexicon (normalize.py, step 4): 还 is
'repay' where it closes a clause or comes before what is repaid, 开 after 申请 is opening an account, 解开 is
解冻 when the message names a freeze, a lone 开 of a service is switching it on, a bare verb takes the act of the
thing it names (bare_verbs.tsv), 到 without 没 is 到账, a country a transfer goes to is a cross-border remittance,
差 before tens of thousands (还差十来万) is short of money, a loan, and a need (周转不开) is no loan asked when the
message names a credit card (店里周转想办张信用卡)."""

from __future__ import annotations

from oa_spec.gateway.faq.data import bare_verbs, countries

# what may follow a verb that closes its clause (信用卡怎么还？)
# (么 closes a question in the south-west as 吗 does: 能用建行卡还么)
_CLAUSE_END = frozenset({"吗", "呢", "啊", "呀", "吧", "?", "？", "。", ",", "，", "!", "！", " ", "了吗", "的", "啥",
                         "么"})
_HOW = frozenset({"怎么", "咋", "如何", "怎样", "怎么样"})
_MAY = frozenset({"能", "可以", "可", "能够"})
_WHERE = frozenset({"哪里", "哪儿", "在哪", "在哪里"})
# A customer afraid of forgetting to pay (怕忘了还, 担心晚还), or who always does (老是忘记还), asks how to pay on time,
# not about being late
WORRY = frozenset({"怕", "担心", "生怕", "就怕", "害怕", "怕会", "老是", "总是", "经常", "常常"})
# A need told (周转不开, 手头紧, 缺钱: the lexicon's 消费贷款) is why a customer wants what the message names; when it
# names a credit card (店里周转想办张信用卡), the card is what is wanted, and the need asks for no loan
NEEDS = frozenset({"周转", "资金周转", "手头紧", "差钱", "缺钱", "钱不够", "钱不太够", "不够钱"})
WANTED_INSTEAD = "信用卡"
_STILL = frozenset({"没", "没有", "不", "是", "在", "有", "要", "能", "得", "会", "可以", "想", "没到", "未"})


# what is repaid (能用它还你们的信用卡吗), with the owner words a customer puts before it
_REPAID = frozenset({"信用卡", "贷记卡", "房贷", "贷款", "欠款", "账单"})
_HOW_MUCH = frozenset({"多少", "好多"})
_MUST = frozenset({"要", "该", "得", "需", "需要", "应该", "应", "总共要", "一共要"})
_WHOSE = frozenset({"你们", "你们家", "你们的", "我们", "的", "我", "我的", "张", "这张", "那张"})


def repays(tokens: list[str], position: int) -> bool:
    """还 is the verb 'repay' when it closes a clause (信用卡怎么还, 能还不), follows 'how' without a 'still' word
    after it (怎么还比较方便) or comes right before what is repaid (用它还你们的信用卡), not 'still' (还没到,
    怎么还没到账); nor someone who won't give money back (对方装死不还)."""
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    if after is None or after in _CLAUSE_END:
        return position == 0 or tokens[position - 1] != "不"
    if after == "不" and position and tokens[position - 1] in _MAY and (
            position + 2 == len(tokens) or tokens[position + 2] in _CLAUSE_END):
        return True  # 能还不, 可以还不: asking whether one may repay (用别家的卡能还不)
    if after in _HOW | _WHERE and (position + 2 == len(tokens) or tokens[position + 2] in _CLAUSE_END):
        return True  # 欠 钱, 还 怎么: the act signed before the question word that ends the clause (signed.py)
    if after in _HOW_MUCH and position and tokens[position - 1] in _MUST:
        return True  # 这个月要还好多, 该还多少: how much is to be repaid (卡里还多少钱 is what is left)
    repaid = next((t for t in tokens[position + 1:position + 4] if t not in _WHOSE), None) in _REPAID
    return repaid or (position > 0 and tokens[position - 1] in _HOW and after not in _STILL
                      and not after.startswith(("没", "不")))


# 办一张卡, 整张卡, 弄张你们家的卡: getting a (debit) card is opening an account, unless it is a new one for a lost
# one (重新弄张卡: the lexicon's 补办). The words a customer puts between the verb and the card:
_BETWEEN_APPLY_AND_CARD = frozenset({"一张", "张", "个", "一个", "你们", "你们家", "家", "行", "银行", "本地", "的",
                                     "新", ","})
_AGAIN = frozenset({"重新", "再", "又"})
# 还想再 (also want another: 有张信用卡了，还想再开张借记卡) is one more card, not a new one for the old
_ALSO = frozenset({"还想", "还要", "也想"})
# and a lone 开 (open) followed by an account or a card (开个借记卡账户, 开个工资卡) is 开户 too, and so is 想开 (want
# to open), which jieba keeps as one word ('get over it': 想開一個銀行帳戶)
_APPLY = {"申请": frozenset({"银行卡"}), "开": frozenset({"银行卡", "账户"}), "想开": frozenset({"银行卡", "账户"})}


def _again(words: list[str], position: int) -> bool:
    """再, 重新 or 又 before the act: a new card for the old one, unless 还想, 还要 or 也想 before it makes it one more
    (还想再开张借记卡)."""
    if not position or words[position - 1] not in _AGAIN:
        return False
    before = words[max(0, position - 3):position - 1]
    return not _ALSO.intersection(("".join(before), before[-1] if before else ""))


def _opens_account(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """申请 (办, 整, 弄张) followed by 银行卡, or 开 followed by 银行卡 or 账户, also reads 开户; not 办的卡 (the card
    one got, 以前办的卡想销掉)."""
    words = [word for word, _ in out]
    for position in reversed(range(len(words) - 1)):
        if words[position] not in _APPLY or words[position + 1] == "的" or _again(words, position):
            continue
        after = next((w for w in words[position + 1:position + 6] if w not in _BETWEEN_APPLY_AND_CARD), None)
        if after in _APPLY[words[position]] or (words[position] == "申请" and _card_named_before(words, position)):
            out.insert(position + 1, ("开户", ()))
    return out


# 公司说要本行工资卡，我去办一张要带啥: the card named first, then getting one and what to bring; not when the
# card is being replaced, closed or unlocked (卡丢了，补办要带啥)
_CARD_ERRANDS = frozenset({"补办", "挂失", "注销", "销户", "解冻", "解锁", "激活", "开户"})


def _card_named_before(words: list[str], position: int) -> bool:
    later = [w for w in words[position + 1:position + 3] if w not in {"需要", "要"}]
    return (bool(later) and later[0] == "材料" and "银行卡" in words[:position]
            and _CARD_ERRANDS.isdisjoint(words))


# 解开 (undo, the lexicon's 解锁) undoes what the message names: a frozen account (冻住了，怎么解开) is unfrozen; and so
# does a lone 解 (账户已被冻结…怎么解), which says nothing else (解绑，怎么解 stays)
UNDO = frozenset({"解开", "整开", "解"})


def _undoes(out: list[tuple[str, tuple[str, ...]]], undo: list[int]) -> list[tuple[str, tuple[str, ...]]]:
    """解开 reads 解冻 when the message names 冻结 and no lock (锁定)."""
    words = {word for word, _ in out}
    if undo and "冻结" in words and "锁定" not in words:
        for position in undo:
            out[position] = ("解冻", out[position][1])
    return out


# 开 (open) a service that is switched on (手机银行咋开, 短信提醒点样开) is 开通; not what was opened
# (手机银行开的二类户), nor a statement or proof one has issued (流水能在手机上开吗: the lexicon's 开具), nor an
# account (开个户头，能不能在手机上开)
_SWITCHED_ON = frozenset({"手机银行", "网上银行", "短信通知", "动账"})
_OPENED = frozenset({"的", "了", "过"})
_OPEN = frozenset({"开", "想开"})
_NOT_SWITCHED = frozenset({"开户", "流水", "存款证明"})


def _switches_on(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """A lone 开 (or 想开, want to open: 想开个短信提醒) reads 开通 when the message names a service one switches on."""
    words = [word for word, _ in out]
    if _SWITCHED_ON.isdisjoint(words) or not _NOT_SWITCHED.isdisjoint(words):
        return out
    return [("开通", parts) if word in _OPEN and (position + 1 == len(words) or words[position + 1] not in _OPENED)
            else (word, parts) for position, (word, parts) in enumerate(out)]


def _bare_verbs(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """A bare verb reads the act its thing takes (bare_verbs.tsv: a lone 提 reads 提额 when the message names 额度,
    开通 reads 激活 when it names 信用卡 and no service) when the message names its things and none of the words
    that keep it as it is."""
    words = {word for word, _ in out}
    for verb, things, act, unless in bare_verbs():
        if things <= words and unless.isdisjoint(words):
            out = [(act if word == verb else word, parts) for word, parts in out]
    return out


# the password of the app or of online banking (进手机银行的密码, 网银密码) is the one that logs in: not a card's PIN
_LOGS_IN_TO = frozenset({"手机银行", "网上银行"})


def _logs_in(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """密码 right after 手机银行 or 网上银行 (的 between or not) reads 登录 密码."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for word, parts in out:
        owner = found[-2:] if found and found[-1][0] == "的" else found[-1:]
        if word == "密码" and owner and owner[0][0] in _LOGS_IN_TO:
            found.append(("登录", ()))
        found.append((word, parts))
    return found


# 离…近 (离孩子学校近的ATM, 离公司近一点的网点) asks for what is near a place: the lexicon's 附近
_BREAKS = frozenset({",", "?", "!", "。"})


def _near(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """近 reads 附近 after 离 in the same clause, a few words before."""
    words = [word for word, _ in out]
    found = list(out)
    for position, word in enumerate(words):
        before = words[max(0, position - 5):position]
        if word == "近" and "离" in before and _BREAKS.isdisjoint(before[before.index("离"):]):
            found[position] = ("附近", ())
    return found


# not spending money on it (不花钱, 不用花钱) asks for the free way: 免费 (not a lexicon variant: 花钱 alone is
# spending)
_NO_SPEND = frozenset({"不", "不用", "不要", "无需", "不需要"})


def _free(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """花钱 after 不 (不用, 无需) reads 免费."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for word, parts in out:
        if word == "花钱" and found and found[-1][0] in _NO_SPEND:
            found[-1] = ("免费", ())
            continue
        found.append((word, parts))
    return found


# money sent (钱打过来了) that has not come (我这咋还没到), or when it comes (转过去的钱啥时候能到), is its arrival: 到
# reads 到账 when the message names a transfer (a card in the post that has not come is not money)
_NOT_YET = frozenset({"没", "没有"})


# what closes a clause asking whether money will arrive (啥时候能到啊, 能到不): a question particle or a break
_ARRIVES_BEFORE = ([","], ["吗"], ["?"], ["啊"], ["呀"], ["呢"], ["吧"], ["不"], ["没"])


def _arrives(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """到 after 没, or closing a clause (转过去的钱啥时候能到), reads 到账 when the message names 转账."""
    words = [word for word, _ in out]
    if "转账" not in words:
        return out
    return [("到账", ()) if word == "到" and ((position and words[position - 1] in _NOT_YET)
                                             or words[position + 1:position + 2] in ([], *_ARRIVES_BEFORE))
            else (word, parts) for position, (word, parts) in enumerate(out)]


# money moved to a foreign country (转账到美国我孩子的账户, 给英国的账户汇钱) goes abroad: a cross-border
# remittance, which no FAQ question covers (bank_dict.txt); so is money sent to someone there (给在加拿大的孙女汇点钱),
# unless the message buys the currency first (给在美国的家人汇钱，得先换美元: 购汇)
_MOVES = frozenset({"转账", "汇款", "到账", "收款"})
_TOWARDS = frozenset({"到", "往", "给", "去"})
_ITS = frozenset({"账户", "银行卡", "银行"})


def _abroad(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """A country right after 到 (往, 给, 去), or right before its account (美国的账户), reads 跨境汇款 when the message
    moves money."""
    words = [word for word, _ in out]
    if _MOVES.isdisjoint(words):
        return out
    abroad = countries()
    found = list(out)
    for position, word in enumerate(words):
        after = [w for w in words[position + 1:position + 3] if w != "的"][:1]
        someone_there = words[position - 2:position] == ["给", "在"] and "购汇" not in words
        if word in abroad and ((position and words[position - 1] in _TOWARDS) or (after and after[0] in _ITS)
                               or someone_there):
            found[position] = ("跨境汇款", ())
    return found


# short of tens of thousands (装修还差十来万, 手头差个二十来万, 还差三万左右) is short of money: the lexicon's 缺钱, a
# loan; not a few hundred or thousand short (还差两千没还上, 余额差了几百: an overdue bill, a mismatch)
_AMOUNT = frozenset("0123456789零一二两三四五六七八九十百千万几来多块")  # 差几万块


def _short_of(out: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """差 (差个) before an amount in 万 reads 消费贷款, the amount with it."""
    words = [word for word, _ in out]
    found: list[tuple[str, tuple[str, ...]]] = []
    position = 0
    while position < len(words):
        start = position + 1 + (words[position + 1:position + 2] == ["个"])
        end = start
        while end < len(words) and end < start + 4 and set(words[end]) <= _AMOUNT:
            end += 1
        if words[position] == "差" and "万" in "".join(words[start:end]):
            found.append(("消费贷款", ()))
            position = end
            continue
        found.append(out[position])
        position += 1
    return found


def reread(out: list[tuple[str, tuple[str, ...]]], undo: list[int]) -> list[tuple[str, tuple[str, ...]]]:
    """The words after the lexicon, with the readings only their neighbours tell, in order."""
    out = _bare_verbs(_free(_near(_logs_in(_switches_on(_opens_account(_undoes(out, undo)))))))
    return _short_of(_abroad(_arrives(out)))
