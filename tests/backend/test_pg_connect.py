"""Addresses, passwords and a server that goes away: every message names the backend, never a password."""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from oa_spec.backend.base import BackendError, BackendUnreachable
from oa_spec.backend.pg_connect import SERVE_CONNECT_TIMEOUT_SECONDS, UNREADABLE, fail, redact_dsn
from oa_spec.backend.pg_state import PostgresState
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.errors import OaspecError
from oa_spec.history.state import open_state
from tests.backend.conftest import Cluster, create_schema
from tests.backend.helpers import request, revision

PASSWORD = "Hunter2-" + uuid.uuid4().hex[:8]


@pytest.mark.parametrize(("dsn", "redacted"), [
    ("postgresql://ci:s3cret@db.bank:5432/oaspec", "postgresql://ci:***@db.bank:5432/oaspec"),
    ("postgres://ci:s3cret@db/oaspec?sslmode=require", "postgres://ci:***@db/oaspec?sslmode=require"),
    ("postgresql://db/oaspec?user=ci&password=s3cret&sslmode=require",
     "postgresql://db/oaspec?user=ci&password=***&sslmode=require"),
    ("host=db user=ci password=s3cret dbname=oaspec", "host=db user=ci password=*** dbname=oaspec"),
    ("host=db password = 's3 cret' dbname=oaspec", "host=db password = *** dbname=oaspec"),
    ("postgresql:///oaspec?host=/run/postgresql", "postgresql:///oaspec?host=/run/postgresql"),
    ("postgresql://ci:p@ss@db/oaspec", "postgresql://ci:***@db/oaspec"),  # a password holding '@'
    ("host=db passwrd=s3cret", UNREADABLE),  # libpq cannot read it: nothing of it is shown
    ("postgresql://db/oaspec?passwd=s3cret", UNREADABLE),
    ("host=db password='s3cret", UNREADABLE),
    # libpq reads what the patterns miss (an attack review printed these in clear): only its reading is shown
    ("postgresql://127.0.0.1:1/db?pass%77ord=s3cret", "dbname=db host=127.0.0.1 port=1 password=***"),
    ("postgresql://db/oaspec?sslpassword=s3cret", "dbname=oaspec host=db password=***"),
    ("postgresql://ci:s3/cret@db/oaspec", "postgresql://ci:***@db/oaspec"),  # a '/' libpq reads as host and port
])
def test_redaction(dsn: str, redacted: str) -> None:
    assert redact_dsn(dsn) == redacted


@pytest.mark.parametrize("dsn", ["host=127.0.0.1 port=1 passwrd=s3cret-pw", "host=127.0.0.1 password='s3cret-pw"])
def test_an_address_libpq_cannot_read_is_refused_without_showing_it(dsn: str) -> None:
    with pytest.raises(BackendError) as caught:
        PostgresBackend.open(dsn)
    assert "s3cret-pw" not in str(caught.value) and "check the state address" in str(caught.value)


def test_an_address_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(BackendError) as caught:
        PostgresBackend.open("postgresql://ci:s3cret-pw@127.0.0.1:1/oaspec")
    assert "s3cret-pw" not in str(caught.value)
    assert "postgresql://ci:***@127.0.0.1:1/oaspec" in str(caught.value) and "PGPASSWORD" in str(caught.value)


@pytest.fixture
def password_role(pg_cluster: Cluster) -> Iterator[tuple[str, str]]:
    """A role that logs in with PASSWORD over TCP, and a TCP address for it with no password in it."""
    role = "pw_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
    port = conninfo_to_dict(pg_cluster.dsn)["port"]
    schema, _ = create_schema(pg_cluster.dsn)
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute(f"GRANT ALL ON SCHEMA {schema} TO {role}")
    yield role, make_conninfo(host="127.0.0.1", port=port, user=role, dbname="postgres",
                              options=f"-csearch_path={schema}")
    with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.execute(f"DROP ROLE {role}")


def test_the_password_comes_from_the_environment(password_role: tuple[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _, dsn = password_role
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    backend = PostgresBackend.open(dsn)
    backend.audit_append("apply", "citybank", "applied")
    assert backend.audit_verify() is None
    backend.close()


def test_a_wrong_password_is_a_clear_error_that_does_not_echo_it(password_role: tuple[str, str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    role, dsn = password_role
    monkeypatch.setenv("PGPASSWORD", "Wrong-" + PASSWORD)
    with pytest.raises(BackendError) as caught:
        PostgresBackend.open(dsn)
    message = str(caught.value)
    assert message.startswith("PostgreSQL state backend host=127.0.0.1") and "connecting failed" in message
    assert f'password authentication failed for user "{role}"' in message
    assert PASSWORD not in message and "\n" not in message


def test_an_ordinary_word_as_the_password_is_masked_as_the_password_not_inside_names(
        pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 66, F6: PGPASSWORD=postgres masked the word everywhere (`database "oaspec_***"`), so the error
    no longer named the database to fix. A name that holds the password keeps it; a user named exactly as the
    password is hidden (it is the password)."""
    monkeypatch.setenv("PGPASSWORD", "postgres")
    socket_dsn = make_conninfo(pg_cluster.dsn, dbname="oaspec_postgres")  # the socket trusts local users
    with pytest.raises(BackendError) as missing:
        PostgresBackend.open(socket_dsn)
    assert 'database "oaspec_postgres" does not exist' in str(missing.value), str(missing.value)
    port = conninfo_to_dict(pg_cluster.dsn)["port"]
    with pytest.raises(BackendError) as refused:  # TCP asks for a password: "postgres" is not the role's
        PostgresBackend.open(make_conninfo(host="127.0.0.1", port=port, user="postgres", dbname="oaspec_postgres"))
    said = str(refused.value)
    assert 'password authentication failed for user "***"' in said and '"postgres"' not in said, said


@pytest.mark.parametrize("echoed", ["FATAL:  密码hunter2错误", "FATAL:  password hunter2_ is wrong",
                                    "FATAL:  PASSWORD HUNTER2 REJECTED"])
def test_a_password_echoed_by_the_server_next_to_a_chinese_character_or_re_cased_is_masked(
        echoed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 67, F5: a server or pooler (a zh locale) quoting PGPASSWORD without spaces around it, before an
    underscore, or upper-cased, had it printed in the backend's error: the word boundary was Unicode \\w."""
    monkeypatch.setenv("PGPASSWORD", "hunter2")
    with pytest.raises(BackendError) as caught:
        fail("host=db dbname=oaspec", "connecting", psycopg.OperationalError(echoed))
    said = str(caught.value)
    assert "hunter2" not in said.lower() and "***" in said, said
    monkeypatch.setenv("PGPASSWORD", "postgres")
    with pytest.raises(BackendError) as missing:
        fail("host=db", "connecting", psycopg.OperationalError('database "oaspec_postgres" does not exist'))
    assert 'database "oaspec_postgres" does not exist' in str(missing.value), str(missing.value)


def test_the_server_stopping_mid_apply_leaves_no_half_written_revision(own_cluster: Cluster) -> None:
    _, dsn = create_schema(own_cluster.dsn)
    backend = PostgresBackend.open(dsn, lease_seconds=1)
    lease = backend.acquire("citybank", request())
    backend.append("citybank", revision(1), lease)
    backend.begin("citybank", revision(2), lease)
    own_cluster.halt()
    try:
        with pytest.raises(OaspecError) as caught:
            backend.finish("citybank", revision(2), lease)
        message = str(caught.value)
        assert message.startswith("PostgreSQL state backend ") and "finishing revision 2 failed" in message
        assert "check that the server is up" in message and "\n" not in message
        with pytest.raises(BackendError, match="connecting failed"):
            backend.numbers("citybank")  # a new connection is refused while it is down
    finally:
        own_cluster.resume()
    assert backend.numbers("citybank") == [1, 2]  # reconnected; revision 2 is a visible, unfinished journal
    assert backend.started("citybank") == [2]
    next_run = PostgresBackend.open(dsn, lease_seconds=1)
    new_lease = next_run.acquire("citybank", request(holder="bob"), timeout=10)  # the dead run's lease expires
    assert next_run.next_number("citybank") == 3
    next_run.append("citybank", revision(3), new_lease)
    assert next_run.numbers("citybank") == [1, 2, 3]



def _open_at_once(dsn: str, runners: int) -> list[BaseException]:
    """Open the backend from `runners` threads released together; what each one raised."""
    import threading

    start = threading.Barrier(runners)
    failures: list[BaseException] = []

    def open_backend() -> None:
        start.wait()
        try:
            PostgresBackend.open(dsn).close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_backend) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return failures


def test_runners_opening_a_new_database_at_once_all_get_the_schema(pg_cluster: Cluster) -> None:
    """Eight runners that start together on an empty database race to create the version table; the
    losers of that race see "relation/type already exists" or a duplicate catalog row, and must carry on."""
    from oa_spec.backend.pg_connect import latest_version, schema_version

    for _ in range(4):  # the race is timing-dependent: a few fresh schemas make it likely to be hit
        schema, dsn = create_schema(pg_cluster.dsn)
        assert _open_at_once(dsn, 8) == []
        with psycopg.connect(dsn, autocommit=True) as conn:
            assert schema_version(conn) == latest_version()
        with psycopg.connect(pg_cluster.dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_database_that_accepts_and_never_answers_is_waited_for_once_not_once_per_read() -> None:
    # an attack review: `oaspec serve` started while the database hung (it accepted and never answered) kept the
    # platform waiting 10 s for the CLI's check and then 10 s per served account in each booting worker
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    state = open_state(f"host=127.0.0.1 port={port} user=x dbname=x", Path("/nonexistent"), connect=False,
                       serving=True)
    assert isinstance(state, PostgresState) and state.backend.link.timeout == SERVE_CONNECT_TIMEOUT_SECONDS
    try:
        for account in ("citybank", "creditcard", "wealth"):  # a worker reading each account it serves
            with pytest.raises(BackendUnreachable, match="connecting failed"):
                state.history(account).numbers()
        assert len(accepted) == 1  # one wait for a connection, then told at once
    finally:
        listener.close()
        for sock in accepted:
            sock.close()
