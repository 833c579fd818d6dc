"""Locks through the real CLI on a PostgreSQL state: 8 runs of one account at once, a run SIGKILLed while
it holds the lock, and a run paused (SIGSTOP) past its lease whose writes the fencing token refuses.

The emulator answers slowly, so an apply holds its lock for seconds: long enough for the other runs to
find it held, and for a signal to land between two writes."""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulator import wait_until_idle
from tests.backend.runners import (
    SECRET,
    journal_started,
    oaspec,
    query,
    resumed,
    spec,
    start,
    wait_for,
    write_spec,
)
from tests.conftest import allowed_emulator

APPID = "wx00000000locks001"
RUNS = 8
LEASE = "2"  # seconds (OASPEC_LOCK_LEASE_SECONDS), so a dead run's lock is free quickly


@pytest.fixture(scope="module")
def slow() -> Iterator[EmulatorServer]:
    with allowed_emulator(latency_ms=250) as server:
        yield server


@pytest.fixture
def admin(slow: EmulatorServer) -> EmulatorAdmin:
    slow.admin.reset()
    slow.admin.register_app(APPID, SECRET)
    return slow.admin


def platform_tags(admin: EmulatorAdmin) -> list[str]:
    return sorted(t["name"] for t in admin.state(APPID)["tags"] if t["id"] >= 100)


def history(work: Path, dsn: str) -> list[dict[str, object]]:
    listed = oaspec(work, dsn, "history", "--format", "json", process=False)
    assert listed.returncode == 0, listed.stderr
    rows: list[dict[str, object]] = json.loads(listed.stdout)
    return rows


def converged(work: Path, dsn: str) -> None:
    again = oaspec(work, dsn, "plan", "--detailed-exitcode", process=False)
    assert again.returncode == 0, again.stdout + again.stderr
    verified = oaspec(work, dsn, "audit", "verify", process=False)
    assert verified.returncode == 0, verified.stderr


@pytest.mark.long
def test_eight_runs_at_once_one_holds_the_lock_and_the_others_name_it(
        tmp_path: Path, pg_dsn: str, slow: EmulatorServer, admin: EmulatorAdmin) -> None:
    host = socket.gethostname()
    for round_ in range(2):  # each round a new spec: one run applies it, seven are refused by its lock
        write_spec(tmp_path, spec(slow, APPID, round_, tags=8))
        runs = [start(tmp_path, pg_dsn, "apply", "--auto-approve", "--allow-destroy", OASPEC_USER=f"run{i}",
                      CI_JOB_URL=f"https://ci.bank.example/jobs/{round_}{i}") for i in range(RUNS)]
        outputs = [run.communicate(timeout=300) for run in runs]
        winners = [i for i, run in enumerate(runs) if run.returncode == 0]
        assert len(winners) == 1, [err for _, err in outputs]
        [won] = winners
        assert f"change(s) (revision {round_ + 1})" in outputs[won][0]
        for i, (run, (_, err)) in enumerate(zip(runs, outputs, strict=True)):
            if i == won:
                continue
            assert run.returncode == 1 and "Traceback" not in err
            assert f"account acct is locked by run{won}@{host} (apply," in err, err
            assert f"https://ci.bank.example/jobs/{round_}{won}" in err and "oaspec unlock acct --lock-id " in err
    admin.set_latency(0)  # the latency made the window for the races; reading back what they left needs none
    rows = history(tmp_path, pg_dsn)
    assert [r["revision"] for r in rows] == [1, 2] and all(r["status"] == "applied" for r in rows)
    assert platform_tags(admin) == [f"客群1-{i}" for i in range(8)]  # the final state is the spec's
    converged(tmp_path, pg_dsn)
    refusals = query(pg_dsn, "SELECT entry FROM oaspec_audit ORDER BY seq")
    locked = [json.loads(e) for (e,) in refusals if '"refusal":"lock"' in e]
    assert len(locked) == 2 * (RUNS - 1)  # every loser's refusal is in the audit trail


@pytest.mark.long
def test_a_killed_run_frees_the_account_when_its_lease_expires(
        tmp_path: Path, pg_dsn: str, slow: EmulatorServer, admin: EmulatorAdmin) -> None:
    write_spec(tmp_path, spec(slow, APPID, 0, tags=8))
    killed = start(tmp_path, pg_dsn, "apply", "--auto-approve", OASPEC_LOCK_LEASE_SECONDS=LEASE,
                   OASPEC_USER="killed")
    wait_for(lambda: journal_started(pg_dsn) and len(admin.writes(APPID)) >= 2, what="the run to write")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    admin.set_latency(0)  # the latency made the window for the kill; what follows needs none (~4 s of waiting)
    wait_until_idle()  # the killed run's last call, still sleeping out its latency, lands before anything reads
    [(holder,)] = query(pg_dsn, "SELECT holder FROM oaspec_locks WHERE account = 'acct'")
    assert holder == "killed"  # the lock outlives the process, for at most its lease

    # without an id: which lock, and how to free it
    blocked = oaspec(tmp_path, pg_dsn, "unlock", "acct", process=False)
    assert blocked.returncode == 1 and "locked by killed@" in blocked.stderr and "--lock-id" in blocked.stderr
    after = oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", "--lock-timeout", "60", process=False,
                   OASPEC_LOCK_LEASE_SECONDS=LEASE, OASPEC_USER="next")  # the killed run is the process here
    assert after.returncode == 0, after.stderr  # waited for the lease, then reconciled and applied the rest
    rows = history(tmp_path, pg_dsn)
    assert [(r["revision"], r["user"]) for r in rows] == [(1, "killed"), (2, "next")]
    first = json.loads(oaspec(tmp_path, pg_dsn, "show", "1", "--account", "acct", "--format", "json",
                              process=False).stdout)
    assert "reconciled" in first["extra"] and first["applied"]  # what the killed run landed is on record
    assert platform_tags(admin) == [f"客群0-{i}" for i in range(8)]
    converged(tmp_path, pg_dsn)


@pytest.mark.long
def test_a_paused_run_cannot_write_after_another_took_over(
        tmp_path: Path, pg_dsn: str, slow: EmulatorServer, admin: EmulatorAdmin) -> None:
    write_spec(tmp_path, spec(slow, APPID, 0, tags=8))
    # The second tag's answer is held: the run is stopped while it waits for it, a moment when it has sent
    # nothing it has not yet been answered for. (Stopped between its lock check and a send, a run sends that
    # one request on waking, whatever it checks: history/lock.py's SendFence narrows that gap to the time
    # `requests` takes to put the request on the wire, and tests/apply/test_write.py covers it.)
    admin.slow(ms=8000, nth=2, path="tags/create", appid=APPID)
    paused = start(tmp_path, pg_dsn, "apply", "--auto-approve", OASPEC_LOCK_LEASE_SECONDS=LEASE,
                   OASPEC_USER="paused")
    with resumed(paused):
        wait_for(lambda: journal_started(pg_dsn) and len(admin.writes(APPID)) >= 2, what="the run to write")
        paused.send_signal(signal.SIGSTOP)
        wait_for(lambda: admin.calls(APPID)[-1]["time"] < time.time() - 1, what="the paused run's last call to land")
        took_over = oaspec(tmp_path, pg_dsn, "apply", "--auto-approve", "--lock-timeout", "60", process=False,
                           OASPEC_LOCK_LEASE_SECONDS=LEASE, OASPEC_USER="next")  # the paused run is the process
        assert took_over.returncode == 0, took_over.stderr
        writes = len(admin.writes(APPID))
        paused.send_signal(signal.SIGCONT)
        _, err = paused.communicate(timeout=60)
    assert paused.returncode == 1 and "Traceback" not in err
    assert "this run's lock" in err and "was lost" in err and "nothing was written" in err, err
    assert len(admin.writes(APPID)) == writes  # after it woke, the paused run sent the platform nothing
    admin.set_latency(0)  # both runs are done: reading back what they left needs no latency

    rows = history(tmp_path, pg_dsn)
    assert [(r["revision"], r["user"], r["status"]) for r in rows] == [(1, "paused", "failed"),
                                                                        (2, "next", "applied")]
    first = json.loads(oaspec(tmp_path, pg_dsn, "show", "1", "--account", "acct", "--format", "json",
                              process=False).stdout)
    second = json.loads(oaspec(tmp_path, pg_dsn, "show", "2", "--account", "acct", "--format", "json",
                              process=False).stdout)
    assert "reconciled" in first["extra"]
    landed_first, landed_second = set(first["applied"]), set(second["applied"])
    assert not landed_first & landed_second  # nothing applied twice ...
    planned = {c["address"] for c in first["changes"]}
    assert landed_first | landed_second == planned  # ... and nothing lost
    assert platform_tags(admin) == [f"客群0-{i}" for i in range(8)]
    entries = [json.loads(e) for (e,) in query(pg_dsn, "SELECT entry FROM oaspec_audit ORDER BY seq")]
    assert [(e["operation"], e["result"], e.get("revision")) for e in entries if "revision" in e] == [
        ("apply", "started", 1), ("reconcile", "failed", 1), ("apply", "started", 2), ("apply", "applied", 2)]
    converged(tmp_path, pg_dsn)
