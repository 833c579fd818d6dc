"""The state interface's contract, held by both implementations alike: the files state and PostgreSQL
answer every question the same way (history, journal, ownership, locks, fencing, unlock, audit)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from oa_spec.backend import open_postgres
from oa_spec.backend.pg_state import PostgresState
from oa_spec.cli.records import revision_row, running_holder
from oa_spec.errors import OaspecError
from oa_spec.history import audit
from oa_spec.history.files import FilesState
from oa_spec.history.lock import LockedError
from oa_spec.history.revisions import INTERRUPTED
from oa_spec.history.state import FencedError, RevisionConflict, State
from tests.backend.helpers import revision

ACCOUNT = "citybank"


@pytest.fixture(params=["files", "postgres"])
def state(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[State]:
    monkeypatch.setenv("OASPEC_USER", "alice")
    monkeypatch.setenv("CI_JOB_URL", "https://ci.bank.example/jobs/7")
    opened: State = FilesState(tmp_path) if request.param == "files" else \
        PostgresState(open_postgres(request.getfixturevalue("pg_dsn"), lease_seconds=30))
    yield opened
    opened.close()


def exported(state: State) -> list[dict[str, object]]:
    return [json.loads(line) for line in state.audit.export(date(2000, 1, 1)).splitlines()]


def test_a_journal_reads_as_running_only_while_its_own_run_holds_the_lock(state: State) -> None:
    history = state.history(ACCOUNT)
    with state.lock(ACCOUNT, "apply") as lease:
        journal = revision(1, status="failed")
        journal.error, journal.provenance = INTERRUPTED, {"lock_id": lease.lock_id}
        history.begin(journal, lease, audit.revision_note(journal, "started"))
        held = state.running(ACCOUNT, lease.lock_id)  # this process holds it: alive on this host, lease unexpired
        assert held is not None and "alice@" in held and lease.lock_id in held
        assert revision_row(history.get(1), running_holder(state, history.get(1)))["status"] == "running"
    assert state.running(ACCOUNT, lease.lock_id) is None  # the lock is gone: the journal is a stopped run's
    assert revision_row(history.get(1), running_holder(state, history.get(1)))["status"] == "failed"
    with state.lock(ACCOUNT, "apply") as newer:  # the next run holds the account: the old journal is not its
        assert state.running(ACCOUNT, newer.lock_id) is not None
        assert running_holder(state, history.get(1)) is None


def test_a_run_journals_then_finishes_its_revision(state: State) -> None:
    history = state.history(ACCOUNT)
    assert (history.numbers(), history.next_number(), history.managed(), state.accounts()) == ([], 1, ({}, []), [])
    with state.lock(ACCOUNT, "apply") as lease:
        journal = revision(1, tags=("vip", "maybe"))
        journal.error = INTERRUPTED
        history.begin(journal, lease, audit.revision_note(journal, "started"))
        assert history.numbers() == [1] and history.get(1).error == INTERRUPTED  # the attempt is visible
        assert history.managed() == ({"tags": {"maybe", "vip"}}, [])  # and owns what it may have made
        with pytest.raises(RevisionConflict):
            history.begin(journal, lease, audit.revision_note(journal, "started"))
        outcome = revision(1, tags=("vip",))
        history.finish(outcome, lease, audit.revision_note(outcome))
    assert history.get(1) == outcome and history.managed() == ({"tags": {"vip"}}, [])
    assert state.accounts() == [ACCOUNT] and history.next_number() == 2
    with pytest.raises(OaspecError, match=r"no revision 5 \(known revisions: 1\.\.1\)"):
        history.get(5)
    entries = exported(state)
    assert [(e["operation"], e["result"], e["revision"]) for e in entries] == [("apply", "started", 1),
                                                                              ("apply", "applied", 1)]
    check = state.audit.verify()
    assert (check.problem, check.entries, check.head) == (None, 2, entries[-1]["hash"])


def test_a_lock_excludes_names_its_holder_and_can_be_waited_for(state: State) -> None:
    with state.lock(ACCOUNT, "apply") as lease:
        with pytest.raises(LockedError) as caught, state.lock(ACCOUNT, "rollback"):
            pass
        message = str(caught.value)
        assert "is locked by alice@" in message and "https://ci.bank.example/jobs/7" in message
        assert f"`oaspec unlock {ACCOUNT} --lock-id {lease.lock_id}`" in message and "--lock-timeout" in message
        exits = threading.Event()

        def wait_for_it() -> None:
            with state.lock(ACCOUNT, "rollback", timeout=20):
                exits.set()

        waiter = threading.Thread(target=wait_for_it)
        waiter.start()
        time.sleep(0.6)
        assert not exits.is_set()
    waiter.join(timeout=30)
    assert exits.is_set()  # it took the lock once this run let go


def test_a_run_whose_lock_was_released_by_hand_cannot_write(state: State) -> None:
    history = state.history(ACCOUNT)
    with state.lock(ACCOUNT, "apply") as lease:
        wrong = state.unlock(ACCOUNT, "0123456789abcdef")
        assert not wrong.released and wrong.lock_id == lease.lock_id and "alice@" in str(wrong.holder)
        with pytest.raises(LockedError, match="--force"):  # this very process holds it: alive, so not without force
            state.unlock(ACCOUNT, lease.lock_id)
        done = state.unlock(ACCOUNT, lease.lock_id, force=True)
        assert done.released and "alice@" in str(done.holder)
        with state.lock(ACCOUNT, "apply") as newer:
            writes: list[Callable[[], None]] = [
                lambda: history.check(lease),
                lambda: history.begin(revision(1), lease, audit.revision_note(revision(1))),
                lambda: state.audit.event("apply", ACCOUNT, "waiver-used", "x", lease)]
            for write in writes:
                with pytest.raises(FencedError, match=f"this run's lock {lease.lock_id} .*was lost"):
                    write()
            history.check(newer)
    assert history.numbers() == []  # the fenced writes left nothing behind
    assert [(e["operation"], e["result"], e["lock_id"], e.get("forced")) for e in exported(state)] == [
        ("unlock", "not held", "0123456789abcdef", None), ("unlock", "released", lease.lock_id, True)]
    assert state.unlock(ACCOUNT, None).released is False  # nothing held now: nothing to release


def _record(state: State, number: int) -> None:
    with state.lock(ACCOUNT, "apply") as lease:
        journal = revision(number, tags=("vip",))
        state.history(ACCOUNT).begin(journal, lease, audit.revision_note(journal, "started"))
        state.history(ACCOUNT).finish(journal, lease, audit.revision_note(journal))


def test_a_number_whose_record_went_missing_is_not_reused_and_verify_names_one_that_was(
        state: State, tmp_path: Path) -> None:
    _record(state, 1)
    _record(state, 2)
    if isinstance(state, PostgresState):  # the role may UPDATE its tables: a row renumbered away
        with state.backend.transaction("renumbering a revision by hand") as conn:
            conn.execute("UPDATE oaspec_revisions SET number = -2 WHERE account = %s AND number = 2", (ACCOUNT,))
    else:
        (tmp_path / "history" / ACCOUNT / "000002.json").unlink()
    assert state.history(ACCOUNT).next_number() == 3  # past the audit trail's revision 2
    _record(state, 2)  # what a state that numbered from its revisions alone would have done
    check = state.audit.verify()
    assert check.problem is not None and "revision 2 of citybank is recorded twice" in check.problem


def test_a_corrupt_newest_revision_is_named_and_ownership_read_from_the_one_before(state: State,
                                                                                   tmp_path: Path) -> None:
    history = state.history(ACCOUNT)
    for number, tags in ((1, ("vip",)), (2, ("vip", "new"))):
        with state.lock(ACCOUNT, "apply") as lease:
            outcome = revision(number, tags=tags)
            history.begin(outcome, lease, audit.revision_note(outcome, "started"))
            history.finish(outcome, lease, audit.revision_note(outcome))
    if isinstance(state, PostgresState):
        with state.backend.transaction("damaging a revision by hand") as conn:
            conn.execute("UPDATE oaspec_revisions SET body = 'garbage' WHERE account = %s AND number = 2", (ACCOUNT,))
    else:
        (tmp_path / "history" / ACCOUNT / "000002.json").write_text("garbage", encoding="utf-8")
    managed, notes = history.managed()
    assert managed == {"tags": {"vip"}}  # revision 1's: only less is deleted, never more
    named = "revision 2 of account citybank" if isinstance(state, PostgresState) else "000002.json: the revision record"
    assert len(notes) == 1 and f"{named} is corrupt (" in notes[0], notes
    assert "ownership is taken from the revision before it" in notes[0]
    with state.lock(ACCOUNT, "apply") as lease:  # the next run records past it
        third = revision(3, tags=("vip", "third"))
        history.begin(third, lease, audit.revision_note(third, "started"))
        history.finish(third, lease, audit.revision_note(third))
    assert history.managed() == ({"tags": {"vip", "third"}}, [])


def test_a_holder_or_ci_url_longer_than_the_lock_row_takes_the_lock_and_the_audit_keeps_it_whole(
        state: State, monkeypatch: pytest.MonkeyPatch) -> None:
    """OASPEC_USER and CI_JOB_URL are whatever the CI sets; the lock row's columns are not (varchar(255) and
    (2048), counted in bytes on openGauss): the row names a cut holder, the audit trail the whole one."""
    user, url = "ci-机器人-" + "x" * 300, "https://ci.bank.example/jobs/7?" + "q" * 2100
    monkeypatch.setenv("OASPEC_USER", user)
    monkeypatch.setenv("CI_JOB_URL", url)
    monkeypatch.setenv("CI_JOB_ID", "7")
    with state.lock(ACCOUNT, "apply") as lease:
        journal = revision(1)
        state.history(ACCOUNT).begin(journal, lease, audit.revision_note(journal, "started"))
        held = state.running(ACCOUNT, lease.lock_id)
        assert held is not None and "ci-机器人-xxx" in held and "https://ci.bank.example/jobs/7?qqq" in held
        with pytest.raises(LockedError, match="is locked by ci-机器人-xxx"), state.lock(ACCOUNT, "rollback"):
            pass
    entry = exported(state)[0]
    assert entry["user"] == user and url in json.dumps(entry, ensure_ascii=False)
