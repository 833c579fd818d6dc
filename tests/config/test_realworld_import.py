"""Real accounts' menus, against the emulator over loopback: a menu/get dump (two conditional menus with the
same privacy rule, one stale) imported, then cleaned up in one reviewed plan; and ten real menus imported as
they are live, each planned to no change."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from oa_spec.emulator import EmulatorServer
from testing.cli import Cli, Result
from testing.emulator import allowed_emulator

APP_ID = "wx00000000000lease"
SECRET_ENV = {"OASPEC_LEASE_SECRET": "lease-secret-for-tests"}
FIXTURE = Path(__file__).parent.parent / "fixtures" / "leasewechat_menu_get_dump.json"


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with allowed_emulator() as server:
        server.admin.register_app(APP_ID, SECRET_ENV["OASPEC_LEASE_SECRET"])
        dump = json.loads(FIXTURE.read_text(encoding="utf-8"))
        server.admin.seed(APP_ID, {**dump, "tags": [{"id": 104, "name": "融资客户", "count": 5}]})
        yield server


def import_lease(cli: Cli, tmp_path: Path, emulator: EmulatorServer) -> Result:
    """`oaspec import` of the account into imported.yaml, from a spec that names only its provider."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(f"""\
version: 1
bank: 融资租赁
accounts:
  - id: lease
    name: 融资租赁服务号
    provider:
      {{type: wechat, app_id: {APP_ID}, app_secret: "${{OASPEC_LEASE_SECRET}}", api_base: "{emulator.base_url}"}}
""", encoding="utf-8")
    imported = cli("import", "--account", "lease", "-f", str(spec), "--out", "imported.yaml", env=SECRET_ENV)
    assert imported.returncode == 0, imported.stderr
    return imported


def test_import_then_clean_up_stale_conditional_menus(cli: Cli, tmp_path: Path, emulator: EmulatorServer) -> None:
    imported = import_lease(cli, tmp_path, emulator)
    assert "447624925" in imported.stderr and "447624961" in imported.stderr and "65320" in imported.stderr

    # The reviewer's edit: https links (policy link.https), and delete what cannot be declared.
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8").replace("http://", "https://")
    text = text.replace(emulator.base_url.replace("http://", "https://"), emulator.base_url)
    text = text.replace("  menu:\n", "  prune: {conditional_menus: true}\n  menu:\n", 1)
    (tmp_path / "imported.yaml").write_text(text, encoding="utf-8")
    plan = cli("plan", "-f", "imported.yaml", "--out", "plan.json", "--allow-destroy", env=SECRET_ENV)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    for menuid in ("447624961", "447624925"):
        assert f"menuid {menuid}" in plan.stdout or menuid in json.dumps(json.loads(
            (tmp_path / "plan.json").read_text(encoding="utf-8")), ensure_ascii=False)
    assert plan.stdout.count("- conditional menu") == 2

    emulator.admin.clear_calls()
    # --allow-destroy is given to apply itself: a flag inside the plan file decides nothing.
    assert cli("apply", "plan.json", "-f", "imported.yaml", "--allow-destroy", env=SECRET_ENV).returncode == 0
    state = emulator.admin.state(APP_ID)
    assert not state.get("conditionalmenu")
    assert [t["count"] for t in state["tags"] if t["id"] == 104] == [5]
    again = cli("plan", "-f", "imported.yaml", "--detailed-exitcode", env=SECRET_ENV)
    assert again.returncode == 0, again.stdout + again.stderr


def test_import_leaves_out_names_a_spec_cannot_hold(cli: Cli, tmp_path: Path, emulator: EmulatorServer) -> None:
    emulator.admin.seed(APP_ID, {"tags": [{"id": 104, "name": "融资客户", "count": 5},
                                          {"id": 105, "name": "A/B测试", "count": 9}]})
    imported = import_lease(cli, tmp_path, emulator)
    assert "lease/tags/A/B测试: 'A/B测试' has a '/' in its name" in imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode", env=SECRET_ENV)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "unmanaged, left alone: lease/tags/A/B测试 (9 followers)" in plan.stdout


# --- every real menu in tests/fixtures/realworld: imported as it is live, and planned to no change ---------
REALWORLD = sorted((Path(__file__).parent.parent / "fixtures" / "realworld").iterdir())


def live_dump(path: Path) -> dict[str, Any]:
    """The account as `menu/get` shows it once the file was deployed by the tool it was written for: a
    `menu/get` dump already, a `menu/create` body, `{"main": body, "<language>": conditional body, ...}`
    (buzz-buzz/wechat-menu), or YAML for the Ruby `wechat` gem (the same body)."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if "menu" in data:
        return dict(data)
    if "main" not in data:
        return {"menu": data}
    conditional = [{**menu, "menuid": 500 + i} for i, menu in enumerate(v for k, v in data.items() if k != "main")]
    return {"menu": data["main"], "conditionalmenu": conditional}


@pytest.fixture(scope="module")
def real_accounts() -> Iterator[EmulatorServer]:
    with allowed_emulator() as server:
        yield server


@pytest.mark.parametrize("path", [*REALWORLD, FIXTURE], ids=lambda path: path.name)
def test_a_real_menu_is_imported_as_it_is_live(cli: Cli, tmp_path: Path, real_accounts: EmulatorServer,
                                               path: Path) -> None:
    real_accounts.admin.reset()
    real_accounts.admin.register_app(APP_ID, SECRET_ENV["OASPEC_LEASE_SECRET"])
    real_accounts.admin.seed(APP_ID, {**live_dump(path), "tags": [{"id": 104, "name": "融资客户", "count": 5}]})
    import_lease(cli, tmp_path, real_accounts)
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode", env=SECRET_ENV)
    assert "no changes: the account matches the spec" in plan.stdout, plan.stdout + plan.stderr
    # What keeps some from applying as they are is only the bank's own policy: plain-http links.
    spec_findings = plan.stdout.partition("\nPolicy findings:")[2]  # not those on the live account: they do not block
    blocking = set(re.findall(r"\[error\] ([\w.-]+):", spec_findings))
    assert blocking <= {"link.https"}, plan.stdout
    assert plan.returncode == (1 if blocking else 0), plan.stdout + plan.stderr
    menu = json.dumps(live_dump(path)["menu"])
    assert bool(blocking) == ('"url": "http://' in menu)


def test_links_pasted_with_markup_and_names_the_client_cuts_are_pointed_out(cli: Cli, tmp_path: Path,
                                                                            real_accounts: EmulatorServer) -> None:
    real_accounts.admin.reset()
    real_accounts.admin.register_app(APP_ID, SECRET_ENV["OASPEC_LEASE_SECRET"])
    real_accounts.admin.seed(APP_ID, live_dump(REALWORLD[0].parent / "hardway_menu.json"))
    import_lease(cli, tmp_path, real_accounts)
    checked = cli("validate", "-f", "imported.yaml", env=SECRET_ENV)
    assert checked.returncode == 0, checked.stderr
    entities = [line for line in checked.stderr.splitlines() if "has the HTML entity '&amp;'" in line]
    assert [line.split(": warning: ")[1].split(":")[0] for line in entities] == [
        "accounts[0].menu[1].sub_buttons[0].url", "accounts[0].menu[1].sub_buttons[1].url"]
    assert "write the character itself ('&amp;' is '&')" in checked.stderr
    assert "'程序员，困在敏捷里' is wider than the 8 characters WeChat shows" in checked.stderr
