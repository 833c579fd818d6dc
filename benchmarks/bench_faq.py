"""FAQ ranker vs a plain character-bigram BM25 on the labelled customer questions.

Prints, for the tune part (where the lexicon and thresholds were tuned), the held-out part (the honest
figure) and the whole set: top-1 accuracy on in-scope questions (right entry AND answered confidently), the
rate of wrong confident answers to in-scope questions, and the rate of confident answers to out-of-scope
ones. Targets: >= 90% top-1, <= 2% confident out-of-scope answers.

    PYTHONPATH=. python benchmarks/bench_faq.py
"""

from __future__ import annotations

import time

from oa_spec.gateway.faq.ranker import MIN_COVERAGE, MIN_SCORE, FaqRanker
from tests.gateway.faq.evaluate import (
    BigramBaseline,
    Report,
    calibrate,
    evaluate,
    load_faqs,
    load_questions,
    ranker_decide,
)


def line(name: str, part: str, report: Report) -> str:
    return (f"{name:<10} {part:<5} in={report.in_scope:<4} top1={report.top1:6.1%} (ranked {report.top1_ranked:6.1%})"
            f"  wrong-confident={report.wrong_confident:6.1%}  oos={report.out_of_scope:<3}"
            f" confident-oos={report.confident_oos:6.1%}")


def main() -> None:
    started = time.perf_counter()
    faqs = load_faqs()
    ranker = FaqRanker(faqs)
    built = time.perf_counter() - started
    baseline = BigramBaseline(faqs)
    tune = load_questions("tune")
    base_threshold, _ = calibrate(baseline.decide, tune)
    calibrated = calibrate(ranker_decide(ranker), tune)
    print(f"{len(faqs)} FAQs, {len(load_questions())} questions; ranker built in {built:.1f} s")
    print(f"ranker thresholds (score, coverage) = ({MIN_SCORE}, {MIN_COVERAGE}); "
          f"calibration on tune gives {calibrated}")
    print(f"baseline score threshold calibrated on tune: {base_threshold}")
    for part in ("tune", "held", "all"):
        questions = load_questions(None if part == "all" else part)
        ours = evaluate(ranker_decide(ranker), lambda s, c: s >= MIN_SCORE and c >= MIN_COVERAGE, questions)
        base = evaluate(baseline.decide, lambda s, _c: s >= base_threshold, questions)
        print(line("ranker", part, ours))
        print(line("bigram", part, base))
    timed = [q.text for q in load_questions()]
    started = time.perf_counter()
    for text in timed:
        ranker.lookup(text)
    print(f"lookup: {(time.perf_counter() - started) / len(timed) * 1000:.2f} ms per question")


if __name__ == "__main__":
    main()
