"""A publish waits for an apply still running on this host however old its lock, and never calls it stale
(review 54 F4: it refused at once, calling a running apply's 7-hour-old lock stale and naming --force)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from oa_spec.content.publish_lock import holding_publish
from oa_spec.history import lock


def test_a_publish_waits_for_a_running_apply_whose_lock_is_old_and_does_not_call_it_stale(tmp_path: Path) -> None:
    state = tmp_path / ".oaspec"
    (state / "locks").mkdir(parents=True)
    running = subprocess.Popen(["sleep", "30"])
    try:
        time.sleep(0.1)
        taken = (datetime.now(UTC) - timedelta(hours=7)).isoformat(timespec="seconds")
        holder = {"pid": running.pid, "host": socket.gethostname(), "user": "ci", "operation": "apply",
                  "time": taken, "lock_id": "1a2b3c4d5e6f7a8b", "started": lock.process_start(running.pid),
                  "namespaces": lock.namespaces()}
        lock.lock_path(state, "acct").write_text(json.dumps(holder), encoding="utf-8")
        assert lock.live_holder(holder)
        started = time.monotonic()
        with pytest.raises(lock.LockedError) as refused, holding_publish(state, "acct", "publish", 1.0):
            pass
        assert time.monotonic() - started >= 1.0, "refused at once instead of waiting for the running apply"
        message = str(refused.value)
        assert "stale" not in message and "`oaspec unlock acct --lock-id 1a2b3c4d5e6f7a8b --force`" in message, message
    finally:
        running.kill()
        running.wait()
