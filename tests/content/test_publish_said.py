"""A slot the platform took is said as soon as it is done (attack review 72 F1), also when the state goes away right
after its send was recorded (attack review 74): the run read the content record again (for the quota) before saying
the slot, so the error of that read hid the broadcast that had just gone out."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.content.bound import BoundContent
from oa_spec.content.publish import AccountRun
from oa_spec.errors import OaspecError
from tests.conftest import FIXED_NOW
from tests.content.bank import small_bank
from tests.content.test_publish_cli import oaspec


def test_a_send_recorded_just_before_the_state_goes_away_is_still_said(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    finish, load, gone = AccountRun._finish, BoundContent.load, []

    def finished_then_gone(self: AccountRun, *args: object) -> object:
        done = finish(self, *args)  # type: ignore[arg-type]
        gone.append(True)  # recorded as sent; the state goes away now
        return done

    def read(self: BoundContent) -> object:
        if gone:
            raise OaspecError("the PostgreSQL state cannot be reached")
        return load(self)

    monkeypatch.setattr(AccountRun, "_finish", finished_then_gone)
    monkeypatch.setattr(BoundContent, "load", read)
    stopped = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert stopped.returncode == 1 and "the PostgreSQL state cannot be reached" in stopped.stderr
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): sent" in stopped.stdout, \
        stopped.stdout + stopped.stderr
