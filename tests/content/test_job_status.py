"""A broadcast's SEND_FAIL judged by its job-finish event: failed only when it reached nobody; unclear when the
event is missing or its count cannot be read."""

from __future__ import annotations

from typing import Any

import pytest

from oa_spec.content.job_status import judged
from oa_spec.content.publishing_api import JobStatus

FAILED = JobStatus("failed", "SEND_FAIL")


def event(**fields: str) -> dict[str, Any]:
    return {"Event": "MASSSENDJOBFINISH", "MsgID": "1001", "Status": "send fail", **fields}


def test_a_failure_that_reached_nobody_stays_a_failure() -> None:
    assert judged(FAILED, lambda: event(TotalCount="5", SentCount="0")) == FAILED


def test_a_failure_that_reached_followers_went_out_partly() -> None:
    status = judged(FAILED, lambda: event(TotalCount="5", SentCount="3"))
    assert status.state == "succeeded" and "but 3 of 5 follower(s) received it" in status.detail


@pytest.mark.parametrize("found", [None, event(), event(SentCount="３"), event(SentCount="1" * 13),
                                   {**event(SentCount="0"), "Event": "PUBLISHJOBFINISH"}])
def test_a_failure_whose_reach_cannot_be_read_is_unclear(found: dict[str, Any] | None) -> None:
    status = judged(FAILED, lambda: found)
    assert status.state == "unclear" and "how many followers received it is unknown" in status.detail


def test_other_states_are_taken_as_the_platform_answers_them() -> None:
    for status in (JobStatus("succeeded", "SEND_SUCCESS"), JobStatus("pending", "SENDING"),
                   JobStatus("unclear", "no msg_status")):
        assert judged(status, lambda: None) == status
