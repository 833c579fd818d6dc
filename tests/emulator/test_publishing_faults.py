"""The platform's bad days on every publishing path: injected errcodes, dropped connections, slow answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec import limits
from oa_spec.emulator import EmulatorAdmin, EmulatorServer, run_emulator
from testing.emulator import EmulatorAccount
from tests.emulator.publishing_helpers import APPID, JPEG, PNG, SECRET, Platform

TAG = 100


# The `admin` fixture's account: one follower with one tag.
EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, seed={"tags": [{"id": TAG, "name": "年轻客群", "count": 1}],
                                                        "users": [{"openid": "o-1", "tagid_list": [TAG]}]})


@pytest.fixture
def platform(server: EmulatorServer, admin: EmulatorAdmin) -> Platform:
    return Platform(server)


def call(platform: Platform, path: str, draft: str, publish_id: str, msg_id: int) -> Any:
    """A valid call of each publishing path."""
    cover = platform.cover(JPEG) if path.startswith("draft/") else ""  # uploaded before any fault fires
    bodies: dict[str, Any] = {
        "draft/add": {"articles": [{"title": "标题", "content": "<p>x</p>", "thumb_media_id": cover}]},
        "draft/update": {"media_id": draft, "index": 0, "articles": {"title": "新", "content": "<p>y</p>",
                                                                     "thumb_media_id": cover}},
        "draft/get": {"media_id": draft}, "draft/delete": {"media_id": draft},
        "draft/batchget": {"offset": 0, "count": 5}, "freepublish/submit": {"media_id": draft},
        "freepublish/get": {"publish_id": publish_id}, "freepublish/batchget": {"offset": 0, "count": 5},
        "message/mass/sendall": {"filter": {"tag_id": TAG}, "mpnews": {"media_id": draft}, "msgtype": "mpnews"},
        "message/mass/get": {"msg_id": msg_id},
        "message/mass/preview": {"touser": "o-1", "mpnews": {"media_id": draft}, "msgtype": "mpnews"},
    }
    if path == "media/uploadimg":
        return platform.upload(path, PNG)
    if path == "material/add_material":
        return platform.upload(path, PNG, type="image")
    return platform.post(path, bodies[path])


PATHS = ["media/uploadimg", "material/add_material", "draft/add", "draft/update", "draft/get", "draft/delete",
         "draft/batchget", "freepublish/submit", "freepublish/get", "freepublish/batchget", "message/mass/sendall",
         "message/mass/get", "message/mass/preview"]


@pytest.fixture
def ids(platform: Platform) -> tuple[str, str, int]:
    draft = platform.draft(platform.cover(JPEG))
    publish_id = platform.post("freepublish/submit", {"media_id": draft})["publish_id"]
    msg_id = platform.sendall(draft, TAG, clientmsgid="seed")["msg_id"]
    return draft, publish_id, msg_id


@pytest.mark.parametrize("path", PATHS)
def test_an_injected_errcode_applies_to_each_publishing_path(platform: Platform, admin: EmulatorAdmin,
                                                              ids: tuple[str, str, int], path: str) -> None:
    assert call(platform, path, *ids).get("errcode", 0) == 0  # the call itself is fine
    before = admin.publishing(APPID)
    admin.fail(-1, path=path, writes_only=False)
    assert call(platform, path, *ids)["errcode"] == -1
    admin.clear_faults()
    after = admin.publishing(APPID)
    # a refused write changes nothing (uploads only count the cover the helper uploaded without a fault)
    for kind in ("drafts", "publications", "sends", "previews", "images"):
        assert after[kind] == before[kind], kind


@pytest.mark.parametrize("path", PATHS)
def test_a_dropped_connection_applies_to_each_publishing_path(platform: Platform, admin: EmulatorAdmin,
                                                               ids: tuple[str, str, int], path: str) -> None:
    admin.drop(path=path)
    with pytest.raises(requests.ConnectionError):
        call(platform, path, *ids)
    assert [c["dropped"] for c in admin.calls(APPID) if c["path"] == f"/cgi-bin/{path}"][-1] is True


def test_a_broadcast_dropped_after_processing_is_found_by_its_clientmsgid(platform: Platform, admin: EmulatorAdmin,
                                                                        ids: tuple[str, str, int]) -> None:
    draft = ids[0]
    admin.drop(path="message/mass/sendall", after_processing=True)
    with pytest.raises(requests.ConnectionError):
        platform.sendall(draft, TAG, clientmsgid="slot-x")
    [landed] = [s for s in admin.publishing(APPID)["sends"] if s["clientmsgid"] == "slot-x"]
    retry = platform.sendall(draft, TAG, clientmsgid="slot-x")
    assert (retry["errcode"], retry["msg_id"]) == (limits.ERR_CLIENTMSGID_EXISTS, landed["msg_id"])
    assert platform.post("message/mass/get", {"msg_id": landed["msg_id"]})["msg_status"] == "SEND_SUCCESS"


def test_a_slow_publish_lands_although_the_client_timed_out(platform: Platform, admin: EmulatorAdmin,
                                                           ids: tuple[str, str, int]) -> None:
    admin.slow(1500, path="freepublish/submit")
    with pytest.raises(requests.Timeout):
        platform.http.post(platform.base + "freepublish/submit", params={"access_token": platform.token},
                           json={"media_id": ids[0]}, timeout=0.3)
    assert len(admin.publishing(APPID)["publications"]) == 2


def test_a_quota_errcode_from_a_fault_sends_nothing(platform: Platform, admin: EmulatorAdmin,
                                                    ids: tuple[str, str, int]) -> None:
    admin.fail(45009, path="message/mass/sendall")
    assert platform.sendall(ids[0], TAG, clientmsgid="slot-y")["errcode"] == 45009
    admin.clear_faults()
    assert platform.sendall(ids[0], TAG, clientmsgid="slot-y")["errcode"] == 0


def test_publishing_state_survives_a_restart_with_a_state_file(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    with run_emulator(state_file=state_file) as first:
        first.admin.register_app(APPID, SECRET)
        first.admin.set_publishing(APPID, account_type="subscription")
        draft = Platform(first).draft(Platform(first).cover())
    with run_emulator(state_file=state_file) as second:
        kept = second.admin.publishing(APPID)
        assert list(kept["drafts"]) == [draft]
        assert kept["settings"]["account_type"] == "subscription"


def test_a_state_file_from_before_a_setting_existed_gets_its_default(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    with run_emulator(state_file=state_file) as first:
        first.admin.register_app(APPID, SECRET)
        first.admin.set_publishing(APPID, account_type="subscription")
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    del saved["apps"][APPID]["publishing"]["settings"]["publish_status"]
    state_file.write_text(json.dumps(saved), encoding="utf-8")
    with run_emulator(state_file=state_file) as second:
        settings = second.admin.publishing(APPID)["settings"]
        assert (settings["account_type"], settings["publish_status"]) == ("subscription", 0)
