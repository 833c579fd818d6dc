"""A broadcast settled on a later day counts against the day it went out (attack review 74). An attempt of unknown
outcome is settled by sending its clientmsgid again; when the first attempt never reached the platform, that resend
is the send, and it uses today's quota. Its entry kept the period it was journalled in (yesterday), so a later run
today counted nothing sent today and sent the day's next broadcast too: over the quota, which publish promises to
refuse before sending."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.content.publishing_api import UnclearSend
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.providers.wechat_articles import WeChatPublisher
from testing.accounts import edit
from tests.content.bank import APPID
from tests.content.test_publishing import admin, applied, at, oaspec, spec

__all__ = ["admin", "spec"]

DECEMBER_19_LATE = "2026-12-19T23:00:00+08:00"  # 12-05 (broadcast), 12-09 and 12-16 (publications) are due
DECEMBER_20_MORNING = "2026-12-20T09:00:00+08:00"  # and 12-20 (broadcast)
DECEMBER_20_NOON = "2026-12-20T12:00:00+08:00"


def _journalled_last_night(tmp_path: Path, admin: EmulatorAdmin, spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A subscription account (one broadcast a Beijing day) whose 12-05 broadcast was journalled late on 12-19 and
    never reached the platform: its outcome is unclear."""
    edit(spec.parent / "accounts" / "citybank.yaml", "    type: service\n",
         "    type: subscription\n    capabilities: {template_messages: true}\n")
    admin.set_publishing(APPID, account_type="subscription")
    applied(tmp_path, spec)

    def dropped(self: WeChatPublisher, *_: object) -> tuple[str, bool]:
        raise UnclearSend("the connection was reset before an answer came")  # and before the platform had it

    with monkeypatch.context() as patched:
        patched.setattr(WeChatPublisher, "broadcast", dropped)
        admin.set_clock(at(DECEMBER_19_LATE))
        first = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_19_LATE)
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): unclear" in first.stderr
    assert admin.publishing(APPID)["sends"] == []


def test_a_broadcast_settled_today_uses_todays_quota_in_every_later_run(
        tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, spec: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _journalled_last_night(tmp_path, admin, spec, monkeypatch)
    admin.set_clock(at(DECEMBER_20_MORNING))
    morning = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20_MORNING)
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): sent" in morning.stdout
    assert "anti-fraud/2026-12-20" in morning.stderr and "over the broadcast quota" in morning.stderr, morning.stderr
    assert len(admin.publishing(APPID)["sends"]) == 1  # the 12-05 broadcast went out this morning

    admin.set_clock(at(DECEMBER_20_NOON))
    noon = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20_NOON)
    assert "over the broadcast quota" in noon.stderr, noon.stdout + noon.stderr  # refused before it is sent
    assert len(admin.publishing(APPID)["sends"]) == 1


DECEMBER_20_AFTERNOON = "2026-12-20T15:00:00+08:00"


def test_a_broadcast_whose_resend_today_may_have_sent_it_uses_todays_quota(
        tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, spec: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Attack review 75: the resend that went out this morning was unclear too (the platform had it, its answer was
    # lost), so the noon run's resend was answered "already sent with this clientmsgid", and the entry kept the
    # period it was journalled in: the afternoon run counted nothing sent today and sent the day's next broadcast.
    _journalled_last_night(tmp_path, admin, spec, monkeypatch)
    real = WeChatPublisher.broadcast

    def lost(self: WeChatPublisher, *args: object) -> tuple[str, bool]:
        real(self, *args)  # type: ignore[arg-type]
        raise UnclearSend("the connection was reset after the request was sent")  # the platform had it

    monkeypatch.setattr(WeChatPublisher, "broadcast", lost)
    admin.set_clock(at(DECEMBER_20_MORNING))
    morning = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20_MORNING)
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): unclear" in morning.stderr
    assert len(admin.publishing(APPID)["sends"]) == 1  # the 12-05 broadcast went out this morning

    monkeypatch.setattr(WeChatPublisher, "broadcast", real)
    admin.set_clock(at(DECEMBER_20_NOON))
    noon = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20_NOON)
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): sent" in noon.stdout
    assert len(admin.publishing(APPID)["sends"]) == 1

    admin.set_clock(at(DECEMBER_20_AFTERNOON))
    later = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20_AFTERNOON)
    assert "over the broadcast quota" in later.stderr, later.stdout + later.stderr  # refused before it is sent
    assert len(admin.publishing(APPID)["sends"]) == 1
