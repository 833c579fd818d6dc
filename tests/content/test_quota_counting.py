"""What counts against the broadcast quota within one run (attack review 72 F5): a slot counts once the platform may
have taken it. A broadcast that failed before it was sent (its preview refused, its send answered with an error)
used none of the period's quota, so a later slot due the same day is sent, not refused as over the quota; one the
platform accepted whose job then failed used it, in that run and in every later one that day."""

from __future__ import annotations

from pathlib import Path

from oa_spec.content.record import ContentRecord, note_job_finish
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.gateway.protocol import parse_xml
from testing.accounts import edit
from tests.content.bank import APPID
from tests.content.test_broadcast_outcome import publish
from tests.content.test_preview import STRANGER, platform, with_reviewers
from tests.content.test_publishing import DECEMBER_20, admin, applied, at, oaspec, spec

__all__ = ["admin", "platform", "spec"]


def test_a_broadcast_whose_preview_was_refused_leaves_the_days_quota_to_the_next_slot(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    admin = platform
    spec = with_reviewers(tmp_path, server.base_url, STRANGER)  # the 12-05 broadcast's reviewer follows nobody
    edit(spec.parent / "accounts" / "citybank.yaml", "    type: service\n",  # with its templates, as declared
         "    type: subscription\n    capabilities: {template_messages: true}\n")
    admin.set_publishing(APPID, account_type="subscription")  # one broadcast a Beijing day
    applied(tmp_path, spec)
    admin.set_clock(at(DECEMBER_20))
    result = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20)
    assert result.returncode == 1
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): failed: the preview to " \
           "reviewer 1 of 1 failed" in result.stderr, result.stderr
    assert "over the broadcast quota" not in result.stderr  # nothing went out today before it
    sent = "anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): sent"
    assert sent in result.stdout, result.stdout + result.stderr
    assert len(admin.publishing(APPID)["sends"]) == 1  # the day's one broadcast, as the platform counts it


def test_a_broadcast_whose_job_failed_today_still_uses_todays_quota_in_a_later_run(
        tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, spec: Path) -> None:
    # The platform counts a sendall it accepted (a subscription account's succeeds once a day, wechat-api.md §8), so a
    # job that failed after it was accepted used the day. The run that saw it fail kept counting it, and a later run
    # that day did not: it called sendall for the day's next broadcast, and the platform refused it over the quota.
    edit(spec.parent / "accounts" / "citybank.yaml", "    type: service\n",
         "    type: subscription\n    capabilities: {template_messages: true}\n")
    admin.set_publishing(APPID, account_type="subscription", broadcast_status="SEND_FAIL", broadcast_sent_count=0)
    applied(tmp_path, spec)
    admin.set_clock(at(DECEMBER_20))
    publish(tmp_path, spec)  # the 12-05 broadcast is accepted; its job fails, and how many it reached is unknown yet
    for event in admin.publishing(APPID)["events"]:  # as `oaspec serve` keeps each MASSSENDJOBFINISH
        note_job_finish(ContentRecord(tmp_path / ".oaspec", "citybank"), parse_xml(event["xml"].encode()))
    publish(tmp_path, spec)
    assert ContentRecord(tmp_path / ".oaspec", "citybank").load().sends[
        "monthly-report/2026-12-05"].state == "failed"  # it reached nobody
    account = admin.state(APPID)  # its audience's tag is deleted in the console: the slot is not tried again today
    account["tags"] = [t for t in account["tags"] if t["name"] != "高净值客户"]
    admin.seed(APPID, account)
    later = publish(tmp_path, spec)
    assert ("anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): refused: over the broadcast quota"
            in later.stderr), later.stdout + later.stderr
    assert len(admin.publishing(APPID)["sends"]) == 1
