"""The database's disk full (SQLSTATE 53100) at the moments where a run must say exactly what it did: when an
apply records its outcome, and when `oaspec unlock` records who released a lock."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from oa_spec.backend.pg_state import PostgresState
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.gateway.applied import served_now
from testing.accounts import SERVED_ENV, assert_served_edit_reported_unlanded, edit_served_example, served_example
from testing.cli import Result
from tests.backend.helpers import disk_full, request
from tests.backend.runners import oaspec


def _apply(work: Path, dsn: str) -> Result:
    """`oaspec apply` of the served example in `work` (in this process: the test is about what it says)."""
    token, key = SERVED_ENV["OASPEC_DEMO_TOKEN"], SERVED_ENV["OASPEC_DEMO_AES_KEY"]
    return oaspec(work, dsn, "apply", "--auto-approve", process=False, OASPEC_DEMO_TOKEN=token,
                  OASPEC_DEMO_AES_KEY=key)


def test_served_changes_are_not_called_landed_when_the_outcome_cannot_be_recorded(tmp_path: Path,
                                                                                   pg_dsn: str) -> None:
    """The served kinds reach followers only with a recorded revision (attack review 44, F2): the run says the
    menu landed and the two reply changes did not, and the next apply writes those two again."""
    spec = served_example(tmp_path)
    first = _apply(tmp_path, pg_dsn)
    assert first.returncode == 0, first.stderr
    edit_served_example(spec)
    with disk_full(pg_dsn, "oaspec_revisions", "UPDATE", "NEW.phase = 'final'"):  # the journal, not the outcome
        failed = _apply(tmp_path, pg_dsn)
    assert failed.returncode == 1
    assert "finishing revision 2 failed: could not extend file: No space left on device" in failed.stderr
    assert_served_edit_reported_unlanded(failed.stderr)
    state = PostgresState(PostgresBackend.open(pg_dsn))
    try:
        served = served_now(state.history("citybank"))
    finally:
        state.close()
    assert [r.text for r in served.keyword_replies[0].replies] == ["网点营业时间为工作日 9:00-17:00。"]

    again = _apply(tmp_path, pg_dsn)
    assert again.returncode == 0, again.stderr
    assert "citybank: applied 2 change(s) (revision 3)" in again.stdout


def test_unlock_releases_nothing_when_its_audit_entry_cannot_be_written(tmp_path: Path, pg_dsn: str) -> None:
    """An unlock is in the audit trail, or nothing is released (attack review 44, F4)."""
    holder = PostgresBackend.open(pg_dsn)
    try:
        lease = holder.acquire("citybank", request(holder="alice"))
        unlock = ("unlock", "citybank", "--lock-id", lease.lock_id, "--force")
        with disk_full(pg_dsn, "oaspec_audit"):
            refused = oaspec(tmp_path, pg_dsn, *unlock, process=False)
        assert refused.returncode == 1
        assert "could not extend file: No space left on device" in refused.stderr
        assert "nothing was released" in refused.stderr
        holder.check(lease)  # still this run's lock
        assert holder.audit_export(date(2000, 1, 1)) == ""

        released = oaspec(tmp_path, pg_dsn, *unlock, process=False)  # the disk has room again
        assert released.returncode == 0, released.stderr
        assert holder.lock_info("citybank") is None
        [entry] = [json.loads(line) for line in holder.audit_export(date(2000, 1, 1)).splitlines()]
        assert (entry["operation"], entry["result"], entry["holder"]["holder"]) == ("unlock", "released", "alice")
        assert holder.audit_verify() is None
    finally:
        holder.close()
