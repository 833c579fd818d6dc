"""The served configuration each worker reads from the applied revisions: a history it cannot read now
(the database down at a worker's boot, the newest record damaged) never stops a worker from booting and
never makes it answer from an older revision, a rollback nobody made."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.errors import OaspecError
from oa_spec.gateway import runner
from oa_spec.gateway.applied import revision_marker
from oa_spec.gateway.runner import AppliedAccounts
from oa_spec.history.files import FilesState
from oa_spec.history.state import open_state
from oa_spec.plan.workspace import Workspace
from tests.gateway.test_spec_gateway import CS, GATEWAY, secrets, spec

__all__ = ["secrets"]


def _applied(tmp_path: Path, *texts: str) -> Workspace:
    path = spec(tmp_path, GATEWAY, CS.replace("replies:\n", "replies:\n  default: {text: TEXT}\n"))
    template = path.read_text(encoding="utf-8")
    for text in texts:
        path.write_text(template.replace("TEXT", text), encoding="utf-8")
        ws = Workspace.open(path, tmp_path / ".oaspec")
        [result] = apply_plan(ws, ws.plan())
        assert result.ok
        ws.close()
    return ws


def _default(applied: AppliedAccounts) -> str | None:
    [config] = applied.configs()
    return config.default_reply.text if config.default_reply is not None else None


def test_a_damaged_newest_revision_keeps_what_was_served_and_never_serves_an_older_one(tmp_path: Path) -> None:
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    accounts = list(ws.spec.accounts)
    running = AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))
    assert _default(running) == "新的答复"
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    newest.write_bytes(newest.read_bytes()[:40])
    assert running.changed()
    assert _default(running) == "新的答复"  # the worker keeps what it served
    assert _default(AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))) is None  # a new one: `success`


def test_a_worker_boots_while_the_database_is_down_and_reads_it_once_it_is_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _applied(tmp_path, "答复")
    state = open_state("postgresql://oaspec@127.0.0.1:9/oaspec?connect_timeout=1", tmp_path, connect=False)
    booting = AppliedAccounts(list(ws.spec.accounts), state)
    assert _default(booting) is None  # answers `success`: no worker fails to boot, so gunicorn halts nothing
    assert booting.changed()  # read again on the next poll
    assert booting.problem() is not None
    files = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"))
    down = {"now": True}

    def marker(history: object) -> object:
        if down["now"]:
            raise OaspecError("PostgreSQL state backend: connecting failed")
        return revision_marker(history)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "revision_marker", marker)
    assert _default(files) is None
    assert files.problem() == "applied revisions unreadable, serving what was read before: citybank"  # /healthz
    down["now"] = False
    assert files.changed() and _default(files) == "答复"
    assert files.problem() is None
