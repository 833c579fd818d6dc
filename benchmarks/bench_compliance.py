"""Precision and recall of the cn-bank text rules on the labelled corpus (tests/policy/corpus/).

    python benchmarks/bench_compliance.py            # both parts, per rule and overall
    python benchmarks/bench_compliance.py --misses   # also list missed texts and false alarms

Targets on the held-out part (never tuned on): recall >= 95%, false alarms <= 3% of compliant
texts, no single rule above 1%.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oa_spec.policy.measure import category_counts, load_corpus, report, score  # noqa: E402

CORPUS = ROOT / "tests" / "policy" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--misses", action="store_true", help="list missed texts and false alarms")
    args = parser.parse_args()
    for part in ("tuning", "heldout"):
        path = CORPUS / f"{part}.tsv"
        if not path.exists():
            continue
        lines = load_corpus(path)
        scores = score(lines)
        print(report(part, scores))
        counts = {c: n for c, n in category_counts(lines).items() if any(n)}
        if counts:
            print("  lines per category (breaking/compliant): "
                  + ", ".join(f"{c} {b}/{k}" for c, (b, k) in counts.items()))
        if args.misses:
            for line in scores.misses:
                print(f"  MISS {path.name}:{line.number} [{line.expected}] {line.text}")
            for line, found in scores.false_alarms:
                print(f"  FALSE {path.name}:{line.number} {sorted(found)} {line.text}")


if __name__ == "__main__":
    main()
