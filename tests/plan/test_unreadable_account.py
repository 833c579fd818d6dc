"""One account of a spec whose live state cannot be read: the plan stops for every account, naming that one and
why (a saved plan missing an account would be applied as if it held everything); `--account` plans the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx0000000000005c0a", "unreadable-account-secret")
TWO_ACCOUNTS = """\
    menu:
      - {name: 理财, type: click, key: W}
  - id: branch
    name: 测试分行
    type: service
    provider: {type: local}
    menu:
      - {name: 网点, type: click, key: B}
"""


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    bank = Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)
    bank.write_spec(TWO_ACCOUNTS)
    admin.garble("<html><body>502 Bad Gateway</body></html>", path="menu/get", after_processing=False)
    return bank


def test_a_plan_with_one_unreadable_account_stops_naming_it_and_writes_no_plan(bank: Emulated) -> None:
    result = bank.oaspec("plan", "--out", "reviewed.plan", code=1)
    assert "bank: menu/get: unexpected answer (HTTP 200" in result.stderr, result.stderr
    assert not (bank.path / "reviewed.plan").exists()


def test_the_other_accounts_are_planned_with_account(bank: Emulated) -> None:
    result = bank.oaspec("plan", "--account", "branch", "--detailed-exitcode", code=2)
    assert "branch/menu" in result.stdout, result.stdout
