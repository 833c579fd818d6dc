"""The labelled FAQ set, its fixed split, the ranker's and a baseline's scores, and the calibration.

Split: a question belongs to the tune part when the first byte of sha1(question) is even, else to the
held-out part, so nobody chooses which questions are held out. The lexicon and the thresholds were tuned
looking at the tune part; the figures that count are the held-out part's.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from oa_spec.gateway.config import FaqEntry
from oa_spec.gateway.faq.ranker import FaqRanker

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Question:
    label: str  # an FAQ id, or "-" when out of scope
    kind: str
    text: str

    @property
    def split(self) -> str:
        return "tune" if hashlib.sha1(self.text.encode()).digest()[0] % 2 == 0 else "held"


def load_faqs() -> list[FaqEntry]:
    data = yaml.safe_load((HERE / "faqs.yaml").read_text(encoding="utf-8"))
    return [FaqEntry(id=d["id"], questions=tuple(d["questions"]), answer=d["answer"]) for d in data]


def load_questions(split: str | None = None) -> list[Question]:
    rows = []
    for line in (HERE / "questions.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, kind, text = line.split("\t")
            rows.append(Question(label, kind, text))
    return [q for q in rows if split is None or q.split == split]


@dataclass(frozen=True)
class Report:
    in_scope: int
    top1: float  # share of in-scope questions whose top entry is right AND answered confidently
    top1_ranked: float  # share whose top entry is right, confident or not
    out_of_scope: int
    confident_oos: float  # share of out-of-scope questions answered confidently (must be tiny)
    wrong_confident: float  # share of in-scope questions answered confidently with the wrong entry


Decide = Callable[[str], tuple[str, float, float]]  # question -> (top id, score, coverage)


def evaluate(decide: Decide, confident: Callable[[float, float], bool], questions: Sequence[Question]) -> Report:
    inside = [q for q in questions if q.label != "-"]
    outside = [q for q in questions if q.label == "-"]
    right = ranked_right = wrong = 0
    for q in inside:
        top, score, coverage = decide(q.text)
        sure = confident(score, coverage)
        ranked_right += top == q.label
        right += top == q.label and sure
        wrong += top != q.label and sure
    oos = sum(confident(*decide(q.text)[1:]) for q in outside)
    return Report(len(inside), right / max(1, len(inside)), ranked_right / max(1, len(inside)), len(outside),
                  oos / max(1, len(outside)), wrong / max(1, len(inside)))


def ranker_decide(ranker: FaqRanker) -> Decide:
    def decide(text: str) -> tuple[str, float, float]:
        best = ranker.rank(text)[0]
        # an entry without a banking term is never confident: reported with score 0
        return best.entry.id, best.score if best.anchored else 0.0, best.coverage
    return decide


class BigramBaseline:
    """The plain approach the issue measures against: character-bigram BM25 over the canonical questions,
    out of scope when the top score is below a threshold (coverage is not used: reported as 1)."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.ids = [e.id for e in entries]
        self.docs = [Counter(self._grams("".join(e.questions))) for e in entries]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / len(self.lengths)
        df = Counter(g for d in self.docs for g in d)
        self.idf = {g: math.log(1 + (len(self.docs) - n + 0.5) / (n + 0.5)) for g, n in df.items()}

    @staticmethod
    def _grams(text: str) -> list[str]:
        return [text[i:i + 2] for i in range(len(text) - 1)]

    def decide(self, text: str) -> tuple[str, float, float]:
        grams = set(self._grams(text))
        best_id, best = self.ids[0], -1.0
        for doc_id, doc, length in zip(self.ids, self.docs, self.lengths, strict=True):
            score = sum(self.idf[g] * doc[g] * 2.2 / (doc[g] + 1.2 * (0.25 + 0.75 * length / self.avg))
                        for g in grams if g in doc)
            if score > best:
                best_id, best = doc_id, score
        return best_id, best, 1.0


SCORE_GRID = tuple(step / 2 for step in range(31))
COVERAGE_GRID = tuple(step / 20 for step in range(20))


def calibrate(decide: Decide, questions: Sequence[Question], max_oos: float = 0.02, wrong_cost: float = 1.0,
              scores: Sequence[float] = SCORE_GRID, coverages: Sequence[float] = COVERAGE_GRID) -> tuple[float, float]:
    """The (min_score, min_coverage) with the best tune-part top-1, less `wrong_cost` times the share of
    confident wrong answers, among those that keep confident out-of-scope answers at or under max_oos."""
    cached = [(q, decide(q.text)) for q in questions]
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    for min_score in scores:
        for min_cov in coverages:
            inside = [(q, d) for q, d in cached if q.label != "-"]
            outside = [d for q, d in cached if q.label == "-"]
            oos = sum(d[1] >= min_score and d[2] >= min_cov for d in outside) / max(1, len(outside))
            if oos > max_oos:
                continue
            sure = [(q, d) for q, d in inside if d[1] >= min_score and d[2] >= min_cov]
            gain = (sum(d[0] == q.label for q, d in sure) - wrong_cost * sum(d[0] != q.label for q, d in sure))
            if gain / len(inside) > best[0]:
                best = (gain / len(inside), min_score, min_cov)
    return best[1], best[2]
