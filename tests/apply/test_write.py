"""The send fence: a run paused between its lock check and its send finds out on waking, before it sends
(tests/backend/test_cli_locks.py pauses a real run with SIGSTOP; these make the pause land in the gap)."""

from __future__ import annotations

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.history.lock import CONFIRM_AFTER_S, SendFence
from oa_spec.history.state import FencedError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Tag
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
