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
# near MAX_DEPTH, so a document that does is refused at its place before it is composed. The depth is read
# from libyaml's parser, which does not recurse, and only for a document that could nest that deep: more
# brackets than MAX_DEPTH, or a long run of block indicators on one line (`- - - x`). Indentation alone
# cannot nest that deep within the size limit: each level costs one more column on every line below it.
MAX_DEPTH = 500
_INDICATOR_RUN = re.compile(r"(?:[-?:][ \t]+){2}(?:[-?:][ \t]+)*+")  # possessive: one pass over each run
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


# Each node costs a few hundred bytes composed and more checked: a flat list of ten million zeros (20 MB, under
# the size limit) took 4 GB to validate, and each of its items a diagnostic of its own took far more. A bank's
# largest spec file (one account with thousands of keyword rules) holds some tens of thousands; one holding twenty
# accounts of 2,000 keyword rules each, some 400,000.
MAX_NODES = 500_000


class TooManyNodes(yaml.MarkedYAMLError):
    def __init__(self, line: int = 0, column: int = 0) -> None:
        super().__init__(problem=f"the file holds over {MAX_NODES:,} values",
                         problem_mark=yaml.Mark("<text>", 0, line, column, "", 0))


class NestedTooDeeply(yaml.MarkedYAMLError):
    def __init__(self, line: int = 0, column: int = 0) -> None:
        super().__init__(problem=f"the YAML is nested too deeply (over {MAX_DEPTH} levels)",
                         problem_mark=yaml.Mark("<text>", 0, line, column, "", 0))


def compose(text: str) -> yaml.Node | None:
    """The document's node tree; NestedTooDeeply (a MarkedYAMLError) where it nests deeper than any spec,
    TooManyNodes where it holds more values than any spec."""
    if _could_be_deep(text):
        _refuse_deep(text)
    if _could_be_large(text):
        _refuse_large(text)
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except RecursionError:  # the pure-Python composer, without libyaml
        raise NestedTooDeeply() from None


def _could_be_deep(text: str) -> bool:
    if text.count("[") + text.count("{") > MAX_DEPTH:
        return True
    return any(len(run.group()) > MAX_DEPTH for run in _INDICATOR_RUN.finditer(text))


def _refuse_deep(text: str) -> None:
    """NestedTooDeeply at the first node past MAX_DEPTH, by the parser's events (quoted brackets are text to
    it, as they are to the composer). A syntax error is left for the composer to report."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise NestedTooDeeply(mark.line, mark.column) if mark else NestedTooDeeply()
            elif isinstance(event, _CLOSES):
                depth -= 1
    except NestedTooDeeply:
        raise
    except yaml.YAMLError:
        return


def _could_be_large(text: str) -> bool:
    """Every value but the first follows one of these (a separator, an indicator or a line break): counting them
    is an upper bound on the values, found in C, so an ordinary file is never parsed twice."""
    return sum(text.count(mark) for mark in ",:-[{\n") >= MAX_NODES


def _refuse_large(text: str) -> None:
    """TooManyNodes at the value past MAX_NODES, counted from the parser's events (none of them kept)."""
    values = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, (yaml.ScalarEvent, *_OPENS, yaml.AliasEvent)):
                values += 1
                if values > MAX_NODES:
                    mark = event.start_mark
                    raise TooManyNodes(mark.line, mark.column) if mark else TooManyNodes()
    except TooManyNodes:
        raise
    except yaml.YAMLError:
        return


def load_packaged(package: str, name: str) -> object:
    """A YAML data file shipped inside `package` (e.g. the policy lexicons)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)
