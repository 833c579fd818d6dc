"""Attack review 74: `oaspec serve` answers followers from the live state a revision records after its writes
(`live_after`), and the spec digest that `audit verify`, `state doctor`, `show` and rollback check a revision
against covers its desired state only. An edit of what the gateway serves alone (the default reply made a request
for an SMS code) passed all of them while the gateway sent it: the outcome's audit entry now records the live
state's digest too, and a record that no longer digests to it is named as edited, and not served: a worker keeps
what it served before (a new one answers `success`), and /healthz says why."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oa_spec.gateway.runner import AppliedAccounts
from oa_spec.history.files import FilesState
from oa_spec.history.integrity import edited_revisions
from oa_spec.plan.workspace import Workspace
from tests.gateway.test_runner import _applied, _default

FORGED = "您的账户存在风险，请回复短信验证码完成验证"


def _edit(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    record = json.loads(newest.read_text(encoding="utf-8"))
    edit(record)
    newest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return newest


def _forged(record: dict[str, Any]) -> None:
    live = json.dumps(record["live_after"], ensure_ascii=False)
    assert live.count("新的答复") == 1
    record["live_after"] = json.loads(live.replace("新的答复", FORGED))


def _removed(record: dict[str, Any]) -> None:
    record["live_after"] = None


def test_an_edit_of_what_the_gateway_serves_is_named_as_an_edited_revision(tmp_path: Path) -> None:
    _applied(tmp_path, "旧的答复", "新的答复")
    state = FilesState(tmp_path / ".oaspec")
    assert edited_revisions(state) == []
    newest = _edit(tmp_path, _forged)
    [edited] = edited_revisions(state)
    assert str(newest) in edited and "live state" in edited and "it was edited" in edited, edited


def test_removing_the_live_state_a_revision_recorded_is_named_as_an_edit(tmp_path: Path) -> None:
    _applied(tmp_path, "旧的答复", "新的答复")
    _edit(tmp_path, _removed)
    [edited] = edited_revisions(FilesState(tmp_path / ".oaspec"))
    assert "(none: it was removed)" in edited, edited


@pytest.mark.parametrize("edit", [_forged, _removed], ids=["forged-reply", "live-state-removed"])
def test_the_gateway_never_serves_an_edited_revision_nor_the_one_before_it(
        tmp_path: Path, edit: Callable[[dict[str, Any]], None], caplog: pytest.LogCaptureFixture) -> None:
    # removed, the revision would be passed over as a run in progress and the one before served: a rollback nobody made
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    accounts = list(ws.spec.accounts)
    running = AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))
    assert _default(running) == "新的答复" and running.problem() is None
    _edit(tmp_path, edit)
    assert running.changed()
    assert _default(running) == "新的答复"  # the worker keeps what it served, as for a damaged record
    assert "serving what was read before: citybank" in (running.problem() or "")
    assert "it was edited; it is not served (restore the record from a backup" in caplog.text  # what to do, logged
    fresh = AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))
    assert _default(fresh) is None  # a new worker answers `success`: neither the edit nor the older reply
    assert "never read" in (fresh.problem() or "")
    _applied(tmp_path, "修好的答复")  # what the error says to do: the state wanted written into the spec and applied
    assert running.changed()
    assert _default(running) == "修好的答复" and running.problem() is None


def _injected(record: dict[str, Any]) -> None:
    record["live_after"]["keyword_replies"] = [*record["live_after"].get("keyword_replies", []), {
        "name": "中奖", "match": "contains", "keywords": ["中奖"], "reply": {"text": FORGED}}]


def test_an_apply_does_not_carry_what_an_edited_revision_serves_into_a_revision_the_gateway_serves(
        tmp_path: Path) -> None:
    """Attack review 76 F6: a keyword rule added to the newest revision's served state (no spec declares it, so a
    plan leaves it alone as unmanaged) was carried by the next apply, of any change, into a revision whose record
    agrees with the trail, and the gateway, which had refused the edited one, served the request for an SMS code."""
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    _edit(tmp_path, _injected)
    planned = Workspace.open(ws.spec_path, tmp_path / ".oaspec")
    try:
        [notes] = [ap.notes for ap in planned.plan().accounts]
    finally:
        planned.close()
    assert any("it was edited; it is not served" in n and "this plan takes nothing as served" in n for n in notes)
    _applied(tmp_path, "修好的答复")
    state = FilesState(tmp_path / ".oaspec")
    assert all("000002.json" in edited for edited in edited_revisions(state))  # revision 3 agrees with the trail
    fresh = AppliedAccounts(list(ws.spec.accounts), state)
    [config] = fresh.configs()
    assert [rule.name for rule in config.keyword_rules if rule.name == "中奖"] == []
    assert all(FORGED not in reply.text for rule in config.keyword_rules for reply in rule.replies if reply.text)
