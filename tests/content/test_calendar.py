"""`oaspec calendar` shows what was sent next to what is due, from the publish record; the job-finish events the
platform pushes reach it through `oaspec serve`'s recorder (emulator push -> gateway -> record -> calendar)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from oa_spec.content.calendar_view import describe_event
from oa_spec.content.record import ContentRecord
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.runner import JobFinishRecorder
from oa_spec.history.files import FilesState
from testing.cli import run_cli
from tests.content.bank import APPID, citybank
from tests.content.test_publishing import DECEMBER_20, ENV, admin, applied, oaspec
from tests.content.test_record import sample
from tests.gateway.helpers import ENV as GATEWAY_ENV
from tests.gateway.helpers import OFFICIAL_KEY, OFFICIAL_TOKEN, account
from tests.gateway.servers import running

__all__ = ["admin"]  # the emulator fixture of the publishing tests


def calendar(tmp_path: Path, spec: Path, *args: str, now: str = DECEMBER_20) -> str:
    result = run_cli("calendar", "-f", str(spec), "--account", "citybank", *args, cwd=tmp_path,
                     env={**ENV, "OASPEC_NOW": now})
    assert result.returncode == 0, result.stderr
    return result.stdout


def rows(tmp_path: Path, spec: Path, days: str = "20") -> dict[str, dict[str, Any]]:
    [account_calendar] = json.loads(calendar(tmp_path, spec, "--days", days, "--format", "json"))
    return {f"{r['stream']}/{r['date']}": r for r in account_calendar["slots"]}


@pytest.mark.parametrize("created", ["99999999999999999999", "²", "١٢", "-5", ""])
def test_an_event_time_that_is_no_time_is_left_out_rather_than_failing_the_calendar(created: str) -> None:
    event = {"Event": "MASSSENDJOBFINISH", "Status": "send success", "TotalCount": "2", "CreateTime": created}
    assert describe_event(event) == "MASSSENDJOBFINISH send success (total 2)"
    assert describe_event({**event, "CreateTime": "1766966400"}).endswith(" at 2025-12-29T00:00:00+00:00")


def test_the_calendar_shows_due_slots_then_what_publish_sent(tmp_path: Path) -> None:
    spec = citybank(tmp_path)  # the local provider
    applied(tmp_path, spec)
    before = calendar(tmp_path, spec, "--days", "20")
    assert ("2026-12-05 sat  monthly-report (月度理财观察)  → 「高净值客户」  broadcast  wealth/december-outlook: due"
            in before)
    assert ("2027-01-05 tue  monthly-report (月度理财观察)  → 「高净值客户」  broadcast  "
            "wealth/asset-allocation: upcoming") in before
    assert "2026-12-23 wed  finance-class (金融知识小课堂)  → 「年轻客群」  publish  (no article): unfilled" in before
    published = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20)
    assert published.returncode == 0
    after = rows(tmp_path, spec)
    sends = ContentRecord(tmp_path / ".oaspec", "citybank").load().sends
    for slot in ("monthly-report/2026-12-05", "anti-fraud/2026-12-20", "finance-class/2026-12-09"):
        row, send = after[slot], sends[slot]
        assert (row["status"], row["article"], row["msg_id"], row["publish_id"]) == (
            "sent", send.article, send.msg_id, send.publish_id)
        assert (row["msg_id"] or row["publish_id"]) and row["platform_status"] == send.status
    assert after["monthly-report/2027-01-05"]["status"] == "upcoming"
    text = calendar(tmp_path, spec, "--days", "20")
    assert f"      msg_id {sends['monthly-report/2026-12-05'].msg_id}; SEND_SUCCESS; at " in text
    # a slot sent before the window still shows while its article fills it: a month later, December's sends stand
    assert rows(tmp_path, spec, "1")["monthly-report/2026-12-05"]["status"] == "sent"


def test_a_failed_send_shows_its_error_beside_the_slot(tmp_path: Path) -> None:
    spec = citybank(tmp_path)
    applied(tmp_path, spec)
    with ContentRecord(tmp_path / ".oaspec", "citybank").edit() as data:
        data.put_send(sample("anti-fraud/2026-12-20", article="elderly/safe-transfer", state="failed",
                             error="WeChat error 45028: no broadcast quota left"))
    row = rows(tmp_path, spec)["anti-fraud/2026-12-20"]
    assert (row["status"], row["error"]) == ("failed", "WeChat error 45028: no broadcast quota left")
    assert "elderly/safe-transfer: failed" in calendar(tmp_path, spec)


def test_job_finish_events_pushed_by_the_platform_reach_the_calendar_through_the_gateway(
        tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = citybank(tmp_path, api_base=server.base_url)
    applied(tmp_path, spec)
    gateway = GatewayApp([account("safe", app_id=APPID)], environ=GATEWAY_ENV,
                         recorder=JobFinishRecorder(FilesState(tmp_path / ".oaspec")))
    with running(gateway) as url:
        admin.set_publishing(APPID, callback_url=f"{url}/wx/citybank", callback_token=OFFICIAL_TOKEN,
                             callback_mode="safe", callback_aes_key=OFFICIAL_KEY)
        admin.set_clock(time.time())  # the gateway takes pushes stamped within minutes of its own clock
        sent = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20)
        assert "Done: 4 sent now" in sent.stdout, sent.stdout + sent.stderr
        record = ContentRecord(tmp_path / ".oaspec", "citybank")
        deadline = time.monotonic() + 10
        while any(s.event is None for s in record.load().sends.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
    events = admin.publishing(APPID)["events"]
    assert len(events) == 4 and all(e["delivery"] == "delivered" for e in events)
    after = rows(tmp_path, spec)
    broadcast, publication = after["anti-fraud/2026-12-20"], after["finance-class/2026-12-09"]
    assert broadcast["event"]["Event"] == "MASSSENDJOBFINISH" and broadcast["event"]["MsgID"] == broadcast["msg_id"]
    assert publication["event"]["Event"] == "PUBLISHJOBFINISH"
    assert publication["event"]["PublishEventInfo.publish_id"] == publication["publish_id"]
    assert "FromUserName" not in broadcast["event"]
    text = calendar(tmp_path, spec)
    assert text.count("      job-finish event: MASSSENDJOBFINISH") == 2
    assert text.count("      job-finish event: PUBLISHJOBFINISH publish_status 0, article_id ") == 2


def test_the_json_calendar_escapes_what_the_platform_sent_as_every_json_output_does(tmp_path: Path) -> None:
    """Platform texts kept in the record (an error, a status, an id) reach `--format json` as the same data, with
    their bidirectional, invisible and C1 characters written as \\uXXXX (attack review 45, F4)."""
    spec = citybank(tmp_path)
    applied(tmp_path, spec)
    error = "WeChat error 45028\u202e: no quota\u009b2J\u2067\u200b"
    with ContentRecord(tmp_path / ".oaspec", "citybank").edit() as data:
        data.put_send(sample("anti-fraud/2026-12-20", article="elderly/safe-transfer", state="failed", error=error))
    shown = calendar(tmp_path, spec, "--format", "json")
    assert not any(ch in shown for ch in "\u202e\u009b\u2067\u200b"), "raw control in the JSON calendar"
    assert "\\u202e" in shown and "\\u009b" in shown
    [account_calendar] = json.loads(shown)
    assert {r["error"] for r in account_calendar["slots"]} >= {error}
