"""Job-finish events pushed to the callback URL: XML, the plain-mode signature and bounded retries."""

from __future__ import annotations

import hashlib
import time
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from oa_spec import limits
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.emulator.events import signature
from testing.emulator import EmulatorAccount
from testing.http import trickling
from tests.emulator.publishing_helpers import APPID, SECRET, Platform, callback_server

TOKEN = "callback-token"
TAG = 100


# The `admin` fixture's account: one follower with one tag.
EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, seed={"tags": [{"id": TAG, "name": "年轻客群", "count": 1}],
                                                        "users": [{"openid": "o-1", "tagid_list": [TAG]}]})


@pytest.fixture
def platform(server: EmulatorServer, admin: EmulatorAdmin) -> Platform:
    return Platform(server)


def wait_for_delivery(admin: EmulatorAdmin, done: str = "pending", timeout: float = 10) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = admin.publishing(APPID)["events"]
        if records and all(r["delivery"] != done for r in records):
            return list(records)
        time.sleep(0.02)
    raise AssertionError("the event was not delivered in time")


def test_the_signature_matches_the_platform_test_vector() -> None:
    assert signature("test", "1410685589", "test") == "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"


def test_a_broadcast_pushes_a_signed_masssendjobfinish(platform: Platform, admin: EmulatorAdmin) -> None:
    with callback_server() as (url, receiver):
        admin.set_publishing(APPID, callback_url=url, callback_token=TOKEN)
        sent = platform.sendall(platform.draft(platform.cover()), TAG, clientmsgid="slot-1")
        [(query, body)] = receiver.wait_for(1)
    expected = hashlib.sha1("".join(sorted([TOKEN, query["timestamp"], query["nonce"]])).encode()).hexdigest()
    assert query["signature"] == expected
    event = ET.fromstring(body)
    assert (event.findtext("MsgType"), event.findtext("Event")) == ("event", "MASSSENDJOBFINISH")
    assert event.findtext("MsgID") == str(sent["msg_id"])
    assert (event.findtext("Status"), event.findtext("SentCount")) == ("send success", "1")
    assert event.findtext("FromUserName") == "mphelper"
    assert wait_for_delivery(admin)[0]["delivery"] == "delivered"


def test_a_publication_pushes_publishjobfinish_with_its_articles(platform: Platform, admin: EmulatorAdmin) -> None:
    with callback_server() as (url, receiver):
        admin.set_publishing(APPID, callback_url=url, callback_token=TOKEN)
        submitted = platform.post("freepublish/submit", {"media_id": platform.draft(platform.cover())})
        [(_, body)] = receiver.wait_for(1)
    info = ET.fromstring(body).find("PublishEventInfo")
    assert info is not None
    assert info.findtext("publish_id") == submitted["publish_id"]
    assert info.findtext("publish_status") == "0"
    assert info.findtext("article_detail/count") == "1"
    assert info.findtext("article_detail/item/idx") == "1"


def test_a_failing_callback_is_tried_three_times_then_given_up(platform: Platform, admin: EmulatorAdmin) -> None:
    with callback_server() as (url, receiver):
        receiver.statuses = [500] * 5
        admin.set_publishing(APPID, callback_url=url, callback_token=TOKEN)
        platform.sendall(platform.draft(platform.cover()), TAG)
        [record] = wait_for_delivery(admin)
        time.sleep(0.2)  # a fourth attempt, if any, would arrive now
        assert len(receiver.requests) == limits.CALLBACK_ATTEMPTS
    assert record["delivery"] == "failed"
    assert [a["outcome"] for a in record["attempts"]] == ["HTTP 500"] * limits.CALLBACK_ATTEMPTS


def test_a_callback_that_recovers_gets_the_event_once(platform: Platform, admin: EmulatorAdmin) -> None:
    with callback_server() as (url, receiver):
        receiver.statuses = [503]
        admin.set_publishing(APPID, callback_url=url, callback_token=TOKEN)
        platform.sendall(platform.draft(platform.cover()), TAG)
        [record] = wait_for_delivery(admin)
        time.sleep(0.2)
        assert len(receiver.requests) == 2
    assert record["delivery"] == "delivered"


def test_a_callback_that_never_answers_is_bounded_by_the_timeout(platform: Platform, admin: EmulatorAdmin) -> None:
    admin.set_publishing(APPID, callback_url="http://127.0.0.1:9/closed", callback_timeout_s=0.5)
    started = time.monotonic()
    platform.sendall(platform.draft(platform.cover()), TAG)
    [record] = wait_for_delivery(admin)
    assert record["delivery"] == "failed"
    assert len(record["attempts"]) == limits.CALLBACK_ATTEMPTS
    assert time.monotonic() - started < 5


def test_a_callback_that_answers_a_byte_at_a_time_is_cut_at_the_timeout_and_retried(
        platform: Platform, admin: EmulatorAdmin) -> None:
    """`callback_timeout_s` bounds each whole attempt, as the platform's 5 s do: it bounded each socket read,
    so a server sending its answer a byte every 0.2 s held one delivery as long as it liked (review 55)."""
    with trickling(b"success" * 4, every_s=0.2) as url:
        admin.set_publishing(APPID, callback_url=url, callback_token=TOKEN, callback_timeout_s=0.5)
        started = time.monotonic()
        platform.sendall(platform.draft(platform.cover()), TAG)
        [record] = wait_for_delivery(admin)
        took = time.monotonic() - started
    assert record["delivery"] == "failed", record
    assert [a["outcome"] for a in record["attempts"]] == ["no whole answer within 0.5 s"] * limits.CALLBACK_ATTEMPTS
    assert took < 3.5, took  # three attempts of 0.5 s, not 28 bytes at 0.2 s each, three times


def test_without_a_callback_url_nothing_is_pushed(platform: Platform, admin: EmulatorAdmin) -> None:
    platform.sendall(platform.draft(platform.cover()), TAG)
    assert admin.publishing(APPID)["events"][0]["delivery"] == "no callback URL"
