"""State backends: where oaspec keeps revisions, locks, the audit trail and ownership between runs.

`--state URL` or OASPEC_STATE selects one (oa_spec/history/state.py: open_state); without either, the
files under `.oaspec/` stay the default. psycopg is imported only when a PostgreSQL state is opened, so
the core install and every command that keeps no state stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oa_spec.backend.base import BackendError
from oa_spec.backend.pg_connect import CONNECT_TIMEOUT_SECONDS
from oa_spec.history.state import DEFAULT_LEASE_SECONDS

if TYPE_CHECKING:
    from oa_spec.backend.postgres import PostgresBackend


def open_postgres(url: str, lease_seconds: float = DEFAULT_LEASE_SECONDS,
                  connect_timeout: float = CONNECT_TIMEOUT_SECONDS) -> PostgresBackend:
    """The PostgreSQL backend at `url` (postgresql://..., postgres://... or a libpq key=value string), its
    schema brought up to date."""
    from oa_spec.backend.postgres import PostgresBackend

    return PostgresBackend.open(postgres_address(url), lease_seconds, connect_timeout=connect_timeout)


def postgres_address(url: str) -> str:
    """`url` if it can name a PostgreSQL database and psycopg is installed; BackendError saying what to do."""
    try:
        import psycopg  # noqa: F401  (only to say what to install)
    except ImportError:
        raise BackendError("the PostgreSQL state backend needs psycopg: pip install 'oaspec[postgres]'") from None
    from oa_spec.backend.pg_connect import is_postgres_url, redact_dsn

    if not is_postgres_url(url):
        raise BackendError(f"state {redact_dsn(url)!r} is not a PostgreSQL address: use postgresql://HOST/DB "
                           "(e.g. postgresql:///oaspec?host=/run/postgresql) or libpq's key=value form; for the "
                           "files state leave --state and OASPEC_STATE unset and use --state-dir")
    return url
