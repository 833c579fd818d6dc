"""One deadline and one size cap for a whole API answer, over loopback HTTP: an answer sent a byte at a time ends
at the account's timeout_seconds (requests' own timeout bounds each socket read only), and an answer larger than
any the platform gives is not read whole. Past either, the call is unclear: reads retry, then stop with the reason;
a write is settled by reading the account back. Ctrl-C during such a call ends the run within about one
timeout_seconds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Tag
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat import WeChatProvider
from testing.cli import child_env
from testing.emulated import SECRET_VARIABLE, Emulated
from testing.emulator import EmulatorAccount, allowed_api_base
from testing.http import trickling
from tests.providers.test_wechat import APPID, LIBRARY, SECRET, make_provider

EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, LIBRARY)
TOKEN = b'{"access_token":"trickled-token","expires_in":7200}'


@contextmanager
def provider_at(url: str, timeout_seconds: float) -> Iterator[WeChatProvider]:
    settings = WeChatSettings(APPID, "OASPEC_TEST_SECRET", url, timeout_seconds=timeout_seconds)
    with allowed_api_base(url):
        live = WeChatProvider("citybank", settings, SECRET, retry_delays=(0.01,))
        try:
            yield live
        finally:
            live.close()


def test_an_answer_sent_a_byte_at_a_time_ends_at_timeout_seconds() -> None:
    with trickling(TOKEN + b" " * 60, every_s=0.05) as url, provider_at(url, 0.5) as live:  # 5.5 s an answer
        started = time.monotonic()
        with pytest.raises(ProviderError, match=r"citybank: access token: no answer within 0.5s; gave up after 2"):
            live.read()
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_over_the_cap_is_not_read_whole(declared: bool) -> None:
    huge = TOKEN + b" " * limits.MAX_API_ANSWER_BYTES  # valid JSON: read whole, it would be taken
    refused = rf"access token: an answer over {limits.MAX_API_ANSWER_BYTES} bytes, more than any the platform gives"
    with (trickling(huge, every_s=0, declare_length=declared) as url, provider_at(url, 5) as live,
          pytest.raises(ProviderError, match=refused + "; gave up after 2")):
        live.read()


@pytest.fixture
def provider(server: EmulatorServer, admin: EmulatorAdmin) -> Iterator[WeChatProvider]:
    live = make_provider(server, timeout_seconds=0.5)
    yield live
    live.close()


def test_a_landed_write_whose_answer_trickles_is_settled_by_reading_back_in_time(provider: WeChatProvider,
                                                                                 admin: EmulatorAdmin) -> None:
    provider.read()
    admin.garble('{"errcode":0,"tag":{"id":170,"name":"x"}}' + " " * 40, path="tags/create", byte_ms=100)  # 8 s
    started = time.monotonic()
    provider.apply(Change("create", "tag", "银发客户", "citybank/tags/银发客户", None, Tag("银发客户")))
    assert time.monotonic() - started < 3
    assert [t["name"] for t in admin.state(APPID)["tags"]].count("银发客户") == 1
    assert len(admin.writes(APPID)) == 1  # settled by reading back, not sent again


def test_ctrl_c_during_a_read_that_trickles_ends_the_run_soon(tmp_path: Path, server: EmulatorServer,
                                                              admin: EmulatorAdmin) -> None:
    emulated = Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)
    spec = emulated.write_spec("    tags:\n      - name: 高净值客户\n")
    spec.write_text(spec.read_text(encoding="utf-8").replace("      api_base:", "      timeout_seconds: 2\n"
                                                              "      api_base:"), encoding="utf-8")
    for _ in range(4):  # every attempt of the read trickles (60 s each)
        admin.garble('{"tags":[]}' + " " * 290, path="tags/get", after_processing=False, byte_ms=200)
    command = [sys.executable, "-m", "oa_spec", "plan", "-f", str(spec)]
    env = child_env({SECRET_VARIABLE: SECRET, "NO_COLOR": "1"})
    run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # inside the second attempt of tags/get: two of the four trickles taken (a fixed sleep sent the signal
        # before the read began when the machine was busy, or in a later attempt)
        deadline = time.monotonic() + 30
        while len(_trickles_left(admin)) > 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_trickles_left(admin)) == 2, "the read never reached its second attempt"
        run.send_signal(signal.SIGINT)
        started = time.monotonic()
        run.communicate(timeout=20)
    finally:
        run.kill()
    assert time.monotonic() - started < 4  # at most the attempt in progress (2 s) and the process's exit
    assert len(_trickles_left(admin)) == 2  # no further attempt is made


def _trickles_left(admin: EmulatorAdmin) -> list[object]:
    return list(admin.request("GET", "faults")["garble"])
