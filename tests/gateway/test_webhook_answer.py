"""A webhook's answer, read strictly: the shapes a reply is made of, and what is refused (attack review 43)."""

from __future__ import annotations

import json

import pytest

from oa_spec.gateway.config import Article, Reply
from oa_spec.gateway.webhook_answer import UnusableAnswer, read_answer


def test_a_text_and_articles_are_read() -> None:
    assert read_answer('{"text": "余额 1,000.00"}'.encode()) == Reply(text="余额 1,000.00")
    answer = b'{"articles": [{"title": "t", "description": "d", "url": "https://b.cn/x", "picurl": "https://b.cn/p"}]}'
    assert read_answer(answer) == Reply(articles=(Article("t", "d", "https://b.cn/p", "https://b.cn/x"),))
    assert read_answer(b'{"articles": [{"title": "t", "pic_url": "p"}]}').articles[0].pic_url == "p"


@pytest.mark.parametrize(("answer", "why"), [
    (b'{"articles": [{"title": 5}]}', r"articles\[0\]\.title is not a string"),
    (b'{"articles": [{"title": "t"}, {"title": null}]}', r"articles\[1\]\.title is not a string"),
    (b'{"articles": [{"title": "t", "url": ["x"]}]}', r"articles\[0\]\.url is not a string"),
    (b'{"articles": [{"title": "t", "picurl": "a", "pic_url": "b"}]}', "each field once"),
    (b'{"articles": [{"description": "d"}]}', "needs one title"),
    (b'{"articles": ["just a string"]}', r"articles\[0\] is not an object"),
    (b'{"articles": {}}', "not a non-empty list"),
    (b'{"text": 5}', "text is not a string"),
    (b'{"text": ""}', "text is empty"),
    (b'{"text": "a", "code": 0}', "not {"),
    (b'{"text": "a", "text": "b"}', "a key twice"),
    (b"[" * 60000, "nested too deeply"),
    (b"[" * 101 + b"]" * 101, "nested too deeply"),
    (b"\xff", "UnicodeDecodeError"),
])
def test_an_answer_of_another_shape_is_refused_saying_where(answer: bytes, why: str) -> None:
    with pytest.raises(UnusableAnswer, match=why):
        read_answer(answer)


@pytest.mark.parametrize(("answer", "why"), [
    # attack review 43 F2: what the spec refuses in a text, and what XML 1.0 does not allow at all
    (b'{"text": "a\\u0000b"}', "text contains U\\+0000 at character 2, a control character"),
    (b'{"text": "a\\u0008b\\ufffeb"}', "U\\+0008"),
    (b'{"text": "a\\u001b[2Jb"}', "U\\+001B"),
    (b'{"text": "a\\u202eb"}', "a bidirectional control"),
    (b'{"text": "a\\u200bb"}', "an invisible character"),
    (b'{"text": "a\\ud800b"}', "a lone surrogate"),
    (b'{"text": "a\\ufffeb"}', "U\\+FFFE at character 2, a noncharacter"),  # which XML does not allow either
    (b'{"text": "a\\uffff"}', "U\\+FFFF"),
    (b'{"articles": [{"title": "t\\u0007"}]}', r"articles\[0\]\.title contains U\+0007"),
    (b'{"articles": [{"title": "t", "description": "\\u2066d"}]}', r"articles\[0\]\.description contains U\+2066"),
    (b'{"articles": [{"title": "t", "url": "https://b.cn/\\u0000"}]}', r"articles\[0\]\.url contains U\+0000"),
    (json.dumps({"text": "余" * 683}), "text is over 2048 bytes"),
    (json.dumps({"articles": [{"title": "题" * 65}]}), r"articles\[0\]\.title is over 64 characters"),
    (json.dumps({"articles": [{"title": "t", "url": "https://b.cn/" + "x" * 1024}]}), "url is over 1024 bytes"),
])
def test_a_text_the_spec_would_refuse_or_xml_cannot_hold_is_refused(answer: bytes | str, why: str) -> None:
    with pytest.raises(UnusableAnswer, match=why) as refused:
        read_answer(answer.encode() if isinstance(answer, str) else answer)
    assert "余" not in str(refused.value) and "题" not in str(refused.value)  # where and what, not the content


def test_a_text_at_the_limits_is_read() -> None:
    for text in ("余" * 682 + "ab", "余额\t1,000.00\n❤️"):  # 2048 bytes; a tab, a line break, a variation selector
        assert read_answer(json.dumps({"text": text}, ensure_ascii=False).encode()).text == text
        assert read_answer(json.dumps({"text": text}).encode()).text == text
    title = json.dumps({"articles": [{"title": "题" * 64, "url": "https://b.cn/" + "x" * 1011}]})
    assert read_answer(title.encode()).articles[0].title == "题" * 64
