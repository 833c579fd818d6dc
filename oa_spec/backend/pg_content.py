"""An account's content record in the PostgreSQL state (State.content): which draft is which article,
which images are uploaded, and every send of `oaspec publish`, so CI runners that start empty publish
each slot exactly once and never make a second draft for an article.

One row of oaspec_records (namespace `content`, key the account) holding the same JSON as the files
state's STATE_DIR/content/ACCOUNT.json. A change reads the row under its row lock and writes it back in
the same transaction, so two runs never lose each other's changes. A publish run holds the account's
lock (the one apply takes, with its lease and heartbeat): a second publish, or an apply, waits for it,
and the run's changes to the record are fenced by its lease in the transaction that writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from oa_spec.backend.pg_rows import loaded
from oa_spec.content.record import Record, lock_wait, parse_record
from oa_spec.history import checked_account_id

if TYPE_CHECKING:
    from oa_spec.backend.pg_state import PostgresState
    from oa_spec.content.record import ContentStore
    from oa_spec.history.state import Lease

NAMESPACE = "content"


class PostgresContent:
    def __init__(self, state: PostgresState, account: str) -> None:
        self.account = checked_account_id(account)
        self._state = state
        self.where = f"{state.describe()}: the content record of {account}"
        self._lease: Lease | None = None  # while publishing(): every change is fenced by it

    def load(self) -> Record:
        body = self._state.backend.get_record(NAMESPACE, self.account)
        return Record() if body is None else parse_record(body, self.where)

    def others_drafts(self) -> dict[str, str]:
        records = self._state.backend.list_records(NAMESPACE)
        where = f"{self._state.describe()}: the content record of"
        return {entry.draft_id: key for key, body in records.items() if key != self.account
                for entry in parse_record(body, f"{where} {key}").drafts.values()}

    @contextmanager
    def edit(self) -> Iterator[Record]:
        """The record to change; written back when the block ends without an exception."""
        backend = self._state.backend
        if backend.get_record(NAMESPACE, self.account) is None:  # a row to lock; a concurrent insert wins
            backend.insert_record(NAMESPACE, self.account, Record().to_json())
        with backend.transaction(f"updating the content record of {self.account}", self._lease) as conn:
            row = conn.execute("SELECT body FROM oaspec_records WHERE namespace = %s AND record_key = %s FOR UPDATE",
                               (NAMESPACE, self.account)).fetchone()
            record = parse_record(None if row is None else loaded(str(row[0]), self.where), self.where)
            yield record
            conn.execute("UPDATE oaspec_records SET body = %s, updated_at = now() WHERE namespace = %s AND "
                         "record_key = %s", (json.dumps(record.to_json()), NAMESPACE, self.account))

    @contextmanager
    def publishing(self) -> Iterator[Callable[[], None]]:
        """The account's lock, the one apply takes; the check refuses a run whose lease was taken over."""
        with self._state.lock(self.account, "publish", lock_wait()) as lease:
            self._lease = lease  # checked in the transaction that writes the record, not only before it
            try:
                yield lambda: self._state.backend.check(lease)
            finally:
                self._lease = None


if TYPE_CHECKING:
    def _is_a_store(store: PostgresContent) -> ContentStore:
        return store  # mypy proves it implements the whole interface
