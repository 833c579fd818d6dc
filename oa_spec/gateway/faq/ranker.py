"""Rank FAQ entries for a free-text question; decide when none fits (the customer is offered a human).

Each entry is one document with two fields: its question variants (weight 1) and its answer (weight
`ANSWER_WEIGHT`, extra evidence). Terms are the normalized words (see normalize.py), plus, at `PART_WEIGHT`,
the banking terms inside a compound (贷款 and 利率 in 贷款利率). A question word the FAQ never uses falls
back, at `FALLBACK_WEIGHT`, to its character bigrams (a word the dictionary splits differently) and to its
pinyin (a homophone typo that is itself a word: 网店 for 网点). Scoring is BM25; a term's IDF is counted over
the questions, so channel words every answer repeats (手机银行, 网点) keep their weight.

The out-of-scope decision is one number, `Ranked.confidence`, compared with `THRESHOLD`, calibrated on the
tuning set with a safety margin (testing/faq.py). It is the product of
- evidence: the top score saturated, s1 / (s1 + EVIDENCE_HALF): one weak shared word is not enough;
- separation: how far the top entry stands above the runner-up, (1 - s2/s1) ** SEPARATION_POWER: a question
  that fits several entries equally is a coin toss;
- coverage: the share of the customer's content words (weighted by IDF, `UNKNOWN_WEIGHT` for words the FAQ
  never uses, story words before the question clause at `CONTEXT_WEIGHT`, answer-only matches at
  `ANSWER_CREDIT`) that the entry accounts for: a question mostly about something else is not answered;
- fit ** FIT_POWER: the share of the entry's best-matching FAQ question the customer's words address;
- OUTSIDE_FACTOR for each word naming another domain (outside.txt, or an unknown compound with a banking
  head: 门禁卡, 车贷) that the FAQ's questions do not use, unless the entry's answer names it and the customer
  names the banking thing of its best-matching question (积分能换话费吗 is the points answer's 话费;
  身份证丢了怎么挂失 names no card, and stays out of scope);
- SUBSTITUTION_FACTOR when the customer seems to ask the entry's question about another thing: the question
  clause holds a banking thing the entry never mentions and the entry's best-matching question names a banking
  thing (a noun of bank_dict.txt: 银行卡, 存款) the customer does not (手机银行怎么注销 is not 怎么注销银行卡,
  社保卡密码 is not 银行卡密码); or it holds a word the FAQ never uses and every question of the entry names
  such a thing (保管箱钥匙丢了 is not 银行卡丢了; 如何重置取款密码 needs no card);
- UNCOVERED_FACTOR for each word of the question clause that the bank's dictionary knows and no FAQ question
  uses (解绑, 电子回单), unless the entry's answer names it: a banking thing the FAQ has no answer about (U盾
  is named in passing by the transfer-limit answer, but a lost U盾 password is not a lost card password); and
  for each act of acts.txt in the question clause that neither the entry's questions nor its answer name, as a
  word or inside one (补卡的工本费能退吗 is not how to replace a card; 信用卡账单日能改吗 is not when the bill
  comes; 转账失败多久退 is answered by 资金原路退回), and for each follow-up of told_acts.txt said anywhere
  (投诉过，一个星期没人回复，还能向哪里反映);
and it is 0 when the entry shares no banking term with the question. The banking things, the uncovered words and
the acts are read in the question clause and in every earlier clause that asks a question of its own
(clauses.py: 城易贷可以提前还款吗，有违约金吗 asks about 城易贷 too), and in every fragment of keywords typed apart
(春节 网点 营业: a search box's words, each asked; an act only where the fragment does not tell what happened,
理财到期了). Another bank said unnamed (他行, 别的银行) with a card or an account, and no money moved, repaid or paid a
fee on, is an outside word (他行卡 余额 查询; in the story when the question names no thing of its own: 别的银行的
卡被冻结了，你们能帮忙解冻吗); its credit card asked about (别家银行的信用卡能在这还吗) is a word no FAQ question uses
(elsewhere.py), even where money is repaid. A compound counts as known, for coverage and fit, by its head (its last
part): 银行汇票 is not covered by 银行, 网上银行 is.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from oa_spec.gateway.config import FaqEntry
from oa_spec.gateway.faq.cardkinds import CREDIT_TERM, debit_only
from oa_spec.gateway.faq.channels import channels_where
from oa_spec.gateway.faq.clauses import (
    asking_clauses,
    clauses_of,
    content_words,
    keyword_fragments,
    last_clause,
    told_fragments,
    topic_clauses,
    without_introductions,
)
from oa_spec.gateway.faq.compare import apps_told, without_likenings
from oa_spec.gateway.faq.data import (
    CJK,
    act_kin,
    act_reasons,
    acts,
    bank_nouns,
    bank_words,
    banking_terms,
    other_banks,
    outside_words,
    told_acts,
)
from oa_spec.gateway.faq.elsewhere import MONEY_MOVES, far_end_banks, others_cards
from oa_spec.gateway.faq.normalize import Normalizer, basic
from oa_spec.gateway.faq.parts import best_reading
from oa_spec.gateway.faq.pinyin import pinyin_key
from oa_spec.gateway.faq.segment import cut
from oa_spec.gateway.faq.signed import signs
from oa_spec.gateway.faq.story import told_sentences
from oa_spec.gateway.faq.turns import told_before_announced
from oa_spec.gateway.faq.visits import told_visits
from oa_spec.gateway.faq.wishes import wished
from oa_spec.gateway.router import FaqAnswer

ANSWER_WEIGHT = 0.3
FALLBACK_WEIGHT = 0.6
PART_WEIGHT = 0.6  # a banking term inside a compound word (利率 in 贷款利率)
ANSWER_CREDIT = 0.5  # a question word only the answer mentions half covers it
K1, B = 1.2, 0.75
CONTEXT_WEIGHT = 0.5  # a word of the story before the question clause counts half towards coverage
UNKNOWN_WEIGHT = 2.0  # a word the FAQ never uses: evidence of out of scope (a rare FAQ word weighs ~3.6)
EVIDENCE_HALF = 2.0
SEPARATION_POWER = 0.5  # siblings (card-loss, card-reissue) often score close even when the top one is right
FIT_POWER = 1.5  # the customer's words should address most of one FAQ question, in their own words
OUTSIDE_FACTOR = 0.01  # each word naming another domain all but vetoes the answer
SUBSTITUTION_FACTOR = 0.2  # the same action on another thing (lost keys, not a lost card)
UNCOVERED_FACTOR = 0.05  # each word of the bank's dictionary that no FAQ question uses (解绑, 回单, U盾)
# An unknown compound ending in one of these names another thing of that kind (门禁卡, 游戏账号, 会员积分,
# 车贷): another domain's card or account, or a product the FAQ does not offer; treated like an `outside.txt` word.
FOREIGN_HEADS = ("卡", "账号", "账户", "密码", "余额", "积分", "贷", "险")
SHORT_FOREIGN_HEADS = ("贷", "险")  # three characters at least (刷卡 is an action), two for loans and insurance
NOT_PRODUCTS = frozenset({"风险", "危险", "冒险"})  # risk and danger end in 险 but are no insurance product
# Another bank said without naming it (他行, 别的银行: the lexicon's 跨行) is where money goes or comes from when the
# message moves, repays or pays a fee on money (跨行转账, 用别的银行卡还, 他行 收费吗); otherwise, with a card or an
# account named, it is that bank's card (他行卡 余额 查询, 能绑别家银行的卡吗), which this bank's FAQ does not answer:
# an outside word.
ANOTHER_BANK = "跨行"
MOVES_FROM_ANOTHER_BANK = MONEY_MOVES - {ANOTHER_BANK} | {"还款", "取款", "手续费"}
ITS_CARDS = frozenset({"银行卡", "账户", "信用卡"})
# Stopping what runs by itself (定投, 自动还款) is asked in a clause of its own (基金定投不想投了，怎么停), and so is
# when a change takes effect (限额调高了，是马上生效还是等第二天) and whether someone else may go (预约好了，能让我儿子
# 代我去取不), lowering what was raised (额度太高了，想降低一点) and whether a message is the bank's (是你们发的吗:
# 辨别), or when a thing can be picked up (要等几天才能拿到: 领取时间): such a clause asks a question like one that
# names a banking word; and so does a refund asked alone (年费已经扣了，能退给我吗): an answer that promises the money
# back (资金原路退回) names it, one that tells the fee (年费怎么收) does not; and putting a payment off (这个月还不上，
# 能延期吗): an entry that tells how to pay early does not answer it; and who did it (挂失以后，能查到是哪个捡到的不:
# 何人所为).
ASKED_ALONE = frozenset({"延期", "停", "停掉", "暂停", "生效", "代办", "降低", "调低", "下调", "辨别", "领取时间",
                         "退", "何人所为"})
MAX_QUESTION_CHARS = 500  # what the ranker reads of a message: its end, where the question is
# Calibrated on tests/gateway/faq/questions.tsv with a safety margin (tests/gateway/faq/test_faq.py checks it).
THRESHOLD = 0.0641


@lru_cache(maxsize=1)
def _after_acts() -> frozenset[str]:
    """The acts (acts.txt) that tell a time: after another act (销户之后, 激活后) or while a state lasts (期间)."""
    return frozenset(act for act in acts() if act.endswith(("后", "期间")))


def expansions(word: str) -> list[str]:
    """A word's fallback terms: character bigrams (#) and, for Chinese words, the sound (py:)."""
    if not CJK.fullmatch(word) or len(word) < 2:
        return []
    grams = [f"#{word[i:i + 2]}" for i in range(len(word) - 1)]
    return [*grams, f"py:{pinyin_key(word)}"]


def _addressed(word: str, parts: tuple[str, ...], said: set[str]) -> bool:
    """The customer said the FAQ's word, or its head (网上银行 by 银行; 银行汇票 is not addressed by 银行), or
    every banking term it was made of (房贷, written 买房贷款 in the FAQ, by 买房 ... 贷款)."""
    return (word in said or any(p in said and word.endswith(p) for p in parts)
            or (len(parts) > 1 and all(p in said for p in parts)))


@dataclass(frozen=True)
class Ranked:
    entry: FaqEntry
    score: float
    coverage: float
    separation: float
    anchored: bool  # the entry shares at least one banking term with the question
    outside: int = 0  # words naming another domain that the entry does not use
    fit: float = 1.0  # the share of the entry's best-matching question that the customer's words address
    substituted: bool = False  # the entry's banking thing is missing and a word the FAQ never uses is asked
    uncovered: int = 0  # banking words asked about that no FAQ question uses, nor this entry's answer

    @property
    def confidence(self) -> float:
        if not self.anchored or self.score <= 0:
            return 0.0
        evidence = self.score / (self.score + EVIDENCE_HALF)
        penalty = float(OUTSIDE_FACTOR ** self.outside * UNCOVERED_FACTOR ** self.uncovered)
        penalty *= SUBSTITUTION_FACTOR if self.substituted else 1.0
        fit = self.fit ** FIT_POWER
        return float(evidence * self.separation ** SEPARATION_POWER * self.coverage * fit * penalty)


@dataclass(frozen=True)
class _Query:
    terms: dict[str, float]  # term -> BM25 multiplier
    words: list[tuple[float, tuple[str, ...]]]  # content words: (coverage weight, terms that cover the word)
    strangers: int  # words of the question clause the FAQ never uses
    things: frozenset[str]  # banking things (nouns of bank_dict.txt) the question clause names
    uncovered: frozenset[str]  # words of the bank's dictionary asked about that no FAQ question uses
    acts: frozenset[str]  # acts (acts.txt) the question clause asks for: each counts where an entry lacks it
    debit: bool = False  # a debit card named and no credit card (cardkinds.py)

    @property
    def total_weight(self) -> float:
        return sum(weight for weight, _ in self.words) or 1.0

    @property
    def banking(self) -> list[str]:
        """The query's terms that make it a banking question."""
        banking = banking_terms()
        return [t for t in self.terms if t in banking]


class FaqRanker:
    def __init__(self, entries: Sequence[FaqEntry], threshold: float = THRESHOLD) -> None:
        self.entries = tuple(entries)
        self.threshold = threshold
        vocabulary = {w for e in self.entries for q in e.questions for w in cut(basic(q))}
        self.normalize = Normalizer(vocabulary)
        self._docs: list[dict[str, float]] = []
        self._named: list[frozenset[str]] = []  # the words of each entry, for an act said inside one (退 in 退回)
        self._question_terms: list[frozenset[str]] = []
        self._variants: list[list[dict[str, tuple[str, ...]]]] = []
        for entry in self.entries:
            doc: dict[str, float] = defaultdict(float)
            asked: set[str] = set()
            for text, weight in [*((q, 1.0) for q in entry.questions), (entry.answer, ANSWER_WEIGHT)]:
                for word, parts in content_words(self.normalize.analyse(text)).items():
                    doc[word] += weight
                    for part in parts:
                        doc[part] += weight * PART_WEIGHT
                    for term in expansions(word):
                        doc[term] += weight * FALLBACK_WEIGHT
                    if weight == 1.0:
                        asked.update([word, *parts, *expansions(word)])
            self._docs.append(dict(doc))
            self._named.append(frozenset(t for t in doc if not t.startswith(("#", "py:"))))
            self._question_terms.append(frozenset(asked))
            self._variants.append([content_words(self.normalize.analyse(q)) for q in entry.questions])
        self._lengths = [sum(doc.values()) for doc in self._docs]
        self._avg = sum(self._lengths) / max(1, len(self._lengths))
        # A term's rarity is counted over the questions: answers repeat channel words (手机银行, 网点) that
        # would otherwise look common; a term only answers use is counted over answers.
        in_questions: Counter[str] = Counter(t for terms in self._question_terms for t in terms)
        anywhere: Counter[str] = Counter(t for doc in self._docs for t in doc)
        total = len(self._docs)
        self._idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5))
                     for t, n in ((t, in_questions.get(t) or anywhere[t]) for t in anywhere)}
        self._asked_anywhere: frozenset[str] = frozenset().union(*self._question_terms)
        self._outside = outside_words() - self._asked_anywhere
        # BM25 weight of each term in each entry, as postings: a question only touches the entries that
        # share a term with it, so its cost grows with its words, not with the number of FAQ entries.
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, (doc, length) in enumerate(zip(self._docs, self._lengths, strict=True)):
            norm = K1 * (1 - B + B * length / self._avg)
            for term, tf in doc.items():
                self._postings[term].append((index, self._idf[term] * tf * (K1 + 1) / (tf + norm)))
        self._variant_totals = [[sum(self._idf.get(w, 0.0) for w in v) or 1.0 for v in variants]
                                for variants in self._variants]

    def _query(self, question: str) -> _Query:
        """The query's terms with their BM25 multiplier, and its content words as (coverage weight, terms
        that count as the word being covered)."""
        terms: dict[str, float] = {}
        words: list[tuple[float, tuple[str, ...]]] = []
        strangers = 0
        uncovered: set[str] = set()
        things: set[str] = set()
        bank, nouns, others = bank_words(), bank_nouns(), other_banks()
        analysed = without_likenings(without_introductions(self.normalize.analyse(question), lambda word: word in bank),
                                     self._outside.__contains__)  # 像花呗那样提额 asks of the bank's limit
        clauses = clauses_of(analysed)  # read once: the question clause and the clauses that ask
        asked = last_clause(clauses, lambda word: word in self._idf or word in bank)
        # what must be answered: a banking thing, a word no FAQ question uses, an act, in any clause that asks
        # (stopping or taking effect asked alone is asked too: 基金定投不想投了，怎么停)
        # and a banking thing named alone before the question: its topic (二类电子账户 嗯 一天能转多少钱)
        vetoing = asked | asking_clauses(clauses,
                                         lambda word: word in self._idf or word in bank or word in ASKED_ALONE)
        # and the time an act sets, said alone before the question (销咗户之后，仲查唔查到以前嘅记录): what is asked of;
        # a message with one clause of content words asks all of them (我想查下我老公卡里的流水，可以不)
        if len(clauses) > 1:
            vetoing |= topic_clauses(analysed, lambda word: word in nouns or word in _after_acts(),
                                     signs(basic(question)))
        fragments = keyword_fragments(clauses)
        if fragments:  # 春节 网点 营业: each fragment is asked, an act too unless it tells what happened
            vetoing = set()
        said = content_words(analysed)
        far_ends = far_end_banks(analysed, others) if not MONEY_MOVES.isdisjoint(said) else set()
        elsewhere = (ANOTHER_BANK in (vetoing if nouns.intersection(vetoing) else said)
                     and not ITS_CARDS.isdisjoint(said) and MOVES_FROM_ANOTHER_BANK.isdisjoint(said))
        uncovered |= others_cards(analysed, vetoing or set(said))  # 别家银行的信用卡能在你们这还吗
        told, places, story = told_acts(), channels_where(analysed), told_sentences(analysed, vetoing, nouns)
        # told: 刚激活好了，想问下账单 (turns.py); 今天在网点办业务，柜员态度很差，我要投诉 (visits.py)
        done = told_before_announced(analysed, asked) | told_visits(analysed, asked) if asked else set()
        told_apps = apps_told(clauses, vetoing) if vetoing and not fragments else set()
        for word, inside in said.items():
            context = 1.0 if not asked or word in asked else CONTEXT_WEIGHT
            asks = not vetoing or word in vetoing
            if word in far_ends:
                continue
            # told, as an unknown word is: an app (零钱里的钱我会看，卡里的余额哪里查), a domain of the story (story.py)
            if word in told_apps or (word in story and (word in self._outside or self._foreign(word, inside))):
                words.append((UNKNOWN_WEIGHT * CONTEXT_WEIGHT, ()))
                continue
            if word in self._outside or self._foreign(word, inside) or (elsewhere and word == ANOTHER_BANK):
                words.append((0.0, (word,)))  # counted apart: Ranked.outside
                continue
            if word in bank and word not in self._asked_anywhere and asks:
                uncovered.add(word)  # an entry's answer may still name it (U盾 in the transfer-limit answer)
            parts = [p for p in inside if p in self._idf]
            if asks and word in nouns and word in self._idf and word not in places:
                things.add(word)
            if word in self._idf:
                terms[word] = CONTEXT_WEIGHT if word in done else 1.0
            for part in parts:
                terms.setdefault(part, PART_WEIGHT * (CONTEXT_WEIGHT if word in done else 1.0))
            if word in self._idf or any(word.endswith(p) for p in parts):  # a compound needs its head known
                weight = max([self._idf.get(word, 0.0), *(self._idf[p] for p in parts)])
                words.append((weight * context, (word, *parts)))
                continue
            # not a follow-up told (已挂失): its characters spell the entry that did it, not the one asked for
            fallbacks = [term for term in expansions(word) if term in self._idf and word not in told]
            for term in fallbacks:
                terms.setdefault(term, FALLBACK_WEIGHT)
            weight = UNKNOWN_WEIGHT if len(word) > 1 else UNKNOWN_WEIGHT / 2  # a lone character says less
            sounds = tuple(t for t in fallbacks if t.startswith("py:"))
            strangers += len(word) > 1 and context == 1.0 and not sounds and not word.isdigit()  # 2000: an amount
            words.append((weight * context, sounds))
        acting = vetoing | wished(analysed) if vetoing else (said.keys() - told_fragments(analysed) if fragments
                                                             else said)  # 想把剩下的一次还清，手续费还收吗 (wishes.py)
        asked_acts = frozenset(word for word in acting if word in acts()) | told.intersection(said)
        return _Query(terms, words, strangers, frozenset(things), frozenset(uncovered), asked_acts,
                      debit_only(basic(question)))

    def rank(self, question: str) -> list[Ranked]:  # parts.py: several things asked at once
        return best_reading(self._rank_whole, question)

    def _rank_whole(self, question: str) -> list[Ranked]:
        query = self._query(question[-MAX_QUESTION_CHARS:])  # customers ask last; the cost stays bounded
        said = {t for _, alternatives in query.words for t in alternatives} | set(query.terms)
        outside = sum(1 for weight, _ in query.words if weight == 0.0)
        banking, total_weight = query.banking, query.total_weight
        scores = [0.0] * len(self.entries)
        for term, multiplier in query.terms.items():
            for index, weight in self._postings.get(term, ()):
                scores[index] += multiplier * weight
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        top = scores[order[0]] if order else 0.0
        runner_up = scores[order[1]] if len(order) > 1 else 0.0
        ranked = []
        for position, index in enumerate(order):
            score = scores[index]
            if score <= 0:
                ranked.append(Ranked(self.entries[index], 0.0, 0.0, 0.0, False, outside, 0.0))
            else:
                separation = max(0.0, 1 - (runner_up if position == 0 else top) / score)
                ranked.append(self._judge(index, score, separation, query, said, outside, banking, total_weight))
        return ranked

    def _judge(self, index: int, score: float, separation: float, query: _Query, said: set[str],
               outside: int, banking: list[str], total_weight: float) -> Ranked:
        """The evidence that the entry answers the question, beyond its score."""
        doc, asked = self._docs[index], self._question_terms[index]
        covered = sum(weight * (1.0 if any(t in asked for t in alternatives) else ANSWER_CREDIT)
                      for weight, alternatives in query.words if any(t in doc for t in alternatives))
        anchored = any(t in doc for t in banking)
        fit, best = max(((self._fit(variant, total, said), variant)
                         for variant, total in zip(self._variants[index], self._variant_totals[index], strict=True)),
                        key=lambda pair: pair[0])
        # the customer names a banking thing this entry never mentions and the best-fitting question names one
        # the customer does not (社保卡密码 is not 银行卡密码); or a word the FAQ never uses, and every question of
        # the entry is about a banking thing the customer does not name (如何重置取款密码 needs no card)
        other_thing = any(thing not in doc for thing in query.things)
        missing = self._object_missing(best, said)
        substituted = ((other_thing and missing)
                       or (bool(query.strangers) and all(self._object_missing(v, said) for v in self._variants[index]))
                       or (query.debit and all(CREDIT_TERM in v for v in self._variants[index])))
        if not missing:  # an outside word the answer names (话费 for points) is its own
            outside = sum(1 for weight, alternatives in query.words if weight == 0.0 and alternatives[0] not in doc)
        return Ranked(self.entries[index], score, covered / total_weight, separation, anchored, outside, fit,
                      substituted, len(self._unnamed(query.uncovered | query.acts, index, said)))

    def _unnamed(self, asked: frozenset[str], index: int, said: set[str]) -> set[str]:
        """The acts and uncovered banking words asked that the entry does not name, in a word or by its kin (退回
        answers 多久能退; act_kin.tsv: 重置 for 改, 任一网点 for whether it must be the 开户行), or by a reason the
        customer gives for it (act_reasons.tsv: 停机 for 收不到 codes)."""
        kin, reasons = act_kin(), act_reasons()
        return {term for term in asked
                if not any(name in word for name in (term, *kin.get(term, ()),
                                                     *(r for r in reasons.get(term, ()) if r in said))
                           for word in self._named[index])}

    def _fit(self, variant: dict[str, tuple[str, ...]], total: float, said: set[str]) -> float:
        """How much of one FAQ question (by IDF) the customer's words address, a word or a part of it."""
        return sum(self._idf.get(word, 0.0) for word, parts in variant.items() if _addressed(word, parts, said)) / total

    @staticmethod
    def _object_missing(variant: dict[str, tuple[str, ...]], said: set[str]) -> bool:
        """The FAQ question names a banking thing (or a compound of one) that the customer's words do not."""
        nouns = bank_nouns()
        return any((word in nouns or any(p in nouns for p in parts)) and not _addressed(word, parts, said)
                   for word, parts in variant.items())

    def _foreign(self, word: str, inside: tuple[str, ...]) -> bool:
        long_enough = len(word) >= 3 or (len(word) == 2 and word.endswith(SHORT_FOREIGN_HEADS))
        return (long_enough and word not in self._idf and word not in NOT_PRODUCTS
                and not any(p in self._idf for p in inside)
                and bool(CJK.fullmatch(word)) and word.endswith(FOREIGN_HEADS))

    def confident(self, best: Ranked) -> bool:
        return best.confidence >= self.threshold

    def lookup(self, question: str) -> FaqAnswer:
        if not (ranked := self.rank(question)):
            return FaqAnswer("", "", None, confident=False)
        return FaqAnswer(ranked[0].entry.id, ranked[0].entry.answer, ranked[0].entry.module,
                         confident=self.confident(ranked[0]))
