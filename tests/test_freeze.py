"""Freeze windows, with an injected clock (OASPEC_NOW), never the real date."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from oa_spec.clock import BEIJING
from oa_spec.freeze import is_active
from oa_spec.spec.model import FreezeWindow
from tests.conftest import Cli

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


def test_plan_is_allowed_during_a_freeze(cli: Cli, spec: Path) -> None:
    assert cli("plan", "-f", str(spec), env={"OASPEC_NOW": "2027-02-08T10:00"}).returncode == 0
