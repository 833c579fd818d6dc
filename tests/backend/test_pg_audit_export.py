"""`audit export` on PostgreSQL ships what it verified, in one snapshot (review 52).

It verified the trail in one snapshot and then exported it in another: an entry another runner committed in
between was shipped though no verification had covered it, so "the log is verified first" covered fewer rows
than were exported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oa_spec.backend import pg_audit
from oa_spec.backend.postgres import PostgresBackend
from tests.backend.runners import local_spec, oaspec, write_spec


def test_audit_export_ships_only_the_entries_it_verified_while_another_runner_appends(
        tmp_path: Path, pg_dsn: str, backend: PostgresBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    write_spec(tmp_path, local_spec())
    for i in range(3):
        backend.audit_append("unlock", f"bank{i}", "not held", lock_id="00000000000000aa")
    other, appended = PostgresBackend.open(pg_dsn), [0]
    real_check = pg_audit._check

    def check_and_let_another_runner_append(seq: int, *args: Any) -> Any:
        if seq == 3 and not appended[0]:  # the verification has read every row: another runner commits one
            other.audit_append("unlock", "runner2", "not held", lock_id="00000000000000bb")
            appended[0] += 1
        return real_check(seq, *args)

    monkeypatch.setattr(pg_audit, "_check", check_and_let_another_runner_append)
    try:
        exported = oaspec(tmp_path, pg_dsn, "audit", "export", "--since", "2000-01-01", process=False)
    finally:
        other.close()
    assert exported.returncode == 0, exported.stderr
    assert appended == [1]
    accounts = [json.loads(line)["account"] for line in exported.stdout.splitlines()]
    assert accounts == ["bank0", "bank1", "bank2"]  # not runner2's entry, which no verification covered
    assert backend.audit_head()[0] == 4 and backend.audit_verify() is None
