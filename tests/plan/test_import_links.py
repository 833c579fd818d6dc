"""Review 51 F3: a live button's link that is not a full http(s) link (javascript:, file:, data:, a bare host, a
relative path), set in the console or by another tool, was written by `oaspec import` into a spec that validate then
refused ("is not an http(s) link"), with exit 0 and no note. It is left out with a note naming the field and the rule,
as a name over a byte limit is (tests/plan/test_import_limits.py), and refused when oaspec manages the menu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Menu
from testing.accounts import imported_bank
from testing.cli import Cli
from tests.plan.test_import_policies import left_out

MENU = Menu((Button("账户", type="click", key="ACCOUNT"),))
NOT_LINKS = {"javascript": "javascript:alert(document.cookie)", "file": "file:///etc/passwd",
             "data": "data:text/html,<script>alert(1)</script>", "bare-host": "m.citybank.example.cn/card",
             "no-host": "https:///evil.example/", "ftp": "ftp://files.example.cn/a"}



@pytest.mark.parametrize("url", NOT_LINKS.values(), ids=NOT_LINKS.keys())
def test_a_live_view_button_whose_link_is_not_http_is_left_out_with_a_note(cli: Cli, tmp_path: Path,
                                                                           url: str) -> None:
    account, said = imported_bank(cli, tmp_path, AccountState(menu=Menu((
        Button("账户", type="click", key="ACCOUNT"), Button("活动", type="view", url=url)))))
    assert "menu" not in account  # declared without the button, the next plan would take it off the live menu
    assert "note: bank/menu: the url " in said and "of button '活动' is not an http(s) link" in said, said


def test_a_mini_program_buttons_fallback_link_is_held_to_the_same_rule(cli: Cli, tmp_path: Path) -> None:
    button = Button("小程序", type="miniprogram", url="javascript:void(0)", appid="wx1234567890abcdef",
                    pagepath="pages/index")
    account, said = imported_bank(cli, tmp_path, AccountState(menu=Menu((button,))))
    assert "menu" not in account
    assert "of button '小程序' is not an http(s) link" in said, said


def test_a_live_conditional_menu_with_a_javascript_link_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    ios = ConditionalMenu("ios", MatchRule(client_platform_type="1"),
                          (Button("专享", type="view", url="javascript:alert(1)"),), "1")
    account, said = imported_bank(cli, tmp_path, AccountState(menu=MENU, conditional_menus=(ios,)))
    assert account["menu"] == [{"name": "账户", "type": "click", "key": "ACCOUNT"}]
    assert "conditional_menus" not in account
    assert "of button '专享' is not an http(s) link" in said, said


def test_https_links_are_imported(cli: Cli, tmp_path: Path) -> None:
    # (an http:// link is imported too; the default policy's link.https then asks for https, as for any spec)
    account, said = imported_bank(cli, tmp_path, AccountState(menu=Menu((
        Button("官网", type="view", url="https://m.citybank.example.cn/"),))))
    assert account["menu"] == [{"name": "官网", "type": "view", "url": "https://m.citybank.example.cn/"}]
    assert not left_out(said), said


def test_import_refuses_to_leave_out_a_managed_menu_whose_link_was_changed_to_javascript(
        cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    path = tmp_path / ".oaspec" / "local" / "citybank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    views = [b for top in data["state"]["menu"]["buttons"] for b in (top, *top.get("sub_buttons", []))
             if b.get("type") == "view"]
    views[0]["url"] = "javascript:location='https://evil.example/'"  # changed in the console
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    imported = cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml")
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert "would leave out what oaspec manages there" in imported.stderr, imported.stderr
    assert f"of button '{views[0]['name']}' is not an http(s) link" in imported.stderr, imported.stderr
    assert not (tmp_path / "imported.yaml").exists()
