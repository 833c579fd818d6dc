"""`oaspec import` carries the given spec's deployment settings (attack review 71 F1). It dropped `freeze:` (the
bank's and the account's) and `state:`, silently: an apply of the imported spec went ahead inside a freeze window
without `--override-freeze`, and wrote its revision to a new files state instead of the bank's shared database."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from oa_spec.plan.importer import import_account
from oa_spec.plan.workspace import Workspace
from testing.cli import Cli

# The attack's repro (/tmp/attack71/keep/fz-oaspec.yaml): the fixed clock (2026-11-25) is inside the window.
SPEC = """\
version: 1
bank: 示例银行
{bank}policies:
  packs: [cn-bank]
accounts:
  - id: demo
    name: 示例银行
    type: service
    provider: {{type: local}}
{account}    menu:
      - {{name: 账户查询, type: click, key: ACCOUNT_QUERY}}
      - {{name: 客服热线, type: view, url: https://m.bank.example.cn/kefu}}
    replies:
      subscribe: {{text: 欢迎关注示例银行。客服热线95000。}}
"""
BANK_FREEZE = "freeze:\n  - {name: 全年冻结, from_date: 2026-01-01, to_date: 2027-12-31}\n"
ACCOUNT_SETTINGS = """\
    freeze:
      - {name: 春节, from: 2026-01-01, to: 2027-12-31}
      - {name: 月末, month_end_days: 3}
    guards: {max_destroy: {menu: 2}, max_delete_percent: 10}
    capabilities: {strict: false}
    prune: {tags: true}
    rollout: {max_phase: 2}
"""
REFUSED = "apply refused inside the freeze window"


def _spec(tmp_path: Path, bank: str = "", account: str = "") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(bank=bank, account=account), encoding="utf-8")
    return path


def _import_and_edit(cli: Cli, spec: Path) -> tuple[dict[str, Any], str]:
    """Apply the spec (an approved override), import it, and edit the imported spec's welcome."""
    applied = cli("apply", "-f", str(spec), "--auto-approve", "--override-freeze", "--reason", "first")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    out = cli("import", "--account", "demo", "-f", str(spec), "--out", "imp.yaml")
    assert out.returncode == 0, out.stdout + out.stderr
    imported = spec.parent / "imp.yaml"
    text = imported.read_text(encoding="utf-8")
    imported.write_text(text.replace("欢迎关注示例银行。", "欢迎关注示例银行！"), encoding="utf-8")
    return yaml.safe_load(text), text


def test_an_apply_of_the_imported_spec_is_refused_inside_the_banks_freeze(cli: Cli, tmp_path: Path) -> None:
    spec = _spec(tmp_path, bank=BANK_FREEZE)
    written, text = _import_and_edit(cli, spec)
    window = {"name": "全年冻结", "from": datetime.date(2026, 1, 1), "to": datetime.date(2027, 12, 31)}
    assert written["freeze"] == [window]  # `from:`/`to:`, as README writes them; the same window
    assert f"# Deployment settings: copied from {spec} as it declares them: the bank's freeze\n" in text
    refused = cli("apply", "-f", "imp.yaml", "--auto-approve")
    assert refused.returncode == 1 and f"demo: {REFUSED} 全年冻结" in refused.stderr, refused.stdout + refused.stderr
    assert cli("apply", "-f", "imp.yaml", "--auto-approve", "--override-freeze", "--reason", "t").returncode == 0


def test_the_accounts_freeze_guards_capabilities_prune_and_rollout_are_carried_as_declared(
        cli: Cli, tmp_path: Path) -> None:
    spec = _spec(tmp_path, account=ACCOUNT_SETTINGS)
    written, text = _import_and_edit(cli, spec)
    given = yaml.safe_load(spec.read_text(encoding="utf-8"))["accounts"][0]
    for key in ("freeze", "guards", "capabilities", "prune", "rollout"):
        assert written["accounts"][0][key] == given[key], key
    assert "demo's freeze, demo's guards, demo's capabilities, demo's prune, demo's rollout" in text
    refused = cli("apply", "-f", "imp.yaml", "--auto-approve")
    assert refused.returncode == 1 and f"demo: {REFUSED} 春节" in refused.stderr, refused.stdout + refused.stderr


def test_the_imported_spec_names_the_same_state(cli: Cli, tmp_path: Path) -> None:
    """Import itself opens the state the spec names (a database here), so the import is run in process; the
    imported spec's plan then asks for the same database instead of starting a new files state."""
    spec = _spec(tmp_path, bank="state: {variable: OASPEC_STATE_PROD}\n")
    ws = Workspace.open(spec, tmp_path / ".oaspec")
    account = ws.account("demo").spec
    text, _ = import_account(account, ws.provider(account), tmp_path, {}, (ws.spec, str(spec)))
    assert yaml.safe_load(text)["state"] == {"variable": "OASPEC_STATE_PROD"}
    assert "the bank's state" in text
    (tmp_path / "imp.yaml").write_text(text, encoding="utf-8")
    planned = cli("plan", "-f", "imp.yaml", env={"OASPEC_STATE_PROD": None})
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert "the database named by OASPEC_STATE_PROD, which is not set here" in planned.stderr
