"""Keyword rules in the state: records of one-reply rules keep their shape, and the plan shows each reply."""

from __future__ import annotations

from oa_spec.kinds.change import Change
from oa_spec.kinds.keyword_reply import KEYWORD_REPLY
from oa_spec.kinds.state import AccountState, KeywordRule, Reply

# A one-reply rule as history recorded it before rules could hold several replies.
RECORDED = {"keyword_replies": [{"name": "理财", "match": "contains", "keywords": ["理财", "基金"],
                                 "reply": {"text": "理财请点菜单"}}]}
ONE_REPLY = KeywordRule("理财", "contains", ("理财", "基金"), Reply("理财请点菜单"))


def test_a_one_reply_rule_is_recorded_as_before_so_old_revisions_and_digests_still_match() -> None:
    state = AccountState(keyword_replies=(ONE_REPLY,))
    assert state.to_json() == RECORDED
    assert AccountState.from_json(RECORDED) == state
    assert AccountState.from_json(RECORDED).fingerprint() == state.fingerprint()


def test_several_replies_round_trip_with_their_mode() -> None:
    rule = KeywordRule("信用卡", "regex", ("信用卡|储蓄卡",), Reply("A"), (Reply("B"),), "random_one")
    state = AccountState(keyword_replies=(rule,))
    assert AccountState.from_json(state.to_json()) == state
    assert rule.replies == (Reply("A"), Reply("B"))


def test_the_plan_shows_a_changed_second_reply_and_mode_with_labels_of_their_own() -> None:
    before = KeywordRule("理财", "contains", ("理财",), Reply("A"), (Reply("B"),))
    after = KeywordRule("理财", "contains", ("理财",), Reply("A"), (Reply("C"),), "random_one")
    change = Change("update", "keyword_reply", "理财", "citybank/replies/keywords/理财", before, after)
    assert KEYWORD_REPLY.details(change) == ["  - reply mode: reply_all", "  + reply mode: random_one",
                                             "  - reply 2: B", "  + reply 2: C"]
    one = Change("update", "keyword_reply", "理财", "citybank/replies/keywords/理财", ONE_REPLY,
                 KeywordRule("理财", "contains", ("理财", "基金"), Reply("理财请见网点")))
    assert KEYWORD_REPLY.details(one) == ["  - reply: 理财请点菜单", "  + reply: 理财请见网点"]


def test_a_keyword_holding_a_comma_is_not_shown_as_two() -> None:
    # ["贷款, 借钱"] once read exactly as [贷款, 借钱]: the plan showed an update with nothing under it
    before = KeywordRule("贷款", "exact", ("贷款", "借钱"), Reply("A"))
    after = KeywordRule("贷款", "exact", ("贷款, 借钱",), Reply("A"))
    change = Change("update", "keyword_reply", "贷款", "citybank/replies/keywords/贷款", before, after)
    assert KEYWORD_REPLY.details(change) == ["  - keywords: 贷款, 借钱", '  + keywords: "贷款, 借钱"']
