"""The content record in the PostgreSQL state: CI runners that start empty make each article's draft
once and publish each due slot exactly once, and concurrent changes to the record are never lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from oa_spec.backend.base import FencedError
from oa_spec.backend.pg_state import PostgresState
from oa_spec.content.record import DraftEntry
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.history.state import open_state
from testing.cli import Result, run_cli
from tests.content.bank import APPID, citybank
from tests.content.test_publishing import DECEMBER_20, ENV, admin, at

__all__ = ["admin"]


def runner(tmp_path: Path, name: str, api_base: str) -> tuple[Path, Path]:
    work = tmp_path / name
    work.mkdir()
    return work, citybank(work, api_base=api_base)


def oaspec(work: Path, dsn: str, *args: str, now: str, lease: str = "") -> Result:
    """The CLI on the PostgreSQL state; `lease` sets OASPEC_LOCK_LEASE_SECONDS (a run cut off from the database
    leaves its lock to expire: a test that cuts one waits that long)."""
    leased = {"OASPEC_LOCK_LEASE_SECONDS": lease} if lease else {}
    result = run_cli(*args, cwd=work, env={**ENV, "OASPEC_NOW": now, "OASPEC_STATE": dsn, **leased})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_runners_share_drafts_and_sends_so_each_slot_goes_out_once(tmp_path: Path, server: EmulatorServer,
                                                                  admin: EmulatorAdmin, pg_dsn: str) -> None:
    first, first_spec = runner(tmp_path, "runner-1", server.base_url)
    second, second_spec = runner(tmp_path, "runner-2", server.base_url)
    applied = oaspec(first, pg_dsn, "apply", "-f", str(first_spec), "--account", "citybank", "--auto-approve",
                     now="2026-12-03T10:00:00+08:00")
    assert applied.returncode == 0, applied.stderr
    assert len(admin.publishing(APPID)["drafts"]) == 6

    admin.set_clock(at(DECEMBER_20))
    sent = oaspec(second, pg_dsn, "publish", "-f", str(second_spec), "--account", "citybank", "--due",
                  now=DECEMBER_20)
    assert sent.returncode == 0 and "Done: 4 sent now" in sent.stdout, sent.stdout + sent.stderr
    again = oaspec(first, pg_dsn, "publish", "-f", str(first_spec), "--account", "citybank", "--due",
                   now=DECEMBER_20)
    assert again.returncode == 0 and "0 sent now" in again.stdout, again.stdout + again.stderr
    published = admin.publishing(APPID)
    assert len(published["sends"]) == 2 and len(published["drafts"]) == 6  # two broadcasts, no second draft
    for work in (first, second):
        assert not (work / ".oaspec" / "content").exists()  # the record is in the database, not on a runner
    calendar = oaspec(first, pg_dsn, "calendar", "-f", str(first_spec), "--account", "citybank", now=DECEMBER_20)
    assert calendar.stdout.count("sent") >= 4, calendar.stdout


def test_concurrent_changes_to_the_record_are_all_kept(pg_dsn: str, tmp_path: Path) -> None:
    def add(worker: int) -> None:
        state = open_state(pg_dsn, tmp_path)
        assert isinstance(state, PostgresState)
        try:
            for n in range(25):
                with state.content("bank").edit() as record:
                    record.images[f"body:{worker}-{n}"] = f"https://mmbiz.qpic.cn/{worker}/{n}"
        finally:
            state.close()

    threads = [threading.Thread(target=add, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    reader = open_state(pg_dsn, tmp_path)
    try:
        assert len(reader.content("bank").load().images) == 100
    finally:
        reader.close()


def test_a_publish_run_can_tell_when_its_lock_was_released_under_it(pg_dsn: str) -> None:
    # the check publish runs before each slot, send and journal entry (content/publish.py)
    state = open_state(pg_dsn, Path("/nonexistent"))
    assert isinstance(state, PostgresState)
    with state.content("bank").publishing() as still_ours:
        still_ours()  # held: nothing raised
        lock = state.backend.lock_info("bank")
        assert lock is not None
        state.backend.unlock("bank", lock.lock_id, force=True)  # an operator releases it (or another run took it over)
        with pytest.raises(FencedError):
            still_ours()


def test_a_publish_run_whose_lock_was_taken_cannot_write_the_record(pg_dsn: str) -> None:
    # checked inside the transaction that writes it: no window between the check and the write
    state = open_state(pg_dsn, Path("/nonexistent"))
    assert isinstance(state, PostgresState)
    store = state.content("fenced")
    try:
        with store.publishing():
            with store.edit() as record:
                record.images["body:held"] = "https://mmbiz.qpic.cn/held"
            lock = state.backend.lock_info("fenced")
            assert lock is not None
            state.backend.unlock("fenced", lock.lock_id, force=True)
            with pytest.raises(FencedError), store.edit() as record:
                record.images["body:lost"] = "https://mmbiz.qpic.cn/lost"
        assert store.load().images == {"body:held": "https://mmbiz.qpic.cn/held"}
    finally:
        state.close()


def test_the_drafts_other_accounts_records_name_are_known_to_each_account(pg_dsn: str) -> None:
    # what keeps a second account on one app from taking the first's drafts (attack review 72 F3)
    state = open_state(pg_dsn, Path("/nonexistent"))
    try:
        with state.content("first").edit() as record:
            record.drafts["young/x"] = DraftEntry("MEDIA_1", {}, {})
        with state.content("second").edit() as record:
            record.drafts["young/x"] = DraftEntry("MEDIA_2", {}, {})
        assert state.content("second").others_drafts() == {"MEDIA_1": "first"}
        assert state.content("first").others_drafts() == {"MEDIA_2": "second"}
    finally:
        state.close()
