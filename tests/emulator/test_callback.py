"""The emulator's push (`POST /_admin/apps/APPID/push`, oa_spec/emulator/callback.py) over loopback HTTP, against
callback servers that answer what the platform cannot read: the admin endpoint answers what the follower sees."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from oa_spec.emulator import EmulatorServer, run_emulator
from testing.callback_replies import AES_KEY, APPID, SECRET_TEXT, TOKEN, UNREADABLE, Unreadable
from testing.http import replying


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
