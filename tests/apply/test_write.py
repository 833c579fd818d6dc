"""The send fence: a run paused between its lock check and its send finds out on waking, before it sends
(tests/backend/test_cli_locks.py pauses a real run with SIGSTOP; these make the pause land in the gap)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.gateway.applied import served_now
from oa_spec.history.files import FilesState
from oa_spec.history.lock import CONFIRM_AFTER_S, SendFence
from oa_spec.history.state import FencedError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Tag
from testing.accounts import SERVED_ENV, assert_served_edit_reported_unlanded, edit_served_example, served_example
from testing.cli import Cli
from testing.disk import fills_once_there
from tests.providers.test_wechat import APPID, EMULATOR_ACCOUNT, make_provider

__all__ = ["EMULATOR_ACCOUNT"]  # the `admin` fixture resets the emulator to the account make_provider uses


class Lock:
    """The run's lock as the state sees it: held until another run takes it over."""

    def __init__(self) -> None:
        self.taken_over = False
        self.checks = 0

    def check(self) -> None:
        self.checks += 1
        if self.taken_over:
            raise FencedError("account citybank: this run's lock L1 was lost, the lock is now held by next@ci; "
                              "this write was refused and nothing was written; plan again")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sends_right_after_the_check_do_not_check_again_and_a_late_one_does() -> None:
    lock, clock = Lock(), Clock()
    fence = SendFence(lock.check, clock)
    fence.confirm()
    fence()
    clock.now += CONFIRM_AFTER_S / 2
    fence()
    assert lock.checks == 1
    clock.now += CONFIRM_AFTER_S  # stopped, or slow: check again before sending
    fence()
    assert lock.checks == 2


def test_a_run_paused_after_its_check_sends_nothing_once_another_run_took_over(
        server: EmulatorServer, admin: EmulatorAdmin) -> None:
    provider = make_provider(server)
    lock, clock = Lock(), Clock()
    fence = SendFence(lock.check, clock)
    provider.guard_sends(fence)
    fence.confirm()  # the writer's check before the change: the lock is held
    lock.taken_over = True  # the run is stopped here for a minute; another run takes the lock
    clock.now += 60
    sent = len(admin.writes(APPID))
    try:
        with pytest.raises(FencedError, match="was lost"):
            provider.apply(Change("create", "tag", "新客", "citybank/tags/新客", None, Tag("新客")))
    finally:
        provider.close()
    assert len(admin.writes(APPID)) == sent


# --- a full disk when the outcome is recorded, on a served account (attack review 44, F2) -------------------
def test_served_changes_are_not_called_landed_when_their_revision_cannot_be_recorded(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The served kinds reach followers only with a recorded revision: a run that could not record its outcome
    says the menu landed and the two reply changes did not, and the next apply writes those two again."""
    spec = served_example(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=SERVED_ENV).returncode == 0
    edit_served_example(spec)
    state = tmp_path / ".oaspec"
    with monkeypatch.context() as patched:
        fills_once_there(patched, state / "history" / "citybank" / "000002.json")  # room for the journal only
        failed = cli("apply", "-f", str(spec), "--auto-approve", env=SERVED_ENV)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "cannot write revision 2 (No space left on device)" in failed.stderr
    assert_served_edit_reported_unlanded(failed.stderr)
    assert "not applied: citybank/replies/keywords/营业时间" in failed.stderr
    served = served_now(FilesState(state).history("citybank"))
    assert [r.text for r in served.keyword_replies[0].replies] == ["网点营业时间为工作日 9:00-17:00。"]

    again = cli("apply", "-f", str(spec), "--auto-approve", env=SERVED_ENV)
    assert again.returncode == 0, again.stderr
    assert "citybank: applied 2 change(s) (revision 3)" in again.stdout
    shown = json.loads(cli("show", "2", "--account", "citybank", "-f", str(spec), "--format", "json").stdout)
    assert shown["applied"] == ["citybank/menu"]  # what the run said, reconciled from the account
