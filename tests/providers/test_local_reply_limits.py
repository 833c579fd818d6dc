"""The local account refuses a reply text over the platform's limit, as it refuses an over-long button (attack
review 47, F7: it stored a 2,100-byte reply that rollback's gate then called a damaged history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, KeywordRule, Reply
from oa_spec.providers.local import REPLY_TEXT_SIZE_ERROR, LocalProvider
from testing.accounts import seed_local

LONG = "理" * (limits.REPLY_TEXT_BYTES // 3 + 1)  # 2,049 bytes
AT_THE_LIMIT = "理" * (limits.REPLY_TEXT_BYTES // 3) + "x" * (limits.REPLY_TEXT_BYTES % 3)


def rule(*texts: str) -> KeywordRule:
    replies = tuple(Reply(text) for text in texts)
    return KeywordRule("贷款", "exact", ("贷款",), replies[0], replies[1:])


@pytest.mark.parametrize("change", [
    Change("create", "reply", "subscribe", "bank/replies/subscribe", None, Reply(LONG)),
    Change("update", "reply", "default", "bank/replies/default", Reply("在"), Reply(LONG)),
    Change("create", "keyword_reply", "贷款", "bank/replies/keywords/贷款", None, rule(LONG)),
    Change("create", "keyword_reply", "贷款", "bank/replies/keywords/贷款", None, rule("见官网", LONG)),
], ids=["subscribe", "default", "keyword", "keyword-second-reply"])
def test_a_reply_text_over_the_limit_is_refused_and_nothing_is_stored(tmp_path: Path, change: Change) -> None:
    provider = LocalProvider("bank", tmp_path)
    with pytest.raises(ProviderError) as refused:
        provider.apply(change)
    assert refused.value.code == REPLY_TEXT_SIZE_ERROR
    assert str(refused.value).startswith(f"the local account refused it as WeChat would, with error "
                                         f"{REPLY_TEXT_SIZE_ERROR}: ")
    assert f"{limits.utf8_len(LONG)} bytes" in str(refused.value)
    assert provider.read().subscribe_reply is None and provider.read().keyword_replies == ()


def test_a_reply_text_at_the_limit_is_stored(tmp_path: Path) -> None:
    provider = LocalProvider("bank", tmp_path)
    assert limits.utf8_len(AT_THE_LIMIT) == limits.REPLY_TEXT_BYTES
    provider.apply(Change("create", "keyword_reply", "贷款", "bank/replies/keywords/贷款", None, rule(AT_THE_LIMIT)))
    assert provider.read().keyword_replies[0].reply.text == AT_THE_LIMIT


def test_a_change_to_a_rule_leaves_a_console_rule_of_the_same_name_alone(tmp_path: Path) -> None:
    # attack review 70 F4: the plan pairs the spec's rule with the first of two console rules under one name, and the
    # local account replaced (or deleted) both
    first, second = rule("见官网"), KeywordRule("贷款", "contains", ("房贷",), Reply("房贷请到网点咨询"))
    seed_local(tmp_path, "bank", AccountState(keyword_replies=(first, second)))
    provider = LocalProvider("bank", tmp_path)
    provider.apply(Change("update", "keyword_reply", "贷款", "bank/replies/keywords/贷款", first, rule("请拨95000")))
    assert [r.reply.text for r in provider.read().keyword_replies] == ["请拨95000", "房贷请到网点咨询"]
    provider.apply(Change("delete", "keyword_reply", "贷款", "bank/replies/keywords/贷款", rule("请拨95000"), None))
    assert provider.read().keyword_replies == (second,)
