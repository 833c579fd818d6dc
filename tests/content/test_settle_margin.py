"""Attack review 48, F3: an unsettled broadcast is settled by sending its clientmsgid again only well inside the
platform's 24 hours. The platform counts them on its own clock; a runner a few minutes behind it (or reading
another runner's journal time) re-sent it past the platform's window, and the audience got it twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin
from tests.content.bank import APPID
from tests.content.test_broadcast_outcome import BROADCASTS, publish
from tests.content.test_publishing import DECEMBER_20, admin, at, drafted, spec

__all__ = ["admin", "drafted", "spec"]  # the fixtures of test_publishing, used here as they are


def _killed_after_the_answer(tmp_path: Path, journalled_ago: timedelta) -> None:
    """Both broadcasts as a run killed between the platform's answer and the record leaves them: `sending`,
    journalled `journalled_ago` before now on this runner's clock."""
    path = tmp_path / ".oaspec" / "content" / "citybank.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    journalled = (datetime.now(UTC) - journalled_ago).isoformat()
    for slot in BROADCASTS:
        record["sends"][slot].update(state="sending", msg_id="", status="", journalled_at=journalled, finished_at="")
        record["sends"][slot].pop("event", None)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("journalled_ago", [timedelta(hours=23, minutes=58), timedelta(hours=23, minutes=1)])
def test_a_broadcast_near_the_platforms_24_hours_is_refused_not_sent_a_second_time(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin, journalled_ago: timedelta) -> None:
    assert publish(tmp_path, drafted).returncode == 0
    before = admin.publishing(APPID)["sends"]
    assert len(before) == len(BROADCASTS)
    _killed_after_the_answer(tmp_path, journalled_ago)
    later = (datetime.fromisoformat(DECEMBER_20) + timedelta(hours=24, minutes=1)).isoformat()
    admin.set_clock(at(later))  # the platform's clock: past its 24 hours, while this runner's is a little behind
    again = publish(tmp_path, drafted, later)
    assert admin.publishing(APPID)["sends"] == before  # nobody received it twice
    assert again.returncode == 1, again.stdout
    for slot in BROADCASTS:
        assert f"{slot} " in again.stderr and ("has an unknown outcome and is over 23 hours old, too near the 24 "
                                               "hours after which the platform stops recognising its clientmsgid "
                                               "(its clock and this runner's may differ)") in again.stderr
    assert "check the account's broadcast history (群发记录)" in again.stderr, again.stderr


def test_a_broadcast_well_inside_the_window_is_still_settled_by_its_clientmsgid(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    assert publish(tmp_path, drafted).returncode == 0
    before = admin.publishing(APPID)["sends"]
    _killed_after_the_answer(tmp_path, timedelta(hours=22))
    later = (datetime.fromisoformat(DECEMBER_20) + timedelta(hours=22)).isoformat()
    admin.set_clock(at(later))
    again = publish(tmp_path, drafted, later)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("already sent with this clientmsgid") == len(BROADCASTS), again.stdout
    assert admin.publishing(APPID)["sends"] == before
