"""Files state: `audit export` ships exactly the bytes its verification read (review 53 F1).

Export verified the log in one read and exported a second read, compared only by the entry count and the last
entry's stored hash: an entry edited in between (its hash field kept) was shipped after a verification that
said intact, and with a torn last line nothing bounded the export, so entries appended after the verification
were shipped too. Here another process's write is made to land right after the verification's read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oa_spec.history import audit
from oa_spec.history.files import FilesState


def log_of_three(state: Path) -> Path:
    for i in range(3):
        audit.append(state, "apply", f"bank{i}", "ok")
    return audit.log_path(state)


def after_verification(monkeypatch: pytest.MonkeyPatch, change: Callable[[], object]) -> None:
    real = audit.verify

    def verify_then_change(path: Path) -> audit.AuditProblem | None:
        found = real(path)
        change()  # another process writes the log the moment the verification has read it
        return found

    monkeypatch.setattr(audit, "verify", verify_then_change)


def shipped(text: str) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in text.splitlines()]
    assert all(audit.entry_hash(entry) == entry["hash"] for entry in entries)  # each as hashed
    return entries


def test_an_entry_edited_after_the_verification_is_not_exported(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    log = log_of_three(tmp_path)
    original = log.read_bytes()

    def edit_entry_two() -> None:
        lines = log.read_text(encoding="utf-8").splitlines(True)
        entry = json.loads(lines[1])
        entry["user"], entry["result"] = "someone-else", "failed"  # its hash field kept
        lines[1] = audit.canonical(entry) + "\n"
        log.write_text("".join(lines), encoding="utf-8")

    after_verification(monkeypatch, edit_entry_two)
    check, text = FilesState(tmp_path).audit.verified_export(date(2000, 1, 1))
    assert check.problem is None and check.entries == 3
    assert text.encode("utf-8") == original  # the verified bytes, not the edited ones
    assert [entry["result"] for entry in shipped(text)] == ["ok", "ok", "ok"]


def test_with_a_torn_tail_only_the_verified_entries_are_exported(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    log = log_of_three(tmp_path)
    whole = log.read_bytes()
    with log.open("ab") as f:
        f.write(b'{"schema_version": 1, "ti')  # a write cut short

    after_verification(monkeypatch, lambda: audit.append(tmp_path, "apply", "runner2", "ok"))
    check, text = FilesState(tmp_path).audit.verified_export(date(2000, 1, 1))
    assert check.torn and check.problem is not None and str(log) in check.problem
    assert text.encode("utf-8") == whole  # the three whole entries before the torn line, nothing appended since
    assert [entry["account"] for entry in shipped(text)] == ["bank0", "bank1", "bank2"]
