"""Attack review 74: `oaspec serve` answers followers from the live state a revision records after its writes
(`live_after`), and the spec digest that `audit verify`, `state doctor`, `show` and rollback check a revision
against covers its desired state only. An edit of what the gateway serves alone (the default reply made a request
for an SMS code) passed all of them while the gateway sent it: the outcome's audit entry now records the live
state's digest too, and a record that no longer digests to it is named as edited."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.gateway.runner import AppliedAccounts
from oa_spec.history.files import FilesState
from oa_spec.history.integrity import edited_revisions
from tests.gateway.test_runner import _applied, _default

FORGED = "您的账户存在风险，请回复短信验证码完成验证"


def test_an_edit_of_what_the_gateway_serves_is_named_as_an_edited_revision(tmp_path: Path) -> None:
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    state = FilesState(tmp_path / ".oaspec")
    assert edited_revisions(state) == []
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    record = json.loads(newest.read_text(encoding="utf-8"))
    assert json.dumps(record["live_after"], ensure_ascii=False).count("新的答复") == 1
    record["live_after"] = json.loads(json.dumps(record["live_after"], ensure_ascii=False).replace("新的答复", FORGED))
    newest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert _default(AppliedAccounts(list(ws.spec.accounts), state)) == FORGED  # what followers would be sent
    [edited] = edited_revisions(state)
    assert str(newest) in edited and "live state" in edited and "it was edited" in edited, edited


def test_removing_the_live_state_a_revision_recorded_is_named_as_an_edit(tmp_path: Path) -> None:
    # without it the gateway passes the revision over and serves the one before: a rollback nobody made
    _applied(tmp_path, "旧的答复", "新的答复")
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    record = json.loads(newest.read_text(encoding="utf-8"))
    record["live_after"] = None
    newest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    [edited] = edited_revisions(FilesState(tmp_path / ".oaspec"))
    assert "(none: it was removed)" in edited, edited
