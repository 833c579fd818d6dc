"""An edited revision is never rolled back to (attack review 68, F4): a revision's spec_digest is the digest of its
desired state, and each of its audit entries records that digest, so a record changed after it was written (a
menu link pointed at a phishing page) disagrees with itself or with the audit trail. Rollback refuses it, naming
the file; `audit verify` and `state doctor` report it, and `show` warns of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.history.integrity import desired_digest
from oa_spec.kinds.state import AccountState, Menu
from oa_spec.providers.local import LocalProvider
from testing.accounts import BANK_HEAD, audit_entries, edit
from testing.cli import Cli

RECORD = ".oaspec/history/bank/000001.json"  # as the commands name it, from the spec's directory
BALANCE, PHISH = "https://m.bank.example.cn/balance", "https://m.bank.example.cn/phish-login"
ACCOUNT = f"""\
    menu:
      - {{name: 余额, type: view, url: "{BALANCE}"}}
      - {{name: 客服, type: click, key: CS_V1}}
"""


@pytest.fixture
def spec(cli: Cli, tmp_path: Path) -> Path:
    """Revision 1 (CS_V1) and revision 2 (CS_V2) of account `bank`, then revision 1's file edited by hand: its
    balance button (in its desired state and the live states alike) now opens a phishing page."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + ACCOUNT, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    edit(spec, "key: CS_V1", "key: CS_V2")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    edit_all(revision_file(tmp_path), BALANCE, PHISH)
    return spec


def revision_file(tmp_path: Path) -> Path:
    return tmp_path / RECORD


def live_urls(tmp_path: Path) -> list[str]:
    menu = LocalProvider("bank", tmp_path / ".oaspec").read().menu or Menu(())
    return [button.url or "" for button in menu.buttons]


def test_a_rollback_to_an_edited_revision_is_refused(cli: Cli, tmp_path: Path, spec: Path) -> None:
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"bank: rollback refused: {RECORD}: its desired state digests to sha256:" \
        in refused.stderr, refused.stderr
    assert "nothing was written" in refused.stderr and "restore the record from a backup" in refused.stderr
    assert PHISH not in refused.stdout and live_urls(tmp_path) == [BALANCE, ""]
    assert audit_entries(tmp_path / ".oaspec")[-1]["refusal"] == "edited-history"


def test_a_revision_edited_with_a_matching_spec_digest_disagrees_with_its_audit_entry(cli: Cli, tmp_path: Path,
                                                                                     spec: Path) -> None:
    path = revision_file(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    written = record["spec_digest"]
    record["spec_digest"] = desired_digest(AccountState.from_json(record["desired"]))  # the editor recomputed it
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1
    assert f"the audit trail records spec_digest {written} for it" in refused.stderr, refused.stderr
    assert live_urls(tmp_path) == [BALANCE, ""]


def test_a_revision_whose_audit_entries_were_edited_to_match_is_not_rolled_back_to(cli: Cli, tmp_path: Path,
                                                                                 spec: Path) -> None:
    path = revision_file(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    written, record["spec_digest"] = record["spec_digest"], desired_digest(AccountState.from_json(record["desired"]))
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    edit_all(tmp_path / ".oaspec" / "audit.log", written, record["spec_digest"])  # the hash chain breaks
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1
    assert "bank: rollback refused: the audit trail does not verify (" in refused.stderr, refused.stderr
    assert live_urls(tmp_path) == [BALANCE, ""]


def edit_all(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_revision_the_audit_trail_has_no_entry_for_is_not_rolled_back_to(cli: Cli, tmp_path: Path,
                                                                           spec: Path) -> None:
    edit_all(revision_file(tmp_path), PHISH, BALANCE)  # as written
    (tmp_path / ".oaspec" / "audit.log").unlink()  # a trail started after the revision, or lost
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1
    assert "the audit trail has no entry for it" in refused.stderr, refused.stderr
    assert audit_entries(tmp_path / ".oaspec")[-1]["refusal"] == "edited-history"


def test_audit_verify_state_doctor_and_show_report_an_edited_revision(cli: Cli, tmp_path: Path, spec: Path) -> None:
    verified = cli("audit", "verify")
    assert verified.returncode == 1, verified.stdout
    assert f"{RECORD}: its desired state digests to" in verified.stderr, verified.stderr
    doctor = cli("state", "doctor")
    assert doctor.returncode == 1
    assert any(line.startswith("FAIL revisions") and RECORD in line
               for line in doctor.stdout.splitlines()), doctor.stdout
    shown = cli("show", "1", "--account", "bank", "-f", str(spec))
    assert f"warning: {RECORD}: its desired state digests to" in shown.stderr, shown.stderr
    assert cli("show", "2", "--account", "bank", "-f", str(spec)).stderr == ""
