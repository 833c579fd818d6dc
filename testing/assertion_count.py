"""Count the suite's assertions, statically and as run, to show that a change of the suite lost none.

Statically: `python -m testing.assertion_count tests testing` counts `assert` statements and
`pytest.raises(...)` calls in the files (what a reviewer reads).

As run: `python -m pytest -n 0 -p testing.assertion_count -o enable_assertion_pass_hook=true` counts
every assert that passed in a rewritten module and every pytest.raises entered, and prints the totals
at the end (each parametrized case and each property-test example counts every time it runs). Asserts
in the test files under tests/ are counted apart from those in testing/ and conftest.py (the helpers'
checks, such as a fixture's, run once per test that uses them); asserts inside installed pytest plugins,
which pytest rewrites too (hypothesis checks its own invariants thousands of times per example), are
not counted. With ASSERTION_COUNT_JSON=path it also writes the counts per test.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

_passed: Counter[str] = Counter()
_helpers: Counter[str] = Counter()
_raises: Counter[str] = Counter()
_current = ["(collection)"]


def pytest_configure(config: pytest.Config) -> None:
    original = pytest.raises

    def counting_raises(*args: Any, **kwargs: Any) -> Any:
        _raises[_current[0]] += 1
        return original(*args, **kwargs)

    pytest.raises = counting_raises


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    _current[0] = item.nodeid
    try:
        return (yield)
    finally:
        _current[0] = "(between tests)"


def pytest_assertion_pass(item: pytest.Item, lineno: int, orig: str, expl: str) -> None:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and _internal(frame):  # up to the rewritten module that asserted
        frame = frame.f_back
    path = Path(frame.f_code.co_filename if frame is not None else "?")
    root = item.config.rootpath
    if path.is_relative_to(root / "tests") and path.name != "conftest.py":
        _passed[item.nodeid] += 1
    elif path.is_relative_to(root):  # testing/, conftest.py
        _helpers[item.nodeid] += 1


def _internal(frame: FrameType) -> bool:
    name = frame.f_code.co_filename
    return any(part in name for part in ("pluggy", "_pytest", "assertion_count"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"assertions run: {sum(_passed.values())} assert statements passed in test files "
                                f"(and {sum(_helpers.values())} in testing/ and conftest.py), "
                                f"{sum(_raises.values())} pytest.raises")
    target = os.environ.get("ASSERTION_COUNT_JSON")
    if target:
        counts = {"asserts": _passed, "helpers": _helpers, "raises": _raises}
        Path(target).write_text(json.dumps(counts, indent=0), encoding="utf-8")


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def static_count(paths: list[str]) -> tuple[int, int]:
    asserts = raises = 0
    for path in _files(paths):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert):
                asserts += 1
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "raises"
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == "pytest"):
                raises += 1
    return asserts, raises


if __name__ == "__main__":
    counted = static_count(sys.argv[1:] or ["tests", "testing"])
    print(f"{counted[0]} assert statements, {counted[1]} pytest.raises calls")  # noqa: T201
