"""The platform's side of the callback (oa_spec/gateway/simulator.py) against loopback servers that answer
what the platform cannot use, or too slowly: each is what a follower sees as 该公众号暂时无法提供服务, never an
exception, and an attempt lasts no longer than the platform waits."""

from __future__ import annotations

import time

import pytest

from oa_spec.gateway.simulator import PlatformSimulator, text_message
from testing.callback_replies import AES_KEY, APPID, PLAIN_REPLY, SECRET_TEXT, TOKEN, UNREADABLE, Unreadable
from testing.http import replying, trickling


@pytest.mark.parametrize("case", UNREADABLE, ids=[case.name for case in UNREADABLE])
def test_an_unreadable_reply_is_the_platform_error_with_its_reason_and_no_text_of_it(case: Unreadable) -> None:
    # attack review 55, F2: a JSON answer raised ProtocolError, a plain reply in safe mode KeyError 'Encrypt'
    with replying(case.answer) as url:
        simulator = PlatformSimulator(f"{url}/wx/citybank", TOKEN, app_id=APPID, aes_key=AES_KEY,
                                      encrypt=case.mode != "plain")
        result = simulator.push(text_message("余额"))
    assert (result.attempts, result.status, result.reply, result.customer_sees_error) == (1, 200, None, True)
    (error,) = result.errors
    assert case.reason in error and SECRET_TEXT not in error and "oSecretOpenId" not in error


@pytest.mark.parametrize(("head_too", "declare_length"), [(False, True), (True, True), (False, False)],
                         ids=["body", "status-line-and-body", "body-up-to-close"])
def test_an_answer_trickled_past_the_deadline_is_a_timeout_on_every_attempt(head_too: bool,
                                                                             declare_length: bool) -> None:
    # attack review 55, F3: requests' timeout bounds each read, so a server sending a few bytes every 0.5 s
    # was reported as having replied after 35 s on one attempt; the platform drops an attempt at 5 s
    with trickling(PLAIN_REPLY.encode(), every_s=0.02, head_too=head_too,  # 4 s or more for the whole answer
                   declare_length=declare_length) as url:
        simulator = PlatformSimulator(f"{url}/wx/citybank", TOKEN, app_id=APPID, encrypt=False, deadline_s=0.5,
                                      attempts=2)
        started = time.monotonic()
        result = simulator.push(text_message("余额"))
        took = time.monotonic() - started
    assert (result.attempts, result.status, result.reply, result.customer_sees_error) == (2, None, None, True)
    assert result.errors == ["no whole answer within 0.5 s"] * 2
    assert 1.0 <= took < 2.0, took


def test_a_url_check_trickled_past_the_deadline_fails_at_the_deadline() -> None:
    with trickling(b"echo" * 50, every_s=0.02) as url:
        simulator = PlatformSimulator(f"{url}/wx/citybank", TOKEN, app_id=APPID, encrypt=False, deadline_s=0.5)
        started = time.monotonic()
        assert simulator.verify_url() is False
        assert time.monotonic() - started < 1.0
