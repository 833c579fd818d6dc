"""The policy's regular expressions as sre programs, stored, so that `validate` need not compile them.

`re.compile` parses a pattern and compiles it to a program for the C matcher, both in Python: the claim
and rule patterns a spec's texts need took a tenth of `validate`. The program is a function of the pattern
and of the interpreter alone, so `python -m oa_spec.policy.anchors` writes the programs of every claim and
pack pattern to data/pattern_programs.marshal, with the interpreter that made them (cache tag and sre
MAGIC). Another interpreter, or a pattern the file lacks (claims.yaml edited, the file not regenerated),
compiles as before: a stale file is slower, never wrong; tests/policy/test_patterns.py fails until it is
regenerated. re has no public API for this; its parser and compiler are reached as `policy.anchors`
reaches the parser, and the program is handed to `_sre.compile` with the arguments `re` itself gives it.
"""

from __future__ import annotations

import importlib
import marshal
import re
import sys
import zlib
from array import array
from functools import cache
from importlib import resources
from typing import Any

_sre: Any = importlib.import_module("_sre")
FILE = "data/pattern_programs.marshal"


def interpreter() -> str:
    """What a stored program is valid for: the bytecode tag, and the matcher's version and word size."""
    return f"{sys.implementation.cache_tag} sre {_sre.MAGIC} {_sre.CODESIZE}"


@cache
def _stored() -> dict[str, bytes]:
    try:
        return programs_in(resources.files("oa_spec.policy").joinpath(FILE).read_bytes())
    except OSError:  # not shipped: every pattern compiles
        return {}


def programs_in(blob: bytes) -> dict[str, bytes]:
    """Pattern -> its packed program, when this interpreter wrote `blob`; else none."""
    try:
        stored = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):  # written by another Python's marshal
        return {}
    if not isinstance(stored, dict) or stored.get("interpreter") != interpreter():
        return {}
    programs: dict[str, bytes] = stored["programs"]
    return programs


def compile_pattern(source: str) -> re.Pattern[str]:
    """`re.compile(source)`, from its stored program when this interpreter wrote it."""
    packed = _stored().get(source)
    return re.compile(source) if packed is None else from_program(source, packed)


def from_program(source: str, packed: bytes) -> re.Pattern[str]:
    """The pattern `re.compile(source)` gives, from its packed program (`program`)."""
    flags, groups, groupindex, words = marshal.loads(zlib.decompress(packed))
    code = array("I" if _sre.CODESIZE == 4 else "H", words).tolist()
    indexgroup: list[str | None] = [None] * groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    compiled: re.Pattern[str] = _sre.compile(source, flags, code, groups - 1, groupindex, tuple(indexgroup))
    return compiled


def program(source: str) -> bytes:
    """The stored form of `source`'s program: what `re.compile` hands `_sre.compile`, packed."""
    parser: Any = importlib.import_module("re._parser")
    compiler: Any = importlib.import_module("re._compiler")
    parsed = parser.parse(source, 0)
    code = array("I" if _sre.CODESIZE == 4 else "H", [int(word) for word in compiler._code(parsed, 0)])
    state = parsed.state
    return zlib.compress(marshal.dumps((int(state.flags), state.groups, dict(state.groupdict), code.tobytes())), 9)


def file_bytes(sources: list[str]) -> bytes:
    """The programs file as `python -m oa_spec.policy.anchors` writes it, for this interpreter."""
    return marshal.dumps({"interpreter": interpreter(), "programs": {s: program(s) for s in sorted(set(sources))}})
