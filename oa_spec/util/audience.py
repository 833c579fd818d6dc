"""Who a send goes to, as oaspec shows it everywhere (plan, publish, calendar): every follower, or tags by name.

A tag is always shown as `「NAME」` (a 」 or \\ inside the name escaped with \\), and every follower as words
outside those brackets, so no tag name can read as every follower. When every follower was shown as 全部粉丝,
which is also a valid tag name, a broadcast moved from the tag 全部粉丝 to every follower planned as an update
whose before and after read the same, and then went to everyone (attack review 45, F7).
"""

from __future__ import annotations

from collections.abc import Sequence

EVERY_FOLLOWER = "every follower (is_to_all)"


def audience(tags: Sequence[str]) -> str:
    """`「高净值客户」`, `「a」, 「b」`, or EVERY_FOLLOWER for no tags."""
    return ", ".join(map(quoted_tag, tags)) or EVERY_FOLLOWER


def quoted_tag(name: str) -> str:
    """A tag name in 「」, its own 」 and \\ escaped, so that one name never reads as two or as the brackets' end."""
    return "「" + name.replace("\\", "\\\\").replace("」", "\\」") + "」"
