"""Apply's own guarantees, with providers that misbehave in controlled ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.apply import apply_plan
from oa_spec.cli import describe_result
from oa_spec.errors import ProviderError
from oa_spec.plan import Change
from oa_spec.providers.local import LocalProvider
from oa_spec.spec.model import AccountSpec
from oa_spec.workspace import Workspace
from tests.conftest import EXAMPLES


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
    assert "applied 3 of 18 changes (revision 1); the next plan shows the rest:" in report
    assert f"not applied: {plan.accounts[0].actionable[3].address}" in report
    rest = ws.plan("citybank").accounts[0].actionable
    assert [c.address for c in rest] == result.pending
    [again] = apply_plan(ws, ws.plan("citybank"))
    assert again.ok and not ws.plan("citybank").has_changes


def test_provider_is_built_from_the_account_spec(tmp_path: Path) -> None:
    ws = Workspace.open(EXAMPLES / "minimal" / "oaspec.yaml", tmp_path)
    assert isinstance(ws.provider(AccountSpec(id="demo", name="x")), LocalProvider)
