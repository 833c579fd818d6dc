"""Review 47, F9: menu/delete deletes the default menu and every conditional menu with it (wechat-api.md §1.1),
unmanaged ones too. A plan that deletes the default menu lists each live conditional menu it takes, counts them
against the destroy guard of conditional menus, no longer calls them "left alone", and the revision records them
as deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx00000000000047f9", "menu-delete-secret")
WITH_MENU = "    tags: [{name: 甲}]\n    menu:\n      - {name: 理财, type: click, key: W}\n"
CRM_MENU = {"button": [{"type": "view", "name": "CRM活动", "url": "https://crm.example.com/"}],
            "matchrule": {"client_platform_type": "1"}, "menuid": 400000100}
ADDRESS = "bank/conditional_menus/platform-ios"


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    """The default menu applied by oaspec, then a CRM's iOS conditional menu added beside it (unmanaged)."""
    emulated = Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)
    emulated.write_spec(WITH_MENU)
    emulated.oaspec("apply", "--auto-approve")
    emulated.seed(conditionalmenu=[CRM_MENU])
    return emulated


def test_dropping_the_default_menu_lists_the_unmanaged_conditional_menus_it_deletes(bank: Emulated) -> None:
    bank.write_spec("    tags: [{name: 甲}]\n")

    plan = bank.oaspec("plan", "--detailed-exitcode", code=2).stdout
    assert f"- conditional menu platform-ios  {ADDRESS}" in plan
    assert "menuid 400000100" in plan and "menu/delete" in plan
    assert "left alone" not in plan
    assert f"conditional_menu change(s) users can feel, over the limit of 0: {ADDRESS}" in plan

    bank.oaspec("apply", "--auto-approve", "--allow-destroy")
    assert bank.state()["conditionalmenu"] == [] and bank.state()["menu"] is None
    recorded = bank.revision(2)
    assert {(c["address"], c["action"]) for c in recorded["changes"]} == {("bank/menu", "delete"), (ADDRESS, "delete")}
    bank.oaspec("plan", "--detailed-exitcode")


def test_allowing_the_menu_delete_alone_does_not_let_it_take_the_conditional_menus(bank: Emulated) -> None:
    bank.write_spec("    tags: [{name: 甲}]\n    guards: {max_destroy: {menu: 1}}\n")

    refused = bank.oaspec("apply", "--auto-approve", code=1)
    assert "--allow-destroy" in refused.stderr and ADDRESS in refused.stderr
    assert bank.writes() == [] and len(bank.state()["conditionalmenu"]) == 1


def test_a_kept_default_menu_still_leaves_unmanaged_conditional_menus_alone(bank: Emulated) -> None:
    bank.write_spec(WITH_MENU.replace("key: W", "key: W2"))

    plan = bank.oaspec("plan", "--detailed-exitcode", code=2).stdout
    assert f"unmanaged, left alone: {ADDRESS} (menuid 400000100, client_platform_type=1)" in plan
    bank.oaspec("apply", "--auto-approve")
    assert bank.state()["conditionalmenu"][0]["menuid"] == 400000100
