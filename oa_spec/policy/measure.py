"""How well the text rules read a labelled corpus: recall on texts that break a rule, false alarms on
compliant ones, per rule and overall. Shared by benchmarks/bench_compliance.py and the corpus test.

A corpus is a TSV file: text, the rule it breaks (or `none`), the basis, why, and optionally the
category of issue 15 the line exercises (CATEGORIES; a compliant line's category is the trap it sets);
`#` lines are comments. The corpus has two parts (tests/policy/corpus/README.md): tuning.tsv, which
rules may be tuned on, and heldout2.tsv, written blind by someone who never saw the rules, which no
rule may be tuned on (it may be absent from a checkout: PARTS lists both, `parts()` the ones present).
A breaking text counts as caught when its rule fires on it (other rules may fire too: a guarantee
without a disclaimer breaks both). A compliant text is a false alarm when any text rule fires on it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oa_spec.config.compile import compile_spec
from oa_spec.config.model import Spec
from oa_spec.policy.packs import cn_bank_text
from oa_spec.policy.rules import Rule
from oa_spec.policy.subjects import AccountIndex, AccountView, Settings, TextItem
from oa_spec.policy.text import normalise

NONE = "none"
# The corpus parts, in the order they are reported: (name, file name).
# The parts written blind and never tuned on (tests/policy/corpus/README.md).
BLIND_PARTS = ("heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv", "heldout6.tsv", "heldout7.tsv",
               "heldout8.tsv", "heldout9.tsv", "heldout10.tsv", "heldout11.tsv", "heldout12.tsv", "heldout13.tsv",
               "heldout14.tsv", "heldout15.tsv", "heldout16.tsv", "heldout17.tsv", "heldout18.tsv",
               "heldout19.tsv", "heldout20.tsv", "heldout21.tsv",
               "heldout22.tsv", "heldout23.tsv", "heldout24.tsv", "heldout25.tsv", "heldout26.tsv",
               "heldout27.tsv", "heldout28.tsv", "heldout29.tsv", "heldout30.tsv",
               "heldout31.tsv", "heldout32.tsv", "heldout33.tsv", "heldout34.tsv", "heldout35.tsv", "heldout36.tsv",
               "heldout37.tsv", "heldout38.tsv", "heldout39.tsv", "heldout40.tsv",
               "heldout41.tsv", "heldout42.tsv", "heldout43.tsv",
               "heldout44.tsv", "heldout45.tsv", "heldout46.tsv", "heldout47.tsv", "heldout48.tsv",
               "heldout49.tsv", "heldout50.tsv", "heldout51.tsv",
               "heldout52.tsv", "heldout53.tsv")
PARTS = (("tuning", "tuning.tsv"), *((part.removesuffix(".tsv"), part) for part in BLIND_PARTS))
# Targets on each blind held-out part (issue 15).
TARGET_RECALL = 0.95
TARGET_FALSE_ALARMS = 0.03
TARGET_RULE_FALSE_ALARMS = 0.01
MIN_LINES_PER_SIDE = 10
# Issue 15's categories (what was missed and what was falsely flagged), each needing ten lines per side;
# "catalogue" is the rest of compliance.md (forecasts, deposit wording, urgency) and has no quota.
CATEGORIES = ("guarantee", "dressed-product", "loan-price", "loan-terms", "student-credit", "sharing-following",
              "credentials", "testimonial", "gifts", "superlative")
OTHER_CATEGORY = "catalogue"


@dataclass(frozen=True)
class Line:
    text: str
    expected: str  # a rule id, or "none"
    basis: str
    why: str
    number: int  # line number in the file
    category: str = ""  # one of CATEGORIES or OTHER_CATEGORY; "" in files without the column


def _is_comment(raw: str) -> bool:
    # "# " starts a comment; a text may itself start with a hashtag (#反诈#, #理财小课堂#)
    return raw == "#" or raw.startswith("# ")


def load_corpus(path: Path) -> list[Line]:
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or _is_comment(raw):
            continue
        fields = raw.split("\t")
        if len(fields) not in (4, 5) or not all(f.strip() for f in fields):
            raise ValueError(f"{path}:{number}: expected 4 or 5 tab-separated fields (text, rule, basis, why, "
                             "category)")
        text, expected, basis, why, *rest = (f.strip() for f in fields)
        category = rest[0] if rest else ""
        if category and category not in (*CATEGORIES, OTHER_CATEGORY):
            raise ValueError(f"{path}:{number}: unknown category {category!r}; use one of "
                             f"{', '.join((*CATEGORIES, OTHER_CATEGORY))}")
        lines.append(Line(text, expected, basis, why, number, category))
    return lines


def parts(corpus: Path) -> list[tuple[str, Path]]:
    """The corpus parts present under `corpus`, as (name, path)."""
    return [(name, corpus / file) for name, file in PARTS if (corpus / file).exists()]


def short_categories(lines: Sequence[Line]) -> dict[str, tuple[int, int]]:
    """Issue 15's categories with fewer than MIN_LINES_PER_SIDE lines on either side."""
    counts = category_counts(lines)
    return {c: counts[c] for c in CATEGORIES if min(counts[c]) < MIN_LINES_PER_SIDE}


def category_counts(lines: Sequence[Line]) -> dict[str, tuple[int, int]]:
    """Per category of issue 15: (breaking lines, compliant lines)."""
    counts = {c: (0, 0) for c in (*CATEGORIES, OTHER_CATEGORY)}
    for line in lines:
        if line.category:
            breaking, compliant = counts[line.category]
            counts[line.category] = (breaking + 1, compliant) if line.expected != NONE else (breaking, compliant + 1)
    return counts


def _bare_index() -> AccountIndex:
    spec = Spec.model_validate({"version": 1, "bank": "示例银行", "accounts": [{"id": "bank", "name": "示例银行"}]})
    return AccountIndex(compile_spec(spec)[0], ("accounts", 0))


def fired(rules: Sequence[Rule], text: str, index: AccountIndex | None = None) -> set[str]:
    """The ids of the text rules that fire on one text, read as a keyword reply."""
    index = index or _bare_index()
    index.texts = [TextItem("bank/replies/keywords/t", ("accounts", 0), normalise(text), "replies")]
    view = AccountView(index, Settings(), datetime.date(2026, 1, 1))
    return {rule.id for rule in rules if rule.check is not None and any(True for _ in rule.check(view))}


@dataclass
class Scores:
    breaking: int = 0
    compliant: int = 0
    caught: Counter[str] = field(default_factory=Counter)  # rule -> breaking texts of that rule caught
    expected: Counter[str] = field(default_factory=Counter)  # rule -> breaking texts of that rule
    alarms: Counter[str] = field(default_factory=Counter)  # rule -> compliant texts it fired on
    false_alarm_texts: int = 0
    misses: list[Line] = field(default_factory=list)
    false_alarms: list[tuple[Line, set[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(self.caught.values()) / self.breaking if self.breaking else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarm_texts / self.compliant if self.compliant else 0.0

    def rule_false_alarm_rate(self, rule: str) -> float:
        return self.alarms[rule] / self.compliant if self.compliant else 0.0

    def worst_rule_false_alarm_rate(self) -> float:
        return max((self.rule_false_alarm_rate(r) for r in self.alarms), default=0.0)


def score(lines: Sequence[Line], rules: Sequence[Rule] = cn_bank_text.RULES) -> Scores:
    scores = Scores()
    index = _bare_index()
    for line in lines:
        found = fired(rules, line.text, index)
        if line.expected == NONE:
            scores.compliant += 1
            scores.alarms.update(found)
            if found:
                scores.false_alarm_texts += 1
                scores.false_alarms.append((line, found))
        else:
            scores.breaking += 1
            scores.expected[line.expected] += 1
            if line.expected in found:
                scores.caught[line.expected] += 1
            else:
                scores.misses.append(line)
    return scores


def report(name: str, scores: Scores) -> str:
    """Per rule: recall on its breaking texts, false alarms on the compliant half; then overall."""
    rows = [f"{name}: {scores.breaking} breaking, {scores.compliant} compliant",
            f"  {'rule':<40} {'recall':>12} {'false alarms':>14}"]
    for rule in sorted(set(scores.expected) | set(scores.alarms)):
        caught, expected = scores.caught[rule], scores.expected[rule]
        recall = f"{caught}/{expected}" if expected else "-"
        rows.append(f"  {rule:<40} {recall:>12} {scores.alarms[rule]:>8} ({scores.rule_false_alarm_rate(rule):.1%})")
    rows.append(f"  overall recall {scores.recall:.1%}, false alarms {scores.false_alarm_rate:.1%} of compliant "
                f"texts, worst rule {scores.worst_rule_false_alarm_rate():.1%}")
    return "\n".join(rows)
