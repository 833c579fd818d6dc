"""The shape of oaspec's own patterns (the cn-bank rules, the FAQ reader, the article checks): none may
make reading a text cost the square of its length.

A pattern whose match can begin with an unbounded run (`[^。]*`, `\\d+`, `(?:…){2,}`) and then fail is tried
again from the next character, and so on through the run: 20,000 digits took 12 s in the rules, 48,000
characters of 理财、 27 s. Such a run must be anchored: by a lookbehind (`(?<!\\d)\\d+` starts only at the
first digit), a literal before it, or a bound. A run that needs nothing after it (`[a-z]+`) matches wherever
it starts, so it is linear and allowed, and so is a pattern anchored at the start of the text (`^`). A
literal before the run is no anchor when the run can match it: `凡是[^。]*都` read 20,000 凡是 in 3.5 s, every
凡是 starting a scan to the end of the sentence; `“([^”]+)”` read 40,000 “ in 3.2 s.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from typing import Any

import pytest

import oa_spec
from oa_spec.policy import lexicon, negation
from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text
from oa_spec.policy.patterns import Pattern

# The parser `re` itself uses (no public API, no type stubs): the shape of each pattern, not its text.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")


def _own_patterns() -> dict[str, re.Pattern[str]]:
    """Every pattern a module of oa_spec holds (or holds in a dict), compiled, and the lexicon's."""
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(oa_spec.__path__, "oa_spec."):
        if info.name == "oa_spec.__main__":  # importing it runs the command
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.items() if isinstance(value, dict) else [("", value)]
            for key, item in values:
                if isinstance(item, Pattern):  # the packs' patterns, compiled on first use
                    item = item.compiled()
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    found[f"{module.__name__}.{name}{f'[{key}]' if key else ''}"] = item
    for category in lexicon.categories():
        for index, source in enumerate(lexicon.patterns(category)):
            found[f"claims.yaml {category}[{index}]"] = re.compile(source)
    return found


def _shape(pattern: re.Pattern[str]) -> list[tuple[Any, Any]]:
    """The parsed pattern, without a leading `^`: a pattern anchored at the start is tried once."""
    items = list(_parser.parse(pattern.pattern, pattern.flags))
    return [] if items[:1] == [(_constants.AT, _constants.AT_BEGINNING)] else items


def _starts_with_an_open_run(items: list[tuple[Any, Any]]) -> bool:
    """The pattern can begin with an unbounded repeat and has more to match after it."""
    if not items:
        return False
    op, argument = items[0]
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        return bool(argument[1] == _constants.MAXREPEAT and _can_fail(items[1:]))
    if op == _constants.SUBPATTERN:
        return _starts_with_an_open_run([*argument[-1], *items[1:]])
    if op == _constants.BRANCH:
        return any(_starts_with_an_open_run([*branch, *items[1:]]) for branch in argument[1])
    return False


def _restartable_runs(items: list[tuple[Any, Any]], before: tuple[Any, Any] | None = None,
                      followed: bool = False) -> int:
    """Unbounded runs of (almost) any character, with more to match after them, not behind a literal the run
    stops at (`"[^"]*"` is linear: each scan ends where the next may begin). `before` is what precedes a
    group or a lookahead, `followed` whether more follows it."""
    found = 0
    for i, (op, argument) in enumerate(items):
        previous, more = items[i - 1] if i else before, followed or i + 1 < len(items)
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            body = list(argument[2])
            if argument[1] == _constants.MAXREPEAT and more and _matches_almost_anything(body):
                found += not (previous is not None and previous[0] == _constants.LITERAL
                              and _excludes(body, previous[1]))
            found += _restartable_runs(body, previous, more)
        elif op == _constants.SUBPATTERN:
            found += _restartable_runs(list(argument[-1]), previous, more)
        elif op == _constants.BRANCH:
            found += sum(_restartable_runs(list(branch), previous, more) for branch in argument[1])
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            found += _restartable_runs(list(argument[1]), previous if argument[0] == 1 else None, more)
    return found


def _matches_almost_anything(body: list[tuple[Any, Any]]) -> bool:
    if len(body) != 1:
        return False
    op, argument = body[0]
    return bool(op in (_constants.ANY, _constants.NOT_LITERAL)
                or (op == _constants.IN and argument and argument[0][0] == _constants.NEGATE))


def _excludes(body: list[tuple[Any, Any]], char: int) -> bool:
    op, argument = body[0]
    if op == _constants.NOT_LITERAL:
        return bool(argument == char)
    return op == _constants.IN and (_constants.LITERAL, char) in argument


def _can_fail(items: list[tuple[Any, Any]]) -> bool:
    """Must something follow? A run followed only by what may match nothing (`[a-z]+(?: [a-z]+)*`) matches
    wherever it starts."""
    return bool(items) and _parser.SubPattern(_parser.State(), items).getwidth()[0] > 0


def test_the_patterns_are_found() -> None:
    patterns = _own_patterns()
    assert len(patterns) > 100
    assert {"oa_spec.policy.vocabulary.NAMED_IN_PASSING", "oa_spec.policy.vocabulary.PERCENT",
            "claims.yaml testimonial[0]", "oa_spec.content.texts._QUOTED",
            "oa_spec.gateway.faq.normalize._LATIN_RUN"} <= set(patterns)


def test_no_pattern_starts_with_an_unanchored_run() -> None:
    open_runs = sorted(name for name, pattern in _own_patterns().items() if _starts_with_an_open_run(_shape(pattern)))
    assert not open_runs, f"anchor or bound the leading run of: {open_runs}"


def test_no_run_of_any_character_restarts_at_every_occurrence_of_its_prefix() -> None:
    restartable = sorted(name for name, pattern in _own_patterns().items() if _restartable_runs(_shape(pattern)))
    assert not restartable, f"bound the run of any character (e.g. {{0,60}}?) in: {restartable}"


def test_the_restart_check_sees_the_shape_that_was_slow() -> None:
    for slow in (r"凡是[^。！？]*(?:都|全)", r"(?:警惕|谨防).*骗", r"x(?=[^。]*y)", r"(?:凡是[^。]*)都",
                 r"理财[^。]*$"):
        assert _restartable_runs(list(_parser.parse(slow))), slow
    for fine in (r"凡是[^。！？]{0,60}?(?:都|全)", r"\"[^\"]*\"", r"“[^”“]*”", r"\d+元", r"\"(?![^\"]*吗)"):
        assert not _restartable_runs(list(_parser.parse(fine))), fine


def test_the_check_sees_the_shapes_that_were_slow() -> None:
    for slow in (r"\d+(?:\.\d+)?%", r"[^。;；]*(?:假设|模拟数据)", r"(?:[^、]{1,8}、){2,}[^、]{1,8}等",
                 r"理财|[^。]*?不是存款"):
        assert _starts_with_an_open_run(list(_parser.parse(slow))), slow
    for fine in (r"(?<!\d)\d+(?:\.\d+)?%", r"[a-z]+", r"[a-z]+(?: [a-z]+)*", r"[^。]{0,40}?不是存款",
                 r"据[^。]{1,30}?统计"):
        assert not _starts_with_an_open_run(list(_parser.parse(fine))), fine


def test_a_long_run_of_digits_is_read_in_bounded_time() -> None:
    # 20,000 digits took 12 s before the figures were anchored, 0.06 s after: a hang bound, not a speed target
    started = time.process_time()
    fired(cn_bank_text.RULES, "1" * 20_000 + "立即申请")
    assert time.process_time() - started < 5


def test_a_long_run_of_one_prefix_is_read_in_bounded_time() -> None:
    # 30,000 凡是 took about 8 s while the run after it was unbounded, 0.2 s after: a hang bound
    started = time.process_time()
    fired(cn_bank_text.RULES, "凡是" * 30_000 + "理财")
    assert time.process_time() - started < 5


def test_share_words_beside_ordinary_words_holding_a_reward_are_read_in_bounded_time() -> None:
    # 6,000 characters of 晒心得 took 30 s (every reward candidate looked through every word of the text, again for
    # each share), about 1 s after: a hang bound, with room for a loaded machine (four test workers on two cores
    # and another job took 5.7 s). What made the rest super-linear is tested where it was: tests/policy/test_patterns.py
    started = time.process_time()
    fired(cn_bank_text.RULES, "晒心得" * 2000)
    assert time.process_time() - started < 12


def test_a_run_of_the_same_question_reads_a_bounded_part_of_each_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: 20,000 unpunctuated characters of 没有风险吗 took 15 s to validate: each question read every
    # mention of the asked word in the rest of its sentence (scores of them) for a denial. A mechanism, not a clock:
    # the mentions read per question are bounded, whatever the text's length
    read: list[int] = []
    after = negation._after_a_negator
    denied = negation._denied_in_answer

    inside = [False]

    def counting(norm: str, clause: int, start: int) -> bool:
        read[-1] += inside[0]
        return after(norm, clause, start)

    def per_question(norm: str, question_end: int, head: str) -> bool:
        read.append(0)
        inside[0] = True
        try:
            return denied(norm, question_end, head)
        finally:
            inside[0] = False

    monkeypatch.setattr(negation, "_after_a_negator", counting)
    monkeypatch.setattr(negation, "_denied_in_answer", per_question)
    fired(cn_bank_text.RULES, "没有风险吗" * 400)
    assert len(read) >= 100 and max(read) <= 3  # negation.ANSWER_MENTIONS
    # an answer that denies the word at its first mention is still read as a denial
    answered = "这款理财保本吗？答：该产品不保本，浮动收益。"
    assert "wealth.no-guaranteed-return" not in fired(cn_bank_text.RULES, answered)


def test_a_run_of_quotations_is_read_within_a_bounded_reach() -> None:
    # an attack review: an article of 5,000 quotations (“第一”“第一”…) took 10 s to validate, four times as long
    # each time it doubled: every claim inside walked the whole run to find what follows it
    run = '"第一"' * 5000
    assert negation.quotations_end(run, 3) <= 3 + negation.LOOK_AROUND + len('"第一"')
    assert negation.quotations_end('"存款送油""买理财返现"属于不规范营销', 5) == 12  # a short run is read whole
    assert negation.quotations_end('"存款送油"" 买理财', 5) == -1  # one left open


@pytest.mark.parametrize("asked", [
    "为了核实身份请回复您的银行卡号后四位{filler}以及短信验证码",
    "办理时请提供身份证、户口本等材料{filler}以及银行卡密码",
])
def test_a_secret_asked_for_far_along_an_unpunctuated_clause_is_still_caught(asked: str) -> None:
    # an attack review: bounding a clause at 300 characters (for speed) let an exemption (only the last digits, only
    # papers brought) stand for a clause that asks for a code or a password 360 characters on
    filler = ("这个步骤是为了方便工作人员在后台为您快速核对账户归属情况以便尽快完成业务办理" * 20)[:360]
    assert "pii.no-credential-solicitation" in fired(cn_bank_text.RULES, asked.format(filler=filler))
