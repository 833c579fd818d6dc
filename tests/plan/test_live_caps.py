"""Review 47, F3: the platform's caps count every live object, the ones oaspec leaves alone too, and it refuses
to delete a tag with more than 100,000 followers. A plan the live account must refuse part-way is refused at
plan time, naming what takes the room and what to do; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.kinds.state import AccountState, Tag, Template
from testing.accounts import seed_bank
from testing.cli import Cli
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx00000000000047f3", "live-caps-secret")
CRM_TAGS = [{"id": 100, "name": "CRM高价值", "count": 40}, {"id": 101, "name": "CRM流失预警", "count": 12},
            {"id": 102, "name": "CRM代发工资", "count": 300}]
MENU = "    menu:\n      - {name: 理财, type: click, key: W}\n"
THREE_DOMAINS = MENU + """\
    tags: [{name: 甲}]
    conditional_menus:
      - name: 甲版
        match: {tag: 甲}
        menu:
          - {name: 一, type: view, url: "https://a.example.cn/x"}
          - {name: 二, type: view, url: "https://b.example.cn/x"}
          - {name: 三, type: view, url: "https://c.example.cn/x"}
"""


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    return Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)


def test_unmanaged_tags_that_fill_the_hundred_refuse_the_plan(bank: Emulated) -> None:
    bank.seed(tags=CRM_TAGS)
    bank.write_spec(MENU + "    tags:\n" + "".join(f"      - name: 营销{i:02d}\n" for i in range(98)))

    for command in (("plan",), ("apply", "--auto-approve")):
        refused = bank.oaspec(*command, code=1).stderr
        assert "the account would hold 101 tags and the platform keeps at most 100 (45056)" in refused
        assert "bank/tags/CRM高价值 (40 followers), bank/tags/CRM流失预警 (12 followers)" in refused
        assert "prune them (prune: {tags: true})" in refused and "delete them in the console" in refused
    assert bank.writes() == []


def test_an_unmanaged_menus_link_domain_counts_against_the_three(bank: Emulated) -> None:
    bank.seed(menu={"button": [{"type": "click", "name": "理财", "key": "W"}]},
              conditionalmenu=[{"button": [{"type": "view", "name": "活动", "url": "https://campaign.example.com/"}],
                                "matchrule": {"client_platform_type": "1"}, "menuid": 400000050}])
    bank.write_spec(THREE_DOMAINS)

    refused = bank.oaspec("apply", "--auto-approve", "--allow-destroy", code=1).stderr
    assert "would link 4 domains" in refused and "(65316)" in refused
    assert ("bank/conditional_menus/platform-ios (menuid 400000050, client_platform_type=1, links "
            "campaign.example.com)") in refused
    assert "prune: {conditional_menus: true}" in refused
    assert bank.writes() == []


def test_a_tag_over_100000_followers_is_not_planned_for_delete(bank: Emulated) -> None:
    bank.write_spec(MENU + "    tags: [{name: 代发工资}, {name: 甲}]\n")
    bank.oaspec("apply", "--auto-approve")
    state = bank.state()
    bank.seed(tags=[{**t, "count": 150_000} if t["name"] == "代发工资" else t for t in state["tags"] if t["id"] >= 100])
    bank.write_spec(MENU.replace("key: W", "key: W2") + "    tags: [{name: 甲}, {name: 乙}]\n")

    refused = bank.oaspec("plan", "--allow-destroy", code=1).stderr
    assert ("bank/tags/代发工资: the tag has more than 100,000 followers and cannot be deleted (45057), and it has "
            "150000: untag its followers first, in batches") in refused
    bank.oaspec("apply", "--auto-approve", "--allow-destroy", code=1)
    assert bank.writes() == []


def test_unmanaged_templates_count_against_the_twenty_five(cli: Cli, tmp_path: Path) -> None:
    console = (Template("到账通知", template_id="CONSOLE_1"), Template("还款提醒", template_id="CONSOLE_2"))
    seed_bank(tmp_path, AccountState(tags=(Tag("甲", id=100),), templates=console))
    templates = ", ".join(f"{{id: t{i:02d}, library_id: OPENTM4000000{i:02d}, title: 模板{i:02d}}}" for i in range(24))
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: 测试银行\naccounts:\n  - id: bank\n    name: 测试银行\n    type: service\n"
                    f"    adopt: {{tags: [甲]}}\n    tags: [{{name: 甲}}]\n{MENU}"
                    "    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}\n"
                    f"    templates: [{templates}]\n", encoding="utf-8")

    refused = cli("plan", "-f", str(spec))
    assert refused.returncode == 1, refused.output
    assert "the account would hold 26 templates and the platform keeps at most 25 (45026)" in refused.stderr
    assert "bank/templates/到账通知 (template_id CONSOLE_1)" in refused.stderr
    assert "prune: {templates: true}" in refused.stderr
    assert json.loads((tmp_path / ".oaspec" / "local" / "bank.json").read_text())["state"]["templates"]


def test_an_unmanaged_conditional_menu_counts_against_the_twenty(bank: Emulated) -> None:
    bank.seed(menu={"button": [{"type": "click", "name": "理财", "key": "W"}]},
              conditionalmenu=[{"button": [{"type": "click", "name": "活动", "key": "CRM"}],
                                "matchrule": {"client_platform_type": "2"}, "menuid": 400000060}])
    menus = "".join(f"      - {{name: 菜单{i:02d}, match: {{tag: 段{i:02d}}}, menu: [{{name: 按钮, type: click, "
                    f"key: K{i}}}]}}\n" for i in range(20))
    tags = ", ".join(f"{{name: 段{i:02d}}}" for i in range(20))
    bank.write_spec(f"{MENU}    tags: [{tags}]\n    conditional_menus:\n{menus}")

    refused = bank.oaspec("plan", code=1).stderr
    assert "bank/conditional_menus/菜单00: while it is added, the account would hold 21 conditional menus" in refused
    assert "(65305)" in refused and "bank/conditional_menus/platform-android (menuid 400000060" in refused
    assert bank.writes() == []


def test_a_template_replace_needs_a_slot_beside_the_old_copy(cli: Cli, tmp_path: Path) -> None:
    # A changed library_id replaces the template: the new copy is added before the old one is deleted, so an
    # account holding 25 has no room for it (45026 part-way, before this check).
    templates = ", ".join(f"{{id: t{i:02d}, library_id: OPENTM4000000{i:02d}, title: 模板{i:02d}}}" for i in range(25))
    spec = tmp_path / "oaspec.yaml"
    head = ("version: 1\nbank: 测试银行\naccounts:\n  - id: bank\n    name: 测试银行\n    type: service\n"
            f"{MENU}    industry: {{primary: 金融业/银行, secondary: IT科技/互联网|电子商务}}\n")
    spec.write_text(head + f"    templates: [{templates}]\n", encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec.write_text(head + f"    templates: [{templates.replace('OPENTM400000003', 'OPENTM499999903')}]\n",
                    encoding="utf-8")

    refused = cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy")
    assert refused.returncode == 1, refused.output
    assert ("the account would hold 26 templates while a replace adds its new copy before it deletes the old and "
            "the platform keeps at most 25 (45026): declare fewer templates") in refused.stderr, refused.stderr
    assert "applied 0 of" not in refused.output  # refused before anything was sent
