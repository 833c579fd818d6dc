"""Who, when and from which commit a revision came is held to the audit trail too (attack review 78 F4).

The spec, live and ownership digests an outcome's audit entry records cover what a revision deploys, serves and
manages, not the rest of its record: the user, the time, the git commit and whether the work tree was clean, the CI
job, what landed, the live account it was recorded against. An edit of those passed `audit verify` and `state
doctor`, and `history` and `show` told it as the record. The outcome's (and a reconciliation's) entry now records the
digest of the whole record as written, and a record that no longer digests to it is reported like any edited
revision, and not rolled back to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from testing.accounts import BANK_HEAD, audit_entries, edit
from testing.cli import Cli

RECORD = ".oaspec/history/bank/000001.json"
ACCOUNT = """\
    menu:
      - {name: 客服, type: click, key: CS_V1}
"""


@pytest.fixture
def spec(cli: Cli, tmp_path: Path) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + ACCOUNT, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve", env={"OASPEC_USER": "zhangwei"}).returncode == 0
    edit(spec, "key: CS_V1", "key: CS_V2")
    assert cli("apply", "-f", str(spec), "--auto-approve", env={"OASPEC_USER": "zhangwei"}).returncode == 0
    return spec


def _edit_record(tmp_path: Path, **fields: object) -> None:
    path = tmp_path / RECORD
    record = json.loads(path.read_text(encoding="utf-8"))
    for name, value in fields.items():
        if name in record:
            record[name] = value
        else:
            record["provenance"][name] = value
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.mark.parametrize("fields", [
    {"user": "lisi"},  # another person took the change
    {"git_commit": "0" * 40, "git": {"commit": "0" * 40, "dirty": False, "diff_digest": None}},  # a reviewed commit
    {"applied": []},  # nothing landed, says history
    {"extra": {"live_account": "wx0000000000000000"}},  # recorded against another app
])
def test_an_edit_of_who_what_commit_or_what_landed_is_reported(cli: Cli, tmp_path: Path, spec: Path,
                                                               fields: dict[str, object]) -> None:
    assert cli("audit", "verify").returncode == 0
    _edit_record(tmp_path, **fields)
    verified = cli("audit", "verify")
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert f"{RECORD}: the audit trail records the digest" in verified.stderr, verified.stderr
    doctor = cli("state", "doctor")
    assert doctor.returncode == 1 and any(line.startswith("FAIL revisions") and RECORD in line
                                          for line in doctor.stdout.splitlines()), doctor.stdout
    shown = cli("show", "1", "--account", "bank", "-f", str(spec))
    assert RECORD in shown.stdout + shown.stderr and "edited" in shown.stdout + shown.stderr
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1 and "rollback refused" in refused.stderr, refused.stdout + refused.stderr
    assert all("record_digest" in e for e in audit_entries(tmp_path / ".oaspec") if e.get("result") == "applied")
