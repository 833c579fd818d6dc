"""The words a claims.yaml pattern cannot match without, so that a text is searched (and `validate`
compiles) only the patterns it could match.

Compiling all the claim patterns was the largest single cost of `oaspec validate`: Python's `re` parses
and compiles in Python. Every match of a pattern holds one of its anchors, words its parse tree requires
(保本 in 保本[^。]{0,4}保息; one of 赚 and 挣 in (?:赚|挣)钱), so a text holding none cannot match it.

The anchors are read from the parse tree here and kept in data/claims_anchors.json, and those of the
rule packs' own patterns (`policy.patterns`) in data/pattern_anchors.json. A pattern missing from a file
(edited, the file not regenerated) has no anchors and is searched in every text: a stale file is slower,
never wrong, and tests/policy/test_anchors.py fails until it is regenerated (with the JSON snapshot of
claims.yaml, data/claims.json, that `policy.lexicon` reads in its stead while it is current, and with
the compiled programs of all of these and of the package's other patterns, `util.precompiled`):

    python -m oa_spec.policy.anchors
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

# The parser `re` itself uses (no public API, no type stubs); only this generator and the tests load it.
_parser: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")

FILE = Path(__file__).parent / "data" / "claims_anchors.json"
PATTERNS_FILE = Path(__file__).parent / "data" / "pattern_anchors.json"
MAX_CLASS = 8  # a class of more characters than this is no useful anchor
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


Groups = tuple[tuple[str, ...], ...]


def anchors(pattern: str) -> Groups:
    """Groups of words: every match of `pattern` holds a word of each group. The most selective group
    (longest shortest word, then fewest words) comes first; () when the parse tree requires no word."""
    parsed = _parser.parse(pattern)
    if parsed.state.flags & _sre.SRE_FLAG_IGNORECASE:
        return ()
    groups = {tuple(sorted(words)) for words in _required(list(parsed))}
    return tuple(sorted(groups, key=lambda words: (-min(map(len, words)), len(words), words)))


def _required(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """What a sequence requires: each of its literal runs, and what each of its parts requires."""
    groups: list[set[str]] = []
    run: list[str] = []
    for op, argument in items:
        if op is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            groups.append({"".join(run)})
            run = []
        groups.extend(_required_by(op, argument))
    if run:
        groups.append({"".join(run)})
    return groups


def _strongest(groups: list[set[str]]) -> set[str] | None:
    return max(groups, key=lambda words: (min(map(len, words)), -len(words)), default=None)


def _required_by(op: Any, argument: Any) -> list[set[str]]:
    if op is _sre.IN:  # a class of plain characters: one of them
        chars = {chr(value) for kind, value in argument if kind is _sre.LITERAL}
        return [chars] if len(chars) == len(argument) <= MAX_CLASS else []
    if op is _sre.SUBPATTERN:
        _group, added_flags, _removed_flags, body = argument
        return [] if added_flags & _sre.SRE_FLAG_IGNORECASE else _required(list(body))
    if op is _sre.BRANCH:  # each branch must require a word; the strongest group of each will do
        branches = [_strongest(_required(list(branch))) for branch in argument[1]]
        return [] if any(b is None for b in branches) else [set().union(*(b for b in branches if b))]
    if op in _REPEATS and argument[0] >= 1:
        return _required(list(argument[2]))
    return []  # any character, a negated class, an optional part, an assertion: no word required


def file_text() -> str:
    """The anchors file as `main` writes it from claims.yaml's current patterns, a line per pattern."""
    from oa_spec.policy import lexicon

    return _json_lines(sorted({p for category in lexicon.categories() for p in lexicon.patterns(category)}))


def pattern_file_text() -> str:
    """The anchors of every `policy.patterns.Pattern` the policy modules make, as `main` writes them."""
    from oa_spec.policy import patterns

    _import_all()
    return _json_lines(sorted(patterns.sources()))


def program_sources() -> set[tuple[str, int]]:
    """The patterns whose programs `util.precompiled` stores: the rule packs', claims.yaml's, and those
    every module of the package compiles through it as it is imported."""
    from oa_spec.policy import lexicon, patterns
    from oa_spec.util import precompiled

    _import_all()
    claims = {p for category in lexicon.categories() for p in lexicon.patterns(category)}
    return {*precompiled.declared(), *((p, 0) for p in (*patterns.sources(), *claims))}


def _import_all() -> None:
    import pkgutil

    import oa_spec

    for module in pkgutil.walk_packages(oa_spec.__path__, "oa_spec."):
        if not module.name.endswith(".__main__"):  # which would run the CLI
            importlib.import_module(module.name)


def _json_lines(sources: list[str]) -> str:
    lines = [f"{json.dumps(p, ensure_ascii=False)}: {json.dumps(anchors(p), ensure_ascii=False)}" for p in sources]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    from oa_spec.policy import lexicon
    from oa_spec.util import precompiled

    for path, text in ((lexicon.SNAPSHOT, lexicon.snapshot_text()), (FILE, file_text()),
                       (PATTERNS_FILE, pattern_file_text())):
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - 2} entries")  # noqa: T201 (a maintainer's build command)
    stored = precompiled.write(program_sources())
    print(f"{precompiled.FILE}: {stored} programs")  # noqa: T201


if __name__ == "__main__":
    main()
