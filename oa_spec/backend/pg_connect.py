"""Connecting to the PostgreSQL state backend: the address, its redaction, errors, schema migrations.

The password never comes from the address (it would land in shell history, CI logs and `ps`): libpq
reads it from PGPASSWORD, a service file (PGSERVICEFILE) or ~/.pgpass. An address carrying one is refused.
Every message names the backend by its redacted address, and any password text libpq echoes is masked.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn

from oa_spec.backend.base import BackendError, BackendUnreachable
from oa_spec.util.redact import redacted_password

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_SECONDS = 10
# A gateway worker reads the state while the platform waits (5 s a message): a database that accepts and never
# answers must not hold a booting worker for 10 s per account.
SERVE_CONNECT_TIMEOUT_SECONDS = 2
IDLE_IN_TRANSACTION_SECONDS = 30.0  # oaspec's transactions last milliseconds; a session idle in one is stuck
ROW_LOCK_WAIT_SECONDS = 30.0
# user:password@ up to the last '@' before the query: a password may hold '@' or (unencoded, which libpq then
# reads as host, port and database) '/'
_URL_PASSWORD = re.compile(r"^(postgres(?:ql)?://[^:/@?#]*):[^?#]*@")
_KW_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#\s]*", re.IGNORECASE)


_SECRET_KEYS = ("password", "sslpassword")
UNREADABLE = "(address not shown: libpq cannot read it, and it may hold a password)"


def _parsed(dsn: str) -> dict[str, Any] | None:
    """libpq's reading of the address, or None when it cannot read it (a typo'd option, a stray quote)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        return conninfo_to_dict(dsn)
    except psycopg.Error:
        return None


def redact_dsn(dsn: str) -> str:
    """The address with any password replaced by ***; an address libpq cannot read is not shown at all."""
    parsed = _parsed(dsn)
    if parsed is None:
        return UNREADABLE
    if dsn.startswith(("postgresql:", "postgres:")):
        shown = _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1:***@", dsn))
    else:
        shown = _KW_PASSWORD.sub(r"\1***", dsn)
    # libpq also reads a password the patterns miss (?pass%77ord=, ?sslpassword=): when masking took none of its
    # occurrences away, show only what libpq read
    secrets = [str(parsed[k]) for k in _SECRET_KEYS if parsed.get(k)]
    if any(shown.count(secret) >= dsn.count(secret) for secret in secrets):
        return " ".join(f"{k}={v}" for k, v in parsed.items() if k not in _SECRET_KEYS and v) + " password=***"
    return shown


def is_postgres_url(state: str) -> bool:
    return state.startswith(("postgresql:", "postgres:")) or "=" in state


def checked_dsn(dsn: str) -> str:
    """The address if libpq reads it and it carries no password; BackendError saying what to do otherwise."""
    parsed = _parsed(dsn)
    if parsed is None:
        raise BackendError(f"PostgreSQL state backend {UNREADABLE}: check the state address (--state or "
                           "OASPEC_STATE) against libpq's URL or key=value format")
    if parsed.get("password") or parsed.get("sslpassword") or redact_dsn(dsn) != dsn:
        raise BackendError(f"PostgreSQL state backend {redact_dsn(dsn)}: the address carries a password; remove "
                           "it and set PGPASSWORD, or use a libpq service file or ~/.pgpass")
    return dsn


def _secrets() -> list[str]:
    password = os.environ.get("PGPASSWORD")
    return [password] if password and len(password) >= 3 else []  # masking 1-2 chars would mangle the text


def clean_message(text: str) -> str:
    """libpq's message on one line, with the environment's password masked where it stands as the password (in case
    a server echoes it), not inside a longer name: `database "oaspec_postgres"` still names what to fix (redact.py)."""
    return " ".join(redacted_password(text, _secrets()).split())


def fail(where: str, action: str, exc: Exception) -> NoReturn:
    """A BackendError naming the backend and what was being done, from a psycopg error."""
    import psycopg

    if isinstance(exc, psycopg.OperationalError):
        advice = "check that the server is up and reachable, then run again (no record was half-written)"
    else:
        advice = "run `oaspec state doctor`"
    raise BackendError(f"PostgreSQL state backend {where}: {action} failed: {clean_message(str(exc))}; "
                       f"{advice}") from None


def connect(dsn: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> psycopg.Connection[Any]:
    import psycopg

    where = redact_dsn(dsn)
    try:
        conn = psycopg.connect(checked_dsn(dsn), autocommit=True, connect_timeout=max(1, round(timeout)),
                               application_name="oaspec")
    except psycopg.OperationalError as exc:  # down, unreachable, or refusing these credentials
        raise BackendUnreachable(f"PostgreSQL state backend {where}: connecting failed: {clean_message(str(exc))}; "
                                 "check that the server is up and reachable, then run again (no record was "
                                 "half-written)") from None
    except psycopg.Error as exc:
        fail(where, "connecting", exc)
    _bound_waits(conn)
    return conn


class Link:
    """One connection, reopened if the last one broke (a restarted server, a dropped network). A connect that
    failed is not tried again for as long as it waited: the next callers (a worker reading each of its accounts)
    are told at once, not kept waiting one timeout each on a database that does not answer."""

    def __init__(self, dsn: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
        self.dsn, self.timeout = dsn, timeout
        self._connection: psycopg.Connection[Any] | None = None
        self._unreachable: tuple[float, str] | None = None  # (until when, why): the last connect's failure

    def get(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed or self._connection.broken:
            if self._unreachable is not None and time.monotonic() < self._unreachable[0]:
                raise BackendUnreachable(self._unreachable[1])
            started = time.monotonic()
            try:
                self._connection = connect(self.dsn, self.timeout)
            except BackendUnreachable as exc:  # a refusal costs nothing to ask again; a hang costs its wait
                self._unreachable = (2 * time.monotonic() - started, str(exc))
                raise
            self._unreachable = None
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _bound_waits(conn: psycopg.Connection[Any]) -> None:
    """A run paused (SIGSTOP) or hung inside a write would hold the account's lock row for ever, and every
    other run's UPDATE would wait for ever behind it, lease or no lease. So the server ends a session idle
    inside a transaction (oaspec's last milliseconds), and a statement waits for a row lock only so long.
    Servers without these settings (openGauss names them differently) keep their own defaults."""
    import psycopg

    for name, seconds in (("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_SECONDS),
                          ("lock_timeout", ROW_LOCK_WAIT_SECONDS)):
        with suppress(psycopg.errors.UndefinedObject, psycopg.errors.InvalidParameterValue):
            conn.execute(f"SET {name} = {int(seconds * 1000)}")  # milliseconds; values are our own constants


@contextmanager
def errors_named(where: str, action: str) -> Iterator[None]:
    """Turn psycopg errors raised inside into BackendError naming the backend and the action."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        fail(where, action, exc)


# --- schema migrations ----------------------------------------------------------------------------
def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, SQL) of the shipped migrations, in order (files named NNN_what.sql)."""
    found = []
    for item in resources.files("oa_spec.backend").joinpath("sql").iterdir():
        name = item.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, item.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migration_files()[-1][0]


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The version the database is at (0 before the first migration)."""
    # pg_class, not information_schema: the latter hides tables the role has no privilege on, which would
    # make a role that may not read the table look like an empty database.
    row = conn.execute("SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                       "ON n.oid = c.relnamespace WHERE c.relname = 'oaspec_schema_version' "
                       "AND n.nspname = current_schema()").fetchone()
    if not row or not row[0]:
        return 0
    version = conn.execute("SELECT max(version) FROM oaspec_schema_version").fetchone()
    return int(version[0]) if version and version[0] is not None else 0


def migrate_schema(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the migrations the database lacks, each in its own transaction; the names applied.

    Safe to run from many runners at once: the version table is locked for the whole of each step, and
    a runner that finds the step already applied skips it."""
    import psycopg

    # Another runner may create it at the same moment: IF NOT EXISTS races in the catalog and the loser
    # sees a duplicate pg_type row, "relation already exists" or "type already exists". Either way the
    # table is there (the steps below then take turns on its lock).
    with suppress(psycopg.errors.UniqueViolation, psycopg.errors.DuplicateTable, psycopg.errors.DuplicateObject):
        conn.execute("CREATE TABLE IF NOT EXISTS oaspec_schema_version (version integer NOT NULL PRIMARY KEY, "
                     "name varchar(255) NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
    applied = []
    for version, name, sql in migration_files():
        with conn.transaction():
            conn.execute("LOCK TABLE oaspec_schema_version IN EXCLUSIVE MODE")
            row = conn.execute("SELECT 1 FROM oaspec_schema_version WHERE version = %s", (version,)).fetchone()
            if row:
                continue
            conn.execute(sql.encode("utf-8"))
            conn.execute("INSERT INTO oaspec_schema_version (version, name) VALUES (%s, %s)", (version, name))
            applied.append(name)
    return applied
