"""The labelled corpus: the text rules' recall and false alarms cannot silently regress.

Parts (corpus/README.md). tuning.tsv is what the rules are tuned on, the retired v1 held-out part
included. heldout2.tsv and heldout3.tsv are each written blind by someone who never saw the rules; the
issue-15 targets are measured on them: recall >= 95%, false alarms <= 3% of compliant texts, no rule above
1%, and ten lines per category on each side. A missing blind part skips its tests, unless
OASPEC_REQUIRE_HELDOUT=1 (.ci/run sets it), when they fail. Run `python benchmarks/bench_compliance.py` for
the figures per rule.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from oa_spec.policy import builtin_rules
from oa_spec.policy.measure import (
    BLIND_PARTS,
    NONE,
    TARGET_RECALL,
    TARGET_RULE_FALSE_ALARMS,
    Line,
    load_corpus,
    score,
    short_categories,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
REQUIRE_HELDOUT = "OASPEC_REQUIRE_HELDOUT"


@pytest.fixture(scope="module")
def tuning() -> list[Line]:
    return load_corpus(CORPUS / "tuning.tsv")


def load_blind(name: str, corpus: Path = CORPUS) -> list[Line]:
    """A blind part's lines; skips the calling test when the file is absent, fails it when
    OASPEC_REQUIRE_HELDOUT=1 (inside the test, so the report says FAILED with this message)."""
    path = corpus / name
    if not path.exists():
        if os.environ.get(REQUIRE_HELDOUT) == "1":
            pytest.fail(f"{path} is missing, and {REQUIRE_HELDOUT}=1 says the blind held-out parts must be there: "
                        f"commit {name} (written blind, see corpus/README.md) or unset the variable")
        pytest.skip(f"{name} (a blind held-out part) is not in this checkout; set {REQUIRE_HELDOUT}=1 "
                    "to make its absence a failure")
    return _load(path)


@functools.cache
def _load(path: Path) -> list[Line]:
    return load_corpus(path)


def _labelled(part: list[Line]) -> None:
    rules = builtin_rules()
    unknown = sorted({line.expected for line in part if line.expected != NONE and line.expected not in rules})
    assert not unknown, f"lines expecting unknown rules: {unknown}"
    texts = [line.text for line in part]
    assert len(set(texts)) == len(texts), "a text appears twice"


def _about_half_and_half(lines: list[Line]) -> None:
    breaking = [line for line in lines if line.expected != NONE]
    assert abs(2 * len(breaking) - len(lines)) <= len(lines) // 10, (len(breaking), len(lines))


def _labelled_and_balanced(part: list[Line]) -> None:
    _labelled(part)
    _about_half_and_half(part)


def test_tuning_part_is_large_and_labelled(tuning: list[Line]) -> None:
    assert len(tuning) >= 400
    _labelled(tuning)
    assert all(line.category for line in tuning), [line.number for line in tuning if not line.category]


def test_the_whole_corpus_is_about_half_breaking_and_half_compliant(tuning: list[Line]) -> None:
    # Issue 15 asks it of the corpus; each blind part is balanced on its own (below), while the tuning part
    # leans compliant since the probes written to be careful texts with traps joined it (26 and 27).
    _about_half_and_half([*tuning, *(line for name in BLIND_PARTS for line in load_blind(name))])


def test_tuning_part_has_ten_lines_per_category_on_each_side(tuning: list[Line]) -> None:
    short = short_categories(tuning)
    assert not short, f"categories with fewer than ten (breaking, compliant) lines: {short}"


def test_a_corpus_line_with_an_unknown_category_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "c.tsv"
    corpus.write_text("稳赚不赔\twealth.no-guaranteed-return\t基础\t承诺\tguarantees\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"c.tsv:1: unknown category 'guarantees'"):
        load_corpus(corpus)


def test_a_text_starting_with_a_hashtag_is_a_text_not_a_comment(tmp_path: Path) -> None:
    # hashtag-heavy copy (#反诈#, #理财小课堂#) starts with '#'; 22 such labelled lines were once read as comments
    corpus = tmp_path / "c.tsv"
    corpus.write_text("# a comment\n#\n#理财# 稳赚不赔\twealth.no-guaranteed-return\t基础\t承诺\tguarantee\n",
                      encoding="utf-8")
    assert [(line.text, line.number) for line in load_corpus(corpus)] == [("#理财# 稳赚不赔", 3)]


@pytest.mark.long
def test_tuning_part(tuning: list[Line]) -> None:
    """Floors at the figures last measured, so a change that loses ground on the tuning part shows (after
    probes 13 to 16: 98.5%, 0.5%; after probes 17 to 20, whose subtle violations are not all caught yet:
    97.3%, 0.6%; after probe 31, in dialects and only partly tuned on: 96.9%, 0.7%; after probe 31's rest and
    probe 32: 97.8%, 0.7%; after probes 33 and 34: 97.6%, 0.7%; after probes 35 to 39, partly tuned on: 97.3%,
    0.9%; after probe 47 and its residue: 98.6%, 0.8%; after probes 57 to 69, whose residue of hard paraphrases in
    dialect, pinyin and English is not all caught yet: 98.4%, 0.8%; after probes 70 to 77: 98.5%, 0.8%; after
    probe 78, a reviewer's subtlest cases partly tuned on: 98.4%, 0.8%; after probes 79 and 80, dialect and a
    reviewer's hardest cases, partly tuned on: 98.1%, 0.8%; after probe 81, partly tuned on: 98.0%, 0.9%; after
    probes 82 and 83, a rural bank's own voice and conversational texts in two languages, partly tuned on: 97.9%,
    0.8%; after probe 84, a private bank's understatement, partly tuned on: 97.6%, 0.8%; after probe 86, guarantees
    and dressed products in shapes a keyword list misses and careful explainers, partly tuned on: 97.4%, 0.9%; after
    probe 85, testimonials in every shape, partly tuned on: 97.2%, 1.0%; after probes 87 and 88, testimonials in
    frames and a rural bank's staff, partly tuned on: 97.1%, 1.0%; after probe 89, 100 testimonials written to
    slip past a keyword list (20% caught before) partly tuned on: 96.5%, 1.0%, two of its careful texts flagged;
    after probes 91 and 92, violations written to dodge keyword filters and careful traps, tuned on: 96.5%, 0.98%;
    after probe 93, tuned on: 96.6%, 0.97%; after probes 105 to 107, tuned on: 96.9%, 0.9%; after probes 108 to
    110: 97.1%, 0.9%; after probes 111 to 113: 97.1%, 0.9%; after probes 114 to 118: 97.3%, 0.9%;
    after probes 119 to 126: 97.5%, 0.8%; with probes 132 to 135 joined, before tuning on them: 97.1%, 1.0%;
    after: 97.8%, 0.85%; with probes 136 and 137 joined, not tuned on yet: 97.5%,
    0.97%; with probe 138 joined too: 97.3%, 1.02%; and probe 139: 97.1%, 1.03%; after tuning on 136-139:
    97.9%, 0.84%; with probe 140 joined, before tuning on it: 97.8%, 0.90%; after: 97.9%, 0.83%; with probes 142
    and 141 joined, before tuning on them: 97.8%, 0.87%; after: 97.9%, 0.83%; with probes 143 and 144 joined,
    before tuning on them: 97.4%, 0.87%; after tuning on 144: 97.8%, 0.87%; with probes 145 and 146 joined, before
    tuning on them: 97.5%, 1.06%; after tuning on 143-145, 146 not yet: 97.8%, 0.83%; with probe 147 joined,
    before tuning on it: 97.7%, 0.86%; after tuning on 146 and 147: 98.0%, 0.78%; with probes 148 and 149 joined,
    before tuning on them: 97.7%, 0.83%; after: 98.0%, 0.76%; with probe 150 joined, before tuning on it: 98.0%,
    0.80%; after: 98.0%, 0.76%; with probes 151 and 152 joined, before tuning on them: 97.8%,
    0.84%; after tuning on 151, with 153 joined: 97.8%, 0.83%; with 154 joined: 97.8%, 0.87%; after tuning on 151-154:
    98.1%, 0.71%; with probe 155 joined, before tuning on it: 98.0%, 0.74%; after: 98.1%, 0.71%; with probes 156 and
    157 joined, before tuning on them: 97.9%, 0.78%; after: 98.2%, 0.70%; with probe 158 joined, before tuning on it:
    98.0%, 0.75%; after: 98.2%, 0.70%; with probe 159 joined, before tuning on it: 98.1%, 0.71%; after: 98.2%,
    0.70%; with probe 160 joined, before tuning on it: 98.1%, 0.73%; after: 98.2%, 0.69%; with probe 161 joined,
    before tuning on it: 98.1%, 0.72%; after, with the part's other misses: 98.4%, 0.47%; after one more pass over
    the part: 98.4%, 0.35%; with the 21 hashtag-led texts once read as comments, and probe 162 joined, before
    tuning on it: 98.3%, 0.37%; after, with a pass over the part: 98.7%, 0.28%; after one more, on claims in texts
    that name no product: 98.9%, 0.28%; after a pass over its false alarms: 98.9%, 0.26%; with probe 163 joined,
    before tuning on it: 98.7%, 0.34%; after, with a pass over the part: 99.0%, 0.27%; after a second pass: 99.1%,
    0.27%; after a third: 99.2%, 0.26%; with probe 164 joined, before tuning on it: 99.0%, 0.32%; after: 99.1%,
    0.26%; with probe 165 joined, before tuning on it: 98.9%, 0.34%; after: 98.9%, 0.27%; with probe 166 joined,
    before tuning on it: 98.8%, 0.31%; after: 98.9%, 0.27%; after a pass over the part's misses: 99.0%, 0.27%; with
    probe 167 joined, before tuning on it: 98.8%, 0.27%; after: 99.2%, 0.27%; with probe 168 joined, before tuning
    on it: 99.1%, 0.29%; after: 99.2%, 0.27%; after a pass over the residue: 99.2%, 0.27%; with probe 169 joined,
    before tuning on it: 99.2%, 0.28%; after, with a pass over the part's testimonials: 99.4%, 0.27%; after a pass
    over its deposit likenesses, headline prices, launches and sourced facts: 99.4%, 0.25%; after one over fees said
    without interest and rewards split from their condition: 99.5%, 0.25%; with probe 170 joined, before tuning on
    it: 99.3%, 0.30%; after: 99.5%, 0.25%; with probe 171 joined, before tuning on it: 99.3%, 0.27%; after: 99.4%,
    0.26%; with probe 172 joined, before tuning on it: 99.4%, 0.38%; after: 99.4%, 0.25%; probe 173, tuned on apart:
    99.4%, 0.28% as it joined, 99.4%, 0.25% after; both merged: 99.4%, 0.25%; with probe 174 joined, before tuning
    on it: 99.4%, 0.30%; after: 99.5%, 0.26%; probes 175 and 176, tuned on apart, each 99.4%, 0.28% as it joined,
    99.5%, 0.25% after; both merged: 99.5%, 0.25%)."""
    scores = score(tuning)
    assert scores.recall >= 0.994, [line.text for line in scores.misses]
    assert scores.false_alarm_rate <= 0.0026, scores.false_alarms
    assert scores.worst_rule_false_alarm_rate() <= TARGET_RULE_FALSE_ALARMS, scores.alarms


@pytest.mark.parametrize("name", BLIND_PARTS)
def test_blind_part_is_labelled_and_has_ten_lines_per_category_on_each_side(tuning: list[Line], name: str) -> None:
    blind = load_blind(name)
    seen = {line.text for line in tuning}
    for other in BLIND_PARTS:
        if other != name and (CORPUS / other).exists():
            seen |= {line.text for line in load_blind(other)}
    assert not [line.number for line in blind if line.text in seen], f"texts of another part in {name}"
    _labelled_and_balanced(blind)
    short = short_categories(blind)
    assert not short, f"{name}: categories with fewer than ten (breaking, compliant) lines: {short}"


# heldout2's figures as first measured (2026-12-03): recall 63.8%, false alarms 11.4%, worst rule 3.4%;
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
# Probes 13 and 14 (blind, a sixth and a seventh helper; measured once: 87.5%, 6.0% and 86.2%, 12.5%, then
# tuned on): heldout2 79.6%, 8.0%, 1.7%. heldout3 (400 lines, written blind by another helper, measured for
# the first time after probe 14's changes): 87.5% recall, 5.0% false alarms, worst rule 1.0%. Probe 15 (blind, an
# eighth helper, a violation and a near-miss per rule; measured once: 77.6%, 2.7%, then tuned on): both parts
# unchanged (heldout3's second measurement). Probe 16 (blind, a ninth helper, two thirds careful texts; measured
# once: 95.8%, 4.1%, then tuned on): heldout2 false alarms 8.0% -> 7.4%; heldout3 unchanged (third measurement).
# Probes 17, 18 and 19 (blind, a tenth to a twelfth helper; measured once: 97.1%, 5.7%; 93.0%, 2.0%; 56.0%,
# 5.3%, then tuned on): heldout2 80.1%, 6.3%, 1.7%; heldout3 88.0%, 4.5%, 1.0%; heldout4 (240 lines, written
# blind by another helper, measured for the first time): 98.3% recall, 4.2% false alarms, worst rule 0.8%.
# Probe 20 (blind, a thirteenth helper, subtle; measured once: 62.5%, 6.2%, then tuned on): heldout2 80.6%,
# 6.3%; heldout3 88.5%, 4.5%; heldout4 unchanged (its second measurement).
# Probe 23 (blind, a sixteenth helper, whole paragraphs; measured once: 91.7%, 5.0%, then tuned on): heldout2
# 80.6%, 6.3%, worst rule 1.7% -> 1.1%; heldout3 and heldout4 unchanged; heldout5 (220 lines, written blind by
# a fifteenth helper, measured for the first time): 97.3% recall, 3.6% false alarms, worst rule 1.8%. Probe 25
# (blind, an eighteenth helper, ten lines per category and side; measured once: 98.2%, 5.5%, then tuned on):
# every blind part unchanged (heldout5's second measurement). Probe 22 (blind, a seventeenth helper, 140 careful
# texts; measured once: 91.7%, 2.1%, then tuned on): every blind part unchanged (heldout5's third). Probe 26
# (blind, a twentieth helper, fourteen hard careful texts per category; measured once: 80.3%, 13.0%, then tuned
# on): heldout2 81.6%, 4.6%; heldout3 89.0%, 4.0%; heldout4 and heldout5 unchanged; heldout6 (220 lines,
# written blind by a twenty-first helper, measured for the first time): 75.5%, 5.5%, worst rule 1.8%. Probe 27
# (blind, the same shape; measured once: 98.5%, 5.8%, then tuned on): every blind part unchanged. Probe 28
# (blind, a twenty-third helper, eight violations and twelve hard careful texts per category; measured once:
# 67.0%, 6.1%, then tuned on): heldout2 82.1%, heldout5 98.2%, heldout6 77.3%; false alarms unchanged.
# heldout7 (220 lines, written blind by a twenty-fourth helper, measured for the first time after probe 28):
# 81.8%, 4.5%, worst rule 0.9%. Probe 29 (blind, a twenty-fifth helper, twelve violations a keyword list
# misses per category; measured once: 54.5%, 2.3%, then tuned on): heldout2 84.2%, 4.0%; heldout6 80.0%,
# 4.5%; heldout7 84.5%, 4.5%; heldout3, heldout4 and heldout5 unchanged. Probe 30 (blind, eleven of the
# hardest careful texts per category; measured once: 97.7%, 16.5%, then tuned on): heldout3 3.5% false alarms,
# every other figure unchanged. Probe 31 (blind, ten violations per category in dialects and idiom; measured
# once after probe 30's changes: 42.7%, 5.5%, then partly tuned on): heldout6 80.9%, heldout7 85.5%.
# The targets (recall >= 95%, false alarms <= 3%, no rule above 1%) are NOT met (README "Benchmarks");
# these floors only stop a change from losing more ground on texts nobody tuned for.
# heldout8 (220 lines, written blind by a thirty-seventh helper, measured for the first time after probe 40):
# 82.7%, 3.6%, worst rule 0.9%.
# heldout9 (399 lines, probes 52 and 53 written blind by two more helpers, measured for the first time after the
# self-written layers 34-40): 78.5%, 5.9%, worst rule 1.5%.
# heldout10 (424 lines: probes 54 and 55 by two helpers, 200 lines each, and probe 56, 24 lines in the two categories
# they left short of ten a side; all written blind, measured for the first time at 113ecc8's rules): 88.7%, 1.9%,
# worst rule 0.5% (probes 54 and 55 alone, measured once a stop earlier: 89.0%, 1.5%, 0.5%).
# heldout11 (220 lines written blind by one more helper, ten a side per category, measured for the first time after
# probes 57-63 were tuned on): 87.3%, 3.6%, worst rule 1.8%.
# heldout12 (220 lines by one more helper, ten a side per category, measured for the first time after probes 57-69
# were tuned on): 81.8%, 3.6%, worst rule 1.8%.
# heldout13 (220 lines by one more helper, eleven a side per category, measured for the first time after probes
# 70-72 were tuned on): 93.6%, 3.6%, worst rule 0.9%.
# heldout14 (220 lines by one more helper, eleven a side per category, measured for the first time after probes
# 70-76 were tuned on): 96.4%, 1.8%, worst rule 0.9%: all three targets met.
# heldout15 (220 lines by one more helper, a reviewer's training cases of increasing subtlety, eleven a side per
# category, measured for the first time at the same rules): 81.8%, 4.5%, worst rule 0.9%.
# heldout16 (220 lines by one more helper, a rural bank's staff, eleven a side per category, measured for the first
# time after probes 70-78 were tuned on): 89.1%, 1.8%, worst rule 0.9%.
# heldout17 (220 lines by one more helper, a city bank's year by several hands, eleven a side per category, measured
# for the first time after probes 70-80 were tuned on; two compliant lines that repeated another part's texts
# dropped unread, two compliant superlative lines written blind by another helper in their place): 91.8%, 5.5%,
# worst rule 1.8%.
# Each blind part's floors (recall, false alarms, worst rule), as last measured.
# heldout7's false alarms rose 4.5% -> 5.5% when a loan's prudence prompt (理性借贷) came to mark a loan
# promotion (probe 31): one careful student-credit text, left unread. Its recall rose 88.2% -> 89.1% with the
# self-written layers 34-40 (one more violation caught, left unread). Probes 70 to 72 (2026-12-05) caught one more
# violation each in heldout2, heldout3, heldout7 and heldout10 and two more in heldout12, counted, left unread;
# probe 73 one more each in heldout3 (95.0%: all three targets met) and heldout13 (94.5%); probe 74 one more each in
# heldout11 (89.1%) and heldout13 (95.5%); probe 75 one more each in heldout6 (87.3%), heldout9 (81.0%) and
# heldout10 (90.6%); probe 78 one false alarm fewer each in heldout2 (2.9%) and heldout13 (2.7%: all three targets
# met) and one more violation caught in heldout15 (82.7%); probes 79 and 80 one false alarm fewer in heldout2 (2.3%)
# and one more violation caught each in heldout9 (81.5%), heldout11 (90.0%), heldout12 (84.5%) and heldout15 (83.6%);
# probe 81 one more in heldout9 (82.1%). Probes 87 and 88 one more each in heldout3 (95.5%), heldout6 (90.9%) and
# heldout9 (83.6%), three more in heldout18 (87.3%). heldout20 was measured once, after them. Probe 89 one more each
# in heldout3 (96.0%) and heldout15 (88.2%), two more in heldout9 (85.1%). Probes 91 and 92 one more each in
# heldout2 (89.3%), heldout3 (96.5%), heldout11 (90.9%) and heldout13 (96.4%), no false alarm added. Probe 93 one
# more each in heldout3 (97.0%), heldout8 (88.2%), heldout10 (91.0%) and heldout13 (97.3%), two more in heldout7
# (92.7%), one false alarm fewer in heldout20 (5.5%), counted, left unread. Probes 94–96 one more each in heldout11
# (91.8%), heldout13 (98.2%) and heldout20 (96.4%), no false alarm added. Probes 97–99 one false alarm fewer each in
# heldout3 (2.5%), heldout12 (1.8%, worst rule 0.9%) and heldout20 (4.5%); heldout19's worst rule 0.9%.
# Probes 100–102 one more caught in heldout14 (97.3%). Probes 103–104 one more caught in heldout9 (85.6%), one
# false alarm fewer each in heldout2 (1.7%), heldout3 (2.0%), heldout17 (4.5%) and heldout18 (3.6%). Probes 105–107
# one more caught each in heldout9 (86.2%), heldout10 (91.5%) and heldout16 (90.0%), no false alarm added. Probes
# 108–110 one more caught each in heldout11 (92.7%) and heldout16 (90.9%), one false alarm fewer each in heldout11
# (2.7%), heldout13 (1.8%) and heldout18 (2.7%). Probes 111–113 one more caught each in heldout2 (89.8%), heldout7
# (93.6%) and heldout10 (92.0%), one false alarm fewer in heldout19 (2.7%). Probes 114–118 one more caught each in
# heldout8 (89.1%), heldout10 (92.5%), heldout11 (93.6%) and heldout18 (89.1%), one false alarm fewer each in
# heldout8 (2.7%) and heldout13 (0.9%). Probes 119–126 one more caught each in heldout2 (90.3%), heldout6
# (91.8%), heldout7 (94.5%), heldout12 (86.4%) and heldout19 (88.2%), two in heldout9 (87.2%), one false alarm
# fewer each in heldout17 (3.6%) and heldout20 (3.6%).
# Probes 132–135 (2026-12-06) one false alarm fewer in heldout8 (1.8%), one more caught each in heldout9 (89.2%),
# heldout19 (89.1%) and heldout20 (98.2%), two in heldout23 (90.9%), counted, left unread. heldout24 (220 lines
# written blind as a housing-finance column, measured once as it came in, before probes 136-138 were tuned on):
# 81.8%, 2.7%, worst rule 1.8%. Probes 136-139 (2026-12-06) one more caught each in heldout6 (92.7%), heldout12
# (87.3%), heldout16 (92.7%), heldout19 (90.0%) and heldout24 (82.7%), two in heldout10 (93.4%), three false alarms
# fewer in heldout23 (8.2%, worst rule 1.8%), counted, left unread. Probe 140 one false alarm fewer in heldout22 (2.7%).
# Probes 141-142 one more caught in heldout24 (83.6%).
# heldout25 (220 lines written blind as a silver-age column, measured once as it came in, before probes 143-144 were
# tuned on): 80.9%, 5.5%, worst rule 1.8%.
# Probes 143-150 (2026-12-06) one more caught each in heldout8 (90.9%), heldout11 (94.5%), heldout12 (88.2%) and
# heldout24 (84.5%), three in heldout21 (82.7%), one false alarm fewer in heldout18 (1.8%), counted, left unread.
# heldout26 (220 lines written blind as a digital RMB (e-CNY) campaign, measured once as it came in, before probes
# 151-152 were tuned on): 82.7%, 2.7%, worst rule 0.9%.
# Probes 151-154 (2026-12-06) one more caught in heldout7 (95.5%), heldout9 (89.7%), heldout24 (85.5%), heldout25
# (81.8%) and heldout26 (83.6%), one false alarm fewer in heldout7 (3.6%), heldout9 (5.4%), heldout11 (0.9%) and
# heldout22 (1.8%), counted, left unread.
# heldout27 (220 lines written blind as a festival campaign team's copy, measured once as it came in, before probe
# 155 was tuned on): 93.6%, 3.6%, worst rule 0.9%.
# Probe 155 (2026-12-07) one more caught in heldout21 (83.6%) and heldout26 (84.5%), counted, left unread.
# heldout28 (220 lines written blind as a wedding and newly-weds column, measured once as it came in, before probes
# 156-157 were tuned on; the one text tuning.tsv also held left out of tuning): 82.7%, 10.0%, worst rule 4.5%.
# Probes 156-157 (2026-12-07) one more caught in heldout9 (90.3%) and heldout10 (93.9%), two in heldout26 (86.4%),
# counted, left unread.
# heldout29 (220 lines written blind as a column for gig and platform workers, measured once as it came in, before
# probe 159 was tuned on): 74.5%, 1.8%, worst rule 0.9%.
# Probe 159 (2026-12-07) one more caught in heldout18 (90.0%), two in heldout23 (92.7%), one false alarm fewer in
# heldout13 (0.0%) and heldout18 (0.9%), counted, left unread.
# heldout30 (220 lines written blind as a column for western and ethnic-minority regions, measured once as it came
# in, before probe 160 was tuned on): 78.2%, 3.6%, worst rule 0.9%.
# Probe 160 (2026-12-07): no blind part moved.
# heldout31 (220 lines written blind as heldout28's wedding-season column, by another session, measured once as it
# came in, before probe 161 was tuned on): 85.5%, 8.2%, worst rule 1.8%.
# Probe 161 and the tuning part's other misses (2026-12-07) one more caught in heldout2 (91.3%) and heldout7 (96.4%),
# one false alarm fewer in heldout15 (3.6%), heldout27 (2.7%) and heldout30 (2.7%), counted, left unread.
# A pass over the tuning part's own false alarms and misses (2026-12-07): one more caught in heldout21 (84.5%), one
# false alarm fewer in heldout3 (1.5%) and heldout4 (2.5%: all three targets met), counted, left unread.
# heldout32 (220 lines written blind as a car owners' and auto-finance column, measured once as it came in, before
# probe 162 was tuned on): 86.4%, 6.4%, worst rule 2.7%.
# Probe 162 (2026-12-07, a sports and fitness column) and a pass over the tuning part: heldout9 90.8%, heldout28
# 83.6%, heldout30 79.1% recall, heldout17 2.7% false alarms; none lost.
# A pass over the tuning part's misses whose text names no product (packs/unnamed.py): heldout24 87.3%, heldout31
# 86.4% recall; none lost.
# A pass over the tuning part's false alarms (a 首期免息 offer stating the rate after, a 倒计时 counting a
# subscription window in days): heldout2 1.1% false alarms; none lost.
# heldout33 (220 lines written blind as a column for hospital staff, patients and their families, measured once as it
# came in, before probe 163 was tuned on): 82.7%, 4.5%, worst rule 1.8%.
# Probe 163 (a youth column in fan slang) and two passes over the tuning part (a claim the words after it give to
# something else, negations after the claim, testimonials as readers' feedback; pension accounts, English copy):
# one more caught in heldout3 (97.5%), heldout7 (97.3%), heldout8 (91.8%), heldout9 (91.3%), heldout12 (89.1%),
# heldout16 (93.6%), heldout19 (90.9%), heldout28 (84.5%) and heldout29 (75.5%); heldout30 lost a false alarm
# (1.8%); counted, left unread.
# heldout34 (220 lines written blind as a column for pet owners and pet businesses, measured once as it came in,
# before probe 164 was tuned on): 90.0%, 1.8%, worst rule 0.9%.
# After a pass over probe 164 (a trade-finance desk's break-even prices, FX accounts and financing ratios read as
# banking; rewards for sharing and deposits in other words): heldout16 94.5% recall, heldout20 1.8% false alarms;
# none lost.
# heldout35 (220 lines written blind as a column for new parents and families with babies, measured once as it came
# in, before probe 165 was tuned on): 82.7%, 1.8%, worst rule 0.9%.
# After attack review 66 (分享个小技巧 is information told) and a pass over probe 165 (a livestream host's
# script): heldout26, heldout31 and heldout34 one false alarm fewer each (1.8%, 7.3%, 0.9%); none lost.
# heldout36 (220 lines written blind as a column for teachers and school staff, measured once as it came in, before
# probe 166 was tuned on; its one text an older probe also held left the tuning part): 85.5%, 3.6%, worst rule 0.9%.
# After a pass over probe 166 (大学生村官 a village official, from two tuning lines): heldout28 9.1% false alarms; that
# part's line with the phrase was printed to the tuner by a check script, so the false alarm it lost is not blind.
# heldout37 (223 lines written blind as a column for families with children studying abroad and cross-border
# remittance, measured once as it came in, before probe 167's tuning was merged): 83.9%, 5.4%, worst rule 1.8%.
# heldout38 (235 lines written blind by another session in heldout37's voice, measured once as it came in, before
# probe 167's tuning was merged): 76.9%, 5.9%, worst rule 2.5%.
# heldout39 (225 lines written blind as a column for car owners and buyers, measured once as it came in, before
# probe 168's tuning was merged): 85.7%, 2.8%, worst rule 1.9%.
# After attack review 69 (F1: a warning frames its own sentence, not the whole text; F7) and probe 168 (new homeowners
# and renovation): one more caught in heldout29 (77.3%); none lost; counted, left unread.
# heldout40 (230 lines written blind as a column for patients and families dealing with health care, measured once as
# it came in, before probe 169's tuning was merged): 98.4%, 1.9%, worst rule 0.9%.
# heldout41 (230 lines written blind as posts for small factory owners, traders and exporters, measured once as it came
# in, after probe 169's tuning was merged): 96.6%, 1.8%, worst rule 0.9%.
# After probe 169 (retirees) and a pass over the tuning part's testimonials and deposit likenesses: one more caught
# each in heldout9 (91.8%), heldout22 (85.5%) and heldout25 (82.7%); none lost; counted, left unread.
# heldout42 (220 lines written blind as a column for new graduates and young people in their first job, measured once
# as it came in, before probe 170's tuning was merged): 79.1%, 8.2%, worst rule 1.8%.
# After probe 170 (travellers and holiday-makers: deposit words and likenesses for policies, perks for deposits,
# friends' help for a token price, debit-card fees and FX quotas as no credit, experts' own habits): one more caught
# each in heldout16 (95.4%), heldout34 (91.8%) and heldout42 (80.0%), one false alarm fewer in heldout39 (1.9%); none
# lost; counted, left unread.
# heldout43 (220 lines written blind as a column for freelancers, self-employed people and content creators, measured
# once as it came in, after probe 170's tuning was merged): 77.3%, 5.5%, worst rule 1.8%.
# After probe 171 (veterans and servicemembers' families: a loss said to be any company's, a deposit likeness answered
# by a speaker, speed as an everyday simile, a lucky number drawn, any office said to have named the product, a chat
# group's screenshot quoted): one more caught in heldout31 (87.2%); none lost; counted, left unread.
# heldout44 (220 lines written blind as a bank's year-end and Spring Festival season campaign, measured once as it came
# in, after probe 171's tuning was merged): 76.4%, 1.8%, worst rule 0.9%.
# heldout45 (220 lines written blind as a column for sports fans and fitness lovers, measured once as it came in,
# before probes 172 and 173's tuning was merged): 95.5%, 4.5%, worst rule 0.9%.
# heldout46 (220 lines written blind as a column for stock and fund investors, measured once as it came in, before
# probes 172 and 173's tuning was merged): 86.4%, 4.5%, worst rule 1.8%.
# After probes 172 (gold and precious-metals buyers) and 173 (tenants, landlords and renters): one false alarm fewer
# in heldout31 (6.4%); none lost, heldout45 and heldout46 unchanged. Probe 172's tuner ran this test while tuning: a
# wider first reading of a text opening on a question took heldout38 below its floor and was narrowed (pass or fail
# and the count only, as every tuner's final check shows).
# heldout47 (220 lines written blind as a column for gamers, e-sports fans and young people into digital gadgets,
# measured once as it came in, after probes 172 and 173's tuning was merged): 90.0%, 10.0%, worst rule 2.7%.
# After probe 174 (restaurant, café and food-stall owners: the low tier said never reached, none able to surpass or
# only we can, a sum waived for friends' help, a dated cut-off read as a scammer's threat; refused means listed,
# students turned away, a unique identifier as a fact): one false alarm fewer each in heldout9 (4.9%), heldout22
# (0.9%), heldout37 (4.5%) and heldout42 (7.3%); none lost. The blind floors held at the tuner's one run of them.
# heldout48 (220 lines written blind as a bank's Double-11 and year-end shopping festival campaign, measured once as
# it came in, after probe 174's tuning was merged): 95.5%, 4.5%, worst rule 1.8%.
# heldout49 (220 lines written blind as a bank's posts for new-energy car buyers and the dealers selling them) and
# heldout50 (220 lines written blind for couples getting married and newly-weds; one compliant line already in another
# part left out, and in its place the first of five written blind in the same voice by another session), measured once
# as they came in, before probes 175 and 176 were tuned: 93.6%, 4.5%, worst rule 1.8%; 94.5%, 10.0%, worst rule 5.5%.
# After probe 176 (cross-border e-commerce sellers and small exporters: a return certainly positive after a holding, a
# rate that cannot fall, a cost over some days of a sum as a loan price, a column heading's 分享 as no request): no
# blind part moved. After probe 175 (families in the university-entrance season: a yes to one's own 有没有…? question,
# a name customers give a product adopted unless corrected, 凡是…均可领取 as an offer, a reward pointing back at the
# share): two more caught in heldout37 (87.5%) and one false alarm fewer in heldout10 (1.4%); none lost, heldout49
# and heldout50 unchanged. The blind floors held at each tuner's runs of them.
# heldout51 (220 lines written blind as a bank's posts for doctors, nurses and hospital staff, measured once as it
# came in, after probes 175 and 176's tuning was merged): 94.5%, 3.6%, worst rule 0.9%. heldout52 (220 lines written
# blind as a bank's posts for retirees, as a probe, kept blind when no tuning round was left; one compliant line
# already in another part replaced by the first of five written blind in the same voice), likewise: 92.7%, 3.6%, 0.9%.
# heldout53 (220 lines written blind for farmers, rural co-operatives and county towns, as a probe kept blind the
# same way), likewise: 91.8%, 3.6%, 0.9%.
MEASURED = {"heldout2.tsv": (0.913, 0.012, 0.006), "heldout3.tsv": (0.975, 0.015, 0.005),
            "heldout4.tsv": (1.0, 0.025, 0.009), "heldout5.tsv": (0.99, 0.019, 0.01),
            "heldout6.tsv": (0.927, 0.028, 0.019), "heldout7.tsv": (0.972, 0.037, 0.01),
            "heldout8.tsv": (0.918, 0.019, 0.01), "heldout9.tsv": (0.918, 0.05, 0.01),
            "heldout10.tsv": (0.938, 0.015, 0.005), "heldout11.tsv": (0.945, 0.01, 0.01),
            "heldout12.tsv": (0.89, 0.019, 0.01), "heldout13.tsv": (0.981, 0.0, 0.0),
            "heldout14.tsv": (0.972, 0.019, 0.01), "heldout15.tsv": (0.9, 0.037, 0.01),
            "heldout16.tsv": (0.954, 0.019, 0.01), "heldout17.tsv": (0.918, 0.028, 0.01),
            "heldout18.tsv": (0.9, 0.01, 0.01), "heldout19.tsv": (0.909, 0.028, 0.01),
            "heldout20.tsv": (0.981, 0.019, 0.01), "heldout21.tsv": (0.845, 0.073, 0.028),
            "heldout22.tsv": (0.854, 0.01, 0.01), "heldout23.tsv": (0.927, 0.082, 0.019),
            "heldout24.tsv": (0.872, 0.028, 0.019), "heldout25.tsv": (0.827, 0.055, 0.019),
            "heldout26.tsv": (0.863, 0.019, 0.01), "heldout27.tsv": (0.936, 0.028, 0.01),
            "heldout28.tsv": (0.854, 0.091, 0.046),
            "heldout29.tsv": (0.772, 0.019, 0.01),
            "heldout30.tsv": (0.79, 0.019, 0.01),
            "heldout31.tsv": (0.872, 0.064, 0.019), "heldout32.tsv": (0.863, 0.064, 0.028),
            "heldout33.tsv": (0.836, 0.046, 0.019), "heldout34.tsv": (0.918, 0.01, 0.01),
            "heldout35.tsv": (0.836, 0.019, 0.01), "heldout36.tsv": (0.854, 0.037, 0.01),
            "heldout37.tsv": (0.875, 0.046, 0.019),
            "heldout38.tsv": (0.777, 0.06, 0.026),
            "heldout39.tsv": (0.857, 0.019, 0.019),
            "heldout40.tsv": (0.983, 0.019, 0.01), "heldout41.tsv": (0.966, 0.018, 0.009),
            "heldout42.tsv": (0.8, 0.073, 0.019), "heldout43.tsv": (0.772, 0.055, 0.019),
            "heldout44.tsv": (0.763, 0.019, 0.01),
            "heldout45.tsv": (0.954, 0.046, 0.01),
            "heldout46.tsv": (0.863, 0.046, 0.019),
            "heldout47.tsv": (0.9, 0.1, 0.028),
            "heldout48.tsv": (0.954, 0.046, 0.019),
            "heldout49.tsv": (0.936, 0.046, 0.019), "heldout50.tsv": (0.945, 0.1, 0.055),
            "heldout51.tsv": (0.945, 0.037, 0.01), "heldout52.tsv": (0.927, 0.037, 0.01),
            "heldout53.tsv": (0.918, 0.037, 0.01)}


@pytest.mark.parametrize("name", sorted(MEASURED))
def test_blind_part_does_not_fall_below_its_measured_figures(name: str) -> None:
    # Plain numbers only: a failure must not print the blind texts (that would be tuning on them).
    scores = score(load_blind(name))
    recall, false_alarms, worst = scores.recall, scores.false_alarm_rate, scores.worst_rule_false_alarm_rate()
    floor_recall, floor_false_alarms, floor_worst = MEASURED[name]
    assert recall >= floor_recall, f"recall {recall:.1%} (target {TARGET_RECALL:.0%})"
    assert false_alarms <= floor_false_alarms, f"false alarms {false_alarms:.1%}"
    assert worst <= floor_worst, f"worst rule {worst:.1%}"


def test_every_blind_part_has_its_floors() -> None:
    assert sorted(MEASURED) == sorted(BLIND_PARTS)


def test_a_missing_blind_part_fails_only_when_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_HELDOUT, raising=False)
    with pytest.raises(pytest.skip.Exception, match="not in this checkout"):
        load_blind("heldout3.tsv", tmp_path)
    monkeypatch.setenv(REQUIRE_HELDOUT, "1")
    with pytest.raises(pytest.fail.Exception, match=r"heldout3\.tsv is missing"):
        load_blind("heldout3.tsv", tmp_path)
    (tmp_path / "heldout3.tsv").write_text("稳赚不赔\twealth.no-guaranteed-return\t基础\t承诺\tguarantee\n",
                                          encoding="utf-8")
    assert [line.expected for line in load_blind("heldout3.tsv", tmp_path)] == ["wealth.no-guaranteed-return"]


def test_ci_requires_the_blind_parts() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_HELDOUT}=1" in ci
