"""The one reader of the state's JSON: revisions, audit entries, content and lock records, the database's rows.

They are written by oaspec only, but stored where others can write, so a damaged or hostile record must be
refused as corrupt (a ValueError, which each caller names with its file or row), never crash a command:
JSON nested deeper than Python's recursion allows raises RecursionError inside json.loads, and anything
nested deeper than oaspec ever writes is refused before code that walks it recursively can meet it. A key
twice in one object is refused too: json.loads keeps the last value, other readers the first, strict ones
refuse the record, so a record written that way reads one way here and another way elsewhere.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 100  # far deeper than any record oaspec writes (a menu within an account state is about 8)


class StoredJsonError(ValueError):
    """Stored JSON that parses, or would, but is not a record oaspec could have written."""


def parse(text: str) -> Any:
    """The value `text` holds; ValueError (a JSONDecodeError or StoredJsonError) saying why when refused."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise StoredJsonError("nested too deeply") from None
    if _depth(value) > MAX_DEPTH:
        raise StoredJsonError("nested too deeply")
    return value


def parse_object(text: str) -> dict[str, Any]:
    """As parse, for a record that must be a JSON object."""
    value = parse(text)
    if not isinstance(value, dict):
        raise StoredJsonError("not a JSON object")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            raise StoredJsonError(f"the key {json.dumps(key, ensure_ascii=False)} appears twice")
        value[key] = item
    return value


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (without recursing), counted up to just past MAX_DEPTH."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        pending.extend((child, level + 1) for child in children)
    return deepest
