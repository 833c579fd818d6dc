"""Every send of `oaspec publish` is in the audit trail (attack review 72 F4): a broadcast reached a tag's followers
and only the content record, neither chained nor naming who ran it, kept it. Each entry says who (the CI actor),
where, the slot, the article, how it went out and to whom, the platform's job id and the outcome; the chain still
verifies, and a trail that cannot take the entry stops the run before another slot goes out."""

from __future__ import annotations

import json
from collections.abc import Callable
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


def _applied(tmp_path: Path) -> Path:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    return spec


def _full_after_the_call(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """A trail that takes each send's `started` entry and fills while the platform sends (the disk full): the
    outcome's entry cannot be written. Returns the real writer, to put back."""
    from oa_spec.content import publish_audit  # (new in review 72: imported here, so the first test runs before it)

    written = publish_audit._event

    def full(trail: object, account: str, result: str, detail: str, fields: dict[str, object]) -> None:
        if result != "started":
            raise OaspecError("audit.log: cannot append to the audit log (No space left on device)")
        written(trail, account, result, detail, fields)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_audit, "_event", full)
    return written


def test_every_send_is_in_the_audit_trail_naming_who_sent_what_to_whom(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", GITHUB_ACTOR="release-bot", GITHUB_RUN_ID="4242")
    assert sent.returncode == 0 and "Done: 4 sent now" in sent.stdout, sent.stdout + sent.stderr
    every = [e for e in entries(tmp_path) if e["operation"] == "publish"]
    slots = ["monthly-report/2026-12-05", "finance-class/2026-12-09", "finance-class/2026-12-16",
             "anti-fraud/2026-12-20"]
    # each call is in the trail before it is made (attack review 74), then its outcome
    assert [(e["slot"], e["result"]) for e in every] == [(slot, r) for slot in slots for r in ("started", "sent")]
    published = [e for e in every if e["result"] != "started"]
    broadcast = published[0]
    assert broadcast["user"] == "release-bot" and broadcast["account"] == "bank" and broadcast["ci"]["job"] == "4242"
    assert broadcast["article"] == "wealth/december-outlook" and broadcast["mode"] == "broadcast"
    assert broadcast["audience"] == "高净值客户" and broadcast["msg_id"] and broadcast["clientmsgid"]
    assert published[1]["publish_id"] and "audience" not in published[1]  # a publication is pushed to nobody
    assert broadcast["decision_time"] == "2026-12-20T01:00:00+00:00"  # OASPEC_NOW decided what was due
    assert oaspec(tmp_path, "audit", "verify").returncode == 0
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")  # nothing sent: nothing more to audit
    assert again.returncode == 0 and len([e for e in entries(tmp_path) if e["operation"] == "publish"]) == 8


def test_a_trail_that_cannot_take_the_entry_stops_the_run_before_the_next_slot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _applied(tmp_path)
    _full_after_the_call(monkeypatch)  # (a trail full before the first send: test_..._sends_nothing)
    stopped = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert stopped.returncode == 1
    assert ("bank: monthly-report/2026-12-05 wealth/december-outlook: sent (the content record keeps it), but its "
            "audit entry could not be written") in stopped.stderr, stopped.stderr
    assert stopped.stdout.count(": sent:") == 1  # said, and no later slot went out


def test_a_send_whose_outcome_entry_could_not_be_written_is_in_the_trail_all_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Attack review 74: the entry was written only after the call; when the trail could not take it (or the run was
    # killed in between), the broadcast had gone to every follower of the tag, and the next run, finding the slot
    # sent, wrote nothing: a send of publish that the audit trail never named
    spec = _applied(tmp_path)
    written = _full_after_the_call(monkeypatch)
    stopped = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert stopped.returncode == 1 and stopped.stdout.count(": sent:") == 1, stopped.stdout + stopped.stderr
    from oa_spec.content import publish_audit

    monkeypatch.setattr(publish_audit, "_event", written)
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "wealth/december-outlook (broadcast to 「高净值客户」): already sent" in again.stdout
    named = [e for e in entries(tmp_path) if e["operation"] == "publish" and e["slot"] == "monthly-report/2026-12-05"]
    assert named, "the broadcast that went out is nowhere in the audit trail"
    assert named[0]["result"] == "started" and named[0]["audience"] == "高净值客户" and named[0]["clientmsgid"]
    assert named[0]["article"] == "wealth/december-outlook" and named[0]["mode"] == "broadcast"
    assert oaspec(tmp_path, "audit", "verify").returncode == 0


def test_a_trail_that_cannot_take_an_entry_before_the_first_send_sends_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _applied(tmp_path)
    from oa_spec.content import publish_audit

    def full(*_: object, **__: object) -> None:
        raise OaspecError("audit.log: cannot append to the audit log (No space left on device)")

    monkeypatch.setattr(publish_audit, "_event", full)
    stopped = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert stopped.returncode == 1 and ": sent:" not in stopped.stdout, stopped.stdout + stopped.stderr
    assert ("bank: monthly-report/2026-12-05 wealth/december-outlook: not sent: its audit entry could not be "
            "written before the send") in stopped.stderr, stopped.stderr


def test_a_slot_the_trail_records_as_sent_is_not_sent_again_when_the_content_record_lost_it(tmp_path: Path) -> None:
    """Attack review 78 F6: exactly once rested on the content record alone, which is not chained: restored from an
    older backup (or edited), it knew nothing of the slots sent since, and publish published them a second time while
    the audit trail, intact, recorded them as sent. A slot the trail records as sent and the record does not know is
    refused, naming the trail's entry; nothing is sent."""
    spec = _applied(tmp_path)
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert sent.returncode == 0 and "Done: 4 sent now" in sent.stdout, sent.stdout + sent.stderr
    path = tmp_path / ".oaspec" / "content" / "bank.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["sends"], record["previews"] = {}, {}  # as a backup taken before the sends holds it
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert again.returncode == 1, again.stdout + again.stderr
    assert "the audit trail records this slot as sent" in again.stdout + again.stderr
    published = [e for e in entries(tmp_path) if e["operation"] == "publish"]
    assert len(published) == 8  # nothing more was sent, so nothing more audited
