"""The emulator's push (`POST /_admin/apps/APPID/push`, oa_spec/emulator/callback.py) over loopback HTTP, against
callback servers that answer what the platform cannot read, or too slowly: the admin endpoint answers what the
follower sees, each attempt within callback_timeout_s."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from oa_spec import limits
from oa_spec.emulator import EmulatorServer, run_emulator
from testing.callback_replies import AES_KEY, APPID, PLAIN_REPLY, SECRET_TEXT, TOKEN, UNREADABLE, Unreadable
from testing.http import replying, trickling


@pytest.fixture(scope="module")
def platform() -> Iterator[EmulatorServer]:
    with run_emulator() as emulator:
        emulator.admin.register_app(APPID, "emulator-secret")
        yield emulator


@pytest.mark.parametrize("case", UNREADABLE, ids=[case.name for case in UNREADABLE])
def test_a_push_answered_unreadably_says_the_follower_sees_the_platform_error(platform: EmulatorServer,
                                                                               case: Unreadable) -> None:
    # attack review 55, F2: the emulator printed a traceback and closed the connection (curl: empty reply)
    with replying(case.answer) as url:
        platform.admin.set_publishing(APPID, callback_url=f"{url}/wx/citybank", callback_token=TOKEN,
                                      callback_mode=case.mode, callback_aes_key=None if case.mode == "plain"
                                      else AES_KEY)
        answer = platform.admin.push(APPID, text="余额")
    assert (answer["attempts"], answer["status"], answer["reply"]) == (1, 200, None)
    assert answer["customer_sees_error"] is True and answer["success"] is False
    (error,) = answer["errors"]
    assert case.reason in error
    shown = json.dumps(answer, ensure_ascii=False)
    assert SECRET_TEXT not in shown and "oSecretOpenId" not in shown


def test_a_push_answered_a_few_bytes_at_a_time_is_cut_at_callback_timeout_s_and_retried(
        platform: EmulatorServer) -> None:
    # attack review 55, F3: one attempt took 35 s and was reported as a reply the follower saw
    with trickling(PLAIN_REPLY.encode(), every_s=0.02) as url:  # 4 s or more for the whole answer
        platform.admin.set_publishing(APPID, callback_url=f"{url}/wx/citybank", callback_token=TOKEN,
                                      callback_mode="plain", callback_aes_key=None, callback_timeout_s=0.5)
        answer = platform.admin.push(APPID, text="余额")
    assert (answer["attempts"], answer["status"], answer["reply"]) == (limits.CALLBACK_ATTEMPTS, None, None)
    assert answer["customer_sees_error"] is True and answer["success"] is False
    assert answer["errors"] == ["no whole answer within 0.5 s"] * limits.CALLBACK_ATTEMPTS
    assert answer["seconds"] < 0.5 * limits.CALLBACK_ATTEMPTS + 0.5, answer["seconds"]
