"""What oaspec manages, as the newest revision records it, is held to the audit trail (attack review 78 F2).

A revision's `managed` list decides what a plan may delete as oaspec's own and what the spec may take over without
`adopt:`. The spec digest and the live digest the trail records do not cover it, so a name added to it by hand (a
tag the CRM made) passed `audit verify` and `state doctor`, and the next plan deleted the CRM's tag as oaspec's. The
outcome's (and a reconciliation's) audit entry records the digest of the list; a record that disagrees is reported,
and plan, apply and rollback of the account are refused, naming the file, as for a newest record that cannot be
read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState
from oa_spec.providers.local import LocalProvider
from testing.accounts import BANK_HEAD, audit_entries, edit
from testing.cli import Cli

RECORD = ".oaspec/history/bank/000002.json"
ACCOUNT = """\
    tags:
      - name: 高净值客户
    menu:
      - {name: 客服, type: click, key: CS_V1}
"""
CRM_TAG = "CRM客户"


@pytest.fixture
def spec(cli: Cli, tmp_path: Path) -> Path:
    """Two revisions of account `bank`, a tag the CRM made on the live account, and the newest record's `managed`
    edited by hand to list that tag as oaspec's."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + ACCOUNT, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    edit(spec, "key: CS_V1", "key: CS_V2")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    provider = LocalProvider("bank", tmp_path / ".oaspec")
    live = provider.read()
    _save_live(tmp_path, AccountState.from_json({**live.to_json(), "tags": [
        *live.to_json()["tags"], {"name": CRM_TAG, "id": 200}]}))
    record = tmp_path / RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["managed"]["tags"] = sorted([*data["managed"]["tags"], CRM_TAG])
    data["managed"]["tag_ids"] = sorted([*data["managed"].get("tag_ids", []), f"200={CRM_TAG}"])
    record.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return spec


def _save_live(tmp_path: Path, state: AccountState) -> None:
    path = tmp_path / ".oaspec" / "local" / "bank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"] = state.to_json()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _live_tags(tmp_path: Path) -> list[str]:
    return [t.name for t in LocalProvider("bank", tmp_path / ".oaspec").read().tags]


def test_an_edited_ownership_list_is_reported_by_audit_verify_and_state_doctor(cli: Cli, tmp_path: Path,
                                                                                spec: Path) -> None:
    assert CRM_TAG in _live_tags(tmp_path)
    for command in (("audit", "verify"), ("state", "doctor")):
        checked = cli(*command)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert RECORD in checked.stdout + checked.stderr and "managed" in checked.stdout + checked.stderr


def test_plan_apply_and_rollback_refuse_an_account_whose_ownership_list_was_edited(cli: Cli, tmp_path: Path,
                                                                                   spec: Path) -> None:
    entries = len(audit_entries(tmp_path / ".oaspec"))
    planned = cli("plan", "-f", str(spec))
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert RECORD in planned.stderr and "until then what oaspec manages on bank is unknown" in planned.stderr
    assert f"- tag {CRM_TAG}" not in planned.stdout
    for command in (("apply", "-f", str(spec), "--auto-approve"),
                    ("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")):
        refused = cli(*command)
        assert refused.returncode == 1 and RECORD in refused.stderr, refused.stdout + refused.stderr
    assert CRM_TAG in _live_tags(tmp_path)  # the CRM's tag is still there
    assert len(audit_entries(tmp_path / ".oaspec")) >= entries


def test_an_ownership_list_as_recorded_passes(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + ACCOUNT, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    assert all("managed_digest" in e for e in audit_entries(tmp_path / ".oaspec") if e.get("result") == "applied")
    assert cli("audit", "verify").returncode == 0
    assert cli("plan", "-f", str(spec), "--detailed-exitcode").returncode == 0


def test_a_newest_revision_written_by_hand_is_not_trusted_for_what_oaspec_manages(cli: Cli, tmp_path: Path,
                                                                                  spec: Path) -> None:
    """A record the trail has no entry for, put after the newest (a copy of it with the CRM's tag listed), is no way
    round the digest: plan is refused as for an edited newest record."""
    forged = json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))
    forged["number"] = 3
    (tmp_path / ".oaspec/history/bank/000003.json").write_text(json.dumps(forged, ensure_ascii=False),
                                                               encoding="utf-8")
    planned = cli("plan", "-f", str(spec))
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert ".oaspec/history/bank/000003.json: the audit trail has no entry for it" in planned.stderr
    assert f"- tag {CRM_TAG}" not in planned.stdout
