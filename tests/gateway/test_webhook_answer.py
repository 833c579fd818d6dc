"""A webhook's answer, read strictly: the shapes a reply is made of, and what is refused (attack review 43)."""

from __future__ import annotations

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
