"""What counts against the broadcast quota within one run (attack review 72 F5): a slot counts once the platform may
have taken it. A broadcast that failed before it was sent (its preview refused, its send answered with an error)
used none of the period's quota, so a later slot due the same day is sent, not refused as over the quota."""

from __future__ import annotations

from pathlib import Path

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.accounts import edit
from tests.content.bank import APPID
from tests.content.test_preview import STRANGER, platform, with_reviewers
from tests.content.test_publishing import DECEMBER_20, applied, at, oaspec

__all__ = ["platform"]


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
