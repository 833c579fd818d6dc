"""Publications and broadcasts on the wire: quotas in Beijing time, clientmsgid de-duplication, read-back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oa_spec import limits
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.gateway.protocol import parse_xml
from testing.emulator import EmulatorAccount
from tests.emulator.publishing_helpers import APPID, SECRET, Platform

YOUNG = 100  # the tag the broadcasts go to
FOLLOWERS = [{"openid": "o-young-1", "tagid_list": [YOUNG]}, {"openid": "o-young-2", "tagid_list": [YOUNG]},
             {"openid": "o-elder-1", "tagid_list": []}]


def utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


# The `admin` fixture's account: two followers with the tag, one without.
EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET,
                                   seed={"tags": [{"id": YOUNG, "name": "年轻客群", "count": 2}], "users": FOLLOWERS})


@pytest.fixture
def platform(server: EmulatorServer, admin: EmulatorAdmin) -> Platform:
    return Platform(server)


@pytest.fixture
def draft(platform: Platform) -> str:
    return platform.draft(platform.cover())


def test_a_publication_is_read_back_by_id_and_listed(platform: Platform, admin: EmulatorAdmin, draft: str) -> None:
    submitted = platform.post("freepublish/submit", {"media_id": draft})
    assert submitted["errcode"] == 0
    status = platform.post("freepublish/get", {"publish_id": submitted["publish_id"]})
    assert status["publish_status"] == 0
    assert status["article_detail"]["count"] == 1
    listed = platform.post("freepublish/batchget", {"offset": 0, "count": 10})
    assert listed["item"][0]["article_id"] == status["article_id"]
    assert admin.publishing(APPID)["publications"][submitted["publish_id"]]["media_id"] == draft
    assert platform.post("freepublish/get", {"publish_id": "0"})["errcode"] == limits.ERR_INVALID_MEDIA_ID
    assert platform.post("freepublish/submit", {"media_id": "DRAFT_x"})["errcode"] == limits.ERR_INVALID_MEDIA_ID


def test_a_rejected_publication_reports_its_status_and_failed_articles(platform: Platform, admin: EmulatorAdmin,
                                                                      draft: str) -> None:
    admin.set_publishing(APPID, publish_status=4)
    submitted = platform.post("freepublish/submit", {"media_id": draft})
    status = platform.post("freepublish/get", {"publish_id": submitted["publish_id"]})
    assert (status["publish_status"], status["fail_idx"]) == (4, [1])
    assert platform.post("freepublish/batchget", {"offset": 0, "count": 10})["total_count"] == 0


def test_a_broadcast_to_a_tag_is_recorded_and_read_back(platform: Platform, admin: EmulatorAdmin, draft: str) -> None:
    sent = platform.sendall(draft, YOUNG, clientmsgid="slot-2026-12-09")
    assert sent["errcode"] == 0
    assert platform.post("message/mass/get", {"msg_id": sent["msg_id"]}) == {
        "msg_id": sent["msg_id"], "msg_status": "SEND_SUCCESS"}
    [record] = admin.publishing(APPID)["sends"]
    assert (record["tag_id"], record["media_id"], record["reached"]) == (YOUNG, draft, 2)
    assert platform.post("message/mass/get", {"msg_id": 1})["errcode"] == limits.ERR_INVALID_ARGUMENT


def test_a_broadcast_still_sending_can_be_deleted_in_the_console(platform: Platform, admin: EmulatorAdmin,
                                                                  draft: str) -> None:
    admin.set_publishing(APPID, broadcast_status="SENDING")
    sent = platform.sendall(draft, YOUNG, clientmsgid="slot-big-audience")
    assert platform.post("message/mass/get", {"msg_id": sent["msg_id"]})["msg_status"] == "SENDING"
    assert admin.publishing(APPID)["events"] == []  # the job has not finished: no MASSSENDJOBFINISH yet
    admin.set_broadcast_status(APPID, sent["msg_id"], "DELETE")  # 群发记录 > 删除
    assert platform.post("message/mass/get", {"msg_id": sent["msg_id"]})["msg_status"] == "DELETE"
    from oa_spec.emulator import AdminError

    for msg_id, status in ((sent["msg_id"], "deleted"), (sent["msg_id"], ""), (sent["msg_id"], "X" * 33),
                           (1, "DELETE")):
        with pytest.raises(AdminError):
            admin.set_broadcast_status(APPID, msg_id, status)


def test_a_failed_broadcast_counts_the_followers_it_reached(platform: Platform, admin: EmulatorAdmin,
                                                            draft: str) -> None:
    admin.set_publishing(APPID, broadcast_status="SEND_FAIL", broadcast_sent_count=1)
    sent = platform.sendall(draft, YOUNG)
    assert platform.post("message/mass/get", {"msg_id": sent["msg_id"]})["msg_status"] == "SEND_FAIL"
    [event] = admin.publishing(APPID)["events"]
    fields = parse_xml(event["xml"].encode())
    assert {k: fields[k] for k in ("Status", "TotalCount", "SentCount", "ErrorCount")} == {
        "Status": "send fail", "TotalCount": "2", "SentCount": "1", "ErrorCount": "1"}


def test_a_repeated_clientmsgid_answers_the_first_msg_id_and_sends_nothing(platform: Platform, admin: EmulatorAdmin,
                                                                           draft: str) -> None:
    first = platform.sendall(draft, YOUNG, clientmsgid="slot-a")
    again = platform.sendall(draft, YOUNG, clientmsgid="slot-a")
    assert again["errcode"] == limits.ERR_CLIENTMSGID_EXISTS
    assert (again["msg_id"], again["msg_data_id"]) == (first["msg_id"], first["msg_data_id"])
    assert len(admin.publishing(APPID)["sends"]) == 1
    assert platform.sendall(draft, YOUNG, clientmsgid="slot-b")["errcode"] == 0  # the repeat used no quota


def test_a_clientmsgid_is_remembered_for_24_hours(platform: Platform, admin: EmulatorAdmin, draft: str) -> None:
    admin.set_clock(now=utc("2026-12-09T02:00:00"))
    platform.sendall(draft, YOUNG, clientmsgid="slot-a")
    admin.set_clock(advance=limits.CLIENTMSGID_DEDUP_SECONDS - 60)
    assert platform.sendall(draft, YOUNG, clientmsgid="slot-a")["errcode"] == limits.ERR_CLIENTMSGID_EXISTS
    admin.set_clock(advance=120)
    assert platform.sendall(draft, YOUNG, clientmsgid="slot-a")["errcode"] == 0


def test_a_clientmsgid_longer_than_the_limit_is_refused(platform: Platform, draft: str) -> None:
    too_long = "x" * (limits.CLIENTMSGID_MAX_CHARS + 1)
    assert platform.sendall(draft, YOUNG, clientmsgid=too_long)["errcode"] == limits.ERR_CLIENTMSGID_TOO_LONG


def test_a_service_account_sends_four_broadcasts_per_beijing_month(platform: Platform, admin: EmulatorAdmin,
                                                                   draft: str) -> None:
    admin.set_publishing(APPID, account_type="service")
    admin.set_clock(now=utc("2026-12-01T00:00:00"))  # 08:00 on 1 December in Beijing
    assert [platform.sendall(draft, YOUNG)["errcode"] for _ in range(4)] == [0, 0, 0, 0]
    admin.set_clock(now=utc("2026-12-31T15:59:00"))  # 23:59 on 31 December in Beijing
    assert platform.sendall(draft, YOUNG)["errcode"] == limits.ERR_NO_BROADCAST_QUOTA
    admin.set_clock(now=utc("2026-12-31T16:00:00"))  # midnight: January in Beijing, still December in UTC
    assert platform.sendall(draft, YOUNG)["errcode"] == 0


def test_a_subscription_account_sends_one_broadcast_per_beijing_day(platform: Platform, admin: EmulatorAdmin,
                                                                    draft: str) -> None:
    admin.set_publishing(APPID, account_type="subscription")
    admin.set_clock(now=utc("2026-12-08T16:30:00"))  # 00:30 on 9 December in Beijing
    assert platform.sendall(draft, YOUNG)["errcode"] == 0
    admin.set_clock(now=utc("2026-12-09T15:59:00"))  # 23:59 the same Beijing day
    assert platform.sendall(draft, YOUNG)["errcode"] == limits.ERR_NO_BROADCAST_QUOTA
    admin.set_clock(now=utc("2026-12-09T16:00:00"))
    assert platform.sendall(draft, YOUNG)["errcode"] == 0
    assert len(admin.publishing(APPID)["sends"]) == 2


def test_previews_go_to_followers_and_use_no_quota(platform: Platform, admin: EmulatorAdmin, draft: str) -> None:
    admin.set_publishing(APPID, account_type="subscription")
    preview = {"touser": "o-elder-1", "mpnews": {"media_id": draft}, "msgtype": "mpnews"}
    assert platform.post("message/mass/preview", preview)["errcode"] == 0
    assert platform.post("message/mass/preview", {**preview, "touser": "o-stranger"})["errcode"] == 40003
    assert platform.sendall(draft, YOUNG)["errcode"] == 0
    assert [p["touser"] for p in admin.publishing(APPID)["previews"]] == ["o-elder-1"]


def test_broadcasts_need_a_known_tag_and_draft(platform: Platform, admin: EmulatorAdmin, draft: str) -> None:
    assert platform.sendall(draft, 999)["errcode"] == limits.ERR_INVALID_TAG_FILTER
    assert platform.sendall("DRAFT_gone", YOUNG)["errcode"] == limits.ERR_INVALID_MEDIA_ID
    assert platform.post("message/mass/sendall", {"msgtype": "mpnews"})["errcode"] == 47001
    assert platform.post("message/mass/sendall", {"msgtype": "mpnews", "mpnews": "x"})["errcode"] == 47001
    assert platform.post("message/mass/sendall", {"msgtype": "mpnews", "mpnews": {"media_id": draft},
                                                  "filter": {"tag_id": "1e3"}})["errcode"] == 40050
    no_filter = {"msgtype": "text", "text": {"content": "你好"}}
    assert platform.post("message/mass/sendall", no_filter)["errcode"] == 47001
    assert platform.post("message/mass/sendall", {**no_filter, "filter": {"is_to_all": True}})["errcode"] == 0
    assert [s["msgtype"] for s in admin.publishing(APPID)["sends"]] == ["text"]


def test_admin_settings_are_checked(admin: EmulatorAdmin) -> None:
    from oa_spec.emulator import AdminError

    for bad in ({"account_type": "enterprise"}, {"callback_url": "http://example.com/wechat"},
                {"callback_url": "https://127.0.0.1.example.com/"}, {"publish_status": 9}, {"colour": "red"},
                {"broadcast_status": "DELETE"}, {"broadcast_sent_count": -1}, {"broadcast_sent_count": "2"}):
        with pytest.raises(AdminError):
            admin.set_publishing(APPID, **bad)


def test_the_clock_moves_only_within_sane_bounds(admin: EmulatorAdmin) -> None:
    from oa_spec.emulator import AdminError

    start = admin.set_clock(now=utc("2026-12-09T00:00:00"))
    assert admin.set_clock(advance=3600) == pytest.approx(start + 3600, abs=5)
    for bad in ({"now": "nan"}, {"now": 1e20}, {"now": -1}, {"advance": "inf"}):
        with pytest.raises(AdminError):
            admin.request("POST", "clock", bad)
    assert admin.request("GET", "clock")["now"] == pytest.approx(start + 3600, abs=5)
