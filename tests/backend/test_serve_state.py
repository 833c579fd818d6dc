"""`oaspec serve` and a served account with the PostgreSQL state: what apply records in the database is what
plan reads back and what serve answers, a new apply reaches customers without a restart, replicas share
their idempotency records, and nothing of the state is kept on the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from oa_spec.backend.pg_idempotency import NAMESPACE, PostgresIdempotency
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.gateway.protocol import ProtocolError, ReplayGuard
from tests.gateway.e2e import APP_ID, SECRET, applied, oaspec, serving, until_reply
from tests.gateway.test_end_to_end import listen, write_spec

OPENID = "oFollowerOpenId000000000042"


@pytest.fixture()
def platform() -> Iterator[EmulatorServer]:
    with run_emulator() as emulator:
        emulator.admin.register_app(APP_ID, SECRET)
        yield emulator


@pytest.mark.long
def test_serve_answers_from_the_revisions_in_postgresql(tmp_path: Path, pg_dsn: str,
                                                        platform: EmulatorServer) -> None:
    env = {"OASPEC_STATE": pg_dsn}
    write_spec(tmp_path, "工作日 9:00-17:00")
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=env)
    assert oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path, env=env).returncode == 0
    files = oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path)  # the files state knows none
    assert files.returncode == 2

    admin = platform.admin
    with serving(tmp_path, env=env, workers=2) as (base, _):
        listen(admin, base)
        answer = admin.push(APP_ID, text="请问营业时间", openid=OPENID)
        assert answer["reply"]["Content"] == "工作日 9:00-17:00"
        write_spec(tmp_path, "工作日 8:30-17:30")
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=env)
        took = until_reply(lambda: admin.push(APP_ID, text="营业时间？", openid=OPENID), "工作日 8:30-17:30")
        assert took < 3.0
    state = tmp_path / ".oaspec"
    assert not (state / "history").exists() and not (state / "audit.log").exists()
    assert not (state / "gateway").exists()  # the two workers shared their records through the database
    assert psycopg.connect(pg_dsn).execute("SELECT count(*) FROM oaspec_records").fetchone() != (0,)



def test_replicas_share_idempotency_records_through_postgresql(pg_dsn: str) -> None:
    first, second = PostgresBackend.open(pg_dsn), PostgresBackend.open(pg_dsn)  # two machines
    one, other = PostgresIdempotency(first), PostgresIdempotency(second)
    key = "citybank|m|24000000000001"
    assert one.claim(key) and not other.claim(key)  # the retry reaching the other replica waits ...
    assert other.wait(key, 0.1) is None
    threading.Timer(0.3, one.finish, (key, "工作日 9:00-17:00")).start()
    assert other.wait(key, 5) == "工作日 9:00-17:00"  # ... and answers with the first attempt's reply
    assert one.claim("citybank|m|24000000000002")
    stored = first.list_records(NAMESPACE)
    assert len(stored) == 2 and not any("24000000000001" in k for k in stored)  # keys are hashed
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE oaspec_records SET updated_at = now() - interval '10 minutes'")
    assert first.expire_records(NAMESPACE, 60) == 2
    first.close()
    second.close()


def test_replicas_share_the_nonces_they_accepted_through_postgresql(pg_dsn: str) -> None:
    # a captured request re-sent to another replica with another body is a forgery it must recognise
    first, second = PostgresBackend.open(pg_dsn), PostgresBackend.open(pg_dsn)
    try:
        one, other = ReplayGuard(PostgresIdempotency(first)), ReplayGuard(PostgresIdempotency(second))
        now = time.time()
        assert one.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) is False
        assert other.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) is True  # a retry
        with pytest.raises(ProtocolError, match="nonce_reused"):
            other.check("citybank", str(int(now)), "n1", b"<xml>forged</xml>", now)
    finally:
        first.close()
        second.close()


def test_an_unreachable_database_does_not_stop_an_answer() -> None:
    down = PostgresIdempotency(PostgresBackend("host=127.0.0.1 port=1 user=x dbname=x connect_timeout=1"))
    assert down.claim("citybank|m|1") is True  # answered as a first attempt
    down.finish("citybank|m|1", "您好")
    assert down.wait("citybank|m|1", 0.1) is None
