"""Review 47, F1: a conditional-menu replace adds the new copy before it deletes the old one, so while both are
live it needs one more menu slot and the union of both copies' link domains. Where the account has no room for
that, the plan does the replace delete-first, says so, and counts it as felt (the destroy guard); it never plans
the add the platform refuses (65305, 65316)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx00000000000047f1", "replace-room-secret")

THREE_DOMAINS = """\
    tags: [{name: 高净值客户}, {name: 银发客户}]
    menu:
      - {name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}
    conditional_menus:
      - name: 长辈版
        match: {tag: 银发客户}
        menu:
          - {name: 查余额, type: view, url: "https://a.example.cn/x"}
          - {name: 网点, type: view, url: "https://b.example.cn/x"}
      - name: 高端
        match: {tag: 高净值客户}
        menu:
          - {name: 查余额, type: view, url: "https://c.example.cn/x"}
"""


def twenty_menus(last_button: str) -> str:
    """Twenty conditional menus (the platform's most), each on its own tag; the last one's button named so."""
    lines = ["    tags:", *(f"      - name: 段{i:02d}" for i in range(20)),
             "    menu:", "      - {name: 理财, type: click, key: W}", "    conditional_menus:"]
    for i in range(20):
        name = last_button if i == 19 else f"按钮{i}"
        lines += [f"      - name: 菜单{i:02d}", f"        match: {{tag: 段{i:02d}}}", "        menu:",
                  f"          - {{name: {name}, type: click, key: K{i}}}"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    return Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)


def domains(bank: Emulated) -> list[list[str]]:
    return [sorted(b["url"].split("/")[2] for b in m["button"]) for m in bank.state()["conditionalmenu"]]


def relinked(bank: Emulated, url: str) -> None:
    """THREE_DOMAINS applied (the call log cleared), then the spec's link to c.example.cn/x made `url`."""
    bank.write_spec(THREE_DOMAINS)
    bank.oaspec("apply", "--auto-approve")
    bank.seed()
    bank.write_spec(THREE_DOMAINS.replace("https://c.example.cn/x", url))


def test_a_replace_with_no_room_for_a_fourth_link_domain_is_done_delete_first(bank: Emulated) -> None:
    relinked(bank, "https://d.example.cn/x")

    plan = bank.oaspec("plan", "--detailed-exitcode", code=2).stdout
    assert "delete-first" in plan and "c.example.cn" in plan and "d.example.cn" in plan
    assert "users will notice: followers in this segment fall back to the default menu" in plan
    refused = bank.oaspec("apply", "--auto-approve", code=1)
    assert "--allow-destroy" in refused.stderr and bank.writes() == []

    bank.oaspec("apply", "--auto-approve", "--allow-destroy")
    # 高端 goes first, then comes back; 长辈版, listed before it, is re-created after it (precedence) with room
    assert bank.writes() == ["menu/delconditional", "menu/addconditional", "menu/addconditional",
                             "menu/delconditional"]
    assert sorted(domains(bank)) == [["a.example.cn", "b.example.cn"], ["d.example.cn"]]
    bank.oaspec("plan", "--detailed-exitcode")


def test_a_full_account_of_conditional_menus_can_still_be_changed(bank: Emulated) -> None:
    bank.write_spec(twenty_menus("按钮19"))
    bank.oaspec("apply", "--auto-approve")
    bank.write_spec(twenty_menus("按钮X"))

    plan = bank.oaspec("plan", "--detailed-exitcode", code=2).stdout
    assert "no slot for a new copy beside the old one" in plan
    bank.oaspec("apply", "--auto-approve", "--allow-destroy")
    menus = bank.state()["conditionalmenu"]
    assert len(menus) == 20 and "按钮X" in [m["button"][0]["name"] for m in menus]
    bank.oaspec("plan", "--detailed-exitcode")


def test_a_replace_with_room_still_adds_first_and_is_not_guarded(bank: Emulated) -> None:
    relinked(bank, "https://c.example.cn/y")

    plan = bank.oaspec("plan", "--detailed-exitcode", code=2).stdout
    assert "delete-first" not in plan and "users will notice" not in plan
    bank.oaspec("apply", "--auto-approve")
    assert bank.writes() == ["menu/addconditional", "menu/delconditional"] * 2  # 高端, then 长辈版 (precedence)
