"""Freeze windows, with an injected clock (OASPEC_NOW), never the real date."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from oa_spec.apply.freeze import describe, is_active
from oa_spec.apply.run import apply_plan
from oa_spec.config.model_safety import FreezeWindow
from oa_spec.errors import OaspecError
from oa_spec.history.state import Lease
from oa_spec.plan.workspace import Workspace
from oa_spec.util.clock import BEIJING
from testing.accounts import audit_entries
from testing.cli import Cli

SPEC = """\
version: 1
bank: 测试银行
freeze:
  - {name: 春节保障期, from: 2027-02-05, to: 2027-02-12}
accounts:
  - id: bank
    name: 测试银行
    freeze:
      - {name: 周五晚间批处理, weekly: {days: [fri], start: "18:00", end: "23:00"}}
      - {name: 月末结算, month_end_days: 2}
    menu: [{name: 账户, type: click, key: ACCOUNT}]
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.mark.parametrize("moment", ["2027-02-05T00:00", "2027-02-12T23:59", "2027-03-05T19:30",
                                    "2027-03-30T09:00", "2027-02-27T09:00"])
def test_apply_inside_a_window_is_refused(cli: Cli, spec: Path, tmp_path: Path, moment: str) -> None:
    result = cli("apply", "-f", str(spec), "--auto-approve", env={"OASPEC_NOW": moment})
    assert result.returncode == 1
    assert "apply refused inside the freeze window" in result.stderr
    assert not (tmp_path / ".oaspec" / "local").exists()


@pytest.mark.parametrize("moment", ["2027-02-04T23:59", "2027-02-13T00:00", "2027-03-05T17:59",
                                    "2027-03-05T23:00", "2027-03-29T09:00"])
def test_apply_outside_every_window_goes_ahead(cli: Cli, spec: Path, moment: str) -> None:
    assert cli("apply", "-f", str(spec), "--auto-approve", env={"OASPEC_NOW": moment}).returncode == 0


def test_override_needs_a_reason_and_is_recorded(cli: Cli, spec: Path, tmp_path: Path) -> None:
    inside = {"OASPEC_NOW": "2027-02-08T10:00"}
    no_reason = cli("apply", "-f", str(spec), "--auto-approve", "--override-freeze", env=inside)
    assert no_reason.returncode == 1 and "needs --reason" in no_reason.stderr
    result = cli("apply", "-f", str(spec), "--auto-approve", "--override-freeze",
                 "--reason", "紧急下线错误链接（变更单 CHG-0208）", env=inside)
    assert result.returncode == 0, result.stderr
    revision = json.loads((tmp_path / ".oaspec" / "history" / "bank" / "000001.json").read_text(encoding="utf-8"))
    assert revision["extra"]["freeze_override"] == "春节保障期: 紧急下线错误链接（变更单 CHG-0208）"


def test_weekly_window_is_in_beijing_time() -> None:
    window = FreezeWindow.model_validate({"name": "w", "weekly": {"days": ["fri"], "start": "18:00", "end": "23:00"}})
    friday_evening_beijing = datetime(2027, 3, 5, 18, 30, tzinfo=BEIJING)
    assert is_active(window, friday_evening_beijing)
    assert not is_active(window, friday_evening_beijing.replace(hour=8))


@pytest.mark.parametrize(("moment", "active"), [
    ("2027-03-05T21:59", False), ("2027-03-05T22:00", True), ("2027-03-05T23:59", True),  # friday evening
    ("2027-03-06T00:00", True), ("2027-03-06T01:59", True), ("2027-03-06T02:00", False),  # saturday night
    ("2027-03-06T22:30", False), ("2027-03-07T01:00", False),  # saturday is not a listed day
    ("2027-03-07T23:00", True), ("2027-03-08T01:00", True), ("2027-03-08T22:00", False),  # sunday into monday
    ("2027-03-05T01:00", False),  # thursday was not listed: no tail on friday morning
])
def test_a_weekly_window_may_run_past_midnight(moment: str, active: bool) -> None:
    """A night batch window, 22:00-02:00: was accepted, and never active (22:00 <= t < 02:00 never holds)."""
    window = FreezeWindow.model_validate(
        {"name": "夜间批处理", "weekly": {"days": ["fri", "sun"], "start": "22:00", "end": "02:00"}})
    at = datetime.fromisoformat(moment).replace(tzinfo=BEIJING)
    assert is_active(window, at) is active
    assert describe(window) == "夜间批处理 (fri,sun 22:00-02:00 the next day, Beijing time)"


def test_apply_in_the_small_hours_of_an_overnight_window_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.replace('start: "18:00", end: "23:00"', 'start: "22:00", end: "02:00"'), encoding="utf-8")
    after_midnight = cli("apply", "-f", str(path), "--auto-approve", env={"OASPEC_NOW": "2027-03-06T01:30"})
    assert after_midnight.returncode == 1 and "apply refused inside the freeze window" in after_midnight.stderr
    assert "周五晚间批处理" in after_midnight.stderr


def test_a_weekly_window_that_starts_where_it_ends_is_refused() -> None:
    with pytest.raises(ValidationError, match="a weekly window from 22:00 to 22:00 is empty"):
        FreezeWindow.model_validate({"name": "w", "weekly": {"days": ["fri"], "start": "22:00", "end": "22:00"}})
    whole_day = FreezeWindow.model_validate({"name": "w", "weekly": {"days": ["fri"]}})  # 00:00-24:00
    assert is_active(whole_day, datetime(2027, 3, 5, 0, 0, tzinfo=BEIJING))
    assert not is_active(whole_day, datetime(2027, 3, 6, 0, 0, tzinfo=BEIJING))


def test_plan_is_allowed_during_a_freeze(cli: Cli, spec: Path) -> None:
    assert cli("plan", "-f", str(spec), env={"OASPEC_NOW": "2027-02-08T10:00"}).returncode == 0


def test_weekdays_are_defined_once_in_weekday_order() -> None:
    from oa_spec.apply import freeze
    from oa_spec.config import cadence
    from oa_spec.config import fields as model

    assert vars(freeze)["WEEKDAYS"] is model.WEEKDAYS and vars(cadence)["WEEKDAYS"] is model.WEEKDAYS  # one list
    assert typing.get_args(model.Weekday) == model.WEEKDAYS
    monday = datetime(2027, 3, 1)
    assert [model.WEEKDAYS[monday.replace(day=d).weekday()] for d in range(1, 8)] == [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_a_run_that_waited_for_the_lock_into_a_freeze_is_refused(spec: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 7: the freeze was judged before the lock wait only, so a run queued behind another
    (--lock-timeout) wrote inside a window that began while it waited, with no override recorded."""
    monkeypatch.setenv("OASPEC_NOW", "2027-02-04T23:59")  # a minute before 春节保障期
    ws = Workspace.open(spec, tmp_path / ".oaspec")
    real_lock = ws.state.lock

    @contextmanager
    def waited(*args: typing.Any, **kwargs: typing.Any) -> Iterator[Lease]:
        monkeypatch.setenv("OASPEC_NOW", "2027-02-05T00:01")  # the other run let go inside the window
        with real_lock(*args, **kwargs) as lease:
            yield lease

    monkeypatch.setattr(ws.state, "lock", waited)
    try:
        with pytest.raises(OaspecError, match="apply refused inside the freeze window 春节保障期"):
            apply_plan(ws, ws.plan())
    finally:
        ws.close()
    assert not (tmp_path / ".oaspec" / "local").exists()
    assert [e["refusal"] for e in audit_entries(tmp_path / ".oaspec") if e["result"] == "refused"] == ["freeze"]


@pytest.mark.parametrize("end", ["24:30", "24:01", "24:59"])
def test_a_weekly_window_ending_past_24_00_is_refused_not_cut_at_midnight(end: str) -> None:
    # attack review 72 F2: `end: "24:30"` was taken, as a window that ends at midnight: an apply at 00:15 the next
    # day, inside the half hour the bank meant to freeze, went ahead (an end past midnight is written "00:30")
    with pytest.raises(ValidationError, match="end"):
        FreezeWindow.model_validate({"name": "w", "weekly": {"days": ["fri"], "start": "22:00", "end": end}})
    overnight = FreezeWindow.model_validate({"name": "w", "weekly": {"days": ["fri"], "start": "22:00",
                                                                      "end": "00:30"}})
    assert is_active(overnight, datetime(2027, 3, 6, 0, 15, tzinfo=BEIJING))  # saturday 00:15
