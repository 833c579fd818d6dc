"""The state interface's contract, held by both implementations alike: the files state and PostgreSQL
answer every question the same way (history, journal, ownership, locks, fencing, unlock, audit)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
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
from testing.cli import Result
from tests.backend.helpers import revision
from tests.backend.runners import local_spec, write_spec
from tests.backend.runners import oaspec as run_oaspec

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
    assert (history.numbers(), history.next_number(), history.managed(), state.accounts()) == ([], 1, {}, [])
    with state.lock(ACCOUNT, "apply") as lease:
        journal = revision(1, tags=("vip", "maybe"))
        journal.error = INTERRUPTED
        history.begin(journal, lease, audit.revision_note(journal, "started"))
        assert history.numbers() == [1] and history.get(1).error == INTERRUPTED  # the attempt is visible
        assert history.managed() == {"tags": {"maybe", "vip"}}  # and owns what it may have made
        with pytest.raises(RevisionConflict):
            history.begin(journal, lease, audit.revision_note(journal, "started"))
        outcome = revision(1, tags=("vip",))
        history.finish(outcome, lease, audit.revision_note(outcome))
    assert history.get(1) == outcome and history.managed() == {"tags": {"vip"}}
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
        # the command works as written: this live run's lock needs --force (review 54 F3: PostgreSQL put it outside)
        assert f"`oaspec unlock {ACCOUNT} --lock-id {lease.lock_id} --force`" in message and "--lock-timeout" in message
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


def _record(state: State, number: int, tags: tuple[str, ...] = ("vip",), account: str = ACCOUNT) -> None:
    with state.lock(account, "apply") as lease:
        outcome = revision(number, account=account, tags=tags)
        state.history(account).begin(outcome, lease, audit.revision_note(outcome, "started"))
        state.history(account).finish(outcome, lease, audit.revision_note(outcome))


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


def test_a_corrupt_newest_revision_leaves_ownership_unknown_and_is_named_with_what_to_do(state: State,
                                                                                      tmp_path: Path) -> None:
    """An older revision's ownership is no stand-in: it still lists what the unreadable one released, which
    someone else may have made again since (attack review 40 F1). History, show and other accounts carry on."""
    for number, tags in ((1, ("vip",)), (2, ("new",))):
        _record(state, number, tags)
    _record(state, 1, ("kept",), account="other")
    if isinstance(state, PostgresState):
        with state.backend.transaction("damaging a revision by hand") as conn:
            conn.execute("UPDATE oaspec_revisions SET body = 'garbage' WHERE account = %s AND number = 2", (ACCOUNT,))
        named, remedy = "revision 2 of account citybank", "restore the row from the database's backup"
    else:
        (tmp_path / "history" / ACCOUNT / "000002.json").write_text("garbage", encoding="utf-8")
        named, remedy = "000002.json: the revision record", "restore the file from a backup or from the git history"
    history = state.history(ACCOUNT)
    with pytest.raises(OaspecError) as refused:
        history.managed()
    assert f"{named} is corrupt (" in str(refused.value) and remedy in str(refused.value), refused.value
    assert "what oaspec manages on citybank is unknown" in str(refused.value), refused.value
    assert "plan, apply and rollback of citybank are refused" in str(refused.value)
    assert history.numbers() == [1, 2] and history.get(1).managed == {"tags": ["vip"]}  # history and show
    assert state.history("other").managed() == {"tags": {"kept"}}


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


def _spec(work: Path, *tags: str) -> None:
    """Two local accounts: ACCOUNT with `tags`, and `other`, which a damaged record of ACCOUNT must not stop."""
    data = local_spec()
    first = data["accounts"][0] | {"id": ACCOUNT, "tags": [{"name": t} for t in tags]}
    data["accounts"] = [first, local_spec(1)["accounts"][0] | {"id": "other"}]
    write_spec(work, data)


@pytest.mark.parametrize("backend", ["files", "postgres"])
def test_a_corrupt_newest_revision_refuses_plan_apply_and_rollback_of_its_account_only(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Attack review 40 F1: revision 2 deleted oaspec's VIP专享, the CRM then made its own, and revision 2 was
    damaged. Ownership read from revision 1 called the CRM's tag oaspec's: apply deleted it with no flag, and a
    spec declaring it took it over with no adopt:. What oaspec owns is unknown, so the account is refused."""
    dsn = request.getfixturevalue("pg_dsn") if backend == "postgres" else None

    def oaspec(*args: str) -> Result:
        return run_oaspec(tmp_path, dsn, *args, timeout=120, process=False)

    for tags in (("VIP专享", "代发工资"), ("代发工资",)):
        _spec(tmp_path, *tags)
        assert oaspec("apply", "--auto-approve", "--allow-destroy").returncode == 0
    live = tmp_path / ".oaspec" / "local" / f"{ACCOUNT}.json"
    data = json.loads(live.read_text(encoding="utf-8"))
    data["state"]["tags"].append({"name": "VIP专享", "id": 900, "count": 0})  # the CRM's own, made since
    live.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if dsn is None:
        (tmp_path / ".oaspec" / "history" / ACCOUNT / "000002.json").write_text('{"damaged', encoding="utf-8")
    else:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("UPDATE oaspec_revisions SET body = 'garbage' WHERE account = %s AND number = 2", (ACCOUNT,))
    for args in (("plan",), ("apply", "--auto-approve"), ("apply", "--auto-approve", "--allow-destroy"),
                 ("rollback", "1", "--auto-approve", "--allow-destroy")):
        refused = oaspec(*args, "--account", ACCOUNT)
        assert refused.returncode == 1, (args, refused.output)
        assert "is corrupt (" in refused.stderr and f"what oaspec manages on {ACCOUNT} is unknown" in refused.stderr
    _spec(tmp_path, "VIP专享", "代发工资")  # declares the CRM's tag: never taken over without adopt:
    assert oaspec("apply", "--auto-approve", "--account", ACCOUNT).returncode == 1
    assert {t["name"]: t["id"] for t in json.loads(live.read_text(encoding="utf-8"))["state"]["tags"]}["VIP专享"] == 900
    listed = oaspec("history", "--account", ACCOUNT, "--format", "json")  # the readable ones, the other named
    assert [row["revision"] for row in json.loads(listed.stdout)] == [1] and "is corrupt (" in listed.stderr
    assert oaspec("show", "1", "--account", ACCOUNT).returncode == 0
    assert oaspec("audit", "verify").returncode == 0
    assert oaspec("apply", "--auto-approve", "--account", "other").returncode == 0
