"""The database goes away in the middle of `oaspec publish` (attack review 72): right after the platform took a
send, before the run could record it. The run stops, exit 1, saying what it sent before, that this slot may have
gone out and that the next run settles it; the next run, with the server back, records it without sending again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.providers.wechat_articles import WeChatPublisher
from tests.backend.conftest import Cluster, create_schema
from tests.backend.test_pg_content import oaspec, runner
from tests.content.bank import APPID
from tests.content.test_publishing import DECEMBER_20, admin, at

__all__ = ["admin"]

LEASE = "2"  # seconds: the cut run cannot release its lock, and the next run waits for its lease to expire


def test_the_database_stopped_after_a_send_is_reported_as_a_send_the_next_run_settles(
        tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, own_cluster: Cluster,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, dsn = create_schema(own_cluster.dsn)
    work, spec = runner(tmp_path, "runner", server.base_url)
    applied = oaspec(work, dsn, "apply", "-f", str(spec), "--account", "citybank", "--auto-approve",
                     now="2026-12-03T10:00:00+08:00")
    assert applied.returncode == 0, applied.stderr
    admin.set_clock(at(DECEMBER_20))
    real = WeChatPublisher.publish

    def submitted_then_the_database_stops(self: WeChatPublisher, draft_id: str) -> str:
        publish_id = real(self, draft_id)  # the platform has it; the run has not recorded it
        own_cluster.halt()
        return publish_id

    monkeypatch.setattr(WeChatPublisher, "publish", submitted_then_the_database_stops)
    try:
        cut = oaspec(work, dsn, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20,
                     lease=LEASE)
    finally:
        own_cluster.resume()
    monkeypatch.setattr(WeChatPublisher, "publish", real)
    assert cut.returncode == 1
    # what went out before the database went away is said, not lost behind the error
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): sent" in cut.stdout
    error = cut.stderr[cut.stderr.index("error:"):]
    assert "cannot record finance-class/2026-12-09 as submitted" in error, error
    assert "the platform may have sent it" in error and "settles this slot before sending anything" in error

    again = oaspec(work, dsn, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20,
                   lease=LEASE)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "finance-class/2026-12-09 young/deposit-insurance (publication): sent" in again.stdout
    assert "Done: 2 sent now, 1 sent by an earlier run and recorded now, 1 sent before." in again.stdout
    published = admin.publishing(APPID)
    assert len(published["publications"]) == 2 and len(published["sends"]) == 2  # each slot once
    verified = oaspec(work, dsn, "audit", "verify", now=DECEMBER_20)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    sends = [json.loads(line) for line in oaspec(work, dsn, "audit", "export", "--since", "2000-01-01",
                                                 now=DECEMBER_20).stdout.splitlines()]
    assert [e["slot"] for e in sends if e["operation"] == "publish" and e["result"] == "started"] == [
        "monthly-report/2026-12-05", "finance-class/2026-12-09",  # before each call (attack review 74); the second
        "finance-class/2026-12-16", "anti-fraud/2026-12-20"]  # found among the publications, not called again
    assert [(e["slot"], e["result"]) for e in sends if e["operation"] == "publish" and e["result"] != "started"] == [
        ("monthly-report/2026-12-05", "sent"), ("finance-class/2026-12-09", "sent"),  # the second settled by the
        ("finance-class/2026-12-16", "sent"), ("anti-fraud/2026-12-20", "sent")]  # next run (attack review 72 F4)
