"""A rollback restores only a state that was live (attack review 49, F2): a revision that failed part-way or was
interrupted recorded a desired state that never was, so a rollback to it is refused, naming its status and the
nearest applied revision before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.apply.gates import RefusedError
from oa_spec.apply.rollback import rollback_plan
from oa_spec.apply.run import apply_plan
from oa_spec.emulator import EmulatorServer
from oa_spec.kinds.change import Change
from oa_spec.plan.workspace import Workspace
from oa_spec.providers.local import LocalProvider
from testing.accounts import BANK_HEAD, audit_entries, edit
from testing.cli import Cli
from testing.emulator import EmulatorAccount, fresh_account

APPID = "wx00000000000000d2"
SECRET_VAR, SECRET = "OASPEC_STATUS_SECRET", "status-secret-1"
ENV = {SECRET_VAR: SECRET}
ACCOUNT = """\
    tags:
      - name: 高净值客户
    menu:
      - {name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}
      - {name: 客服, type: click, key: CS_V1}
"""


def write_spec(tmp_path: Path, provider: str = "") -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + provider + ACCOUNT, encoding="utf-8")
    return spec


def test_a_rollback_to_a_revision_that_failed_part_way_is_refused(cli: Cli, tmp_path: Path,
                                                                 server: EmulatorServer) -> None:
    fresh_account(server.admin, EmulatorAccount(APPID, SECRET))
    spec = write_spec(tmp_path, f'    provider: {{type: wechat, app_id: {APPID}, app_secret: "${{{SECRET_VAR}}}", '
                                f'api_base: "{server.base_url}"}}\n')
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0  # revision 1: CS_V1
    edit(spec, "key: CS_V1", "key: CS_V2_NEVER_LIVE")
    edit(spec, "      - name: 高净值客户\n", "      - name: 高净值客户\n      - name: 银发客户\n")
    server.admin.fail(45009, path="menu/create", appid=APPID)
    failed = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)  # revision 2: the tag landed, the menu not
    assert failed.returncode == 1 and "applied 1 of 2 changes (revision 2)" in failed.stderr, failed.stderr
    server.admin.clear_faults()
    edit(spec, "key: CS_V2_NEVER_LIVE", "key: CS_V3")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0  # revision 3: CS_V3
    server.admin.clear_calls()
    refused = cli("rollback", "2", "--account", "bank", "-f", str(spec), "--auto-approve", env=ENV)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "CS_V2_NEVER_LIVE" not in refused.stdout
    assert "bank: rollback refused: revision 2 failed (1 of 2 changes landed)" in refused.stderr, refused.stderr
    assert "Revision 1 is the nearest applied revision before it" in refused.stderr
    assert not server.admin.writes(APPID)
    assert audit_entries(tmp_path / ".oaspec")[-1]["refusal"] == "not-applied"
    assert cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0


def test_a_rollback_to_an_interrupted_revision_is_refused(cli: Cli, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0  # revision 1
    edit(spec, "key: CS_V1", "key: CS_V2_NEVER_LIVE")
    real = LocalProvider.apply

    def killed(self: LocalProvider, change: Change) -> None:
        if change.kind == "menu":
            raise KeyboardInterrupt
        real(self, change)

    ws = Workspace.open(spec, tmp_path / ".oaspec")
    monkeypatch.setattr(LocalProvider, "apply", killed)
    with pytest.raises(KeyboardInterrupt):
        apply_plan(ws, ws.plan())  # revision 2: interrupted before its menu write
    ws.close()
    monkeypatch.setattr(LocalProvider, "apply", real)
    ws = Workspace.open(spec, tmp_path / ".oaspec")
    with pytest.raises(RefusedError) as refused:
        rollback_plan(ws, "bank", 2)
    assert "revision 2 was interrupted" in str(refused.value) and "Revision 1 is the nearest" in str(refused.value)
    assert refused.value.refusal == "not-applied"
