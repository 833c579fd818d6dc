"""The package's patterns come from sre programs stored ahead of time, and from `re` when there is none:
either way the pattern answers exactly as `re.compile` would."""

from __future__ import annotations

import marshal
import re
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.util import precompiled

PATTERN = "(?P<claim>保本)[^，；。]{0,4}保息|[一-鿿]{2}保证"


@pytest.fixture(autouse=True)
def _declared_as_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patterns these tests compile are not left declared as the package's (test_anchors, in the same
    process, compares the stored programs with what the package declares)."""
    monkeypatch.setattr(precompiled, "_DECLARED", dict(precompiled._DECLARED))


@pytest.fixture
def programs_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A programs file of the test's own, read afresh."""
    monkeypatch.setattr(precompiled, "FILE", tmp_path / "programs.marshal")
    precompiled._programs.cache_clear()
    yield precompiled.FILE
    precompiled._programs.cache_clear()


@pytest.fixture
def re_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The patterns `precompiled` hands to re.compile, found without a stored program."""
    asked: list[str] = []
    compile_ = re.compile

    def counted(pattern: str, flags: int = 0) -> re.Pattern[str]:
        asked.append(pattern)
        return compile_(pattern, flags)

    monkeypatch.setattr(re, "compile", counted)
    return asked


def same(compiled: re.Pattern[str], expected: re.Pattern[str]) -> None:
    assert (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex) == \
        (expected.pattern, expected.flags, expected.groups, expected.groupindex)
    for text in ("本产品保本，保息", "本产品保本又保息", "存款保本保息哦", "绝对保证", "abc"):
        found, wanted = compiled.search(text), expected.search(text)
        assert (found and (found.span(), found.groupdict())) == (wanted and (wanted.span(), wanted.groupdict()))


def test_a_stored_program_is_used_and_answers_as_re_compile_does(programs_file: Path,
                                                                   re_compiles: list[str]) -> None:
    assert precompiled.write([(PATTERN, 0), ("保本", int(re.IGNORECASE))]) == 2
    same(precompiled.compile(PATTERN), re.compile(PATTERN))
    same(precompiled.compile("保本", re.IGNORECASE), re.compile("保本", re.IGNORECASE))
    assert re_compiles == [PATTERN, "保本"]  # only by the test's own `expected`


def test_a_pattern_the_file_lacks_is_compiled_by_re(programs_file: Path, re_compiles: list[str]) -> None:
    precompiled.write([(PATTERN, 0)])
    same(precompiled.compile(PATTERN + "|保收益"), re.compile(PATTERN + "|保收益"))
    assert re_compiles.count(PATTERN + "|保收益") == 2  # precompiled's and the test's
    precompiled.compile(PATTERN, re.IGNORECASE)  # the same words under other flags are another pattern
    assert re_compiles[-1] == PATTERN


@pytest.mark.parametrize("content", [
    b"",  # empty
    b"\x00garbage",  # not marshal
    marshal.dumps(((0, 4, 4, "little"), {})),  # another engine's
])
def test_a_file_of_another_engine_or_unreadable_is_not_read(programs_file: Path, re_compiles: list[str],
                                                            content: bytes) -> None:
    precompiled.write([(PATTERN, 0)])
    programs_file.write_bytes(content)
    precompiled._programs.cache_clear()
    same(precompiled.compile(PATTERN), re.compile(PATTERN))
    assert re_compiles.count(PATTERN) == 2


def test_a_program_sre_refuses_is_compiled_by_re(programs_file: Path, re_compiles: list[str]) -> None:
    precompiled.write([(PATTERN, 0)])
    flags, _code, groups, group_index, index_group = precompiled.stored()[(PATTERN, 0)]
    refused = (flags, zlib.compress(array("I", [1, 2, 3, 4, 5]).tobytes()), groups, group_index, index_group)
    programs_file.write_bytes(marshal.dumps((precompiled._ENGINE, {(PATTERN, 0): refused})))
    precompiled._programs.cache_clear()
    same(precompiled.compile(PATTERN), re.compile(PATTERN))
    assert re_compiles.count(PATTERN) == 2


def test_no_file_at_all_compiles_every_pattern_by_re(programs_file: Path, re_compiles: list[str]) -> None:
    assert not programs_file.exists()
    same(precompiled.compile(PATTERN), re.compile(PATTERN))
    assert re_compiles.count(PATTERN) == 2


def test_every_pattern_asked_for_is_declared_for_the_file() -> None:
    precompiled.compile("申购费[^，。]{0,3}全免")
    assert ("申购费[^，。]{0,3}全免", 0) in precompiled.declared()
