"""The content record: one module reads and writes it, atomically and privately; a damaged one is named; the
publish lock makes a second run wait, then give up with a clear error; job-finish events join their send."""

from __future__ import annotations

import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec.content.record import ContentRecord, DraftEntry, SendEntry, note_job_finish
from oa_spec.errors import OaspecError


def sample(slot: str, mode: str = "broadcast", **fields: str) -> SendEntry:
    entry = SendEntry(slot=slot, article="young/x", mode=mode, content_sha256="1" * 64,  # type: ignore[arg-type]
                      clientmsgid="oaspec-1", state="sent", journalled_at="2026-12-20T01:00:00+00:00")
    return replace(entry, **fields)  # type: ignore[arg-type]


def test_what_is_written_reads_back_and_is_private(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    assert record.load().sends == {}
    with record.edit() as data:
        data.images["body:" + "a" * 64] = "http://mmbiz.qpic.cn/x/0"
        data.drafts["young/x"] = DraftEntry("DRAFT_1", {"title": "t"}, {"title": "t"})
        data.sends["s/2026-12-20"] = sample("s/2026-12-20", msg_id="1001")
    loaded = record.load()
    assert loaded.drafts["young/x"].draft_id == "DRAFT_1" and loaded.sends["s/2026-12-20"].done
    assert stat.S_IMODE(record.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(record.path.parent.stat().st_mode) == 0o700


def test_an_edit_that_fails_changes_nothing(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    with pytest.raises(RuntimeError), record.edit() as data:
        data.sends["s/2026-12-20"] = sample("s/2026-12-20")
        raise RuntimeError("killed half-way")
    assert record.load().sends == {}


def test_a_damaged_record_is_named_never_read_as_empty(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    record.path.parent.mkdir(parents=True)
    record.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(OaspecError, match=r"content/bank.json: the content record is corrupt"):
        record.load()
    record.path.write_text('{"schema_version": 1, "sends": {"x": {"slot": 1}}}', encoding="utf-8")
    with pytest.raises(OaspecError, match="damaged"):
        record.load()
    with pytest.raises(OaspecError, match="not an account id"):
        ContentRecord(tmp_path, "../escape")


def test_a_second_publish_waits_for_the_first_then_gives_up_clearly(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "0.3")
    record = ContentRecord(tmp_path, "bank")
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with record.publishing():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(10)
    busy = r"account bank: its publish lock is held after waiting 0.3s by .*publish since .*nothing was sent"
    with pytest.raises(OaspecError, match=busy), record.publishing():
        pass
    release.set()
    thread.join(10)
    with record.publishing():  # free again once the first run ended
        pass
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "soon")
    with pytest.raises(OaspecError, match="OASPEC_PUBLISH_LOCK_WAIT='soon' is not a number"), record.publishing():
        pass


def test_a_job_finish_event_joins_the_send_it_finishes(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    with record.edit() as data:
        data.sends["a/2026-12-20"] = sample("a/2026-12-20", msg_id="1001")
        data.sends["p/2026-12-09"] = sample("p/2026-12-09", mode="publish", publish_id="2247483001")
    mass = {"ToUserName": "gh_1", "FromUserName": "mphelper", "Event": "MASSSENDJOBFINISH", "MsgID": "1001",
            "Status": "send success"}
    assert note_job_finish(ContentRecord(tmp_path, "bank"), mass) == "a/2026-12-20"
    publish_event = {"Event": "PUBLISHJOBFINISH", "PublishEventInfo.publish_id": "2247483001",  # as the gateway
                     "PublishEventInfo.publish_status": "0"}                                     # parses it
    assert note_job_finish(ContentRecord(tmp_path, "bank"), publish_event) == "p/2026-12-09"
    loaded = record.load().sends
    assert loaded["a/2026-12-20"].event == {"Event": "MASSSENDJOBFINISH", "MsgID": "1001", "Status": "send success"}
    assert loaded["p/2026-12-09"].event == publish_event


def test_an_event_before_its_send_recorded_the_id_waits_for_it(tmp_path: Path) -> None:
    """The platform may finish a job before `publish` has saved the msg_id its call answered."""
    record = ContentRecord(tmp_path, "bank")
    with record.edit() as data:
        data.put_send(sample("a/2026-12-20", state="sending"))  # journalled; the call is in flight
    event = {"Event": "MASSSENDJOBFINISH", "MsgID": "1001", "Status": "send success"}
    assert note_job_finish(ContentRecord(tmp_path, "bank"), event) is None
    assert record.load().events == {"msg_id:1001": event}
    with record.edit() as data:
        data.put_send(sample("a/2026-12-20", msg_id="1001", state="submitted"))
    loaded = record.load()
    assert loaded.sends["a/2026-12-20"].event == event and loaded.events == {}


def test_saving_a_send_keeps_the_event_the_gateway_recorded_meanwhile(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    in_hand = sample("a/2026-12-20", msg_id="1001", state="submitted")
    with record.edit() as data:
        data.put_send(replace(in_hand))
    event = {"Event": "MASSSENDJOBFINISH", "MsgID": "1001", "Status": "send success"}
    assert note_job_finish(ContentRecord(tmp_path, "bank"), event) == "a/2026-12-20"
    with record.edit() as data:  # `publish` saves the entry it held, which has no event
        data.put_send(replace(in_hand, state="sent", status="SEND_SUCCESS"))
    assert record.load().sends["a/2026-12-20"].event == event


def test_a_deeply_nested_record_is_named_as_corrupt_not_a_crash(tmp_path: Path) -> None:
    record = ContentRecord(tmp_path, "bank")
    record.path.parent.mkdir(parents=True)
    record.path.write_text("[" * 200_000, encoding="utf-8")
    with pytest.raises(OaspecError, match=r"content/bank.json: the content record is corrupt \(nested too deeply\)"):
        record.load()
