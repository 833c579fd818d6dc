"""The emulator's push side against the gateway app on a loopback port: modes, refusals, job-finish events."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping

import pytest
import requests

from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.emulator.state import AdminError
from oa_spec.gateway.app import GatewayApp
from tests.gateway.helpers import ENV, OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN, account
from tests.gateway.servers import running

SECRET = "emulator-secret"


def utf8(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()  # the platform refuses \uXXXX escapes (40033)


@pytest.fixture()
def platform() -> Iterator[EmulatorServer]:
    with run_emulator() as emulator:
        emulator.admin.register_app(OFFICIAL_APPID, SECRET)
        yield emulator


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_the_platform_pushes_in_every_mode_and_reads_the_reply(platform: EmulatorServer, mode: str) -> None:
    app = GatewayApp([account(mode, default_reply="您好]]>，这里是城市银行")], environ=ENV)
    with running(app) as url:
        platform.admin.set_publishing(OFFICIAL_APPID, callback_url=f"{url}/wx/citybank", callback_token=OFFICIAL_TOKEN,
                                      callback_mode=mode, callback_aes_key=None if mode == "plain" else OFFICIAL_KEY)
        answer = platform.admin.push(OFFICIAL_APPID, fields={"MsgType": "image", "PicUrl": "http://x/y.jpg",
                                                             "MsgId": "1"})
    assert answer["attempts"] == 1 and answer["reply"]["Content"] == "您好]]>，这里是城市银行"
    assert not answer["customer_sees_error"]


def test_a_misconfigured_server_shows_the_follower_the_platform_error(platform: EmulatorServer) -> None:
    app = GatewayApp([account("safe", default_reply="您好")], environ=ENV)
    with running(app) as url:
        platform.admin.set_publishing(OFFICIAL_APPID, callback_url=f"{url}/wx/citybank", callback_token="wrong",
                                      callback_mode="safe", callback_aes_key=OFFICIAL_KEY)
        refused = platform.admin.push(OFFICIAL_APPID, text="你好")
        platform.admin.set_publishing(OFFICIAL_APPID, callback_token=OFFICIAL_TOKEN, callback_mode="plain")
        downgraded = platform.admin.push(OFFICIAL_APPID, text="你好")
    assert (refused["status"], refused["customer_sees_error"]) == (403, True)
    assert (downgraded["status"], downgraded["customer_sees_error"]) == (403, True)
    assert b'reason="downgrade"' in app.metrics.render() and b'reason="bad_signature"' in app.metrics.render()
    with pytest.raises(AdminError, match="callback_mode must be one of"):
        platform.admin.set_publishing(OFFICIAL_APPID, callback_mode="aes")
    with pytest.raises(AdminError, match="43-character EncodingAESKey"):
        platform.admin.set_publishing(OFFICIAL_APPID, callback_aes_key="short")


def test_job_finish_events_are_encrypted_in_safe_mode_and_acknowledged(platform: EmulatorServer) -> None:
    recorded: list[tuple[str, Mapping[str, str]]] = []
    app = GatewayApp([account("safe")], environ=ENV, recorder=lambda a, fields: recorded.append((a, fields)))
    with running(app) as url:
        platform.admin.set_publishing(OFFICIAL_APPID, callback_url=f"{url}/wx/citybank", callback_token=OFFICIAL_TOKEN,
                                      callback_mode="safe", callback_aes_key=OFFICIAL_KEY)
        token = requests.get(f"{platform.base_url}/cgi-bin/token", timeout=5, params={
            "grant_type": "client_credential", "appid": OFFICIAL_APPID, "secret": SECRET}).json()["access_token"]
        sent = requests.post(f"{platform.base_url}/cgi-bin/message/mass/sendall", params={"access_token": token},
                             data=utf8({"filter": {"is_to_all": True}, "msgtype": "text", "text": {"content": "通知"}}),
                             timeout=5).json()
        assert sent["errcode"] == 0, sent
        # the gateway records the event while answering it; the platform notes the delivery once the answer is in
        deadline = time.monotonic() + 5
        while not (recorded and _deliveries(platform) not in ([], ["pending"])) and time.monotonic() < deadline:
            time.sleep(0.02)
    (account_id, fields), = recorded
    assert account_id == "citybank" and fields["Event"] == "MASSSENDJOBFINISH"
    (event,) = platform.admin.publishing(OFFICIAL_APPID)["events"]
    assert event["delivery"] == "delivered" and event["attempts"] == [{"attempt": 1, "outcome": "HTTP 200"}]


def _deliveries(platform: EmulatorServer) -> list[str]:
    return [event["delivery"] for event in platform.admin.publishing(OFFICIAL_APPID)["events"]]


def test_customer_service_sends_are_recorded_and_checked(platform: EmulatorServer) -> None:
    token = requests.get(f"{platform.base_url}/cgi-bin/token", timeout=5, params={
        "grant_type": "client_credential", "appid": OFFICIAL_APPID, "secret": SECRET}).json()["access_token"]

    def send(body: dict[str, object]) -> int:
        answer = requests.post(f"{platform.base_url}/cgi-bin/message/custom/send", params={"access_token": token},
                               data=utf8(body), timeout=5).json()
        return int(answer["errcode"])

    assert send({"touser": "o1", "msgtype": "text", "text": {"content": "余额 1.00 元"}}) == 0
    assert send({"touser": "o1", "msgtype": "voice", "voice": {}}) == 44002
    assert [m["text"]["content"] for m in platform.admin.customer_messages(OFFICIAL_APPID)] == ["余额 1.00 元"]
