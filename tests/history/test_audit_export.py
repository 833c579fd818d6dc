"""`audit export` on the files state ships what it verified (review 52): an entry appended after the
verification is not exported unverified, and a log that changed in between is not exported at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.history import audit
from tests.conftest import Cli


def test_audit_export_ships_only_the_entries_it_verified_while_a_run_appends(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / ".oaspec"
    for i in range(3):
        audit.record_unlock(state, f"bank{i}", None)
    real_head = audit.head

    def head_then_a_run_appends(path: Path) -> tuple[int, str]:
        found = real_head(path)
        audit.record_unlock(state, "runner2", None)  # another run's entry, after the verification
        return found

    monkeypatch.setattr(audit, "head", head_then_a_run_appends)
    exported = cli("audit", "export", "--since", "2000-01-01")
    assert exported.returncode == 0, exported.output
    assert [json.loads(line)["account"] for line in exported.stdout.splitlines()] == ["bank0", "bank1", "bank2"]


def test_audit_export_ships_what_it_verified_though_the_log_is_rewritten_meanwhile(cli: Cli, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / ".oaspec"
    for i in range(3):
        audit.record_unlock(state, f"bank{i}", None)
    log = audit.log_path(state)
    verified = log.read_text(encoding="utf-8")
    real_head = audit.head

    def head_then_the_log_is_rewritten(path: Path) -> tuple[int, str]:
        found = real_head(path)
        lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
        log.write_text("".join(lines[:2]), encoding="utf-8")  # the last entry removed in between
        return found

    monkeypatch.setattr(audit, "head", head_then_the_log_is_rewritten)
    exported = cli("audit", "export", "--since", "2000-01-01")
    assert exported.returncode == 0, exported.output  # one read verified and exported (review 53 F1)
    assert exported.stdout == verified
