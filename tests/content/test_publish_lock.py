"""The files state's publish lock (content/publish_lock.py): a publish and an apply of one account never run at
once, neither waits for one lock while holding the other, and every refusal names who holds what."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from oa_spec.content.publish_lock import check_no_publish, holding_publish, publish_lock_path
from oa_spec.history.files import FilesState
from oa_spec.history.lock import LockedError, lock_path


def _free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_publish_waiting_for_an_apply_holds_nothing_the_next_apply_needs(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: a publish held its lock while it waited for the account lock, and an apply holding the
    # account lock waited for the publish lock: each waited for the other until the apply's --lock-timeout ran out
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "20")
    state = FilesState(tmp_path)
    with holding_publish(tmp_path, "acct", "publish", 0):  # a publish ran on the account once
        pass
    published: list[float] = []

    def publish() -> None:
        with state.content("acct").publishing():
            published.append(time.monotonic())

    with state.lock("acct", "apply"):
        waiting = threading.Thread(target=publish)
        waiting.start()
        time.sleep(0.3)
        assert not published and _free(publish_lock_path(tmp_path, "acct"))  # it waits holding nothing
    started = time.monotonic()
    with state.lock("acct", "apply", timeout=5):  # the next apply, as the first lets go
        took = time.monotonic() - started
    waiting.join(10)
    assert took < 1.0 and published  # neither waited out the other


def test_refusals_name_the_holder_and_what_was_not_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "0.2")
    state = FilesState(tmp_path)
    me = rf"\S+@\S+ \(pid {os.getpid()}, publish since "
    with state.content("acct").publishing():
        with pytest.raises(LockedError, match=rf"account acct: its publish lock is held after waiting 0.3s by {me}.*"
                                              r"cannot apply; nothing was written: run again when it has finished"):
            check_no_publish(tmp_path, "acct", "apply", 0.3)
        migrate = rf"{me}.*cannot state migrate; nothing was done: run again when it has finished$"
        with pytest.raises(LockedError, match=migrate), holding_publish(tmp_path, "acct", "state migrate", 0.0):
            pass
    locked = (r"account acct is locked after waiting 0.2s by .*apply since .*cannot publish; nothing was sent: run "
              r"again when it has finished \(OASPEC_PUBLISH_LOCK_WAIT sets the wait\), or if it is gone, release it "
              r"with `oaspec unlock acct --lock-id")
    with state.lock("acct", "apply"), pytest.raises(LockedError, match=locked), state.content("acct").publishing():
        pass


def test_a_stale_account_lock_stops_a_publish_at_once_with_how_to_release_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_PUBLISH_LOCK_WAIT", "600")
    path = lock_path(tmp_path, "acct")
    path.parent.mkdir(parents=True)
    holder = {"pid": 999999999, "host": socket.gethostname(), "user": "ci", "operation": "apply",
              "time": "2026-12-06T01:00:00+00:00", "lock_id": "0123456789abcdef"}
    path.write_text(json.dumps(holder), encoding="utf-8")
    started = time.monotonic()
    stale = (r"the lock is stale: the holder's process \(pid 999999999\) is gone from this host; release it with "
             r"`oaspec unlock acct --lock-id 0123456789abcdef`")
    with pytest.raises(LockedError, match=stale), FilesState(tmp_path).content("acct").publishing():
        pass
    assert time.monotonic() - started < 5  # not the 600 s wait
