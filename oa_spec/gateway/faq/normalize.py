"""Bring a customer's message closer to the FAQ's words before ranking.

Steps (their word lists are data, see `data.py`):
1. script: full-width to half-width, tone marks off Latin letters, lower case, traditional to simplified,
   written Cantonese, Wu, Minnan and Hunan-Hubei-Jiangxi to Mandarin (冇 to 没, 几多 to 多少, 勿 to 不, 按怎 to 怎么,
   么子 to 什么: before segmenting, so 仲有几多钱 reads 还有多少钱 and 进勿去 进不去); a character stretched for
   emphasis (急急急, 卡卡卡) once;
2. Latin runs: Jyutping (dim2 joeng2 gwaa3 sat1) is read into characters before written Cantonese is
   (jyutping.py); English words the lexicon knows (`password`, `credit card`) become the bank's term, pinyin
   (with or without spaces, tone numbers) is read back into the vocabulary's words, anything else is kept;
3. typos (挂史 for 挂失, 手杌 for 手机): a run that is not a word but sounds like a banking term and shares a
   character with it, or is one shape-alike character away from one (shapes.py), is replaced by the term;
4. words: jieba with the banking dictionary; regional phrases (简讯) and everyday words (卡丢了, 手头紧)
   map, whole words only, to the bank's terms; 解开 (undo) reads 解冻 when the message names a freeze, and a lone
   开 reads 开通 when it names a service one switches on (手机银行咋开).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from oa_spec.gateway.faq.accents import southern_key
from oa_spec.gateway.faq.ages import minors
from oa_spec.gateway.faq.behalf import on_behalf
from oa_spec.gateway.faq.data import (
    CJK,
    bank_words,
    banking_terms,
    dialect_mandarin,
    dialect_phrases,
    lexicon,
    outside_words,
    regional,
    stopwords,
)
from oa_spec.gateway.faq.elsewhere import banks_apart
from oa_spec.gateway.faq.jyutping import JyutpingReader, syllables_typed
from oa_spec.gateway.faq.notices import plain_notice
from oa_spec.gateway.faq.numerals import currency_apart, in_digits, large_cash
from oa_spec.gateway.faq.phrases import NEEDS, UNDO, WANTED_INSTEAD, WORRY, repays, reread
from oa_spec.gateway.faq.pinyin import PinyinReader, is_pinyin, readings, sound, sounds_as_read, syllables_said
from oa_spec.gateway.faq.segment import cut, frequency, is_dictionary_word
from oa_spec.gateway.faq.shapes import ShapeReader
from oa_spec.gateway.faq.signed import signed_joined
from oa_spec.util.hanzi import as_mandarin, cantonese, cantonese_phrases, t2s_table

_LATIN_RUN = re.compile(r"[a-z0-9]+(?:[ '’-]+[a-z0-9]+)*")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?=[^0-9]|$)")
_ACCENTED = re.compile(r"[\u00c0-\u024f]")
# Voice input and quick typing separate clauses with a space (卡掉了咋整 快帮我锁住): between Chinese characters a space
# is a clause break (not in Latin or pinyin), unless the runs make one known word typed apart (花钱 记录, 理才 产品)
_SPOKEN_BREAK = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]+)\s+(?=([\u4e00-\u9fff]+))")
# Young customers end a clause with an emoji instead of a comma (放活期太亏了🤔 有什么理财推荐的吗): an emoji, with
# the joiners and spaces around it, is a clause break too
# (the spaces before it from the first one only: a run of spaces is not scanned again from each of them)
_EMOJI_BREAK = re.compile(r"(?<!\s)\s*[\u2600-\u27bf\U0001f000-\U0001faff]"
                          r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d\s]*")
# Fast typists stretch a character for emphasis (急急急, 啊啊啊, 卡卡卡被锁了, 等等等): three or more of the same
# character in a row read as one (no word of the FAQ or of everyday speech repeats a character three times)
_STRETCHED = re.compile(r"([\u4e00-\u9fff])\1{2,}")
# a number of instalments (分12期, 分成6期) splits the bill into instalments: 分期, as 分三期 reads
_INSTALMENTS = re.compile(r"分成?\s*([0-9]+)\s*(?:个)?期")
# Wu's 好 before a verb is 'can' in a question ending on 伐 (手机上好改伐, 用别家银行卡好还伐): 能, so it is not heard
# with the word before it (卡好 as 卡号); not 好多, 好几, 好久, 好像, 好看 (many, several, long, as if, nice)
_WU_CAN = re.compile(r"好(?![多几久像看好])(?=[\u4e00-\u9fff]{1,4}伐)")


def _strip_accent(match: re.Match[str]) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", match.group(0)) if not unicodedata.combining(c))


def basic(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _ACCENTED.sub(_strip_accent, text).lower().replace("ü", "u")
    return text.translate(t2s_table())


def _latin_lexicon() -> dict[tuple[str, ...], str]:
    return {tuple(variant.split()): canonical for variant, canonical in lexicon().items() if variant.isascii()}


_PRODUCT_HEADS = frozenset({"贷", "险"})
_UNITS = frozenset("点块号月年日天万元岁次个期笔")  # what follows a figure (11点, 5块, 3号)
_PARTICLES = frozenset("了的吗呢啊吧呀着过得地么")
_ASKING_ENDS = frozenset("吗呢吧啊呀")
# a negation typed is meant: 拿不回来 is not 拿补回来, 没人回 not a typo of a term with another character there
_NEGATIONS = frozenset("不没")


def _join_heads(tokens: list[str]) -> list[str]:
    """A lone character before 贷 or 险 names the product (车贷, 网贷, 寿险): keep the two together, so the
    product reads as one (unknown) word and not as the generic 贷款."""
    out: list[str] = []
    for token in tokens:
        if token in _PRODUCT_HEADS and out and len(out[-1]) == 1 and CJK.fullmatch(out[-1]) \
                and out[-1] not in stopwords():
            out[-1] += token
        else:
            out.append(token)
    return out


def _amount_units(tokens: list[str]) -> list[str]:
    """After a number, 万 is the amount's unit, not the start of a word (30万能办到不 is not 万能, 5万一年 not 万一);
    an amount's own words stay (5万美元)."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1][-1:].isdigit() and token in ("万能", "万一"):
            out.extend((token[0], token[1:]))
        else:
            out.append(token)
    return out


@lru_cache(maxsize=1)
def _everyday() -> frozenset[str]:
    """The characters that are words of their own in a customer's message (stopwords.txt: 要, 问, 会)."""
    return frozenset(word for word in stopwords() if len(word) == 1)


@lru_cache(maxsize=1)
def _longest_term() -> int:
    return max(map(len, banking_terms()), default=2)


class Normalizer:
    """Knows the vocabulary (the FAQ's words and the lexicon's terms) so pinyin and homophones map to it."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        faq_words = {w for w in vocabulary if CJK.fullmatch(w)}
        mapping = lexicon()
        terms = {t for t in set(bank_words()) | set(mapping.values()) if CJK.fullmatch(t) and len(t) >= 2}
        variants = {v for v in mapping if CJK.fullmatch(v)}
        known = variants | set(regional())
        self._words = {w for w in faq_words if len(w) >= 2} | terms | known
        # Typed pinyin may spell any word of the FAQ, the lexicon or the stopwords, the FAQ's own words first;
        # a homophone typo is only corrected towards a banking term, never towards an everyday word. It may
        # spell another domain's name too (zhifubao: 支付宝), last, and only a long one: two syllables are as
        # often an everyday word (huafei 花费, not 话费; fangjia 放假, not 房价).
        by_frequency = sorted(faq_words, key=lambda w: (len(w) == 1, -frequency(w), w))
        # Not Taiwan's and Hong Kong's words (regional.tsv): their customers do not type pinyin, and a mainland
        # typist's yi zhang (一张) is not their 胰脏.
        spelt = [*by_frequency, *sorted(terms), *sorted(variants),
                 *sorted(w for w in stopwords() if CJK.fullmatch(w)),
                 *sorted(w for w in outside_words() if CJK.fullmatch(w) and len(w) > 2)]
        self._pinyin = PinyinReader(spelt, _everyday())
        # Jyutping is read into the same words and written Cantonese's (唔见咗, 点样), which then read as Mandarin
        spoken = sorted(cantonese(), key=lambda w: (-len(w), w))
        self._jyutping = JyutpingReader([*by_frequency, *spoken, *spelt[len(by_frequency):]])
        # Several terms share a sound (消户 and 销户 both read xiaohu): each sound keeps all of them, and a
        # typo is corrected towards the one it shares a character with.
        self._homophones: dict[str, list[str]] = {}
        self._southern: dict[str, list[str]] = {}  # the same, as a southern accent merges sounds (accents.py)
        self._parts: dict[str, list[str]] = {}
        # Not a Taiwan or Hong Kong word for another domain's thing (卡达 for Qatar: 农行卡打生活费 is no country)
        said_by_bank = {k for k, v in regional().items() if v in terms or v in mapping or v in faq_words}
        heard = variants | said_by_bank
        for term in sorted(terms | {v for v in heard if len(v) >= 2}, key=lambda w: (-len(w), w)):
            for reading in readings(term):
                candidates = self._homophones.setdefault("".join(reading), [])
                if term not in candidates:
                    candidates.append(term)
        # an accent's slip is corrected towards a banking term or its short form (短信 of 短信通知) only, not towards
        # a customer's phrase for one: the looser match would reach everyday words said as meant (想取出来 is not
        # 先取出来, 说卡 not 锁卡); the commoner term first (烦款: 还款, not 放款)
        short = {v for v in variants if len(v) >= 2 and v in mapping[v] and v not in terms}
        for term in sorted(terms | short, key=lambda w: (-frequency(w), w)):
            for reading in readings(term):
                candidates = self._southern.setdefault(southern_key(reading), [])
                if term not in candidates:
                    candidates.append(term)
        self._shapes = ShapeReader(w for forms in self._homophones.values() for w in forms)
        self._latin = _latin_lexicon()
        self._latin_longest = max((len(k) for k in self._latin), default=1)
        self._mapping = {**regional(), **{k: v for k, v in mapping.items() if not k.isascii()}}

    def __call__(self, text: str) -> str:
        return " ".join(self.words(text))

    def words(self, text: str) -> list[str]:
        return [word for word, _ in self.analyse(text)]

    def analyse(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """The bank's words for the text, each with the banking terms inside the word the customer wrote
        (买房贷款: 房贷, with 买房 and 贷款 inside)."""
        text = signed_joined(_EMOJI_BREAK.sub(",", _STRETCHED.sub(r"\1", plain_notice(basic(text)))))  # signed.py
        text = _SPOKEN_BREAK.sub(lambda m: m[1] + ("" if self._one_word(m[1] + m[2]) else ","), text)
        text = _LATIN_RUN.sub(self._jyutping_run, text)  # jyutping.py: before written Cantonese is read
        text = dialect_phrases().sub(lambda m: dialect_mandarin()[m.group(0)],
                                     _WU_CAN.sub("能", cantonese_phrases().sub(as_mandarin, text)))
        text = _LATIN_RUN.sub(self._latin_run, _INSTALMENTS.sub(r"分期 \1期", minors(text)))
        text = CJK.sub(self._fix_run, text)
        out: list[tuple[str, tuple[str, ...]]] = []
        undo: list[int] = []
        tokens = large_cash(currency_apart(in_digits(_amount_units(_join_heads(banks_apart(cut(text)))))))
        for position, token in enumerate(tokens):
            if token == "还" and repays(tokens, position):
                token = "还款"
            mapped = self._mapping.get(token, token).split()
            if mapped == ["逾期"] and WORRY.intersection((tokens[position - 1] if position else "",
                                                           "".join(tokens[max(0, position - 2):position]))):
                mapped = ["还款"]  # 怕忘了还: paying on time is asked, not what happens once late
            if token in NEEDS and any(self._mapping.get(t, t) == WANTED_INSTEAD for t in tokens):
                mapped = []  # 店里周转想办张信用卡: the card is wanted, the need is why (phrases.py)
            if mapped == ["吞卡"] and tokens[position + 1:position + 2] and tokens[position + 1].isdigit():
                mapped = ["银行卡", "扣款"]  # 卡被扣了500块: money taken from the card, not a card the machine kept
            if (token == "卡" and tokens[position - 1] != "的" and not tokens[position - 1].endswith("行")
                    and any(w == "信用卡" for w, _ in out)
                    and all(w != "银行卡" for w, _ in out)):  # not whose card (别的银行的卡, 别家银行卡, 农行卡)
                mapped = ["信用卡"]  # 不想用信用卡了，卡一直在抽屉里: the card just named, no other card before
            inside = [*self.parts(token), *(p for word in mapped for p in self.parts(word))]
            parts = tuple(dict.fromkeys(p for p in inside if p not in mapped))
            if token in UNDO and mapped in (["解锁"], ["解"]):
                undo.append(len(out))
            out.extend((word, parts) for word in mapped)
        return on_behalf(reread(out, undo))  # behalf.py: 我能替他激活吗

    def _one_word(self, run: str) -> bool:  # typo and all (理才 产品: 理财产品)
        return run in self._words or self._fix_homophones(run) in self._words

    def _jyutping_run(self, match: re.Match[str]) -> str:
        said = syllables_typed(match.group(0))
        return match.group(0) if said is None else self._jyutping.read(said).translate(t2s_table())

    def _latin_run(self, match: re.Match[str]) -> str:
        tokens = [t.replace("v", "u") if is_pinyin(t.replace("v", "u")) else t
                  for t in re.split(r"[ '’-]+", _TONE_DIGIT.sub("", match.group(0)))]
        out: list[str] = []
        start = 0
        while start < len(tokens):
            for width in range(min(self._latin_longest, len(tokens) - start), 0, -1):
                canonical = self._latin.get(tuple(tokens[start:start + width]))
                if canonical is not None:
                    out.append(canonical.replace(" ", ""))
                    start += width
                    break
            else:
                end = start
                while end < len(tokens) and is_pinyin(tokens[end]) and tuple(tokens[end:end + 1]) not in self._latin:
                    end += 1
                read = self._pinyin.read(tokens[start:end]) if end > start else None
                if read is None:  # not pinyin (ok, qq, asdfgh): kept as typed
                    out.append(tokens[start])
                    start += 1
                else:
                    out.append(read)
                    start = end
        # pieces stay apart from each other, but not from the Chinese around them: u盾 and k宝 are words
        return " ".join(out)

    def _fix_run(self, match: re.Match[str]) -> str:
        """A run of Chinese corrected; after a figure, its unit stays as written (11点接了 is 11点 接了, not 点解
        'why')."""
        run, start = match.group(0), match.start()
        if start and match.string[start - 1].isdigit() and run[0] in _UNITS:
            return run[0] + self._fix_homophones(run[1:])
        return self._fix_homophones(run)

    def _fix_homophones(self, run: str) -> str:
        """Left to right, longest piece first: a real word is kept whole (公积金 never becomes 公基金), a
        non-word that sounds like a banking term and shares a character with it is corrected (银行咔)."""
        out: list[str] = []
        inside: set[int] | None = None  # segmenting the run is only needed once a typo is suspected
        start = 0
        while start < len(run):
            chosen, width = run[start], 1
            for end in range(min(len(run), start + 4), start + 1, -1):
                piece = run[start:end]
                if piece in self._words or is_dictionary_word(piece):
                    chosen, width = piece, len(piece)
                    break
                word = self._typo_of(piece)
                if word is not None:
                    inside = self._inside_words(run) if inside is None else inside
                    word = None if {start, end} & inside else word
                if word is not None:
                    chosen, width = word, len(piece)
                    break
            out.append(chosen)
            start += width
        return "".join(out)

    @staticmethod
    def _inside_words(run: str) -> set[int]:
        """Positions inside a real word of the run: a typo correction may not cut one (存进借记卡 is not
        存进阶记卡, 这几个月 is not 这期个月)."""
        cuts: set[int] = set()
        position = 0
        for token in cut(run):
            # a rare run the segmenter keeps whole protects the common word it starts with (好久没: 好久, so
            # 卡好久没用 is not 卡号久)
            whole = next((len(token) - cut_off for cut_off in range(len(token) - 1)
                          if is_dictionary_word(token[:len(token) - cut_off])), 0)
            cuts.update(range(position + 1, position + whole))
            position += len(token)
        return cuts

    def _typo_of(self, piece: str) -> str | None:
        """The term the piece sounds like and shares a meaningful character with: one character right is a
        typo, not a pun; a shared particle (了 in 买了 and 卖了) is no evidence; nor is a question that ends on its
        particle (每月10号吗 asks about the 10th, not about a 号码)."""
        typed = set(piece) - _PARTICLES
        looks = self._shapes.term_of(piece)  # or looks like: 手杌银行 (shapes.py)
        heard = tuple(t for t in self._homophones.get(sound(piece), ()) if sounds_as_read(piece, t, _everyday()))
        said = (*heard, *((looks,) if looks else ()),
                *(t for t in self._southern.get(southern_key(syllables_said(piece)), ())
                  if sum(a != b for a, b in zip(t, piece, strict=True)) == 1))  # one slip, as for a shape
        return next((t for t in said
                     if set(t) & typed and not (piece[-1] in _ASKING_ENDS and t[-1] != piece[-1])
                     and all(a == b for a, b in zip(piece, t, strict=False) if a in _NEGATIONS)), None)

    def parts(self, word: str) -> list[str]:
        """The banking terms inside a compound (贷款利率: 贷款, 利率), each in its canonical form, so a
        question that says 贷款 and 利率 meets an FAQ that says 贷款利率, and the other way round."""
        found = self._parts.get(word)
        if found is None:
            terms, longest = banking_terms(), _longest_term()
            # no term is longer than the longest one: a customer's 3,000-letter token is not searched for its
            # 4.5 million substrings (cubic time and memory)
            inner = {word[i:j] for i in range(len(word))
                     for j in range(i + 2, min(len(word) + (i > 0), i + longest + 1))}
            found = sorted({w for piece in inner if piece in terms for w in self._mapping.get(piece, piece).split()}
                           - {word})
            if len(self._parts) < 65536 and len(word) <= longest:
                self._parts[word] = found
        return found
