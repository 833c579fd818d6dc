"""A send the platform did, answered in a way oaspec cannot read (a proxy's page, JSON too deep to decode, errcode 0
without the publish_id or msg_id), against the emulator: the slot is unclear and stays journalled `sending`, never
`failed` with "nothing was sent"; the next run settles it (the publication is found, the clientmsgid is sent again)
and the article goes out once. Only a platform errcode makes a slot failed."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.content.publish import publish
from oa_spec.content.record import ContentRecord
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.plan.workspace import Workspace
from tests.content.bank import APPID, publishing_account, quick_publishing, small_bank

NOW = "2026-12-20T09:00:00+08:00"
BROADCAST, PUBLICATION = "monthly-report/2026-12-05", "finance-class/2026-12-09"  # the first slot each call sends
SENDS = {"message/mass/sendall": (BROADCAST, "sends"), "freepublish/submit": (PUBLICATION, "publications")}
ANSWERS = {"html": "<html><body><h1>502 Bad Gateway</h1></body></html>",
           "deep": '{"errcode":0,"x":' + "[" * 200_000 + "]" * 200_000 + "}",
           "no id": '{"errcode":0,"errmsg":"ok"}'}


@pytest.fixture
def admin(server: EmulatorServer) -> EmulatorAdmin:
    return publishing_account(server, NOW)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    quick_publishing(monkeypatch, NOW)


@pytest.fixture
def workspace(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, env: None) -> Iterator[Workspace]:
    ws = Workspace.open(small_bank(tmp_path, server.base_url), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
    ws.close()
    yield ws
    ws.close()


def garble(admin: EmulatorAdmin, path: str, answer: str) -> None:
    """Every attempt of the next run's first send on `path` is done, then answered unreadably (a broadcast is
    sent again with its clientmsgid while unclear: three attempts)."""
    for _ in range(3):
        admin.garble(ANSWERS[answer], path=path)


def run(ws: Workspace) -> dict[str, tuple[str, str]]:
    try:
        return {o.due.slot: (o.result, o.detail) for o in publish(ws, "bank", due_only=True, dry_run=False)}
    finally:
        ws.close()  # the next run is a new process


@pytest.mark.parametrize("answer", sorted(ANSWERS))
@pytest.mark.parametrize("path", sorted(SENDS))
def test_a_send_answered_unreadably_is_unclear_and_settled_never_sent_twice(
        server: EmulatorServer, workspace: Workspace, path: str, answer: str) -> None:
    slot, kind = SENDS[path]
    garble(server.admin, path, answer)  # the platform sends it, then the answer is unreadable
    result, detail = run(workspace)[slot]
    assert result == "unclear", detail
    assert "nothing was sent" not in detail and "settles it before sending anything" in detail
    assert ContentRecord(workspace.state_dir, "bank").load().sends[slot].state == "sending"
    assert len(server.admin.publishing(APPID)[kind]) == 2  # both slots of that kind went out, each once
    server.admin.clear_faults()
    again = run(workspace)
    assert again[slot][0] in ("sent", "already sent"), again[slot]
    assert len(server.admin.publishing(APPID)[kind]) == 2  # settled, not sent again
    assert ContentRecord(workspace.state_dir, "bank").load().sends[slot].state == "sent"


def test_an_unreadable_broadcast_a_day_later_is_refused_not_sent_to_every_follower_again(
        server: EmulatorServer, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    garble(server.admin, "message/mass/sendall", "html")
    assert run(workspace)[BROADCAST][0] == "unclear"
    with ContentRecord(workspace.state_dir, "bank").edit() as record:  # a day passes before the next run
        day_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=25)  # journal times are real ones
        record.sends[BROADCAST].journalled_at = day_ago.isoformat(timespec="seconds")
    server.admin.set_clock(advance=25 * 3600)
    monkeypatch.setenv("OASPEC_NOW", "2026-12-21T10:00:00+08:00")
    result, detail = run(workspace)[BROADCAST]
    assert result == "refused" and "群发记录" in detail, detail
    assert len(server.admin.publishing(APPID)["sends"]) == 2


def test_a_platform_refusal_of_a_send_is_failed_and_tried_again(server: EmulatorServer,
                                                               workspace: Workspace) -> None:
    server.admin.fail(45009, path="freepublish/submit")  # the platform's own errcode: nothing was sent
    result, detail = run(workspace)[PUBLICATION]
    assert result == "failed" and "nothing was sent" in detail, detail
    server.admin.clear_faults()
    assert run(workspace)[PUBLICATION][0] == "sent"
    assert len(server.admin.publishing(APPID)["publications"]) == 2


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_draft_added_and_answered_unreadably_is_recorded_once(tmp_path: Path, server: EmulatorServer,
                                                                admin: EmulatorAdmin, env: None, answer: str) -> None:
    admin.garble(ANSWERS[answer], path="draft/add")  # the draft is made, then the answer is unreadable
    ws = Workspace.open(small_bank(tmp_path, server.base_url), tmp_path / ".oaspec")
    try:
        assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
        assert len(admin.publishing(APPID)["drafts"]) == 6  # one draft per article: the unclear one was found
        assert len(ContentRecord(ws.state_dir, "bank").load().drafts) == 6
        assert not ws.plan("bank").has_changes
    finally:
        ws.close()
