"""Who a send goes to reads the same nowhere for two audiences (attack review 45, F7): every follower was shown as
全部粉丝, a valid tag name, so a broadcast moved from the tag 全部粉丝 to every follower planned as an update whose
before and after read the same, and then went to everyone. A tag is shown as 「NAME」, every follower in words."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXED_NOW
from tests.content.bank import small_bank
from tests.content.test_publish_cli import oaspec

STREAM = "audience: {tags: [全部粉丝]}, cadence: {every: month, on: 5}"


def test_a_broadcast_moved_from_the_tag_named_every_follower_to_every_follower_reads_as_a_change(
        tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("高净值客户", "全部粉丝"), encoding="utf-8")
    assert STREAM in spec.read_text(encoding="utf-8")
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    before = oaspec(tmp_path, "calendar", "-f", str(spec), "--days", "40", now=FIXED_NOW).stdout

    spec.write_text(spec.read_text(encoding="utf-8").replace(STREAM, "cadence: {every: month, on: 5}"),
                    encoding="utf-8")
    for plan in (oaspec(tmp_path, "plan", "-f", str(spec), now=FIXED_NOW).stdout,
                 oaspec(tmp_path, "plan", "-f", str(spec), "--format", "markdown", now=FIXED_NOW).stdout):
        slots = [line.strip(" -+") for line in plan.splitlines() if "slot: monthly-report 2026-12-05" in line]
        assert len(slots) == 2 and slots[0] != slots[1], plan  # the attack: both read "broadcast to 全部粉丝 (群发)"
        assert slots == ["slot: monthly-report 2026-12-05, broadcast to 「全部粉丝」 (群发)",
                         "slot: monthly-report 2026-12-05, broadcast to every follower (is_to_all) (群发)"], plan

    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    dry = oaspec(tmp_path, "publish", "-f", str(spec), "--due", "--dry-run")
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to every follower (is_to_all)): would send" \
        in dry.stdout, dry.stdout + dry.stderr
    after = oaspec(tmp_path, "calendar", "-f", str(spec), "--days", "40", now=FIXED_NOW).stdout
    assert "monthly-report (月度理财观察)  → 「全部粉丝」  broadcast" in before, before
    assert "monthly-report (月度理财观察)  → every follower (is_to_all)  broadcast" in after, after
