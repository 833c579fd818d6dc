"""The package's own regular expressions, compiled when the package is built rather than at every start.

Python's `re` parses and compiles in Python, and slowly for Chinese: a class such as [一-鿿] is a bitmap
built one code point at a time (a millisecond), and each [^，；。] a 64K-entry map cut into blocks. The
~300 patterns a `validate` of a typical spec needs cost ~50 ms, a sixth of the command. sre's programs
(the instruction lists `re.compile` hands to the `_sre` engine) are kept in
data/regex_programs.<interpreter>.marshal and handed to sre as `re.compile` would hand them. sre checks
every program it is given, and the file is read only by an interpreter like the one that wrote it (its
cache tag, sre's MAGIC number and word, the byte order): any other, a program sre refuses, or a pattern
the file lacks (edited, the file not regenerated), is compiled as usual. A stale file is slower, never
wrong, and tests/policy/test_anchors.py fails until it is regenerated:

    python -m oa_spec.policy.anchors
"""

from __future__ import annotations

import importlib
import marshal
import re
import sys
import zlib
from array import array
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

# The engine and the compiler `re` itself uses (no public API, no type stubs).
_sre: Any = importlib.import_module("_sre")
_compiler: Any = importlib.import_module("re._compiler")
_parser: Any = importlib.import_module("re._parser")

FILE = Path(__file__).parent / "data" / f"regex_programs.{sys.implementation.cache_tag}.marshal"
# What a program is read by: sre's version and word size, and how the words are kept (array("I")).
_ENGINE = (_sre.MAGIC, _sre.CODESIZE, array("I").itemsize, sys.byteorder)
# flags, the code (its words as bytes, zlib'd), groups - 1, group index, and its inverse
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_DECLARED: dict[tuple[str, int], None] = {}  # what the package compiled, in the order asked


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the stored program when there is one."""
    key = (pattern, int(flags))  # a plain int, as the file keeps it (re.IGNORECASE is a RegexFlag)
    _DECLARED[key] = None
    stored = _programs().get(key)
    if stored is None:
        return re.compile(pattern, flags)
    all_flags, packed, groups, group_index, index_group = stored
    code = array("I", zlib.decompress(packed))
    try:
        compiled: re.Pattern[str] = _sre.compile(pattern, all_flags, code.tolist(), groups, group_index,
                                                 index_group)
    except RuntimeError:  # sre refuses the program ("invalid SRE code"): another build of the engine
        return re.compile(pattern, flags)
    return compiled


def declared() -> tuple[tuple[str, int], ...]:
    """The patterns compiled through this module so far: what the stored file should hold."""
    return tuple(_DECLARED)


@cache
def _programs() -> dict[tuple[str, int], Program]:
    try:
        engine, programs = marshal.loads(FILE.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # absent (another interpreter) or unreadable
        return {}
    return programs if engine == _ENGINE else {}


def program(pattern: str, flags: int = 0) -> Program:
    """What `re.compile` would hand sre for this pattern, as the file keeps it."""
    parsed = _parser.parse(pattern, flags)
    code = array("I", _compiler._code(parsed, flags))
    group_index: dict[str, int] = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, index in group_index.items():
        index_group[index] = name
    return (int(flags | parsed.state.flags), zlib.compress(code.tobytes(), 9), parsed.state.groups - 1,
            group_index, tuple(index_group))


def stored() -> dict[tuple[str, int], Program]:
    """The programs the file holds for this interpreter ({} when it has none)."""
    return dict(_programs())


def write(patterns: Iterable[tuple[str, int]]) -> int:
    """Store the programs of `patterns` for this interpreter; how many."""
    programs = {key: program(*key) for key in sorted(set(patterns))}
    FILE.write_bytes(marshal.dumps((_ENGINE, programs)))
    _programs.cache_clear()
    return len(programs)
