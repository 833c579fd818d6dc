"""Rank FAQ entries for a free-text question; decide when none fits (the customer is offered a human).

Each entry is one document: its question variants (weight 1) and its answer (weight `ANSWER_WEIGHT`,
extra evidence). Terms are jieba words of the normalized text plus character bigrams inside each word run
(a safety net for words the dictionary splits differently). Scoring is BM25. The out-of-scope decision
uses two calibrated numbers: the top score, and `coverage`, the share of the question's informative terms
(by IDF; terms the FAQ never uses count at the maximum IDF) that the top entry contains.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from oa_spec.gateway.config import FaqEntry
from oa_spec.gateway.faq.normalize import Normalizer, bank_words, basic, lexicon
from oa_spec.gateway.faq.segment import cut
from oa_spec.gateway.router import FaqAnswer

ANSWER_WEIGHT = 0.3
K1, B = 1.2, 0.75
# Calibrated on the tune split of tests/gateway/faq/questions.tsv (benchmarks/bench_faq.py prints the
# calibration; tests/gateway/faq/test_faq.py checks these equal it). On that split the banking-term anchor
# already separates out-of-scope questions, so the calibrated coverage floor is 0.
MIN_SCORE = 0.5
THRESHOLD = MIN_SCORE  # on `Ranked.confidence`
MIN_COVERAGE = 0.0
UNKNOWN_WEIGHT = 1.5  # a word the FAQ never uses: some evidence of out of scope, less than a rare FAQ word
_WORD = re.compile(r"[\u4e00-\u9fffa-z0-9]+")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = (resources.files("oa_spec.gateway.faq") / "data" / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip() and not w.startswith("#"))


def terms(normalized: str) -> list[str]:
    stop = stopwords()
    words = [w for w in cut(normalized) if _WORD.fullmatch(w) and w not in stop]
    bigrams = [f"#{w[i:i + 2]}" for w in words if len(w) > 2 for i in range(len(w) - 1)]
    return words + bigrams


@lru_cache(maxsize=1)
def banking_terms() -> frozenset[str]:
    """Words that make a question a banking question (an everyday word shared with an FAQ is not enough)."""
    words = set(bank_words())
    for _, canonical in lexicon():
        words.update(canonical.split())
    return frozenset(words)


@dataclass(frozen=True)
class Ranked:
    entry: FaqEntry
    score: float
    coverage: float
    anchored: bool  # the entry shares at least one banking term with the question

    @property
    def confidence(self) -> float:
        """One number for the out-of-scope decision: the score, 0 without a banking term or enough coverage."""
        return self.score if self.anchored and self.coverage >= MIN_COVERAGE else 0.0


class FaqRanker:
    def __init__(self, entries: Sequence[FaqEntry], min_score: float = MIN_SCORE,
                 min_coverage: float = MIN_COVERAGE) -> None:
        self.entries = tuple(entries)
        self.min_score, self.min_coverage = min_score, min_coverage
        raw_questions = [[t for q in e.questions for t in terms(basic(q))] for e in self.entries]
        vocabulary = {t for doc in raw_questions for t in doc if not t.startswith("#")}
        self.normalize = Normalizer(vocabulary)
        self._docs: list[dict[str, float]] = []
        for entry in self.entries:
            doc: dict[str, float] = {}
            for question in entry.questions:
                for term in terms(self.normalize(question)):
                    doc[term] = doc.get(term, 0.0) + 1.0
            for term in terms(self.normalize(entry.answer)):
                doc[term] = doc.get(term, 0.0) + ANSWER_WEIGHT
            self._docs.append(doc)
        self._lengths = [sum(doc.values()) for doc in self._docs]
        self._avg = sum(self._lengths) / max(1, len(self._lengths))
        frequency: Counter[str] = Counter(t for doc in self._docs for t in doc)
        total = len(self._docs)
        self._idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self._max_idf = math.log(1 + (total + 0.5) / 0.5)

    def rank(self, question: str) -> list[Ranked]:
        query = list(dict.fromkeys(terms(self.normalize(question))))
        # Unknown character bigrams are not counted: their word already is.
        weights = {t: self._idf.get(t, UNKNOWN_WEIGHT) for t in query if t in self._idf or not t.startswith("#")}
        total_weight = sum(weights.values()) or 1.0
        banking = banking_terms()
        ranked = []
        for entry, doc, length in zip(self.entries, self._docs, self._lengths, strict=True):
            score, covered, anchored = 0.0, 0.0, False
            for term in query:
                tf = doc.get(term, 0)
                if tf:
                    idf = self._idf[term]
                    score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self._avg))
                    covered += weights.get(term, 0.0)
                    anchored = anchored or term in banking
            ranked.append(Ranked(entry, score, covered / total_weight, anchored))
        ranked.sort(key=lambda r: -r.score)
        return ranked

    def confident(self, best: Ranked) -> bool:
        return best.confidence >= self.min_score

    def lookup(self, question: str) -> FaqAnswer:
        ranked = self.rank(question)
        if not ranked:
            return FaqAnswer("", "", None, confident=False)
        best = ranked[0]
        return FaqAnswer(best.entry.id, best.entry.answer, best.entry.module, confident=self.confident(best))
