"""The publisher's reading of the platform's job statuses: every message/mass/get msg_status and freepublish/get
publish_status, and the ones oaspec does not know, which are unclear (never a failure to send again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from oa_spec.content.publishing_api import JobStatus
from oa_spec.providers.wechat import WeChatProvider
from oa_spec.providers.wechat_articles import WeChatPublisher
from oa_spec.providers.wechat_client import Client


class Answers:
    """A client that answers every call with `answer`, and an owner that parses as the provider does."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer

    def call(self, method: str, path: str, body: object = None, **_: object) -> dict[str, Any]:
        return self.answer

    @staticmethod
    def _parsed(path: str, parse: Callable[[], Any]) -> Any:
        return parse()


def publisher(answer: dict[str, Any]) -> WeChatPublisher:
    stub = Answers(answer)
    return WeChatPublisher(cast(WeChatProvider, stub), cast(Client, stub), dict)


@pytest.mark.parametrize(("msg_status", "expected"), [
    ("SEND_SUCCESS", JobStatus("succeeded", "SEND_SUCCESS")),
    ("DELETE", JobStatus("succeeded", "DELETE (sent, then deleted by the account)")),  # went out, then deleted
    ("SENDING", JobStatus("pending", "SENDING")),
    ("SEND_FAIL", JobStatus("failed", "SEND_FAIL")),
    ("SEND_PAUSED", JobStatus("unclear", "msg_status SEND_PAUSED, which oaspec does not know")),
    ("", JobStatus("unclear", "no msg_status")),
])
def test_every_broadcast_status_is_read_and_an_unknown_one_is_unclear(msg_status: str, expected: JobStatus) -> None:
    assert publisher({"msg_id": 1, "msg_status": msg_status}).broadcast_status("1") == expected


def test_a_publish_status_oaspec_does_not_know_is_unclear_not_failed() -> None:
    assert publisher({"publish_status": 7}).publish_status("1") == JobStatus(
        "unclear", "publish_status 7, which oaspec does not know")
    assert publisher({"publish_status": 5, "article_id": "A"}).publish_status("1").state == "succeeded"
    assert publisher({"publish_status": 4}).publish_status("1").state == "failed"
