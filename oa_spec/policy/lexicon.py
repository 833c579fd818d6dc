"""The claim lexicons (policy/data/claims.yaml): data a compliance officer reads and extends.

Loaded once, on the first text rule that asks, so `validate` on a spec without the cn-bank pack
never reads it.
"""

from __future__ import annotations

import re
from functools import cache

from oa_spec.policy.charsets import shared_charsets
from oa_spec.util.yamlio import load_packaged


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    loaded = load_packaged("oa_spec.policy", "data/claims.yaml")
    if not isinstance(loaded, dict):
        raise ValueError("policy/data/claims.yaml: expected a mapping of categories")
    return loaded


def categories() -> tuple[str, ...]:
    return tuple(_data())


def terms(category: str) -> tuple[str, ...]:
    return tuple(_data()[category].get("terms") or ())


def not_claims(category: str) -> tuple[str, ...]:
    """Longer words that hold one of the category's terms and claim nothing (保本微利 holds 保本)."""
    return tuple(_data()[category].get("not_claims") or ())


@cache
def pattern(category: str) -> re.Pattern[str] | None:
    """The category's patterns as one alternation; None when it has none."""
    parts = _data()[category].get("patterns") or []
    if not parts:
        return None
    with shared_charsets():
        return re.compile("|".join(f"(?:{p})" for p in parts))
