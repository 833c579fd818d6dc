"""What a broadcast's job became, through the real CLI on the emulator: a broadcast deleted in the console after it
went out (msg_status DELETE) is sent and never goes out again; a status oaspec does not know, and a SEND_FAIL whose
reach is unknown, are unclear and never sent again blindly; a SEND_FAIL that reached followers (the job-finish
event's SentCount) is sent, partly, and one that reached nobody is tried again."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from oa_spec.content.record import ContentRecord, note_job_finish
from oa_spec.emulator import EmulatorAdmin
from oa_spec.gateway.protocol import parse_xml
from testing.cli import Result, run_cli
from tests.content.bank import APPID
from tests.content.test_publishing import DECEMBER_20, ENV, admin, at, drafted, spec

__all__ = ["admin", "drafted", "spec"]  # the fixtures of test_publishing, used here as they are
BROADCASTS = ("monthly-report/2026-12-05", "anti-fraud/2026-12-20")
A_DAY_LATER = (datetime.fromisoformat(DECEMBER_20) + timedelta(hours=25)).isoformat()  # clientmsgid forgotten


def publish(tmp_path: Path, spec: Path, now: str = DECEMBER_20) -> Result:
    result = run_cli("publish", "-f", str(spec), "--account", "citybank", "--due", cwd=tmp_path,
                     env={**ENV, "OASPEC_NOW": now, "OASPEC_PUBLISH_WAIT_SECONDS": "0.2"})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def sends(tmp_path: Path) -> dict[str, dict[str, str]]:
    record = json.loads((tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8"))
    return {slot: record["sends"][slot] for slot in BROADCASTS}


def still_sending(tmp_path: Path, spec: Path, admin: EmulatorAdmin) -> list[int]:
    """Both broadcasts submitted and still SENDING when the run stops waiting (a large audience): their msg_ids."""
    admin.set_publishing(APPID, broadcast_status="SENDING")
    first = publish(tmp_path, spec)
    assert first.returncode == 1 and first.stderr.count("pending: submitted, still SENDING") == 2, first.stderr
    return [int(s["msg_id"]) for s in admin.publishing(APPID)["sends"]]


def a_day_later(tmp_path: Path, spec: Path, admin: EmulatorAdmin) -> Result:
    """A run 25 hours on, when the platform no longer knows the clientmsgid: a broadcast sent now goes out."""
    admin.set_publishing(APPID, broadcast_status="SEND_SUCCESS")
    admin.set_clock(at(A_DAY_LATER))
    return publish(tmp_path, spec, A_DAY_LATER)


def test_a_broadcast_deleted_after_it_went_out_is_sent_and_never_broadcast_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # attack review 38 F1: DELETE (已删除) was read as a failed job, and the first run a day later sent it again
    for msg_id in still_sending(tmp_path, drafted, admin):
        admin.set_broadcast_status(APPID, msg_id, "DELETE")  # the bank deletes it in the console (群发记录)
    settled = publish(tmp_path, drafted)
    assert settled.returncode == 0, settled.stderr
    assert settled.stdout.count("DELETE (sent, then deleted by the account)") == 2, settled.stdout
    assert {slot: e["state"] for slot, e in sends(tmp_path).items()} == dict.fromkeys(BROADCASTS, "sent")
    calendar = run_cli("calendar", "-f", str(drafted), "--account", "citybank", cwd=tmp_path,
                       env={**ENV, "OASPEC_NOW": A_DAY_LATER})
    assert "wealth/december-outlook: sent" in calendar.stdout and ": failed" not in calendar.stdout, calendar.stdout
    again = a_day_later(tmp_path, drafted, admin)
    assert again.returncode == 0 and "Done: 0 sent now, 4 sent before." in again.stdout, again.stdout + again.stderr
    assert len(admin.publishing(APPID)["sends"]) == 2


def test_a_broadcast_status_oaspec_does_not_know_is_unclear_and_never_sent_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    for msg_id in still_sending(tmp_path, drafted, admin):
        admin.set_broadcast_status(APPID, msg_id, "SEND_PAUSED")  # a status the platform may add one day
    unclear = publish(tmp_path, drafted)
    assert unclear.returncode == 1
    assert ("monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): unclear: submitted, but "
            "the platform answers msg_status SEND_PAUSED, which oaspec does not know") in unclear.stderr, unclear.stderr
    assert "remove sends['monthly-report/2026-12-05'] from " in unclear.stderr
    assert {e["state"] for e in sends(tmp_path).values()} == {"submitted"}
    assert a_day_later(tmp_path, drafted, admin).returncode == 1
    assert len(admin.publishing(APPID)["sends"]) == 2


def test_a_failed_broadcast_that_reached_followers_is_sent_partly_and_never_sent_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    account = admin.state(APPID)  # two followers in every tag: the failed job reaches one of them
    account["users"] = [{"openid": f"o-{n}", "tagid_list": [t["id"] for t in account["tags"]]} for n in (1, 2)]
    admin.seed(APPID, account)
    admin.set_publishing(APPID, broadcast_status="SEND_FAIL", broadcast_sent_count=1)
    unknown = publish(tmp_path, drafted)  # no job-finish event yet: how many it reached is unknown
    assert unknown.returncode == 1 and unknown.stderr.count("SEND_FAIL, and how many followers") == 2, unknown.stderr
    assert {e["state"] for e in sends(tmp_path).values()} == {"submitted"}
    for event in admin.publishing(APPID)["events"]:  # the gateway (`oaspec serve`) keeps each MASSSENDJOBFINISH
        note_job_finish(ContentRecord(tmp_path / ".oaspec", "citybank"), parse_xml(event["xml"].encode()))
    partly = publish(tmp_path, drafted)
    assert partly.returncode == 0, partly.stderr
    assert partly.stdout.count("SEND_FAIL, but 1 of 2 follower(s) received it") == 2, partly.stdout
    assert {e["state"] for e in sends(tmp_path).values()} == {"sent"}
    assert a_day_later(tmp_path, drafted, admin).returncode == 0
    assert len(admin.publishing(APPID)["sends"]) == 2


def test_a_failed_broadcast_that_reached_nobody_is_tried_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    admin.set_publishing(APPID, broadcast_status="SEND_FAIL", broadcast_sent_count=0)
    publish(tmp_path, drafted)
    for event in admin.publishing(APPID)["events"]:
        note_job_finish(ContentRecord(tmp_path / ".oaspec", "citybank"), parse_xml(event["xml"].encode()))
    failed = publish(tmp_path, drafted)
    assert failed.returncode == 1 and failed.stderr.count("failed: the platform's job failed: SEND_FAIL") == 2
    assert {e["state"] for e in sends(tmp_path).values()} == {"failed"}
    retried = a_day_later(tmp_path, drafted, admin)
    assert retried.returncode == 0, retried.stderr
    assert len(admin.publishing(APPID)["sends"]) == 4


def test_a_failed_broadcast_that_reached_nobody_is_sent_again_the_same_day_under_a_new_clientmsgid(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # an older note: the platform answers a clientmsgid with its failed send for 24 hours, so the retry the record
    # promised ("the next run tries again") could not go out that day
    admin.set_publishing(APPID, broadcast_status="SEND_FAIL", broadcast_sent_count=0)
    publish(tmp_path, drafted)
    for event in admin.publishing(APPID)["events"]:  # SentCount 0: it reached nobody
        note_job_finish(ContentRecord(tmp_path / ".oaspec", "citybank"), parse_xml(event["xml"].encode()))
    assert publish(tmp_path, drafted).stderr.count("failed: the platform's job failed: SEND_FAIL") == 2
    first = {slot: entry["clientmsgid"] for slot, entry in sends(tmp_path).items()}
    admin.set_publishing(APPID, broadcast_status="SEND_SUCCESS")
    retried = publish(tmp_path, drafted)
    assert retried.returncode == 0 and "Done: 2 sent now, 2 sent before." in retried.stdout, retried.stdout
    assert {slot: entry["clientmsgid"] for slot, entry in sends(tmp_path).items()} == {
        slot: f"{cmid}-2" for slot, cmid in first.items()}
    sent = admin.publishing(APPID)["sends"]
    assert [s["msg_status"] for s in sent if s["clientmsgid"].endswith("-2")] == ["SEND_SUCCESS"] * 2
    again = publish(tmp_path, drafted)  # and once only
    assert again.returncode == 0 and "Done: 0 sent now, 4 sent before." in again.stdout
    assert len(admin.publishing(APPID)["sends"]) == 4


def test_a_deleted_broadcast_an_older_oaspec_recorded_as_failed_is_read_again_not_sent(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    for msg_id in still_sending(tmp_path, drafted, admin):
        admin.set_broadcast_status(APPID, msg_id, "DELETE")
    with ContentRecord(tmp_path / ".oaspec", "citybank").edit() as record:  # as oaspec before the fix wrote it
        for slot in BROADCASTS:
            entry = record.sends[slot]
            entry.state, entry.error, entry.status = "failed", "the platform's job failed: DELETE", "DELETE"
    admin.set_clock(at(A_DAY_LATER))
    dry = run_cli("publish", "-f", str(drafted), "--account", "citybank", "--due", "--dry-run", cwd=tmp_path,
                  env={**ENV, "OASPEC_NOW": A_DAY_LATER})
    assert dry.stdout.count("already sent: submitted earlier and done") == 2, dry.stdout + dry.stderr
    again = a_day_later(tmp_path, drafted, admin)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("DELETE (sent, then deleted by the account)") == 2, again.stdout
    assert len(admin.publishing(APPID)["sends"]) == 2
