"""Idempotency records: keys, one owner, waiters get the owner's result, bounded memory."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from oa_spec.gateway import dedup
from oa_spec.gateway.dedup import (
    ABANDONED,
    MIN_TTL_S,
    UNVOUCHED,
    FileIdempotency,
    MemoryIdempotency,
    message_key,
)
from testing.disk import unwritable


def test_keys_use_msgid_else_sender_time_event_and_key() -> None:
    assert message_key("a", {"MsgId": "42", "FromUserName": "u"}) == message_key("a", {"MsgId": "42"})
    assert message_key("a", {"MsgId": "42"}) != message_key("b", {"MsgId": "42"})
    click = {"FromUserName": "u", "CreateTime": "100", "Event": "CLICK", "EventKey": "A"}
    assert message_key("a", click) != message_key("a", {**click, "EventKey": "B"})  # same second, other key
    assert message_key("a", click) != message_key("a", {**click, "Event": "VIEW"})


def test_one_owner_and_waiters_get_its_result() -> None:
    store = MemoryIdempotency()
    assert store.claim("k") and not store.claim("k")
    results: list[str | None] = []
    waiters = [threading.Thread(target=lambda: results.append(store.wait("k", 2.0))) for _ in range(5)]
    for waiter in waiters:
        waiter.start()
    time.sleep(0.05)
    store.finish("k", "<xml>reply</xml>")
    for waiter in waiters:
        waiter.join(3)
    assert results == ["<xml>reply</xml>"] * 5
    assert store.wait("pending-unknown", 0.01) is None


def test_a_record_its_owner_never_finished_is_abandoned_once_it_could_no_longer_be_computing(tmp_path: Path) -> None:
    memory = MemoryIdempotency()
    assert memory.claim("k")
    assert memory.wait("k", 0.05, abandoned_after_s=30) is None  # still within its owner's time: pending
    started = time.monotonic()
    assert memory.wait("k", 5.0, abandoned_after_s=0.2) == ABANDONED  # said when it is so, not at the timeout
    assert time.monotonic() - started < 2.0
    files = FileIdempotency(tmp_path / "records")
    assert files.claim("k") and files.claim("done") and not files.claim("k")
    assert files.wait("k", 0.05, abandoned_after_s=30) is None
    files.finish("done", "<xml>reply</xml>")
    for key in ("k", "done"):  # a worker killed after its claim: the claim file ages
        claim = next(path for path in (tmp_path / "records").iterdir()
                     if path.name == files._path(key, ".claim").name)
        os.utime(claim, (time.time() - 60, time.time() - 60))
    assert files.wait("k", 5.0, abandoned_after_s=10) == ABANDONED
    assert files.wait("done", 5.0, abandoned_after_s=10) == "<xml>reply</xml>"  # a finished one, however old
    assert files.wait("never-claimed", 0.05, abandoned_after_s=0) is None


def test_a_claim_whose_process_on_this_machine_ended_is_abandoned_at_once(tmp_path: Path) -> None:
    # a gunicorn worker killed mid-message: the retry comes at once, long before the claim's age could tell
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait(10)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        host = dedup.claimant().rpartition(":")[0]
        assert dedup.stopped(f"{host}:{ended.pid}") and not dedup.stopped(f"{host}:{alive.pid}")
        assert not dedup.stopped(dedup.claimant()) and not dedup.stopped(f"another-machine:{ended.pid}")
        assert not dedup.stopped("") and not dedup.stopped(None)
        files = FileIdempotency(tmp_path / "records")
        assert files.claim("k") and files.claim("other")
        for key, pid in (("k", ended.pid), ("other", alive.pid)):
            files._path(key, ".claim").write_text(f"{host}:{pid}", encoding="utf-8")
        assert files.wait("k", 5.0, abandoned_after_s=60) == ABANDONED
        assert files.wait("other", 0.1, abandoned_after_s=60) is None  # its claimant may still finish it
    finally:
        alive.kill()
        alive.wait(10)


def test_pending_wait_times_out_and_claims_race_to_one_owner() -> None:
    store = MemoryIdempotency()
    store.claim("slow")
    started = time.monotonic()
    assert store.wait("slow", 0.1) is None and time.monotonic() - started < 1
    owners: list[bool] = []
    threads = [threading.Thread(target=lambda: owners.append(store.claim("race"))) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(3)
    assert owners.count(True) == 1


def test_records_kept_at_least_30s_and_memory_bounded() -> None:
    assert MemoryIdempotency(ttl_s=5)._ttl == MIN_TTL_S
    store = MemoryIdempotency(capacity=100)
    for index in range(1000):
        store.claim(str(index))
    assert len(store) <= 100
    assert not store.claim("999")  # the newest survive


def test_file_records_are_shared_between_processes_and_swept(tmp_path: Path) -> None:
    first, second = FileIdempotency(tmp_path / "records"), FileIdempotency(tmp_path / "records")  # two workers
    assert first.claim("citybank|m|1") and not second.claim("citybank|m|1")
    assert second.wait("citybank|m|1", 0.05) is None  # pending
    threading.Timer(0.1, first.finish, args=("citybank|m|1", "<xml>reply</xml>")).start()
    assert second.wait("citybank|m|1", 2.0) == "<xml>reply</xml>"
    names = os.listdir(tmp_path / "records")
    assert all("citybank" not in name for name in names)  # file names are digests, not message ids
    assert oct((tmp_path / "records").stat().st_mode & 0o777) == "0o700"
    old = time.time() - 3600
    for name in names:
        os.utime(tmp_path / "records" / name, (old, old))
    second.sweeps.started = 0.0
    assert second.claim("citybank|m|2")
    assert second.sweeps.thread is not None
    second.sweeps.thread.join(5.0)  # swept on a thread of its own (attack review 77 F1)
    assert not os.path.exists(tmp_path / "records" / names[0])


def test_the_records_directory_and_every_parent_it_makes_are_private(tmp_path: Path) -> None:
    """SECURITY: every directory oaspec creates, parents included, is 0700 (serve made them 0755)."""
    old = os.umask(0o022)
    try:
        records = FileIdempotency(tmp_path / "new" / "state" / "gateway" / "idempotency")
        assert not (tmp_path / "new").exists()  # made at the first write, not before
        records.claim("citybank|m|1")
    finally:
        os.umask(old)
    made = [tmp_path / "new", tmp_path / "new" / "state", tmp_path / "new" / "state" / "gateway",
            tmp_path / "new" / "state" / "gateway" / "idempotency"]
    assert [oct(path.stat().st_mode & 0o777) for path in made] == [oct(0o700)] * 4


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_file_records_that_cannot_be_written_are_kept_in_memory_and_vouch_for_nothing_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    # attack review 44, F1: every call raised OSError, so the gateway answered every message `success`
    monkeypatch.setattr(dedup, "HEALTH_EVERY_S", 0.05)
    records = FileIdempotency(tmp_path / "records")
    assert records.remember("citybank|n|1|a", "digest-a") is None and records.problem() is None
    with pytest.MonkeyPatch.context() as disk:
        unwritable(disk, tmp_path / "records", code)
        assert records.remember("citybank|n|1|a", "digest-a") == "digest-a"  # accepted before: still known
        assert records.remember("citybank|n|1|b", "digest-b") == UNVOUCHED  # another worker may have taken it
        assert records.remember("citybank|n|1|b", "digest-c") == "digest-b"  # this worker keeps its word
        assert records.claim("citybank|m|1") and not records.claim("citybank|m|1")
        records.finish("citybank|m|1", "<xml>reply</xml>")
        assert records.wait("citybank|m|1", 0.5) == "<xml>reply</xml>"
        assert f"cannot be written ({os.strerror(code)})" in (records.problem() or "")
    time.sleep(0.06)  # the disk has room again, and the next check comes
    assert records.problem() is None and records.claim("citybank|m|2")
    assert [name for name in os.listdir(tmp_path / "records") if name.endswith((".tmp", ".probe"))] == []


def test_no_message_waits_while_the_records_directory_is_swept(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 77 F1: every message leaves its files for 600 s (a nonce, a claim, a reply), so under a template
    push's job-finish events the directory holds hundreds of thousands of them, and the sweep that stats each one
    (1.6 s for 100,000 here) ran on the thread of the message that happened to come 5 s after the last: that
    follower's answer waited for it, past the 4.5 s budget once the directory held a few hundred thousand files."""
    records = FileIdempotency(tmp_path / "records")
    assert records.claim("citybank|m|1")
    old = time.time() - 3600
    for name in os.listdir(tmp_path / "records"):
        os.utime(tmp_path / "records" / name, (old, old))
    listing, scandir = threading.Event(), os.scandir

    def slow_scandir(path: str | os.PathLike[str]) -> object:
        assert listing.wait(10.0)  # a directory of a million files
        return scandir(path)

    monkeypatch.setattr(os, "scandir", slow_scandir)
    records.sweeps.started = 0.0
    started = time.monotonic()
    assert records.remember("|n|s|fresh", "digest") is None and records.claim("citybank|m|2")
    assert time.monotonic() - started < 1.0  # answered while the sweep still lists the directory
    listing.set()
    deadline = time.monotonic() + 5.0
    while os.path.exists(tmp_path / "records" / _named("citybank|m|1")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not os.path.exists(tmp_path / "records" / _named("citybank|m|1"))  # swept all the same


def _named(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest() + ".claim"
