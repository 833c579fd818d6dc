"""The labelled corpus: the text rules' recall and false alarms cannot silently regress.

Two parts (corpus/README.md). tuning.tsv is what the rules are tuned on, the retired v1 held-out part
included. heldout2.tsv is written blind by someone who never saw the rules; the issue-15 targets are
asserted on it: recall >= 95%, false alarms <= 3% of compliant texts, no rule above 1%, and ten lines
per category on each side. Without heldout2.tsv its tests are skipped, unless OASPEC_REQUIRE_HELDOUT2=1
(CI, once the part is committed), when they fail. Run `python benchmarks/bench_compliance.py` for the
figures per rule.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from oa_spec.policy import builtin_rules
from oa_spec.policy.measure import (
    HELDOUT,
    NONE,
    TARGET_RECALL,
    TARGET_RULE_FALSE_ALARMS,
    Line,
    load_corpus,
    score,
    short_categories,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
REQUIRE_HELDOUT = "OASPEC_REQUIRE_HELDOUT2"


@pytest.fixture(scope="module")
def tuning() -> list[Line]:
    return load_corpus(CORPUS / "tuning.tsv")


def load_heldout2(corpus: Path = CORPUS) -> list[Line]:
    """heldout2.tsv's lines; skips the calling test when the file is absent, fails it when
    OASPEC_REQUIRE_HELDOUT2=1 (inside the test, so the report says FAILED with this message)."""
    path = corpus / HELDOUT
    if not path.exists():
        if os.environ.get(REQUIRE_HELDOUT) == "1":
            pytest.fail(f"{path} is missing, and {REQUIRE_HELDOUT}=1 says the blind held-out part must be there: "
                        "commit heldout2.tsv (written blind, see corpus/README.md) or unset the variable")
        pytest.skip(f"{HELDOUT} (the blind held-out part) is not in this checkout; set {REQUIRE_HELDOUT}=1 "
                    "to make its absence a failure")
    return _load(path)


@functools.cache
def _load(path: Path) -> list[Line]:
    return load_corpus(path)


def _labelled_and_balanced(part: list[Line]) -> None:
    rules = builtin_rules()
    unknown = sorted({line.expected for line in part if line.expected != NONE and line.expected not in rules})
    assert not unknown, f"lines expecting unknown rules: {unknown}"
    breaking = [line for line in part if line.expected != NONE]
    assert abs(2 * len(breaking) - len(part)) <= len(part) // 10  # about half and half
    texts = [line.text for line in part]
    assert len(set(texts)) == len(texts), "a text appears twice"


def test_tuning_part_is_large_balanced_and_labelled(tuning: list[Line]) -> None:
    assert len(tuning) >= 400
    _labelled_and_balanced(tuning)
    assert all(line.category for line in tuning), [line.number for line in tuning if not line.category]


def test_tuning_part_has_ten_lines_per_category_on_each_side(tuning: list[Line]) -> None:
    short = short_categories(tuning)
    assert not short, f"categories with fewer than ten (breaking, compliant) lines: {short}"


def test_a_corpus_line_with_an_unknown_category_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    corpus.write_text("稳赚不赔\twealth.no-guaranteed-return\t基础\t承诺\tguarantees\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"c.tsv:1: unknown category 'guarantees'"):
        load_corpus(corpus)


def test_tuning_part(tuning: list[Line]) -> None:
    """Floors at the figures last measured, so a change that loses ground on the tuning part shows (probes 10
    and 11 left eleven misses and four false alarms: 98.3%, 0.6%)."""
    scores = score(tuning)
    assert scores.recall >= 0.98, [line.text for line in scores.misses]
    assert scores.false_alarm_rate <= 0.01, scores.false_alarms
    assert scores.worst_rule_false_alarm_rate() <= TARGET_RULE_FALSE_ALARMS, scores.alarms


def test_heldout2_is_labelled_and_has_ten_lines_per_category_on_each_side(tuning: list[Line]) -> None:
    heldout2 = load_heldout2()
    seen = {line.text for line in tuning}
    assert not [line.number for line in heldout2 if line.text in seen], "texts of the tuning part in heldout2"
    _labelled_and_balanced(heldout2)
    short = short_categories(heldout2)
    assert not short, f"{HELDOUT}: categories with fewer than ten (breaking, compliant) lines: {short}"


# The blind part's figures as first measured (2026-12-03): recall 63.8%, false alarms 11.4%, worst rule 3.4%;
# 64.3% recall since a claim about one product pointed at (这款…) counts as the bank's own (2026-12-04);
# 65.3% with two catalogue rules implemented from compliance.md (wealth.no-expected-yield, ad.national-symbols),
# 67.9% with seven more and 68.4% with insurance.not-deposit (each batch written from the catalogue and the
# tuning part, then measured here once); probe 6 (testimonials in everyday words; testimonials and
# deposit likenesses need no call to act) 69.9% recall and 12.0% false alarms, one more than before
# (measured after its first changes, 68.9% and 11.4%, and after the rest).
# The last five catalogue rules (ad.label, agency.issuer-disclosure, loan.apr-method, loan.borrow-responsibly,
# platform.induced-click), written from compliance.md and the tuning part, then measured here once: 71.9%
# recall, false alarms unchanged at 12.0%. Probe 7 (written blind by a helper session from compliance.md alone,
# measured once: 72.6% recall, 13.9% false alarms, then tuned on): 76.0% recall, 9.7% false alarms, worst
# rule 2.3%. Probe 8 (blind, another helper; measured once: 93.2%, 11.4%, then tuned on) and the full OpenCC
# table for traditional script: 77.0% recall, 9.1% false alarms, worst rule 1.7%. Probe 9 (blind, a third
# helper, mostly careful texts; measured once: 85.0%, 15.8%, then tuned on): 77.0%, 8.6%, 1.7%. Probe 10 (blind,
# a fourth helper, violations in paraphrase; measured once: 36.0%, 4.0%, then tuned on): 78.1%, 9.1%, 1.7%.
# Probe 11 (blind, a fifth helper, whole paragraphs; measured once: 88.3%, 23.8%, then tuned on): 78.1%, 8.0%,
# 1.7%.
# The targets (recall >= 95%, false alarms <= 3%, no rule above 1%) are NOT met (README "Benchmarks");
# these floors only stop a change from losing more ground on texts nobody tuned for.
MEASURED_RECALL, MEASURED_FALSE_ALARMS, MEASURED_WORST_RULE = 0.78, 0.081, 0.018


def test_heldout2_does_not_fall_below_its_measured_figures() -> None:
    # Plain numbers only: a failure must not print the blind texts (that would be tuning on them).
    scores = score(load_heldout2())
    recall, false_alarms, worst = scores.recall, scores.false_alarm_rate, scores.worst_rule_false_alarm_rate()
    assert recall >= MEASURED_RECALL, f"recall {recall:.1%} (target {TARGET_RECALL:.0%})"
    assert false_alarms <= MEASURED_FALSE_ALARMS, f"false alarms {false_alarms:.1%}"
    assert worst <= MEASURED_WORST_RULE, f"worst rule {worst:.1%}"


def test_a_missing_heldout2_fails_only_when_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_HELDOUT, raising=False)
    with pytest.raises(pytest.skip.Exception, match="not in this checkout"):
        load_heldout2(tmp_path)
    monkeypatch.setenv(REQUIRE_HELDOUT, "1")
    with pytest.raises(pytest.fail.Exception, match=r"heldout2\.tsv is missing"):
        load_heldout2(tmp_path)
    (tmp_path / HELDOUT).write_text("稳赚不赔\twealth.no-guaranteed-return\t基础\t承诺\tguarantee\n", encoding="utf-8")
    assert [line.expected for line in load_heldout2(tmp_path)] == ["wealth.no-guaranteed-return"]
