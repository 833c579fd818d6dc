"""Locks on the PostgreSQL backend: exclusion, waiting, heartbeat, expiry, fencing, many processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from oa_spec.backend import pg_connect
from oa_spec.backend.base import FencedError, LockedError
from oa_spec.backend.heartbeat import Heartbeat, hold
from oa_spec.backend.postgres import PostgresBackend
from tests.backend.helpers import request, revision

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "citybank"
Opener = Callable[..., PostgresBackend]  # lease_seconds -> a backend closed after the test


@pytest.fixture
def open_backend(pg_dsn: str) -> Iterator[Opener]:
    opened: list[PostgresBackend] = []

    def make(lease_seconds: float = 60.0) -> PostgresBackend:
        opened.append(PostgresBackend.open(pg_dsn, lease_seconds=lease_seconds))
        return opened[-1]

    yield make
    for b in opened:
        b.close()


def worker(dsn: str, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.backend.workers", args[0], dsn, *args[1:]], cwd=ROOT,
                            env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_sessions_cannot_both_hold_a_lock_and_the_message_names_the_holder(open_backend: Opener) -> None:
    first, second = open_backend(), open_backend()
    lease = first.acquire(ACCOUNT, request(holder="alice"))
    with pytest.raises(LockedError) as caught:
        second.acquire(ACCOUNT, request(holder="bob"))
    message = str(caught.value)
    assert "locked by alice@" in message and "https://ci.example/jobs/42" in message
    assert f"oaspec unlock {ACCOUNT} --lock-id {lease.lock_id}" in message
    assert second.release(ACCOUNT, "not-the-id") is None  # a wrong id frees nothing
    assert second.lock_info(ACCOUNT) is not None
    released = second.release(ACCOUNT, lease.lock_id)
    assert released is not None and released.holder == "alice"
    taken = second.acquire(ACCOUNT, request(holder="bob"))
    assert taken.fencing_token > lease.fencing_token
    with pytest.raises(FencedError, match="now held by bob@"):
        first.append(ACCOUNT, revision(1), lease)
    assert first.numbers(ACCOUNT) == []


def test_lock_timeout_waits_for_the_holder(open_backend: Opener) -> None:
    first, second = open_backend(), open_backend()
    lease = first.acquire(ACCOUNT, request())
    with pytest.raises(LockedError, match=r"locked after waiting 0\.5s by alice@"):
        second.acquire(ACCOUNT, request(), timeout=0.5)
    threading.Timer(0.5, first.release, (ACCOUNT, lease.lock_id)).start()
    began = time.monotonic()
    second.acquire(ACCOUNT, request(), timeout=10)
    assert 0.4 < time.monotonic() - began < 5


def test_the_heartbeat_keeps_a_short_lease_alive(open_backend: Opener) -> None:
    holder, renewer, other = open_backend(1.0), open_backend(1.0), open_backend(1.0)
    with hold(holder, renewer, ACCOUNT, request()) as lease:
        time.sleep(2.5)  # two and a half leases
        with pytest.raises(LockedError):
            other.acquire(ACCOUNT, request(holder="bob"))
        holder.append(ACCOUNT, revision(1), lease)
    other.acquire(ACCOUNT, request(holder="bob"))  # released on the way out


def test_without_a_heartbeat_the_lease_expires_and_another_run_takes_it(open_backend: Opener) -> None:
    holder, other = open_backend(1.0), open_backend(1.0)
    lease = holder.acquire(ACCOUNT, request())
    time.sleep(1.3)
    taken = other.acquire(ACCOUNT, request(holder="bob"))
    assert taken.fencing_token == lease.fencing_token + 1
    with pytest.raises(FencedError):
        holder.renew(lease)


def test_a_killed_holder_frees_the_account_when_its_lease_expires(pg_dsn: str, open_backend: Opener) -> None:
    proc = worker(pg_dsn, "holder", "1.5", stdin=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("locked")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    other = open_backend()
    began = time.monotonic()
    other.acquire(ACCOUNT, request(holder="bob"), timeout=10)
    assert time.monotonic() - began < 5


def test_a_paused_holder_cannot_write_after_another_run_took_over(pg_dsn: str, open_backend: Opener) -> None:
    proc = worker(pg_dsn, "holder", "1.0", stdin=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().split() == ["locked", "1"]
    proc.send_signal(signal.SIGSTOP)
    try:
        other = open_backend()
        lease = other.acquire(ACCOUNT, request(holder="bob"), timeout=15)  # after the paused lease expires
        other.append(ACCOUNT, revision(1), lease)
    finally:
        proc.send_signal(signal.SIGCONT)
    _, stderr = proc.communicate("write\n", timeout=30)
    assert proc.returncode == 1
    assert "was lost, the lock is now held by bob@" in stderr and "Traceback" not in stderr
    assert other.numbers(ACCOUNT) == [1] and other.started(ACCOUNT) == []
    info = other.lock_info(ACCOUNT)
    assert info is not None and info.lock_id == lease.lock_id  # the paused run's release freed nothing


def test_eight_unlocked_appenders_get_unique_contiguous_numbers(pg_dsn: str, open_backend: Opener) -> None:
    PostgresBackend.open(pg_dsn).close()  # the schema, before the race
    procs = [worker(pg_dsn, "race", "5") for _ in range(8)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    lines = [line for out, _ in outputs for line in out.splitlines()]
    won = sorted(int(line.split()[1]) for line in lines if line.startswith("ok "))
    lost = [line for line in lines if line.startswith("conflict ")]
    assert len(won) + len(lost) == 40
    assert won == list(range(1, len(won) + 1))
    assert all("was recorded by another run first; this run stops without writing" in line for line in lost)
    assert open_backend().numbers(ACCOUNT) == won


def test_eight_locked_applies_run_one_at_a_time(pg_dsn: str, open_backend: Opener) -> None:
    PostgresBackend.open(pg_dsn).close()
    procs = [worker(pg_dsn, "locked-apply", "90", f"run{i}") for i in range(8)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    runs = sorted((float(start), float(end), int(n)) for out, _ in outputs
                  for _, n, start, end in [out.split()])
    assert sorted(n for _, _, n in runs) == list(range(1, 9))
    for (_, end, _), (start, _, _) in pairwise(runs):
        assert end <= start  # no two held the lock at once
    assert open_backend().numbers(ACCOUNT) == list(range(1, 9))


def test_losers_without_lock_timeout_exit_1_naming_the_holder(pg_dsn: str, open_backend: Opener) -> None:
    PostgresBackend.open(pg_dsn).close()
    procs = [worker(pg_dsn, "locked-apply", "0", f"run{i}") for i in range(8)]
    outputs = [p.communicate(timeout=180) for p in procs]
    winners = [out for p, (out, _) in zip(procs, outputs, strict=True) if p.returncode == 0]
    losers = [err for p, (_, err) in zip(procs, outputs, strict=True) if p.returncode != 0]
    assert winners
    for err in losers:
        assert err.startswith(f"error: account {ACCOUNT} is locked by run") and "--lock-id" in err
        assert "Traceback" not in err
    assert open_backend().numbers(ACCOUNT) == list(range(1, len(winners) + 1))


def test_unlock_releases_exactly_that_lock_and_audits_who_did(open_backend: Opener) -> None:
    holder, operator = open_backend(), open_backend()
    lease = holder.acquire(ACCOUNT, request(holder="alice"))
    assert operator.unlock(ACCOUNT, "0123456789abcdef") is None  # a wrong id frees nothing...
    assert operator.lock_info(ACCOUNT) is not None
    with pytest.raises(LockedError, match="whose lease is live"):  # its run renews it: alive
        operator.unlock(ACCOUNT, lease.lock_id)
    released = operator.unlock(ACCOUNT, lease.lock_id, force=True)
    assert released is not None and released.holder == "alice"
    assert operator.lock_info(ACCOUNT) is None
    entries = [json.loads(line) for line in operator.audit_export(date(2000, 1, 1)).splitlines()]
    assert [(e["operation"], e["result"], e["lock_id"], e.get("forced")) for e in entries] == [
        ("unlock", "not held", "0123456789abcdef", None), ("unlock", "released", lease.lock_id, True)]  # ...says so
    assert entries[1]["holder"]["holder"] == "alice" and entries[1]["user"]
    assert operator.audit_verify() is None
    with pytest.raises(FencedError, match="the lock is now released"):
        holder.append(ACCOUNT, revision(1), lease)


def test_the_heartbeat_notices_a_takeover(open_backend: Opener) -> None:
    holder, renewer, other = open_backend(0.6), open_backend(0.6), open_backend(0.6)
    lease = holder.acquire(ACCOUNT, request())
    time.sleep(0.8)  # expired before the heartbeat started: another run takes over
    other.acquire(ACCOUNT, request(holder="bob"))
    beat = Heartbeat(renewer.renew, lease, interval=0.1)
    beat.start()
    assert beat.lost.wait(timeout=10)
    beat.stop()
    assert beat.last_error is not None and "now held by bob@" in beat.last_error


def test_many_runners_creating_the_schema_at_once(pg_dsn: str) -> None:
    procs = [worker(pg_dsn, "open") for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    backend = PostgresBackend.open(pg_dsn)
    assert backend.numbers(ACCOUNT) == []
    backend.close()


def test_a_run_stuck_inside_a_write_blocks_others_only_for_a_while(pg_dsn: str, open_backend: Opener,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pg_connect, "IDLE_IN_TRANSACTION_SECONDS", 1.0)
    monkeypatch.setattr(pg_connect, "ROW_LOCK_WAIT_SECONDS", 0.5)
    holder, other = open_backend(1.0), open_backend(1.0)
    holder.acquire(ACCOUNT, request())
    stuck = pg_connect.connect(pg_dsn)  # a run paused in the middle of a fenced write: the row stays locked
    stuck.execute("BEGIN")
    stuck.execute("SELECT 1 FROM oaspec_locks WHERE account = %s FOR UPDATE", (ACCOUNT,))
    taken: list[object] = []
    taker = threading.Thread(target=lambda: taken.append(other.acquire(ACCOUNT, request(holder="bob"), timeout=20)))
    taker.start()
    taker.join(timeout=15)
    stuck_alive = taker.is_alive()
    stuck.close()  # lets a blocked taker finish either way
    taker.join(timeout=30)
    assert not stuck_alive and len(taken) == 1
