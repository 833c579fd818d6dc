"""How kinds write live objects back as spec (Kind.export): an object the spec loader would refuse is left out
with a note, whatever part of it holds the character (attack review 7, B8)."""

from __future__ import annotations

from oa_spec.kinds.base import ImportContext, distinct
from oa_spec.kinds.event_reply import CLICK_REPLY
from oa_spec.kinds.keyword_reply import KEYWORD_REPLY
from oa_spec.kinds.reply import REPLY
from oa_spec.kinds.state import AccountState, EventReply, KeywordRule, Reply, Tag
from oa_spec.kinds.tag import TAG


def test_a_served_reply_with_a_text_the_spec_refuses_is_left_out() -> None:
    context = ImportContext("bank")
    live = AccountState(click_replies=(EventReply("RATE", Reply("利率\u2066见官网")), EventReply("OK", Reply("好"))))
    assert CLICK_REPLY.export(live, context) == {"replies": {"clicks": [{"key": "OK", "reply": {"text": "好"}}]}}
    assert context.notes == ["bank/replies/clicks/RATE: the text '利率\\u2066见官网' contains U+2066 LEFT-TO-RIGHT "
                             "ISOLATE at character 3, a bidirectional control that can change what a reader sees, "
                             "which a spec cannot hold: left out, so oaspec does not declare it; change it on the "
                             "platform to manage it"]


def test_texts_keep_the_joiners_an_emoji_needs_but_keywords_do_not() -> None:
    context = ImportContext("bank")
    heart = KeywordRule("爱心", "exact", ("爱心",), Reply("❤\ufe0f"))
    joined = KeywordRule("joined", "exact", ("爱\u200d心",), Reply("好"))
    exported = KEYWORD_REPLY.export(AccountState(keyword_replies=(heart, joined)), context)
    assert [rule["name"] for rule in exported["replies"]["keywords"]] == ["爱心"]
    assert context.adopt["keyword_replies"] == ["爱心"]
    assert len(context.notes) == 1 and "U+200D ZERO WIDTH JOINER" in context.notes[0]


def test_of_look_alike_and_equal_names_the_first_is_kept() -> None:
    context = ImportContext("bank")
    assert distinct(["利率", "利率 ", "ｖｉｐ", "VIP", "利率"], str, str, context) == ["利率", "ｖｉｐ"]
    assert [note.split(":")[0] for note in context.notes] == ["利率 ", "VIP", "利率"]
    assert "'VIP' looks the same as 'ｖｉｐ'" in context.notes[1]
    assert "'利率' is the name of another" in context.notes[2]


def test_names_apart_only_by_a_code_point_that_draws_nothing_are_look_alikes() -> None:
    # attack review 45, F3: import kept VIP and V\u2065IP side by side (fold left U+2065 in)
    context = ImportContext("bank")
    names = ["VIP", "V\u2065IP", "V\ufff0IP", "VI\U000e0080P", "V\U00013430IP", "V\u00adIP"]
    assert distinct(names, str, str, context) == ["VIP"]
    assert len(context.notes) == 5 and all("looks the same as 'VIP'" in note for note in context.notes)


def test_a_name_or_text_the_spec_would_read_as_an_environment_variable_is_left_out() -> None:
    context = ImportContext("bank")
    assert TAG.export(AccountState(tags=(Tag("${OASPEC_X}", id=100), Tag("VIP", id=101))), context) == {
        "tags": [{"name": "VIP"}]}
    assert REPLY.export(AccountState(subscribe_reply=Reply("费用 ${amount} 元")), context) == {}
    assert [note.split(":")[0] for note in context.notes] == ["bank/tags/${OASPEC_X}", "bank/replies/subscribe"]
    assert all("holds '${' (a spec reads it as naming an environment variable)" in note for note in context.notes)
