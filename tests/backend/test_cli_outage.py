"""The database stops in the middle of an apply (pg_ctl -m immediate): the run stops with one clear error
naming the backend, exit 1, no traceback, no revision half-written; once the server is back, the next
run reconciles what landed and converges. The interrupted apply is a process; the next run and the commands
that read what they left run in this process (tests/backend/runners.py: where a test is about what a command
says, not about processes)."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulator import wait_until_idle
from tests.backend.conftest import Cluster, create_schema
from tests.backend.runners import SECRET, journal_started, oaspec, query, spec, start, wait_for, write_spec
from tests.conftest import allowed_emulator

APPID = "wx00000000outage01"


@pytest.fixture(scope="module")
def slow() -> Iterator[EmulatorServer]:
    with allowed_emulator(latency_ms=200) as server:
        yield server


@pytest.fixture
def admin(slow: EmulatorServer) -> EmulatorAdmin:
    slow.admin.reset()
    slow.admin.register_app(APPID, SECRET)
    return slow.admin


@pytest.mark.long
def test_the_database_stopped_mid_apply(tmp_path: Path, own_cluster: Cluster, slow: EmulatorServer,
                                        admin: EmulatorAdmin) -> None:
    _, dsn = create_schema(own_cluster.dsn)
    write_spec(tmp_path, spec(slow, APPID, 0, tags=8))
    run = start(tmp_path, dsn, "apply", "--auto-approve", OASPEC_LOCK_LEASE_SECONDS="2")
    try:
        wait_for(lambda: journal_started(dsn) and len(admin.writes(APPID)) >= 2, what="the run to write")
        own_cluster.halt()
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
        own_cluster.resume()
    assert run.returncode == 1 and "Traceback" not in err
    first_line = err.splitlines()[0]
    assert first_line.startswith("error: acct: stopped after ")
    assert "PostgreSQL state backend user=postgres dbname=postgres host=" in first_line
    assert "check that the server is up and reachable, then run again" in err
    assert "their outcome could not be recorded" in err and "history shows revision 1 as interrupted" in err

    [(phase, body)] = query(dsn, "SELECT phase, body FROM oaspec_revisions WHERE account = 'acct'")
    assert phase == "started" and json.loads(body)["number"] == 1  # the whole journal, nothing half-written
    landed = len(admin.writes(APPID))
    # The latency made the window for the outage; the recovery needs none (200 ms a call was ~4 s of waiting).
    admin.set_latency(0)
    wait_until_idle()  # a call the stopped run had in flight lands before the next run reads the account

    after = oaspec(tmp_path, dsn, "apply", "--auto-approve", "--lock-timeout", "60", process=False,
                   OASPEC_LOCK_LEASE_SECONDS="2")
    assert after.returncode == 0, after.stderr
    assert len(admin.writes(APPID)) > landed
    listed = json.loads(oaspec(tmp_path, dsn, "history", "--format", "json", process=False).stdout)
    assert [(r["revision"], r["status"]) for r in listed] == [(1, "failed"), (2, "applied")]
    first = json.loads(oaspec(tmp_path, dsn, "show", "1", "--account", "acct", "--format", "json",
                              process=False).stdout)
    assert "reconciled" in first["extra"] and first["applied"]
    assert oaspec(tmp_path, dsn, "plan", "--detailed-exitcode", process=False).returncode == 0
    verified = oaspec(tmp_path, dsn, "audit", "verify", process=False)
    assert verified.returncode == 0, verified.stderr
