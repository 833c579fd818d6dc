"""YAML through libyaml when PyYAML was built with it (CSafeLoader, about ten times faster), else the
pure-Python SafeLoader: the same documents, the same safe subset."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# libyaml's composer recurses on the C stack with no limit (some 25,000 nested `[`, 60 KB, kill the process
# with SIGSEGV), and PyYAML's scanners slow down with the square of the flow depth. No spec nests anywhere
# near MAX_DEPTH, so a document whose brackets, or a run of block indicators (`- - - x`), go deeper is
# refused before it is parsed. Indentation alone cannot nest that deep within the size limit: each level
# costs one more column on every line below it. (Brackets inside quotes count too: none has 500 unclosed.)
MAX_DEPTH = 500
_BRACKETS = re.compile(r"[\[\]{}]")
# one pattern per leading indicator: a literal first character lets the regex engine skip ahead fast
_INDICATOR_RUNS = tuple(re.compile(rf"{re.escape(first)}[ \t]+(?:[-?:][ \t]+){{{MAX_DEPTH - 1}}}") for first in "-?:")


class NestedTooDeeply(yaml.MarkedYAMLError):
    def __init__(self, text: str, index: int) -> None:
        line = text.count("\n", 0, index)
        mark = yaml.Mark("<text>", index, line, index - (text.rfind("\n", 0, index) + 1), "", 0)
        super().__init__(problem=f"the YAML is nested too deeply (over {MAX_DEPTH} levels)", problem_mark=mark)


def compose(text: str) -> yaml.Node | None:
    """The document's node tree; NestedTooDeeply (a MarkedYAMLError) where it nests deeper than any spec."""
    deep = _too_deep_at(text)
    if deep is not None:
        raise NestedTooDeeply(text, deep)
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except RecursionError:  # the pure-Python composer, without libyaml
        raise NestedTooDeeply(text, 0) from None


def _too_deep_at(text: str) -> int | None:
    """Where the brackets or a run of block indicators first go deeper than MAX_DEPTH; None if nowhere."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for found in _BRACKETS.finditer(text):
            depth = depth + 1 if found.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                return found.start()
    searches = (pattern.search(text) for pattern in _INDICATOR_RUNS)
    return min((run.start() for run in searches if run is not None), default=None)


def load_packaged(package: str, name: str) -> object:
    """A YAML data file shipped inside `package` (e.g. the policy lexicons)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)
