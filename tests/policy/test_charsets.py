"""Sharing built character classes changes how fast the policy compiles, never what it compiles."""

from __future__ import annotations

import re
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

import pytest

from oa_spec.policy import charsets, lexicon
from oa_spec.policy.charsets import shared_charsets

HAND_WRITTEN = [
    r"收益[^,;。!?\n]{0,8}?(?:保本|稳赚)",  # the clause class, beyond Latin-1
    r"(?<![银头])发(?![现生]|卡(?!号))[^。!?\n]{0,14}?验证码",
    r"赚(?:了|到|得)|[a-z]{2,}\d",  # an alternation re turns into a class; a Latin-1 class
    r"(?i)[^ÀÉ中]+x",  # case-insensitive: not shared
]


def _program(pattern: str) -> list[Any]:
    parsed = _parser.parse(pattern, 0)
    return list(_compiler._code(parsed, parsed.state.flags))


def _every_policy_pattern() -> list[str]:
    patterns = [p for category in lexicon.categories()
                for p in lexicon._data()[category].get("patterns") or []]
    assert len(patterns) > 300
    return patterns + HAND_WRITTEN


def test_the_programs_compiled_with_shared_classes_are_the_programs_re_compiles() -> None:
    patterns = _every_policy_pattern()
    plain = [_program(p) for p in patterns]
    with shared_charsets():
        shared = [_program(p) for p in patterns]
        again = [_program(p) for p in patterns]  # now every class comes from the shared store
    assert shared == plain
    assert again == plain


@pytest.mark.skipif(not charsets.SUPPORTED, reason="this Python's re has no class builder to share")
def test_classes_are_built_once_inside_the_block_and_re_is_restored_after() -> None:
    original = _compiler._optimize_charset
    clause = r"[^,;。!?\n]{0,6}"
    with shared_charsets():
        with shared_charsets():  # nested: still shared until the outer block ends
            re.compile("甲" + clause + "乙")
        assert _compiler._optimize_charset is not original
        key = next(k for k in charsets._built if any(op == _parser.NEGATE for op, _ in k))
        built = charsets._built[key]
        re.compile("丙" + clause + "丁")
        assert charsets._built[key] is built
    assert _compiler._optimize_charset is original


@pytest.mark.skipif(not charsets.SUPPORTED, reason="this Python's re has no class builder to share")
def test_a_case_insensitive_class_is_never_taken_from_the_store() -> None:
    with shared_charsets():
        before = len(charsets._built)
        assert re.compile(r"(?i)[^ÀÉ中]+x").fullmatch("àé文X") is None
        assert re.compile(r"(?i)[^ÀÉ中]+x").fullmatch("abcX") is not None
    assert len(charsets._built) == before
