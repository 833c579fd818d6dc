"""The claim lexicons (policy/data/claims.yaml): data a compliance officer reads and extends.

Loaded once, on the first text rule that asks, so `validate` on a spec without the cn-bank pack
never reads it. A text is searched only with the patterns it holds an anchor of (`policy.anchors`),
and a pattern is compiled the first time a text needs it: most texts need none of a category's.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import yaml

from oa_spec.util import precompiled
from oa_spec.util.yamlio import SafeLoader

SNAPSHOT = Path(__file__).parent / "data" / "claims.json"  # claims.yaml as JSON: read in 1% of the time


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    data = resources.files("oa_spec.policy").joinpath("data")
    snapshot = data.joinpath("claims.json")
    return data_of(data.joinpath("claims.yaml").read_bytes(),
                   snapshot.read_text(encoding="utf-8") if snapshot.is_file() else "")


def data_of(source: bytes, snapshot: str) -> dict[str, dict[str, list[str]]]:
    """The categories of claims.yaml (`source`): the snapshot's when it was written from these very bytes,
    else parsed again (claims.yaml edited, the snapshot not regenerated: slower, never stale)."""
    if snapshot:
        stored = json.loads(snapshot)
        if stored.get("claims.yaml sha256") == hashlib.sha256(source).hexdigest():
            categories: dict[str, dict[str, list[str]]] = stored["categories"]
            return categories
    loaded = yaml.load(source.decode("utf-8"), Loader=SafeLoader)
    if not isinstance(loaded, dict):
        raise ValueError("policy/data/claims.yaml: expected a mapping of categories")
    return loaded


def snapshot_text() -> str:
    """The snapshot as `python -m oa_spec.policy.anchors` writes it from claims.yaml: a line per category."""
    source = resources.files("oa_spec.policy").joinpath("data/claims.yaml").read_bytes()
    categories = data_of(source, "")
    lines = [f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
             for name, value in categories.items()]
    digest = json.dumps(hashlib.sha256(source).hexdigest())
    return f'{{\n"claims.yaml sha256": {digest},\n"categories": {{\n' + ",\n".join(lines) + "\n}}\n"


def categories() -> tuple[str, ...]:
    return tuple(_data())


def terms(category: str) -> tuple[str, ...]:
    return tuple(_data()[category].get("terms") or ())


def not_claims(category: str) -> tuple[str, ...]:
    """Longer words that hold one of the category's terms and claim nothing (保本微利 holds 保本)."""
    return tuple(_data()[category].get("not_claims") or ())


@cache
def patterns(category: str) -> tuple[str, ...]:
    return tuple(_data()[category].get("patterns") or ())


@dataclass(frozen=True)
class Alternation:
    """Some of a category's patterns, searched as their alternation `(?:p1)|(?:p2)|…` is: the leftmost
    match, and at that position the pattern that comes first in the file.

    Each pattern's last search in the last string is kept: a search from a later position reuses a match
    that starts at or after it (or no match at all), so a caller stepping through a long text (find_pattern)
    does not rescan to its end, once per step, for a pattern that matches nowhere in it."""

    patterns: tuple[re.Pattern[str], ...]
    _last: dict[int, tuple[str, int, re.Match[str] | None]] = field(
        default_factory=dict, compare=False, hash=False, repr=False)

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        best = None
        for index, pattern in enumerate(self.patterns):
            found = self._search(index, pattern, string, pos)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    def _search(self, index: int, pattern: re.Pattern[str], string: str, pos: int) -> re.Match[str] | None:
        last = self._last.get(index)
        if last is not None and last[0] is string and last[1] <= pos and (last[2] is None or last[2].start() >= pos):
            return last[2]
        found = pattern.search(string, pos)
        self._last[index] = (string, pos, found)
        return found


def pattern(category: str, norm: str) -> Alternation | None:
    """The category's patterns that can match the normalised text `norm`; None when none can."""
    chosen = _candidates(norm).get(category)
    return _alternation(category, chosen) if chosen else None


@dataclass(frozen=True)
class _Anchored:
    category: str
    index: int  # of the pattern in its category
    others: tuple[tuple[str, ...], ...]  # the groups after the first: a word of each must be there too


@dataclass(frozen=True)
class AnchorIndex:
    by_word: dict[str, dict[str, tuple[_Anchored, ...]]]  # first char -> a word of a first group -> patterns
    unanchored: dict[str, tuple[int, ...]]  # category -> patterns searched in every text


@cache
def _index() -> AnchorIndex:
    return index_of(json.loads(resources.files("oa_spec.policy").joinpath("data/claims_anchors.json")
                               .read_text(encoding="utf-8")))


def index_of(stored: dict[str, list[list[str]]]) -> AnchorIndex:
    """The patterns by the words of their first anchor group; a pattern `stored` lacks is never skipped."""
    by_word: dict[str, dict[str, list[_Anchored]]] = {}
    unanchored: dict[str, tuple[int, ...]] = {}
    for category in categories():
        always = []
        for index, source in enumerate(patterns(category)):
            groups = [tuple(words) for words in stored.get(source) or ()]
            if not groups:
                always.append(index)
                continue
            anchored = _Anchored(category, index, tuple(groups[1:]))
            for word in groups[0]:
                by_word.setdefault(word[0], {}).setdefault(word, []).append(anchored)
        unanchored[category] = tuple(always)
    frozen = {char: {word: tuple(found) for word, found in words.items()} for char, words in by_word.items()}
    return AnchorIndex(frozen, unanchored)


@lru_cache(maxsize=4096)  # each rule asks again about the same text, one category at a time
def _candidates(norm: str) -> dict[str, tuple[int, ...]]:
    return candidates(_index(), norm)


def candidates(index: AnchorIndex, norm: str) -> dict[str, tuple[int, ...]]:
    """Category -> the patterns (their positions in it) whose every anchor group has a word in `norm`."""
    found: dict[str, set[int]] = {category: set(always) for category, always in index.unanchored.items()}
    for char in set(norm):
        for word, anchored in index.by_word.get(char, {}).items():
            if word in norm:
                for a in anchored:
                    if all(any(other in norm for other in group) for group in a.others):
                        found[a.category].add(a.index)
    return {category: tuple(sorted(chosen)) for category, chosen in found.items() if chosen}


@lru_cache(maxsize=4096)
def _alternation(category: str, indices: tuple[int, ...]) -> Alternation:
    return Alternation(tuple(_compiled(category, index) for index in indices))


@cache
def _compiled(category: str, index: int) -> re.Pattern[str]:
    return precompiled.compile(patterns(category)[index])
