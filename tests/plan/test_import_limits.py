"""Attack review 50, F11: a live name or value over a byte limit validate holds a spec to (oa_spec/limits.py:
tag names, menu button names, keys and links) was written by `oaspec import` into a spec that did not validate,
with exit 0 and no note. The platform may count otherwise (wechat-api.md: UTF-8 bytes, GBK bytes or characters
is unconfirmed), so such names exist live: the object is left out with a note naming the limit, as a name with a
control character is, and the imported spec validates and plans to no changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, KeywordRule, MatchRule, Menu, Reply, Tag
from testing.accounts import imported_bank
from testing.cli import Cli
from tests.plan.test_import_policies import left_out

LONG_TAG = "一二三四五六七八九十一"  # 11 characters: 33 bytes in UTF-8 (22 in GBK)
MENU = Menu((Button("账户", type="click", key="ACCOUNT"),))



def test_a_live_tag_whose_name_is_over_the_limit_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    on_it = ConditionalMenu("长", MatchRule(tag=LONG_TAG), (Button("专享", type="click", key="V"),), "1")
    account, said = imported_bank(cli, tmp_path, AccountState(
        menu=MENU, tags=(Tag("VIP", id=100), Tag(LONG_TAG, id=101)), conditional_menus=(on_it,)))
    assert account["tags"] == [{"name": "VIP"}]
    assert "conditional_menus" not in account  # it matches the tag left out
    assert (f"note: bank/tags/{LONG_TAG}: the name '{LONG_TAG}' is 33 bytes in UTF-8, over the limit of 30"
            in said), said


@pytest.mark.parametrize(("buttons", "note"), [
    ((Button("我的账户查询", type="click", key="A"),), "the top-level name '我的账户查询' is 18 bytes in UTF-8, over "
                                                        "the limit of 16"),
    ((Button("我的", sub_buttons=(Button("查" * 21, type="click", key="A"),)),),
     f"the sub-button name '{'查' * 21}' is 63 bytes in UTF-8, over the limit of 60"),
    ((Button("账户", type="click", key="K" * 129),), "is 129 bytes in UTF-8, over the limit of 128"),
    ((Button("账户", type="view", url="https://a.cn/" + "x" * 1012),), "is 1025 bytes in UTF-8, over the limit of "
                                                                     "1024"),
], ids=["top-level-name", "sub-button-name", "key", "url"])
def test_a_live_menu_with_a_button_over_a_limit_is_left_out_whole_with_a_note(
        cli: Cli, tmp_path: Path, buttons: tuple[Button, ...], note: str) -> None:
    # Declared without that button, the next plan would take the button off the live menu.
    ios = ConditionalMenu("ios", MatchRule(client_platform_type="1"), (Button("专享", type="click", key="V"),), "1")
    account, said = imported_bank(cli, tmp_path, AccountState(menu=Menu(buttons), conditional_menus=(ios,)))
    assert "menu" not in account and "conditional_menus" not in account
    assert "note: bank/menu: " in said and note in said, said
    assert "note: the conditional menus of bank are left out as well" in said


def test_a_live_conditional_menu_with_a_button_over_a_limit_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    long = ConditionalMenu("ios", MatchRule(client_platform_type="1"), (Button("专享理财产品", type="click", key="V"),),
                           "1")
    account, said = imported_bank(cli, tmp_path, AccountState(menu=MENU, conditional_menus=(long,)))
    assert account["menu"] == [{"name": "账户", "type": "click", "key": "ACCOUNT"}]
    assert "conditional_menus" not in account
    assert "the top-level name '专享理财产品' is 18 bytes in UTF-8, over the limit of 16" in said, said


def test_names_at_the_limit_are_imported(cli: Cli, tmp_path: Path) -> None:
    account, said = imported_bank(cli, tmp_path, AccountState(
        menu=Menu((Button("我的账户", sub_buttons=(Button("查" * 20, type="click", key="K" * 128),)),)),
        tags=(Tag("一二三四五六七八九十", id=100),)))
    assert account["tags"] == [{"name": "一二三四五六七八九十"}] and "menu" in account
    assert not left_out(said), said


def test_live_replies_over_a_limit_are_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    # The console's documented sizes are UTF-8 bytes as oaspec reads them; a console counting characters holds more.
    long_text, long_keyword = "请" * 683, "一" * 31  # 2,049 and 93 bytes
    rules = (KeywordRule("网点", "exact", ("网点",), Reply("见官网")),
             KeywordRule("长词", "exact", (long_keyword,), Reply("见官网")),
             KeywordRule("长文", "exact", ("利率",), Reply(long_text)))
    account, said = imported_bank(cli, tmp_path, AccountState(menu=MENU, subscribe_reply=Reply(long_text),
                                                          default_reply=Reply("您好"), keyword_replies=rules))
    assert account["replies"] == {"default": {"text": "您好"}, "keywords": [
        {"name": "网点", "match": "exact", "keywords": ["网点"], "reply": {"text": "见官网"}}]}
    for note in ("bank/replies/subscribe: the text is 2049 bytes in UTF-8, over the limit of 2048",
                 "bank/replies/keywords/长文: the text is 2049 bytes in UTF-8, over the limit of 2048",
                 f"bank/replies/keywords/长词: the keyword '{long_keyword}' is 93 bytes in UTF-8, over the limit "
                 "of 90"):
        assert f"note: {note}" in said, said


def test_import_refuses_to_leave_out_a_managed_menu_renamed_over_the_limit(cli: Cli, citybank: Path,
                                                                           tmp_path: Path) -> None:
    # Left out, the imported spec's plan would delete the menu oaspec manages (tests/plan/test_import_managed.py).
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    path = tmp_path / ".oaspec" / "local" / "citybank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"]["menu"]["buttons"][0]["name"] = "我的账户查询"  # renamed in the console: 18 bytes
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    imported = cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml")
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert "would leave out what oaspec manages there" in imported.stderr
    assert ("citybank/menu: the top-level name '我的账户查询' is 18 bytes in UTF-8, over the limit of 16"
            in imported.stderr), imported.stderr
    assert not (tmp_path / "imported.yaml").exists()
