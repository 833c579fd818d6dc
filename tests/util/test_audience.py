"""util/audience.py: no tag name reads as every follower, nor as two tags (attack review 45, F7)."""

from __future__ import annotations

from oa_spec.util.audience import EVERY_FOLLOWER, audience


def test_every_follower_is_shown_as_no_tag_can_be() -> None:
    assert audience(()) == EVERY_FOLLOWER
    assert audience(("全部粉丝",)) == "「全部粉丝」"
    assert audience((EVERY_FOLLOWER,)) != EVERY_FOLLOWER


def test_a_tag_name_holding_the_brackets_reads_as_one_tag() -> None:
    assert audience(("a」, 「b",)) == "「a\\」, 「b」"
    assert audience(("a", "b")) == "「a」, 「b」"
    assert audience(("a\\」",)) == "「a\\\\\\」」"
