"""The connection to PostgreSQL lost after the server committed a run's record, before its answer arrived (attack
review 76 F2): the record is in the database, so the run must say so, not that its served changes did not land."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
import pytest

from oa_spec.backend import pg_rows, postgres
from oa_spec.backend.pg_state import PostgresState
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.gateway.applied import served_now
from testing.accounts import SERVED_ENV, edit_served_example, served_example
from testing.cli import Result
from tests.backend.runners import oaspec


def _apply(work: Path, dsn: str) -> Result:
    token, key = SERVED_ENV["OASPEC_DEMO_TOKEN"], SERVED_ENV["OASPEC_DEMO_AES_KEY"]
    return oaspec(work, dsn, "apply", "--auto-approve", process=False, OASPEC_DEMO_TOKEN=token,
                  OASPEC_DEMO_AES_KEY=key)


class Cut:
    """Whether the next finish's answer is lost (`enabled`), and whether one is about to be (`armed`)."""

    enabled = False
    armed = False
    journal = False  # the journal's (begin), not the outcome's (finish)


@pytest.fixture
def lost_after_finish(monkeypatch: pytest.MonkeyPatch) -> Iterator[Cut]:
    """The transaction that finishes a revision commits, then its connection drops before the answer is read, as
    a network cut at that moment leaves it: the server has the record, the client an OperationalError."""
    cut = Cut()
    write_managed, insert_revision, real_exit = pg_rows.write_managed, pg_rows.insert_revision, \
        psycopg.Transaction.__exit__

    def finishing(*args: Any) -> None:  # postgres.py's write_managed: only finish() calls it there
        write_managed(*args)
        cut.armed = cut.enabled and not cut.journal

    def journalling(*args: Any) -> None:
        insert_revision(*args)
        cut.armed = cut.enabled and cut.journal

    def lossy_exit(self: psycopg.Transaction, kind: type[BaseException] | None, value: BaseException | None,
                   trace: TracebackType | None) -> bool:
        result = bool(real_exit(self, kind, value, trace))
        if kind is None and cut.armed:
            cut.armed = cut.enabled = False
            self.connection.close()
            raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")
        return result

    monkeypatch.setattr(postgres, "write_managed", finishing)
    monkeypatch.setattr(postgres, "insert_revision", journalling)
    monkeypatch.setattr(psycopg.Transaction, "__exit__", lossy_exit)
    yield cut


def _served_hours(dsn: str) -> str:
    state = PostgresState(PostgresBackend.open(dsn))
    try:
        return served_now(state.history("citybank")).keyword_replies[0].replies[0].text
    finally:
        state.close()


def test_an_outcome_committed_before_the_connection_dropped_is_reported_recorded(
        tmp_path: Path, pg_dsn: str, lost_after_finish: Cut) -> None:
    spec = served_example(tmp_path)
    first = _apply(tmp_path, pg_dsn)
    assert first.returncode == 0, first.stderr
    edit_served_example(spec)
    lost_after_finish.enabled = True
    second = _apply(tmp_path, pg_dsn)
    assert _served_hours(pg_dsn) == "网点营业时间为工作日 9:00-17:30。"  # the gateway serves the edit
    assert "did not land" not in second.stderr and "could not be recorded" not in second.stderr, second.stderr
    assert second.returncode == 0, second.stderr
    assert "citybank: applied 3 change(s) (revision 2)" in second.stdout
    again = _apply(tmp_path, pg_dsn)
    assert again.returncode == 0 and "revision 3" not in again.stdout, again.stdout + again.stderr


def test_a_journal_committed_before_the_connection_dropped_lets_the_run_go_on(
        tmp_path: Path, pg_dsn: str, lost_after_finish: Cut) -> None:
    served_example(tmp_path)
    lost_after_finish.enabled = lost_after_finish.journal = True
    first = _apply(tmp_path, pg_dsn)
    assert first.returncode == 0, first.stderr
    assert "citybank: applied" in first.stdout and "(revision 1)" in first.stdout, first.stdout
    assert _served_hours(pg_dsn) == "网点营业时间为工作日 9:00-17:00。"
