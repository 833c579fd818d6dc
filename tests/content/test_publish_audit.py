"""Every send of `oaspec publish` is in the audit trail (attack review 72 F4): a broadcast reached a tag's followers
and only the content record, neither chained nor naming who ran it, kept it. Each entry says who (the CI actor),
where, the slot, the article, how it went out and to whom, the platform's job id and the outcome; the chain still
verifies, and a trail that cannot take the entry stops the run before another slot goes out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oa_spec.errors import OaspecError
from tests.conftest import FIXED_NOW
from tests.content.bank import small_bank
from tests.content.test_publish_cli import oaspec


def entries(tmp_path: Path) -> list[dict[str, Any]]:
    log = tmp_path / ".oaspec" / "audit.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_every_send_is_in_the_audit_trail_naming_who_sent_what_to_whom(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", GITHUB_ACTOR="release-bot", GITHUB_RUN_ID="4242")
    assert sent.returncode == 0 and "Done: 4 sent now" in sent.stdout, sent.stdout + sent.stderr
    published = [e for e in entries(tmp_path) if e["operation"] == "publish"]
    assert [(e["slot"], e["result"]) for e in published] == [
        ("monthly-report/2026-12-05", "sent"), ("finance-class/2026-12-09", "sent"),
        ("finance-class/2026-12-16", "sent"), ("anti-fraud/2026-12-20", "sent")]
    broadcast = published[0]
    assert broadcast["user"] == "release-bot" and broadcast["account"] == "bank" and broadcast["ci"]["job"] == "4242"
    assert broadcast["article"] == "wealth/december-outlook" and broadcast["mode"] == "broadcast"
    assert broadcast["audience"] == "高净值客户" and broadcast["msg_id"] and broadcast["clientmsgid"]
    assert published[1]["publish_id"] and "audience" not in published[1]  # a publication is pushed to nobody
    assert broadcast["decision_time"] == "2026-12-20T01:00:00+00:00"  # OASPEC_NOW decided what was due
    assert oaspec(tmp_path, "audit", "verify").returncode == 0
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")  # nothing sent: nothing more to audit
    assert again.returncode == 0 and len([e for e in entries(tmp_path) if e["operation"] == "publish"]) == 4


def test_a_trail_that_cannot_take_the_entry_stops_the_run_before_the_next_slot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0

    def full(*_: object, **__: object) -> None:
        raise OaspecError("audit.log: cannot append to the audit log (No space left on device)")

    from oa_spec.content import publish_audit  # (new in review 72: imported here, so the test above runs before it)

    monkeypatch.setattr(publish_audit, "_event", full)
    stopped = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert stopped.returncode == 1
    assert ("bank: monthly-report/2026-12-05 wealth/december-outlook: sent (the content record keeps it), but its "
            "audit entry could not be written") in stopped.stderr, stopped.stderr
    assert stopped.stdout.count(": sent:") == 1  # said, and no later slot went out
