"""Rows of the PostgreSQL backend: the statements and helpers its methods share (and `migrate` uses)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from oa_spec.backend import pg_audit
from oa_spec.backend.base import AuditNote, FencedError, Json, Lease, LockedError, LockInfo, LockRequest, Managed
from oa_spec.errors import OaspecError
from oa_spec.history import audit_numbers, checked_account_id, stored_json
from oa_spec.history.audit import new_entry
from oa_spec.history.migrations import REVISIONS
from oa_spec.history.revisions import SCHEMA_VERSION, Revision, misplaced, unknown_ownership

if TYPE_CHECKING:
    import psycopg


# Takes a free or expired lock and bumps the fencing token, in one statement: a concurrent taker waits for
# this row's lock, then re-checks the WHERE against the new row and finds it held (READ COMMITTED).
TAKE_LOCK = ("UPDATE oaspec_locks SET lock_id = %s, fencing_token = fencing_token + 1, holder = %s, host = %s, "
             "operation = %s, pid = %s, ci_job_url = %s, acquired_at = now(), "
             "expires_at = now() + %s * interval '1 second' "
             "WHERE account = %s AND (lock_id IS NULL OR expires_at < now()) RETURNING fencing_token")
FREE_LOCK = ("UPDATE oaspec_locks SET lock_id = NULL, holder = NULL, host = NULL, operation = NULL, pid = NULL, "
             "ci_job_url = NULL, acquired_at = NULL, expires_at = NULL WHERE account = %s AND lock_id = %s")
# The sizes of oaspec_locks' free-text columns (sql/001_init.sql). OASPEC_USER and the CI job URL are whatever the
# CI sets: the lock row keeps what fits, to name the holder; the audit entries keep the whole values.
LOCK_SIZES = {"holder": 255, "host": 255, "operation": 64, "ci_job_url": 2048}
LOCK_COLUMNS = "account, lock_id, fencing_token, holder, host, operation, pid, ci_job_url, acquired_at, expires_at"


def take_lock_values(lock_id: str, request: LockRequest, lease_seconds: float, account: str) -> tuple[object, ...]:
    """TAKE_LOCK's parameters, each text cut to fit its column."""
    return (lock_id, fitted(request.holder, LOCK_SIZES["holder"]), fitted(request.host, LOCK_SIZES["host"]),
            fitted(request.operation, LOCK_SIZES["operation"]), request.pid,
            fitted(request.ci_job_url or None, LOCK_SIZES["ci_job_url"]), lease_seconds, account)


def fitted(text: str | None, size: int) -> str | None:
    """`text` within a varchar(size) column, counted in UTF-8 bytes (openGauss counts bytes, PostgreSQL
    characters, so it fits both), ending in "…" where it was cut."""
    if text is None or len(text.encode("utf-8")) <= size:
        return text
    return text.encode("utf-8")[:size - len("…".encode())].decode("utf-8", errors="ignore") + "…"


def chain_note(conn: psycopg.Connection[Any], account: str, audit: AuditNote | None) -> None:
    if audit is not None:
        pg_audit.append_entry(conn, new_entry(audit.operation, account, audit.result, **audit.fields))


def check_record_key(namespace: str, key: str) -> None:
    """Non-empty (openGauss reads '' as NULL) and within the columns' sizes."""
    if not 0 < len(namespace) <= 64 or not 0 < len(key) <= 512:
        raise OaspecError(f"record {namespace!r}/{key!r}: the namespace must be 1-64 characters and the key 1-512")


def same_account(lease: Lease | None, account: str) -> Lease | None:
    """The lease, if it is for this account: a run's lease must not fence writes to another account."""
    if lease is not None and lease.account != checked_account_id(account):
        raise FencedError(f"account {account}: the run holds the lock of {lease.account}, not this account's")
    return lease


def insert_revision(conn: psycopg.Connection[Any], account: str, revision: Revision, phase: str) -> None:
    """A new row; its ownership becomes the account's (a journal's too: a killed run may have made it all)."""
    status = "started" if phase == "started" else revision.status
    conn.execute("INSERT INTO oaspec_revisions (account, number, phase, status, body) VALUES (%s, %s, %s, %s, %s)",
                 (checked_account_id(account), revision.number, phase, status, json.dumps(revision.to_json())))
    write_managed(conn, account, revision.managed)


def write_managed(conn: psycopg.Connection[Any], account: str, managed: Managed) -> None:
    body = json.dumps({kind: sorted(items) for kind, items in sorted(managed.items())})
    if conn.execute("UPDATE oaspec_ownership SET body = %s, updated_at = now() WHERE account = %s",
                    (body, account)).rowcount == 0:
        conn.execute("INSERT INTO oaspec_ownership (account, body) VALUES (%s, %s)", (account, body))


def check_fence(conn: psycopg.Connection[Any], lease: Lease, lock: bool) -> None:
    """FencedError unless `lease` still holds its account's lock (`lock`: under the lock row's row lock)."""
    row = conn.execute("SELECT fencing_token, lock_id, holder, host FROM oaspec_locks WHERE account = %s"
                       + (" FOR UPDATE" if lock else ""), (lease.account,)).fetchone()
    if row is not None and int(row[0]) == lease.fencing_token and row[1] == lease.lock_id:
        return
    now = "released" if row is None or row[1] is None else f"held by {row[2]}@{row[3]} (token {row[0]})"
    raise FencedError(f"account {lease.account}: this run's lock {lease.lock_id} (token {lease.fencing_token}) "
                      f"was lost, the lock is now {now}; this write was refused and nothing was written; "
                      "plan again")


def holder_fields(info: LockInfo) -> dict[str, object]:
    """A released lock's holder, as `oaspec unlock`'s audit entry records it."""
    return {"lock_id": info.lock_id, "fencing_token": info.fencing_token, "holder": info.holder, "host": info.host,
            "operation": info.operation, "pid": info.pid, "ci_job_url": info.ci_job_url,
            "acquired_at": info.acquired_at.isoformat()}


def lost_connection(exc: BaseException) -> bool:
    """Whether a BackendError came from the connection failing (down, cut off), not from what was asked."""
    import psycopg

    return isinstance(exc.__context__, psycopg.OperationalError)


def stored_as(conn: psycopg.Connection[Any], account: str, number: int) -> tuple[str, str] | None:
    """(phase, body) of a revision's row, None when there is none."""
    row = conn.execute("SELECT phase, body FROM oaspec_revisions WHERE account = %s AND number = %s",
                       (account, number)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def locked_error(account: str, waited: float, info: LockInfo | None) -> LockedError:
    """Why the lock could not be taken, naming its holder and how to release it."""
    if info is None:
        return LockedError(f"account {account} is locked by runs that keep taking it; run again")
    waited_text = f" after waiting {waited:g}s" if waited > 0 else ""
    return LockedError(f"account {account} is locked{waited_text} by {info.describe()}; wait for it "
                       "(--lock-timeout SECONDS), let its lease expire if that run died, or if it is stuck, "
                       f"release it with `oaspec unlock {account} --lock-id {info.lock_id} --force`")


def lock_row(conn: psycopg.Connection[Any], account: str, lock: bool) -> LockInfo | None:
    suffix = " FOR UPDATE" if lock else ""
    row = conn.execute(f"SELECT {LOCK_COLUMNS}, expires_at > now() FROM oaspec_locks WHERE account = %s{suffix}",
                       (account,)).fetchone()
    if row is None or row[1] is None:
        return None
    return LockInfo(account=row[0], lock_id=row[1], fencing_token=int(row[2]), holder=row[3], host=row[4],
                    operation=row[5], pid=row[6], ci_job_url=row[7], acquired_at=row[8], expires_at=row[9],
                    live=bool(row[10]))


def recorded_ownership(conn: psycopg.Connection[Any], account: str, where: str) -> Managed:
    """The ownership row, held to the newest revision's (the files state reads only that): the row is outside
    every record a reviewer sees, and an edited one (or one for an account with no revision) would hand a plan
    objects oaspec never made. One statement, so one snapshot: a run that starts meanwhile is no mismatch.
    OaspecError when the newest revision cannot be read: the row was written with it, so nothing vouches for
    the row, and no older revision stands in (see unknown_ownership)."""
    newest = "FROM oaspec_revisions WHERE account = %s ORDER BY number DESC LIMIT 1"
    row = conn.execute(f"SELECT (SELECT body FROM oaspec_ownership WHERE account = %s), (SELECT number {newest}), "
                       f"(SELECT body {newest})", (account, account, account)).fetchone()
    owned_text, number, revision_text = row if row is not None else (None, None, None)
    body = {} if owned_text is None else loaded(str(owned_text), f"{where}: ownership of {account}")
    owned = _listed(body)
    try:
        recorded = {} if revision_text is None else stored_json.parse_object(str(revision_text)).get("managed")
    except ValueError as exc:
        raise OaspecError(f"{where}: revision {number} of account {account} is corrupt ({exc}); restore the row "
                          f"from the database's backup; {unknown_ownership(account)}") from None
    if _sets(owned) != _sets(recorded):
        what = f"revision {number} recorded" if number is not None else "any revision recorded (there is none)"
        raise OaspecError(f"{where}: what oaspec manages on {account} (oaspec_ownership) is not what {what}: the "
                          "row was changed outside oaspec; restore it from the database's backup before planning "
                          "(it decides what oaspec may delete)")
    return owned


def _listed(managed: object) -> Managed:
    """Ownership as stored: each kind's identities as a list of strings."""
    if not isinstance(managed, dict):
        return {}
    return {str(kind): [str(i) for i in items] for kind, items in managed.items() if isinstance(items, list)}


def _sets(managed: object) -> dict[str, frozenset[str]]:
    """Ownership as compared: each kind's identities as a set, kinds holding none left out."""
    if not isinstance(managed, dict):
        return {}
    return {str(kind): frozenset(map(str, items)) for kind, items in managed.items()
            if isinstance(items, list) and items}


def store_identity(conn: psycopg.Connection[Any]) -> str:
    """The store connected to: its database and schema by name, and the id made with its schema (sql/002), the
    same however the address is spelled or the server reached, naming no host, role or password."""
    row = conn.execute("SELECT current_schema(), (SELECT store_id FROM oaspec_store WHERE id = 1)").fetchone()
    schema, store = (str(row[0]), str(row[1])[:12]) if row else ("?", "?")
    return f"PostgreSQL state, database {conn.info.dbname}, schema {schema} (store {store})"


def account_entries(conn: psycopg.Connection[Any], account: str) -> list[str]:
    """The audit entries that may be `account`'s, in the trail's order (the caller parses them, as audit_numbers.py
    does: the last digest of what oaspec manages that an entry records for a revision is the one that stands)."""
    needle = audit_numbers.needle_for(checked_account_id(account))
    rows = conn.execute("SELECT entry FROM oaspec_audit WHERE strpos(entry, %s) > 0 ORDER BY seq", (needle,))
    return [str(text) for (text,) in rows.fetchall()]


def revision_place(state: str, account: str, number: int) -> str:
    """A revision row as errors name it."""
    return f"{state}: revision {number} of account {account}"


def revision_from(text: str, what: str, place: tuple[str, int] | None = None) -> Revision:
    """A stored revision, upgraded to the schema this oaspec reads, as history/revisions.py reads a file; one naming
    another account or number than its row's `place` is corrupt."""
    try:
        record = REVISIONS.upgrade(loaded(text, what), SCHEMA_VERSION)
        if place is not None:
            misplaced(record, *place)
        return Revision.from_json(record)
    except (ValueError, KeyError, TypeError) as exc:
        raise OaspecError(f"{what} is corrupt ({exc}); restore it from the database's backup") from None


def loaded(text: str, what: str) -> Json:
    try:
        return stored_json.parse_object(text)
    except ValueError as exc:
        raise OaspecError(f"{what} is corrupt ({exc}); restore it from the database's backup") from None
