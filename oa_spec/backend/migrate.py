"""`oaspec state migrate`: copy a files state directory into PostgreSQL, then prove the copy.

Copied: every account's revisions (history/ACCOUNT/NNNNNN.json, as Revision JSON), what oaspec manages
on each account (the files backend keeps it in the newest readable revision) and the audit trail
(audit.log, entry for entry with its hashes, so the head hash recorded outside stays valid) and each
account's content record (content/ACCOUNT.json: drafts, uploaded images, sends). Not copied:
locks (the copy holds every account's lock and publish lock: a run in progress must finish first) and
the `local` provider's emulated accounts, which are the platform's stand-in rather than oaspec's state.

Everything is copied in one transaction, into a database that holds none of it yet. A journal a killed
run left behind (not yet reconciled) is copied as a journal, so the first apply on the new state
reconciles it as the files state would have. Before that transaction commits, the copy is read back on
its connection and compared: revision numbers and records equal, ownership equal, content records
equal, the chain verifies and its head equals the files log's head. Any failure, of the copy or of the
check, rolls it all back: the target is left as it was.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from oa_spec.backend.base import Json, Managed
from oa_spec.backend.pg_audit import store_entry
from oa_spec.backend.pg_content import NAMESPACE as CONTENT
from oa_spec.backend.pg_rows import insert_revision, write_managed
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.content.publish_lock import holding_publish
from oa_spec.content.record import ContentRecord
from oa_spec.errors import OaspecError
from oa_spec.history import ACCOUNT_ID, audit, stored_json
from oa_spec.history.lock import account_lock
from oa_spec.history.revisions import Revision, RevisionStore


class MigrationError(OaspecError):
    pass


@dataclass
class AccountCopy:
    revisions: dict[int, Revision]
    managed: Managed


@dataclass
class MigrateResult:
    target: str  # the redacted address
    revisions: dict[str, list[int]]  # account -> numbers copied
    audit_entries: int
    head_hash: str
    content: list[str] = field(default_factory=list)  # accounts whose content record was copied


def read_files_state(state_dir: Path) -> tuple[dict[str, AccountCopy], list[Json]]:
    """Every account's revisions and ownership, and the verified audit entries, of a files state."""
    history = state_dir / "history"
    accounts: dict[str, AccountCopy] = {}
    if history.is_dir():
        for folder in sorted(p for p in history.iterdir() if p.is_dir() and ACCOUNT_ID.fullmatch(p.name)):
            store = RevisionStore(state_dir, folder.name)
            managed = store.managed()
            accounts[folder.name] = AccountCopy({n: store.get(n) for n in store.numbers()},
                                                {kind: sorted(items) for kind, items in managed.items()})
    log = audit.log_path(state_dir)
    if not log.exists():
        return accounts, []
    problem = audit.verify(log)
    if problem is not None:
        raise MigrationError(f"{problem}; the audit trail does not verify, so it cannot be copied as evidence: "
                             "restore it from backup before migrating")
    return accounts, [stored_json.parse_object(text) for _, text in audit.read_lines(log)]


def read_content_records(state_dir: Path) -> dict[str, Json]:
    """Every account's content record (read as publish reads it, so a damaged one stops the copy)."""
    folder = state_dir / "content"
    names = sorted(p.stem for p in folder.glob("*.json") if ACCOUNT_ID.fullmatch(p.stem)) if folder.is_dir() else []
    return {name: ContentRecord(state_dir, name).load().to_json() for name in names}


def migrate(state_dir: Path, target: PostgresBackend) -> MigrateResult:
    """Copy under every account's lock and publish lock: a run in progress (its journal written, its outcome
    not yet) would finish into the files after the copy, and the database would call it interrupted."""
    with ExitStack() as held:
        for account in _account_ids(state_dir):
            # every account's, first (it looks for the account lock itself): a first publish holds it before it
            # has written any record
            held.enter_context(holding_publish(state_dir, account, "state migrate", 0.0))
            held.enter_context(account_lock(state_dir, account, "state migrate"))
        return _copy(state_dir, target)


def _account_ids(state_dir: Path) -> list[str]:
    """Every account the files state knows, and every one whose lock is held (a first apply has no history yet)."""
    folders = [state_dir / "history", state_dir / "content", state_dir / "locks"]
    names = {p.name if p.is_dir() else p.stem for folder in folders if folder.is_dir() for p in folder.iterdir()
             if p.is_dir() or p.suffix in (".json", ".lock")}
    return sorted(name for name in names if ACCOUNT_ID.fullmatch(name))


def _copy(state_dir: Path, target: PostgresBackend) -> MigrateResult:
    accounts, entries = read_files_state(state_dir)
    content = read_content_records(state_dir)
    if not accounts and not entries:
        raise MigrationError(f"{state_dir}: no history or audit log to migrate (is this the state directory?)")
    _refuse_non_empty(target, accounts)
    for account in content:
        if target.get_record(CONTENT, account) is not None:
            raise MigrationError(f"{target.describe()} already holds the content record of {account}; migrate into "
                                 "a database (or schema) that has none")
    try:
        with target.transaction("copying the files state") as conn:
            _insert(conn, accounts, entries, content)
            result = _verified(state_dir, target, accounts, entries)  # read back on the same connection: before
            _same_content(target, content)  # the commit, so a failed check rolls the whole copy back
    except MigrationError as exc:
        raise MigrationError(f"{exc}; nothing was copied: the copy was rolled back, the database is as it was. "
                             f"Check the files state (`oaspec --state-dir {state_dir} audit verify`, `state doctor`) "
                             "and the database (a trigger or rule that changes rows), then migrate again") from None
    result.content = sorted(content)
    return result


def _insert(conn: psycopg.Connection[Any], accounts: dict[str, AccountCopy], entries: list[Json],
            content: dict[str, Json]) -> None:
    for account, body in content.items():
        conn.execute("INSERT INTO oaspec_records (namespace, record_key, body) VALUES (%s, %s, %s)",
                     (CONTENT, account, json.dumps(body)))
    for account, copy in accounts.items():
        for revision in copy.revisions.values():
            insert_revision(conn, account, revision, "started" if revision.open_journal else "final")
        write_managed(conn, account, copy.managed)
    for entry in entries:
        store_entry(conn, entry)


def _same_content(target: PostgresBackend, content: dict[str, Json]) -> None:
    for account, body in content.items():
        if target.get_record(CONTENT, account) != body:
            raise MigrationError(f"{target.describe()}: the content record of {account} differs from the files'")


def _refuse_non_empty(target: PostgresBackend, accounts: dict[str, AccountCopy]) -> None:
    for account in accounts:
        if target.next_number(account) != 1:
            raise MigrationError(f"{target.describe()} already holds revisions of account {account}; migrate into "
                                 "a database (or schema) that has none")
    if target.audit_head()[0]:
        raise MigrationError(f"{target.describe()} already holds an audit trail; two chains cannot be merged, "
                             "migrate into a database (or schema) that has none")


def _verified(state_dir: Path, target: PostgresBackend, accounts: dict[str, AccountCopy],
              entries: list[Json]) -> MigrateResult:
    for account, copy in accounts.items():
        if target.numbers(account) != sorted(copy.revisions):
            raise MigrationError(f"{target.describe()}: account {account} has revisions {target.numbers(account)} "
                                 f"after the copy, expected {sorted(copy.revisions)}")
        for number, revision in copy.revisions.items():
            if target.get(account, number).to_json() != revision.to_json():
                raise MigrationError(f"{target.describe()}: revision {number} of {account} differs from the copied one")
        if target.managed(account) != copy.managed:
            raise MigrationError(f"{target.describe()}: ownership of {account} differs from the files state")
    verified = target.audit_check()
    if verified.fault is not None:
        raise MigrationError(f"{target.describe()}: the copied audit trail does not verify: {verified.fault}")
    count, head_hash = verified.entries, verified.head
    expected = audit.head(audit.log_path(state_dir)) if entries else (0, audit.GENESIS)
    if (count, head_hash) != expected:
        raise MigrationError(f"{target.describe()}: the copied audit trail ends at {count} entries, {head_hash}; "
                             f"the files log at {expected[0]}, {expected[1]}")
    return MigrateResult(target.describe(), {a: sorted(c.revisions) for a, c in accounts.items()}, count, head_hash)
