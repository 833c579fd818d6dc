"""Content cadence: slots, statutory holidays, and the platform's broadcast quotas per account type."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import get_args

import chinese_calendar  # type: ignore[import-untyped]
import pytest

from oa_spec.config import cadence
from oa_spec.config.fields import HolidayName
from oa_spec.config.model_services import CadenceSpec
from tests.policy.helpers import run_yaml

D = datetime.date


def spec(account_type: str, streams: str, tags: str = "[]") -> str:
    return f"""\
version: 1
bank: 示例银行
accounts:
  - id: bank
    name: 示例银行
    type: {account_type}
    tags: {tags}
    content:
      streams:
{streams}
"""


def stream(stream_id: str, cadence: str, broadcast: bool = True, tags: str = "[]") -> str:
    return (f"        - {{id: {stream_id}, title: 栏目{stream_id}, audience: {{tags: {tags}}}, cadence: {cadence}, "
            f"broadcast: {str(broadcast).lower()}}}\n")


def test_service_account_five_broadcasts_in_a_month(tmp_path: Path) -> None:
    dates = "[2026-12-01, 2026-12-08, 2026-12-15, 2026-12-22, 2026-12-29]"
    run = run_yaml(tmp_path, spec("service", stream("weekly", f"{{dates: {dates}}}")))
    assert run.hits("platform.broadcast-quota") == ["bank/content/streams/weekly"]
    [finding] = [f for f in run.report.findings if f.rule == "platform.broadcast-quota"]
    assert finding.blocking and "2026-12" in finding.detail and finding.path.endswith("broadcast")


def test_service_account_four_broadcasts_in_a_month(tmp_path: Path) -> None:
    dates = "[2026-12-01, 2026-12-08, 2026-12-15, 2026-12-22, 2027-01-05]"
    run = run_yaml(tmp_path, spec("service", stream("weekly", f"{{dates: {dates}}}")))
    assert run.hits("platform.broadcast-quota") == []


def test_weekly_broadcast_overruns_in_months_with_five_weekdays(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec("service", stream("weekly", "{every: week, on: wed}")))
    assert run.hits("platform.broadcast-quota") == ["bank/content/streams/weekly"]
    quiet = spec("service", stream("weekly", "{every: week, on: wed}", broadcast=False))
    run = run_yaml(tmp_path, quiet, name="b.yaml")
    assert run.hits("platform.broadcast-quota") == []


def test_subscription_account_two_broadcasts_on_one_day(tmp_path: Path) -> None:
    streams = stream("morning", "{dates: [2026-12-03]}") + stream("evening", "{dates: [2026-12-03]}")
    run = run_yaml(tmp_path, spec("subscription", streams))
    assert run.hits("platform.broadcast-quota") == ["bank/content/streams/evening"]
    assert run.hits("content.broadcast-overlap") == ["bank/content/streams/evening"]


def test_subscription_account_daily_broadcast_is_fine(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec("subscription", stream("daily", "{every: day}")))
    assert run.hits("platform.broadcast-quota") == []


def test_overlap_only_for_shared_audiences(tmp_path: Path) -> None:
    tags = "[{name: 年轻客群}, {name: 银发客户}]"
    streams = (stream("young", "{dates: [2026-12-03]}", tags="[年轻客群]")
               + stream("elder", "{dates: [2026-12-03]}", tags="[银发客户]"))
    assert run_yaml(tmp_path, spec("service", streams, tags)).hits("content.broadcast-overlap") == []
    streams += stream("all", "{dates: [2026-12-03]}")
    run = run_yaml(tmp_path, spec("service", streams, tags), name="b.yaml")
    assert run.hits("content.broadcast-overlap") == ["bank/content/streams/all"]


def test_audience_must_name_declared_tags(tmp_path: Path) -> None:
    from oa_spec.config.load import load_spec
    from oa_spec.config.validate import check

    path = tmp_path / "oaspec.yaml"
    path.write_text(spec("service", stream("s", "{every: month, on: 1}", tags="[年青客群]"), "[{name: 年轻客群}]"),
                    encoding="utf-8")
    _, diagnostics = check(load_spec(path))
    assert any("no tag named '年青客群'" in str(d) and "年轻客群" in d.hint for d in diagnostics)


@pytest.mark.parametrize(("cadence", "field"), [
    ("{}", ""), ("{every: week}", "on"), ("{every: week, on: 5}", "on"), ("{every: month, on: [mon]}", "on"),
    ("{every: day, on: 1}", "on"), ("{on: wed}", "on"),
])
def test_cadence_that_schedules_nothing(tmp_path: Path, cadence: str, field: str) -> None:
    run = run_yaml(tmp_path, spec("service", stream("s", cadence)))
    [finding] = [f for f in run.report.findings if f.rule == "content.cadence-invalid"]
    assert finding.address == "bank/content/streams/s" and finding.path.endswith(f"cadence.{field}".rstrip("."))


def test_month_days_past_the_end_fall_on_the_last_day() -> None:
    monthly = CadenceSpec(every="month", on=[15, 31])
    assert cadence.stream_dates(monthly, D(2027, 2, 1), D(2027, 3, 31)) == [
        D(2027, 2, 15), D(2027, 2, 28), D(2027, 3, 15), D(2027, 3, 31)]


def test_holidays_from_chinese_calendar() -> None:
    every = cadence.stream_dates(CadenceSpec(holidays=True), D(2026, 1, 1), D(2026, 12, 31))
    assert D(2026, 10, 1) in every and D(2026, 2, 15) in every and D(2026, 10, 2) not in every
    national = cadence.stream_dates(CadenceSpec(holidays=["国庆节"]), D(2026, 1, 1), D(2026, 12, 31))
    assert national == [D(2026, 10, 1)]
    assert cadence.holiday_name(D(2026, 10, 3)) == "国庆节"


def test_holiday_names_match_the_package() -> None:
    statutory = {h.chinese for h in chinese_calendar.Holiday if h.days > 0 and "周年" not in h.chinese}
    assert set(get_args(HolidayName)) == statutory


def test_upcoming_slots_and_quota_marks(tmp_path: Path) -> None:
    dates = "[2026-11-02, 2026-11-09, 2026-11-16, 2026-11-23, 2026-11-30, 2026-12-07]"
    streams = stream("news", f"{{dates: {dates}}}") + stream("class", "{every: week, on: fri}", broadcast=False)
    run = run_yaml(tmp_path, spec("service", streams))
    [cal] = cadence.upcoming(run.spec, today=D(2026, 11, 24), days=14)
    assert [(s.date, s.stream, s.broadcast, s.over_quota) for s in cal.slots] == [
        (D(2026, 11, 27), "class", False, False),
        (D(2026, 11, 30), "news", True, True),  # the 5th broadcast of November (earlier ones count)
        (D(2026, 12, 4), "class", False, False),
        (D(2026, 12, 7), "news", True, False),
    ]
    text = cadence.render_calendar([cal])
    assert "2026-11-30" in text and "over quota" in text and "4 broadcast(s) per month" in text
    assert cal.slots[1].to_json()["over_quota"] is True


def test_upcoming_notes_missing_holiday_years(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec("service", stream("festive", "{holidays: true}")))
    [cal] = cadence.upcoming(run.spec, today=D(2026, 11, 24), days=60)
    assert any("2027" in note for note in cal.notes)
    assert cadence.upcoming(run.spec, today=D(2026, 11, 24), days=60, account="other") == []
