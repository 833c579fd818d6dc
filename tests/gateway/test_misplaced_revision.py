"""Attack review 73: a revision record that names another account or another number than its place in the history
(copied from another account's directory, or restored from a backup under the wrong number, as the advice for a
damaged record invites) was served as that account's newest: another account's replies and gateway settings, or an
older revision's, a rollback nobody made. It is read as corrupt, as a damaged record is: nothing of it is served."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.errors import OaspecError
from oa_spec.gateway.runner import AppliedAccounts
from oa_spec.history.files import FilesState
from tests.gateway.test_runner import _applied, _default


@pytest.mark.parametrize("field, value", [("account", "otherbank"), ("number", 1)])
def test_a_revision_naming_another_account_or_number_is_not_served(tmp_path: Path, field: str, value: object) -> None:
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    record = json.loads(newest.read_text(encoding="utf-8"))
    record[field] = value
    if field == "number":  # revision 1 restored as the newest: its own text, its own number
        record = json.loads((newest.parent / "000001.json").read_text(encoding="utf-8"))
    newest.write_text(json.dumps(record), encoding="utf-8")
    state = FilesState(tmp_path / ".oaspec")
    assert _default(AppliedAccounts(list(ws.spec.accounts), state)) is None  # `success`, as for a damaged record
    with pytest.raises(OaspecError, match="corrupt"):
        state.history("citybank").get(2)
