"""Attack review 50, F2: an exception that is neither a ProviderError nor an OaspecError raised inside a write
(a bug in oaspec, Ctrl-C) stops the apply as "interrupted". The write in flight may have landed: the revision
keeps owning what it may have made, as a failed write does, so the next plan does not call the tag oaspec
created "not made by oaspec" and tell the operator to adopt it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.kinds.change import Change
from oa_spec.providers.wechat import WeChatProvider
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx00000000000050f2", "interrupted-write-secret")
TAGS = "    tags:\n      - name: 高净值客户\n      - name: 银发客户\n"


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    return Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)


@pytest.mark.parametrize("raised", [RuntimeError("a bug in oaspec"), KeyboardInterrupt()], ids=["bug", "ctrl-c"])
def test_a_write_that_landed_before_an_unexpected_exception_stays_oaspecs(
        bank: Emulated, monkeypatch: pytest.MonkeyPatch, raised: BaseException) -> None:
    bank.write_spec(TAGS)
    real = WeChatProvider.apply

    def lands_then_raises(self: WeChatProvider, change: Change) -> None:
        real(self, change)  # the tag is created on the platform ...
        if change.address == "bank/tags/高净值客户":
            raise raised  # ... and the run stops before it hears so

    with monkeypatch.context() as patched:
        patched.setattr(WeChatProvider, "apply", lands_then_raises)
        bank.oaspec("apply", "--auto-approve", code=1)
    assert [t["name"] for t in bank.state()["tags"]][-1:] == ["高净值客户"]

    revision = bank.revision(1)
    assert revision["error"].startswith("interrupted (")
    assert revision["applied"] == []
    assert "高净值客户" in revision["managed"].get("tags", [])  # the write in flight may have landed: still oaspec's

    planned = bank.oaspec("plan")
    assert "not made by oaspec" not in planned.output and "adopt" not in planned.output
    bank.oaspec("apply", "--auto-approve")
    bank.oaspec("plan", "--detailed-exitcode")
