"""How the text rules read text (compliance.md §0): normalisation, contexts, negation, numbers. What the
words mean (negators, calls to act, product subjects, notices) is `policy.vocabulary`.

Built once and shared by every text rule, because false alarms come from reading text carelessly:
an anti-fraud article that quotes "稳赚不赔" to warn against it, or 非保本浮动收益型 in a disclaimer."""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from oa_spec.policy import spacing
from oa_spec.policy.calls import generic_call
from oa_spec.policy.marks import marked_wealth
from oa_spec.policy.negation import SENTENCE_END, asked_by_customer, denied_in_clause, in_quotation_marks, negated
from oa_spec.policy.patterns import AnyPattern, Pattern, Searchable
from oa_spec.policy.pinyin import CONTEXT, read_back
from oa_spec.policy.vocabulary import (
    A_SERVICE,
    ALWAYS_PROMOTIONAL,
    CALLS,
    CLAUSE_NEGATORS,
    DESCRIPTOR_PATTERNS,
    DESCRIPTORS,
    FINANCIAL,
    JOB_ADVERT,
    NAMED_IN_PASSING,
    NOT_CALLING,
    OFFERS_NOTHING,
    OPERATIONS_NOTICE,
    PAID_INTO_ACCOUNT,
    PLAIN_ACCOUNT,
    SCALE,
    SERVICE_NOTICE,
    SUBJECT_PATTERNS,
    SUBJECTS,
    VARIANT_WORDS,
    WARNING_MARKERS,
)
from oa_spec.util.hanzi import as_mandarin, cantonese_phrases, is_cjk, t2s_table

_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』‘’'＂〝〞"})
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# What NFKC does to most Chinese texts, one character for one: full-width ASCII (，！？ＶＩＰ) and the ideographic space
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_PUNCT = Pattern(r"[\s\W_]+")
_VARIANTS = Pattern("|".join(map(re.escape, VARIANT_WORDS)))
_LATIN_RUN = Pattern(r"[a-z]+(?: [a-z]+)*")  # words spaced apart read together (card number)


@dataclass(frozen=True)
class Text:
    """A text as written, its normalised form, and a map from normalised to original offsets."""

    original: str
    norm: str
    offsets: tuple[int, ...]

    @cached_property
    def compact(self) -> str:
        """Without punctuation or spaces: for order-free, punctuation-free phrase checks."""
        return _PUNCT.sub("", self.norm)

    @cached_property
    def characters(self) -> frozenset[str]:  # a term starting with none of them is not searched for
        return frozenset(self.norm)

    @cached_property
    def across_gaps(self) -> Text | None:
        """The text read across the gaps a reader reads through (密~码, 验ㆍ证ㆍ码: `spacing.gapped`); None without."""
        found = spacing.gapped(self.norm)
        return None if found is None else Text(self.original, found[0], tuple(self.offsets[at] for at in found[1]))

    @cached_property
    def contexts(self) -> Contexts:
        return analyse(self)

    @cached_property
    def words(self) -> list[tuple[int, int]] | None:
        """(start, end) of each word of the normalised text, segmented on first use; None without jieba."""
        from oa_spec.policy import segment  # here, not at the top: the dictionary loads only when a rule asks

        return segment.words(self.norm)

    @cached_property
    def word_edges(self) -> tuple[frozenset[int], frozenset[int]] | None:
        """Where words start and where they end; None without jieba."""
        words = self.words
        return None if words is None else (frozenset(s for s, _ in words), frozenset(e for _, e in words))

    @cached_property
    def nearest_products(self) -> tuple[tuple[int, ...], tuple[frozenset[str], ...]]:
        """Each sentence's end offset, and the products of the nearest sentence naming any: its own, else
        the closest before it, else the closest after it (what products_near answers, computed once)."""
        sentences, chosen = sentence_products(self), []
        last = following = frozenset[str]()
        for _, named in sentences:
            last = named or last
            chosen.append(last)
        for i in range(len(sentences) - 1, -1, -1):
            following = sentences[i][1] or following
            chosen[i] = chosen[i] or following
        return tuple(end for end, _ in sentences), tuple(chosen)

    def has_any(self, phrases: Iterable[str]) -> bool:
        return any(_PUNCT.sub("", norm_term(p)) in self.compact for p in phrases)

    def has(self, pattern: AnyPattern) -> bool:
        return pattern.search(self.norm) is not None

    def without(self, pattern: AnyPattern) -> Text:
        """The text with every match of `pattern` read as a sentence break; itself when nothing matches."""
        return normalise(pattern.sub("。", self.norm)) if self.has(pattern) else self


def read_across(finder: Callable[[Text], Iterable[str]], text: Text) -> list[str]:
    """What `finder` finds in `text`, and in it read across its gaps (`Text.across_gaps`): a gap can only add
    findings, so a sign that may end a phrase (好的～, 👇) need not be told apart from one inside a word (密~码)."""
    found = list(finder(text))
    across = text.across_gaps
    return found if across is None else [*found, *(d for d in finder(across) if d not in found)]


def normalise(text: str) -> Text:
    """Full-width to half-width, traditional to simplified, unified quotes, lower-case ASCII, and without what a
    reader reads through inside a word (`spacing`: 保 本·保 息 reads as 保本保息, 验*证*码 and 验〪证码 as 验证码)."""
    norm, kept = spacing.read_through(*_each_character(text))
    if _VARIANTS.search(norm):  # same length: offsets stay valid
        norm = _VARIANTS.sub(lambda found: VARIANT_WORDS[found.group(0)], norm)
    norm, kept = _rewritten(norm, kept, _LATIN_RUN, _spelled_out)
    if cantonese_phrases().search(norm):
        norm, kept = _rewritten(norm, kept, cantonese_phrases(), as_mandarin)
    if _CHINESE_PERCENT.search(norm):
        norm, kept = _rewritten(norm, kept, _CHINESE_PERCENT, _percent)
    return Text(text, norm, tuple(kept))


def _each_character(text: str) -> tuple[list[str], list[int]]:
    """Each character NFKC-normalised (full-width to half-width; ① may become several), simplified, its
    quotes unified and ASCII lower-cased, with the offset of the character it came from; combining marks left out."""
    table = _one_for_one()
    narrowed = text.translate(_FULL_WIDTH)
    if unicodedata.is_normalized("NFKC", narrowed) and spacing.without_marks(narrowed):  # one pass, in C
        return list(narrowed.translate(table)), list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for index, raw in enumerate(text):
        for char in spacing.SPACER if spacing.spaces_chinese(text, index) else unicodedata.normalize("NFKC", raw):
            if not spacing.is_mark(char):
                chars.append(char.translate(table))
                offsets.append(index)
    return chars, offsets


@lru_cache(maxsize=1)
def _one_for_one() -> dict[int, str]:
    """Simplified script, unified quotes, lower-case ASCII: one table, as each maps a character to one."""
    return {code: chr(code).translate(t2s_table()).translate(_QUOTES).translate(_ASCII_LOWER)
            for code in {*t2s_table(), *_QUOTES, *_ASCII_LOWER}}


def _rewritten(norm: str, offsets: list[int], pattern: AnyPattern,
               replace: Callable[[re.Match[str]], str | None]) -> tuple[str, list[int]]:
    """Each match of `pattern` replaced by what `replace` returns for it (None keeps it); every replacing
    character keeps the offset of the first character it replaces, so a finding still points at the text."""
    out, out_offsets, done = [], [], 0
    for found in pattern.finditer(norm):
        word = replace(found)
        if word is None:
            continue
        start, end = found.span()
        out.append(norm[done:start])
        out_offsets.extend(offsets[done:start])
        out.append(word)
        out_offsets.extend([offsets[start]] * len(word))
        done = end
    out.append(norm[done:])
    out_offsets.extend(offsets[done:])
    return "".join(out), out_offsets


def _spelled_out(run: re.Match[str]) -> str | None:
    """Letters touching Chinese (理财bao本, cun款), or a space away from it (收到的 yanzhengma 发给), as the word
    they spell, by `pinyin.read_back`."""
    norm, (start, end) = run.string, run.span()
    before = start - 1 if start and norm[start - 1] == " " else start  # one space between is still touching
    after = end + 1 if norm.startswith(" ", end) else end
    left, right = before, after
    while left > 0 and is_cjk(norm[left - 1]) and before - left < CONTEXT:
        left -= 1
    while right < len(norm) and is_cjk(norm[right]) and right - after < CONTEXT:
        right += 1
    return read_back(run.group(0), norm[left:before], norm[after:right])


# A percentage in words (年化收益率为百分之二点一) read as figures (2.1%), so a rule that looks for a rate finds it.
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Only well-formed numerals: 一百, 二十五, 十, 七; 百分之二三 (a range said loosely) and 百分之十十 stay as written.
_CHINESE_PERCENT = Pattern(r"百分之(一百|[二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
                              r"(?![零〇一二两三四五六七八九十百])(?:点([零〇一二三四五六七八九]{1,4}))?")


def _percent(found: re.Match[str]) -> str:
    whole, fraction = found.group(1), found.group(2)
    if whole == "一百":
        value = 100
    elif "十" in whole:
        tens, _, units = whole.partition("十")
        value = (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)
    else:
        value = _DIGITS[whole]
    decimals = "".join(str(_DIGITS[c]) for c in fraction) if fraction else ""
    return f"{value}.{decimals}%" if decimals else f"{value}%"


@dataclass(frozen=True)
class Match:
    term: str
    start: int  # in the normalised text
    end: int


def find_terms(text: Text, terms: Iterable[str], negatable: bool = True) -> list[Match]:
    """Non-overlapping occurrences of `terms` (longest first), skipping negated ones."""
    taken: list[Match] = []
    covered = bytearray(len(text.norm))  # characters a longer term already took
    for term in _present(text, _by_first_character(tuple(terms))):
        start = text.norm.find(term)  # a plain search: a regex per term would overflow re's cache
        while start >= 0:
            end = start + len(term)
            if not any(covered[start:end]) and not (negatable and negated(text.norm, start)):
                taken.append(Match(term, start, end))
                covered[start:end] = b"\x01" * len(term)
            start = text.norm.find(term, end)
    return sorted(taken, key=lambda m: m.start)


def on_word_boundaries(text: Text, m: Match) -> bool:
    """The match starts and ends where words do (高收益 is not a word of 最高收益率); True without jieba."""
    edges = text.word_edges
    if edges is None:
        return True
    starts, ends = edges
    return m.start in starts and m.end in ends


@lru_cache(maxsize=4096)
def norm_term(term: str) -> str:
    """A lexicon's word as the texts it is looked for in are normalised (cached: the rules ask of the same words)."""
    return normalise(term).norm


@lru_cache(maxsize=1024)  # the rules ask with the same few lexicons for every text
def _by_first_character(terms: tuple[str, ...]) -> dict[str, list[tuple[int, str]]]:
    """The normalised terms, longest first, filed by their first character with their place in that order."""
    index: dict[str, list[tuple[int, str]]] = {}
    for place, term in enumerate(sorted({norm_term(t) for t in terms} - {""}, key=lambda t: (-len(t), t))):
        index.setdefault(term[0], []).append((place, term))
    return index


def _present(text: Text, index: dict[str, list[tuple[int, str]]]) -> list[str]:
    """The terms starting with a character of the text, longest first (a text need not walk a whole lexicon)."""
    return [term for _, term in sorted(entry for c in text.characters & index.keys() for entry in index[c])]


def find_pattern(text: Text, pattern: Searchable, negatable: bool = True, inner: bool = True) -> list[Match]:
    """Matches of `pattern`, skipping negated ones: a negator before it in the clause, or (with `inner`)
    inside the match itself (验证码切勿告诉任何人). Patterns that carry their own negator (不会亏, 不看征信)
    are matched with inner=False. A match negated where it starts does not hide a claim that starts inside
    it: the search goes on from the next character (不是自由职业者也行，统统都能借 holds 统统都能借). One with a
    negator inside is passed over whole: what follows the negator is what it negates (是不是存款)."""
    out, position = list[Match](), 0
    while (found := pattern.search(text.norm, position)) is not None:
        if negatable and inner and CLAUSE_NEGATORS.search(found.group(0)):
            position = max(found.end(), found.start() + 1)
        elif negatable and negated(text.norm, found.start()):
            position = found.start() + 1
        else:
            out.append(Match(found.group(0), found.start(), found.end()))
            position = max(found.end(), found.start() + 1)
    return out


# --- contexts (§0.3): which products a text names, and whether it offers or warns ---------------------


def names(text: Text, context: str) -> bool:
    """Does `text` name the subject of `context` (its words, or its shape)? 定投 is a fund's regular
    investment plan, unless the text is about gold (积存金可按日定投)."""
    pattern = SUBJECT_PATTERNS.get(context)
    if find_terms(text, SUBJECTS[context], negatable=False) or (pattern is not None and text.has(pattern)):
        return True
    return context == "fund" and text.has(SUBJECT_PATTERNS["fund_plan"]) and not names(text, "metal")


def offered(text: Text, context: str) -> bool:
    """Named unnegated? 不向学生发放贷款 refuses a loan; a debit card 无(没有)透支功能 or 无信用额度 names none."""
    pattern = SUBJECT_PATTERNS.get(context)
    found = find_terms(text, SUBJECTS[context]) + (find_pattern(text, pattern) if pattern is not None else [])
    return any(not text.norm.endswith(("无", "没", "没有", "无信用", "无授信", "无透支"), 0, m.start)
               for m in found)


@dataclass(frozen=True)
class Contexts:
    subjects: frozenset[str]  # contexts whose subject words occur
    promo: frozenset[str]  # ... with a promotion signal: where the product rules apply
    education: bool  # warning markers and no call or offer
    call: bool = False  # a call or offer (立即申请, 欢迎购买): the text promotes something
    disclaimed: frozenset[str] = frozenset()  # named by their own disclaimer beside a call (…认购。理财非存款…)

    @property
    def promotional(self) -> bool:
        """Promotes something, financial or not (ad.absolute-terms, regulator endorsement)."""
        return not self.education and (self.call or self.financial_promo)

    @property
    def financial_promo(self) -> bool:
        return bool(self.promo & FINANCIAL)


def analyse(text: Text) -> Contexts:
    # A call in quotation marks is named, not made (谨防“黑户可贷、当天放款”); a negated one is refused
    # (本行不会要求您加微信办理理财), so a warning that has only those is still a warning.
    calls = [m for m in find_terms(text, CALLS, negatable=False)
             if not in_quotation_marks(text.norm, m.start) and not generic_call(text.norm, m.start)
             and not text.norm.endswith(NOT_CALLING, 0, m.start) and not _in_a_title(text.norm, m.start)
             and not asked_by_customer(text.norm, m.start)]  # (问：基金怎么申购？ asks; the bank calls for nothing)
    has_call = any(not negated(text.norm, m.start) for m in calls)  # 不得以抽奖诱导购买 calls for nothing
    bare = text.without(NAMED_IN_PASSING)
    disclaimed = frozenset({"wealth"} if marked_wealth(text.norm, has_call) else ())
    subjects = disclaimed | frozenset(c for c in SUBJECTS if names(bare, c))
    warns = any(not A_SERVICE.match(text.norm, m.end) for m in find_terms(text, WARNING_MARKERS, negatable=False))
    education = (warns or text.has(OFFERS_NOTHING)) and all(negated(text.norm, m.start) for m in calls)
    if education:
        return Contexts(subjects, frozenset(), True)
    if (not has_call and text.has(SERVICE_NOTICE)) or text.has(OPERATIONS_NOTICE) or text.has(JOB_ADVERT):
        return Contexts(subjects, frozenset(), False)
    promo = frozenset(c for c in subjects if has_call or c in ALWAYS_PROMOTIONAL or _described(text, c))
    return Contexts(subjects, promo, False, has_call, disclaimed)


def _in_a_title(norm: str, start: int) -> bool:
    """Inside 《…》: a law's or a report's title (《公开募集证券投资基金销售机构监督管理办法》) calls for nothing."""
    return norm.rfind("《", 0, start) > norm.rfind("》", 0, start)


def _described(text: Text, context: str) -> bool:
    text = text.without(SCALE)
    # (a label named in quotation marks describes no product: 宣传材料均标注“理财非存款”)
    if any(not in_quotation_marks(text.norm, m.start) and not denied_in_clause(text.norm, m.start)
           for m in find_terms(text, DESCRIPTORS.get(context, ()), negatable=False)):
        return True
    pattern = DESCRIPTOR_PATTERNS.get(context)
    return pattern is not None and text.has(pattern)


# --- product context per clause (§0.3) -------------------------------------------------------------------
# A claim is about the product named in its own sentence, not every product the text mentions: in
# 大额存单本息有保障。理财产品…投资须谨慎 the promise is about the deposit. A sentence naming none takes the
# nearest earlier one's (这款基金很好。稳赚不赔！), a leading headline the first later one's (稳赚不赔！这款基金…).


def sentence_products(text: Text) -> tuple[tuple[int, frozenset[str]], ...]:
    out = []
    start = 0
    for end in [m.start() for m in SENTENCE_END.finditer(text.norm)] + [len(text.norm)]:
        bare = normalise(NAMED_IN_PASSING.sub("。", text.norm[start:end]))
        named = frozenset(c for c in FINANCIAL if names(bare, c))
        if not named and marked_wealth(text.norm):  # a wealth product named by its own warning beside a call
            named = text.contexts.disclaimed
        if not named and PLAIN_ACCOUNT.search(PAID_INTO_ACCOUNT.sub("", bare.norm)):  # not the neighbours' loan
            named = frozenset({"account"})
        out.append((end, named))
        start = end + 1
    return tuple(out)


def products_near(text: Text, start: int) -> frozenset[str]:
    """The products a claim at `start` is about (see above)."""
    ends, products = text.nearest_products
    return products[min(bisect_left(ends, start), len(ends) - 1)] if ends else frozenset()
