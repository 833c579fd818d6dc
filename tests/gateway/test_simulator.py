"""The platform's side of the callback (oa_spec/gateway/simulator.py) against loopback servers that answer
what the platform cannot use: each is what a follower sees as 该公众号暂时无法提供服务, never an exception."""

from __future__ import annotations

import pytest

from oa_spec.gateway.simulator import PlatformSimulator, text_message
from testing.callback_replies import AES_KEY, APPID, SECRET_TEXT, TOKEN, UNREADABLE, Unreadable
from testing.http import replying


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
