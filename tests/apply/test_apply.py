"""Apply's own guarantees, with providers that misbehave in controlled ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.cli.deploy import describe_result
from oa_spec.config.model import AccountSpec
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState
from oa_spec.plan.workspace import Workspace
from oa_spec.providers.local import LocalProvider
from testing import EXAMPLES


class ForgetfulProvider(LocalProvider):
    """Answers every write with success but silently drops keyword replies, as a platform glitch would."""

    def apply(self, change: Change) -> None:
        if change.kind != "keyword_reply":
            super().apply(change)


class FailingProvider(LocalProvider):
    """Fails on the 4th write, like a quota running out part-way."""

    writes = 0

    def apply(self, change: Change) -> None:
        FailingProvider.writes += 1
        if FailingProvider.writes == 4:
            raise ProviderError("WeChat error 45009: the daily API quota is reached; wait until tomorrow", 45009)
        super().apply(change)


def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, provider: type[LocalProvider]) -> Workspace:
    ws = Workspace.open(EXAMPLES / "citybank" / "oaspec.yaml", tmp_path / "state")
    monkeypatch.setattr(Workspace, "provider", lambda self, account: provider(account.id, self.state_dir))
    return ws


def test_verify_after_apply_reports_what_the_platform_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace(tmp_path, monkeypatch, ForgetfulProvider)
    [result] = apply_plan(ws, ws.plan("citybank"))
    assert result.error is not None and "verification failed" in result.error
    assert "citybank/replies/keywords/理财 (create)" in result.error
    assert result.revision is not None and result.revision.status == "failed"
    assert result.revision.error == result.error


def test_partial_failure_is_recorded_and_the_next_plan_shows_the_rest(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    FailingProvider.writes = 0
    ws = workspace(tmp_path, monkeypatch, FailingProvider)
    plan = ws.plan("citybank")
    [result] = apply_plan(ws, plan)
    assert result.applied == 3 and result.revision is not None
    assert result.revision.applied == [c.address for c in plan.accounts[0].actionable[:3]]
    report = describe_result(result)
    assert "applied 3 of 24 changes (revision 1); the next plan shows the rest:" in report
    assert f"not applied: {plan.accounts[0].actionable[3].address}" in report
    rest = ws.plan("citybank").accounts[0].actionable
    assert [c.address for c in rest] == result.pending
    [again] = apply_plan(ws, ws.plan("citybank"))
    assert again.ok and not ws.plan("citybank").has_changes


def test_provider_is_built_from_the_account_spec(tmp_path: Path) -> None:
    ws = Workspace.open(EXAMPLES / "minimal" / "oaspec.yaml", tmp_path)
    assert isinstance(ws.provider(AccountSpec(id="demo", name="x")), LocalProvider)


class UnreadableXinhua(LocalProvider):
    """branch-xinhua cannot be read once the plan is made: the network path to it broke."""

    reads = 0

    def read(self) -> AccountState:
        if self.account_id == "branch-xinhua":
            UnreadableXinhua.reads += 1
            if UnreadableXinhua.reads > 1:
                raise ProviderError("branch-xinhua: no answer within 10s; gave up after 4 attempts")
        return super().read()


def test_an_account_unreadable_during_the_checks_stops_every_write(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace(tmp_path, monkeypatch, UnreadableXinhua)
    plan = ws.plan(parallelism=1)
    assert all(a.actionable for a in plan.accounts)
    results = apply_plan(ws, plan, accounts=["branch-xinhua", "citybank"])
    assert [(r.account, r.applied, r.revision) for r in results] == [("branch-xinhua", 0, None), ("citybank", 0, None)]
    assert results[0].error is not None and "no answer within 10s" in results[0].error
    assert results[1].error is not None and "branch-xinhua could not be read" in results[1].error
    assert not (tmp_path / "state" / "local" / "citybank.json").exists()
