"""`oaspec serve` and a served account with the PostgreSQL state: what apply records in the database is what
plan reads back and what serve answers, a new apply reaches customers without a restart, replicas share
their idempotency records, and nothing of the state is kept on the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests

from oa_spec.backend import pg_idempotency
from oa_spec.backend.base import BackendError, Json
from oa_spec.backend.pg_idempotency import NAMESPACE, PostgresIdempotency
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.dedup import ABANDONED, FileIdempotency
from oa_spec.gateway.protocol import ProtocolError, ReplayGuard
from oa_spec.gateway.simulator import event_message, text_message
from testing.relay import Relay, relayed
from tests.gateway.e2e import APP_ID, SECRET, applied, oaspec, serving, until_reply
from tests.gateway.helpers import ENV_HOOK, account
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_app import simulator
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


def test_a_record_a_stopped_replica_claimed_is_abandoned_for_the_one_a_retry_reaches(pg_dsn: str) -> None:
    # a replica killed after it claimed a message: the retry reaching another one may answer in its place
    first, second = PostgresBackend.open(pg_dsn), PostgresBackend.open(pg_dsn)
    try:
        one, other = PostgresIdempotency(first), PostgresIdempotency(second)
        assert one.claim("citybank|m|24000000000003") and one.claim("citybank|m|24000000000004")
        assert other.wait("citybank|m|24000000000003", 0.1, abandoned_after_s=30) is None  # its owner's time
        one.finish("citybank|m|24000000000004", "工作日 9:00-17:00")
        hashed = PostgresIdempotency._key("citybank|m|24000000000003")
        first.put_record(NAMESPACE, hashed, {"claimed": time.time() - 60})  # claimed a minute ago, never finished
        assert other.wait("citybank|m|24000000000003", 5, abandoned_after_s=10) == ABANDONED
        assert other.wait("citybank|m|24000000000004", 5, abandoned_after_s=0) == "工作日 9:00-17:00"  # finished
    finally:
        first.close()
        second.close()


def test_replicas_share_the_nonces_they_accepted_through_postgresql(pg_dsn: str) -> None:
    # a captured request re-sent to another replica with another body is a forgery it must recognise
    first, second = PostgresBackend.open(pg_dsn), PostgresBackend.open(pg_dsn)
    try:
        one, other = ReplayGuard(PostgresIdempotency(first)), ReplayGuard(PostgresIdempotency(second))
        now = time.time()
        assert one.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "new"
        assert other.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "repeat"  # a retry
        with pytest.raises(ProtocolError, match="nonce_reused"):
            other.check("citybank", str(int(now)), "n1", b"<xml>forged</xml>", now)
    finally:
        first.close()
        second.close()


def test_an_unreachable_database_does_not_stop_an_answer() -> None:
    down = PostgresIdempotency(PostgresBackend("host=127.0.0.1 port=1 user=x dbname=x connect_timeout=1"))
    assert down.claim("citybank|m|1") is True  # answered as a first attempt
    down.finish("citybank|m|1", "您好")
    assert down.wait("citybank|m|1", 0.1) == "您好"  # from this machine's own records


DOWN = "host=127.0.0.1 port=1 user=x dbname=x connect_timeout=1"  # nothing listens: every call fails at once


def _replica(records: Path, mode: str, hook_url: str) -> GatewayApp:
    """One `oaspec serve` replica whose PostgreSQL state cannot be reached: its own files stand in."""
    hours = {"name": "hours", "keywords": [{"match": "contains", "keyword": "营业时间"}],
             "replies": ["工作日 9:00-17:00"]}
    config = account(mode, click_actions={"BALANCE": {"module": "balance"}}, keyword_rules=[hours],
                     modules=[{"id": "balance", "webhook": {"url": hook_url, "timeout_s": 3, "secret_env": "T_HOOK"}}])
    store = PostgresIdempotency(PostgresBackend(DOWN), FileIdempotency(records))
    return GatewayApp([config], environ=ENV_HOOK, idempotency=store)


def test_while_the_database_is_unreachable_no_replay_runs_a_webhook_and_no_unsigned_body_is_trusted(
        tmp_path: Path) -> None:
    # an attack review stopped the database under two replicas: every replay of a captured request called the
    # webhook again, and in plain mode a captured query string with a forged body got another customer's balance
    hook = FakeWebhook()
    try:
        with running(_replica(tmp_path / "a", "safe", hook.url)) as first, \
                running(_replica(tmp_path / "b", "safe", hook.url)) as second:
            sim = simulator(first)
            hours = sim.push(text_message("请问营业时间", openid=OPENID))  # a message is still answered
            assert hours.reply is not None and hours.reply["Content"] == "工作日 9:00-17:00"
            query, body = sim.signed_request(event_message("CLICK", key="BALANCE", openid=OPENID))
            answers = [requests.post(f"{url}/wx/citybank", params=query, data=body, timeout=10)
                       for url in (first, first, second)]  # the message, a replay here, a replay elsewhere
            assert [(a.status_code, a.content) for a in answers] == [(200, b"success")] * 3
        with running(_replica(tmp_path / "c", "plain", hook.url)) as first, \
                running(_replica(tmp_path / "d", "plain", hook.url)) as second:
            query, body = simulator(first, encrypt=False).signed_request(
                event_message("CLICK", key="BALANCE", openid=OPENID))
            answers = [requests.post(f"{url}/wx/citybank", params=query, data=body, timeout=10)
                       for url in (first, first, second)]
            # nobody vouches for an unsigned body: refused; its replay here is known and answered with nothing
            assert [(a.status_code, a.content) for a in answers] == [(403, b"forbidden"), (200, b"success"),
                                                                      (403, b"forbidden")]
        assert hook.calls == []
    finally:
        hook.close()


def test_a_replay_reaching_the_same_replica_while_the_database_is_unreachable_is_recognised(tmp_path: Path) -> None:
    store = PostgresIdempotency(PostgresBackend(DOWN), FileIdempotency(tmp_path))
    guard, now = ReplayGuard(store), time.time()
    assert guard.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "unvouched"
    assert guard.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "repeat"
    with pytest.raises(ProtocolError, match="nonce_reused"):
        guard.check("citybank", str(int(now)), "n1", b"<xml>forged</xml>", now)
    assert store.claim("citybank|m|7") and not store.claim("citybank|m|7")  # a retry here waits for the first
    store.finish("citybank|m|7", "您好")
    assert store.wait("citybank|m|7", 0.5) == "您好"


class Switchable:
    """The database as a replica sees it: answering (a real PostgreSQL), refusing, or hanging."""

    def __init__(self, backend: PostgresBackend) -> None:
        self.backend, self.mode = backend, "up"

    def _through(self) -> PostgresBackend:
        if self.mode == "down":
            raise BackendError("connection refused")
        if self.mode == "hung":
            time.sleep(3)
            raise BackendError("gave up at last")
        return self.backend

    def insert_record(self, namespace: str, key: str, value: Json) -> bool:
        return self._through().insert_record(namespace, key, value)

    def put_record(self, namespace: str, key: str, value: Json) -> None:
        self._through().put_record(namespace, key, value)

    def get_record(self, namespace: str, key: str) -> Json | None:
        return self._through().get_record(namespace, key)

    def expire_records(self, namespace: str, older_than_s: float) -> int:
        return self._through().expire_records(namespace, older_than_s)


@pytest.fixture()
def two_machines(pg_dsn: str) -> Iterator[tuple[PostgresBackend, PostgresBackend]]:
    """Two replicas' own connections to one PostgreSQL state."""
    first, second = PostgresBackend.open(pg_dsn), PostgresBackend.open(pg_dsn)
    yield first, second
    first.close()
    second.close()


def test_nonces_kept_while_the_database_was_away_still_refuse_another_body_once_it_is_back(
        tmp_path: Path, two_machines: tuple[PostgresBackend, PostgresBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: a nonce a replica kept in its own files during an outage was forgotten the moment the database
    # answered again, and a captured query string with a forged body got another customer's balance
    monkeypatch.setattr(pg_idempotency, "RETRY_AFTER_S", 0.0)
    first, second = two_machines
    shared = Switchable(first)
    replica = PostgresIdempotency(shared, FileIdempotency(tmp_path / "a"))
    other_worker = PostgresIdempotency(Switchable(first), FileIdempotency(tmp_path / "a"))  # same machine
    elsewhere = ReplayGuard(PostgresIdempotency(second, FileIdempotency(tmp_path / "b")))
    guard, now = ReplayGuard(replica), time.time()
    shared.mode = "down"
    assert guard.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "unvouched"
    shared.mode = "up"
    with pytest.raises(ProtocolError, match="nonce_reused"):  # on the machine that kept it, any worker
        ReplayGuard(other_worker).check("citybank", str(int(now)), "n1", b"<xml>forged</xml>", now)
    assert guard.check("citybank", str(int(now)), "n2", b"<xml>next</xml>", now) == "new"  # writes what it kept
    with pytest.raises(ProtocolError, match="nonce_reused"):  # and on every other replica
        elsewhere.check("citybank", str(int(now)), "n1", b"<xml>forged</xml>", now)
    assert elsewhere.check("citybank", str(int(now)), "n1", b"<xml>genuine</xml>", now) == "repeat"


def test_a_database_that_hangs_costs_a_message_a_bounded_wait_not_the_platforms_deadline(tmp_path: Path) -> None:
    # an attack review froze the database: every replica stopped answering (each request waited on it) while
    # /healthz said 200
    hung = Switchable(PostgresBackend(DOWN))
    hung.mode = "hung"
    store = PostgresIdempotency(hung, FileIdempotency(tmp_path), deadline_s=0.2)
    app = GatewayApp([account("safe", default_reply="您好")], environ=ENV_HOOK, idempotency=store)
    with running(app) as url:
        sim = simulator(url)
        for _ in range(3):
            started = time.monotonic()
            answer = sim.push(text_message("随便问问", openid=OPENID))
            assert answer.attempts == 1 and answer.reply is not None and answer.reply["Content"] == "您好"
            assert time.monotonic() - started < 2.0  # two bounded calls at most; then the database is left alone


def test_healthz_says_the_shared_records_are_unreachable_until_they_answer_again(
        tmp_path: Path, two_machines: tuple[PostgresBackend, PostgresBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: /healthz said "ok" while every replica answered from its own records (no webhooks, no
    # unencrypted messages); it now says so, unasked by any message, and says "ok" once the database answers
    monkeypatch.setattr(pg_idempotency, "RETRY_AFTER_S", 0.0)
    monkeypatch.setattr(pg_idempotency, "HEALTH_EVERY_S", 0.0)
    shared = Switchable(two_machines[0])
    store = PostgresIdempotency(shared, FileIdempotency(tmp_path))
    app = GatewayApp([account("safe", default_reply="您好")], environ=ENV_HOOK, idempotency=store,
                     health=[store.problem])
    with running(app) as url:
        assert requests.get(f"{url}/healthz", timeout=5).text == "ok"
        shared.mode = "down"
        answer = requests.get(f"{url}/healthz", timeout=5)
        assert answer.status_code == 200 and answer.text.startswith("degraded: the shared records (PostgreSQL)")
        shared.mode = "hung"
        started = time.monotonic()
        assert requests.get(f"{url}/healthz", timeout=5).text.startswith("degraded")
        assert time.monotonic() - started < 2.0  # a hung database costs the check its bound, not the LB's timeout
        shared.mode = "up"
        time.sleep(3.1)  # the hung call gives up
        assert requests.get(f"{url}/healthz", timeout=5).text == "ok"


@pytest.mark.long
def test_serve_cut_off_from_its_database_still_answers_and_says_degraded_until_it_is_back(
        tmp_path: Path, pg_dsn: str, platform: EmulatorServer) -> None:
    # the whole process: the network to the database fails under a running replica; it answers the next message
    # from what it read, /healthz says 200 "degraded" naming both parts it cannot reach, then "ok" once it is back
    with _applied_through_a_relay(tmp_path, pg_dsn) as (relay, env), serving(tmp_path, env=env) as (base, _):
        listen(platform.admin, base)
        assert _health(base) == "ok"
        relay.cut()
        said = _until(lambda: _health(base), lambda text: text.count(";") == 1)
        assert said.startswith("degraded: ") and "serving what was read before: citybank" in said
        assert "the shared records (PostgreSQL) cannot be reached" in said
        assert b"oaspec_gateway_degraded 2.0" in requests.get(f"{base}/metrics", timeout=5).content
        answer = platform.admin.push(APP_ID, text="请问营业时间", openid=OPENID)
        assert answer["reply"]["Content"] == "工作日 9:00-17:00"
        relay.restore()
        assert _until(lambda: _health(base), lambda text: text == "ok")


@pytest.mark.long
def test_serve_started_while_its_database_is_unreachable_starts_and_answers_once_it_is_back(
        tmp_path: Path, pg_dsn: str, platform: EmulatorServer) -> None:
    # an attack review: a replica (re)started during a database outage refused to start, so an orchestrator
    # crash-looped it; it starts, says why, answers `success` (no reply) and /healthz says what it has not read,
    # then serves the applied revision once the database answers, without a restart
    with _applied_through_a_relay(tmp_path, pg_dsn) as (relay, env):
        relay.cut()
        with serving(tmp_path, env=env) as (base, output):
            listen(platform.admin, base)
            said = _health(base)
            assert said.startswith("degraded: ") and "never read" in said and "citybank" in said
            answer = platform.admin.push(APP_ID, text="请问营业时间", openid=OPENID)
            assert not answer.get("reply")  # nothing from a revision it has not read; no error to the platform
            relay.restore()
            assert _until(lambda: _health(base), lambda text: text == "ok")
            until_reply(lambda: platform.admin.push(APP_ID, text="请问营业时间", openid=OPENID), "工作日 9:00-17:00")
        assert any("starting anyway" in line for line in output), output
        assert not any("Traceback" in line for line in output), output


@contextmanager
def _applied_through_a_relay(tmp_path: Path, pg_dsn: str) -> Iterator[tuple[Relay, dict[str, str]]]:
    """The example spec applied to PostgreSQL through a relay a test can cut; the environment that reaches it."""
    write_spec(tmp_path, "工作日 9:00-17:00")
    with relayed(pg_dsn) as (relay, through):
        env = {"OASPEC_STATE": through}
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=env)
        yield relay, env


def _health(base: str) -> str:
    return requests.get(f"{base}/healthz", timeout=5).text


def _until(read: Callable[[], str], done: Callable[[str], bool], within_s: float = 15.0) -> str:
    deadline = time.monotonic() + within_s
    while not done(said := read()):
        assert time.monotonic() < deadline, said
        time.sleep(0.2)
    return said


def test_concurrent_health_checks_ask_the_database_once_and_never_send_messages_away(tmp_path: Path) -> None:
    # an attack review: sixteen load-balancer checks at once each asked a slow database; their timeouts put the
    # replica in "away" mode, refusing plain messages for 2 s. Health observes; it does not decide.
    asked: list[float] = []

    class Slow(Switchable):
        def get_record(self, namespace: str, key: str) -> Json | None:
            asked.append(time.monotonic())
            time.sleep(0.3)
            return None

    store = PostgresIdempotency(Slow(PostgresBackend(DOWN)), FileIdempotency(tmp_path), deadline_s=0.1)
    checks = [threading.Thread(target=store.problem) for _ in range(16)]
    for check in checks:
        check.start()
    for check in checks:
        check.join(5)
    assert len(asked) == 1  # one check in flight; the others answered what was last found
    assert store._away_until == 0.0  # messages still go to the database


def test_kept_nonces_reach_every_replica_without_another_message_and_this_machine_keeps_its_word(
        tmp_path: Path, two_machines: tuple[PostgresBackend, PostgresBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review: the nonces kept during an outage were written back only at that replica's next message, and
    # once another replica had taken a forged body on one, the first replica adopted the database's word for it
    monkeypatch.setattr(pg_idempotency, "RETRY_AFTER_S", 0.05)
    first, second = two_machines
    shared = Switchable(first)
    guard = ReplayGuard(PostgresIdempotency(shared, FileIdempotency(tmp_path / "a")))
    elsewhere = ReplayGuard(PostgresIdempotency(second, FileIdempotency(tmp_path / "b")))
    now, stamp = time.time(), str(int(time.time()))
    shared.mode = "down"
    assert guard.check("citybank", stamp, "n1", b"<xml>genuine</xml>", now) == "unvouched"
    assert guard.check("citybank", stamp, "n2", b"<xml>genuine</xml>", now) == "unvouched"
    assert elsewhere.check("citybank", stamp, "n1", b"<xml>forged</xml>", now) == "new"  # before the write-back
    shared.mode = "up"
    with pytest.raises(ProtocolError, match="nonce_reused"):  # this machine's word wins over the database's
        guard.check("citybank", stamp, "n1", b"<xml>forged</xml>", now)
    kept = "n-" + PostgresIdempotency._key(f"citybank|n|{stamp}|n2")
    deadline = time.monotonic() + 5
    while first.get_record(NAMESPACE, kept) is None:  # no message reaches the first replica meanwhile
        assert time.monotonic() < deadline, "the kept nonce was not written back"
        time.sleep(0.05)
    with pytest.raises(ProtocolError, match="nonce_reused"):
        elsewhere.check("citybank", stamp, "n2", b"<xml>forged</xml>", now)
