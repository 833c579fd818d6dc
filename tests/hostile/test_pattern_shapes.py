"""The shape of the cn-bank patterns: none may make a text's reading cost the square of its length.

A pattern whose match can begin with an unbounded run (`[^。]*`, `\\d+`, `(?:…){2,}`) and then fail is tried
again from the next character, and so on through the run: 20,000 digits took 12 s in the rules, 48,000
characters of 理财、 27 s. Such a run must be anchored: by a lookbehind (`(?<!\\d)\\d+` starts only at the
first digit), a literal before it, or a bound. A pattern that is only the run (`[a-z]+`) always matches where
it starts, so it is linear and allowed.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from typing import Any

import oa_spec.policy
import oa_spec.policy.packs
from oa_spec.policy import lexicon
from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text

# The parser `re` itself uses (no public API, no type stubs): the shape of each pattern, not its text.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")


def _policy_patterns() -> dict[str, re.Pattern[str]]:
    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for package in (oa_spec.policy, oa_spec.policy.packs)
               for info in pkgutil.iter_modules(package.__path__)]
    found: dict[str, re.Pattern[str]] = {}
    for module in modules:
        for name, value in vars(module).items():
            values = value.items() if isinstance(value, dict) else [("", value)]
            for key, item in values:
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                    found[f"{module.__name__}.{name}{f'[{key}]' if key else ''}"] = item
    for category in lexicon.categories():
        pattern = lexicon.pattern(category)
        if pattern is not None:
            found[f"claims.yaml {category}"] = pattern
    return found


def _starts_with_an_open_run(items: list[tuple[Any, Any]]) -> bool:
    """The pattern can begin with an unbounded repeat and has more to match after it."""
    if not items:
        return False
    op, argument = items[0]
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        return bool(argument[1] == _constants.MAXREPEAT and len(items) > 1)
    if op == _constants.SUBPATTERN:
        return _starts_with_an_open_run([*argument[-1], *items[1:]])
    if op == _constants.BRANCH:
        return any(_starts_with_an_open_run([*branch, *items[1:]]) for branch in argument[1])
    return False


def test_the_policy_patterns_are_found() -> None:
    patterns = _policy_patterns()
    assert len(patterns) > 100
    assert {"oa_spec.policy.vocabulary.NAMED_IN_PASSING", "oa_spec.policy.vocabulary.PERCENT",
            "claims.yaml testimonial"} <= set(patterns)


def test_no_pattern_starts_with_an_unanchored_run() -> None:
    open_runs = sorted(name for name, pattern in _policy_patterns().items()
                       if _starts_with_an_open_run(list(_parser.parse(pattern.pattern, pattern.flags))))
    assert not open_runs, f"anchor or bound the leading run of: {open_runs}"


def test_the_check_sees_the_shapes_that_were_slow() -> None:
    for slow in (r"\d+(?:\.\d+)?%", r"[^。;；]*(?:假设|模拟数据)", r"(?:[^、]{1,8}、){2,}[^、]{1,8}等",
                 r"理财|[^。]*?不是存款"):
        assert _starts_with_an_open_run(list(_parser.parse(slow))), slow
    for fine in (r"(?<!\d)\d+(?:\.\d+)?%", r"[a-z]+", r"[^。]{0,40}?不是存款", r"据[^。]{1,30}?统计"):
        assert not _starts_with_an_open_run(list(_parser.parse(fine))), fine


def test_a_long_run_of_digits_is_read_in_bounded_time() -> None:
    # 20,000 digits took 12 s before the figures were anchored, 0.06 s after: a hang bound, not a speed target
    started = time.perf_counter()
    fired(cn_bank_text.RULES, "1" * 20_000 + "立即申请")
    assert time.perf_counter() - started < 5
