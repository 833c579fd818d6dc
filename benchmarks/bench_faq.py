"""FAQ ranker vs a plain character-bigram BM25 on the labelled customer questions.

Prints, for the tuning set (questions.tsv: lexicon and threshold were tuned on it) and, when they exist,
the blind sets (testing.faq.BLIND_SETS: the honest figures): top-1 accuracy on in-scope questions
(right entry AND answered confidently), the rate of wrong confident answers to in-scope questions, and the
rate of confident answers to out-of-scope ones; then the threshold calibration and the lookup latency.
Targets (issue 13): >= 90% top-1, <= 2% confident out-of-scope answers.

    python benchmarks/bench_faq.py [--failures]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the testing/ helpers

from oa_spec.gateway.faq.ranker import THRESHOLD, FaqRanker
from testing.faq import (
    BLIND_SETS,
    BigramBaseline,
    Question,
    Report,
    calibrate,
    evaluate,
    failures,
    load_blind,
    load_faqs,
    load_questions,
    ranker_decide,
)


def line(name: str, part: str, report: Report) -> str:
    return (f"{name:<7} {part:<9} in={report.in_scope:<4} top1={report.top1:6.1%} (ranked {report.top1_ranked:6.1%})"
            f"  wrong-confident={report.wrong_confident:6.1%}  oos={report.out_of_scope:<3}"
            f" confident-oos={report.confident_oos:6.1%}")


def latency(ranker: FaqRanker, texts: list[str], rounds: int = 3) -> str:
    for text in texts:  # warm: first calls fill the per-word caches
        ranker.lookup(text)
    times = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            ranker.lookup(text)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return (f"lookup (warm, {len(times)} calls): mean {statistics.mean(times):.2f} ms, p50 {times[len(times) // 2]:.2f}"
            f" ms, p99 {times[int(len(times) * 0.99)]:.2f} ms, max {times[-1]:.2f} ms")


def main() -> None:
    started = time.perf_counter()
    faqs = load_faqs()
    ranker = FaqRanker(faqs)
    built = time.perf_counter() - started
    baseline = BigramBaseline(faqs)
    tuning = load_questions()
    sets: list[tuple[str, list[Question]]] = [("tuning", tuning)]
    for name in BLIND_SETS:
        blind = load_blind(name)
        if blind is not None:
            sets.append((name.removesuffix(".tsv"), blind))
    decide = ranker_decide(ranker)
    base_threshold = calibrate(baseline.decide, tuning)
    print(f"{len(faqs)} FAQs, {len(tuning)} tuning questions, "
          + ", ".join(f"{len(q)} blind questions in {p}" for p, q in sets[1:]) + f"; ranker built in {built:.2f} s")
    print(f"ranker threshold {THRESHOLD}; calibration on tuning gives {calibrate(decide, tuning):.4f}")
    print(f"baseline score threshold calibrated on tuning: {base_threshold:.2f}")
    for part, questions in sets:
        print(line("ranker", part, evaluate(decide, THRESHOLD, questions)))
        print(line("bigram", part, evaluate(baseline.decide, base_threshold, questions)))
    print(latency(ranker, [q.text for q in tuning]))
    if "--failures" in sys.argv:
        for q, top, confidence in failures(decide, THRESHOLD, tuning):
            print(f"  {q.label:<24} {q.kind:<6} {top:<24} {confidence:7.3f}  {q.text}")


if __name__ == "__main__":
    main()
