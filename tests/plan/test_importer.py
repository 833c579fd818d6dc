"""`oaspec import` of a live account that others filled: what the live values may not do to the written spec
(add YAML of their own through a note) or to the terminal (attack review 7, B7), and what a spec could not
hold, left out with a note so that the imported spec loads and plans to no changes (B8)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from oa_spec.emulator import EmulatorServer
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)
from testing.accounts import seed_bank
from testing.cli import Cli
from testing.emulator import console_keyword_rule, seed_console_autoreply

# What a terminal would act on: ESC, CR, the bidirectional override.
RAW = ("\x1b", "\r", "\u202e")
INJECTED = "\npolicies: {packs: []}\nstate: {variable: OASPEC_EVIL}\ninclude: ['**/*.yaml']\n#"
MENU = Menu((Button("账户", type="click", key="ACCOUNT"),
             Button("活动" + INJECTED + "\x1b[31mRED\u202eX\rY", type="news")))  # console-only: left out with a note


def test_live_values_in_notes_cannot_add_yaml_or_reach_the_terminal_raw(cli: Cli, tmp_path: Path) -> None:
    legacy = MatchRule(legacy=(("sex", "1"), ("country", "中国" + INJECTED + "\x1b[31mRED\u202eX\rY")))
    seed_bank(tmp_path, AccountState(menu=MENU, conditional_menus=(
        ConditionalMenu("x", legacy, (Button("男", type="click", key="M"),), menuid="400000001"),)))

    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert list(yaml.safe_load(text)) == ["version", "bank", "accounts"]
    assert "country=中国\\npolicies: {packs: []}\\nstate:" in text and "button 活动\\npolicies:" in text
    on_screen = cli("import", "--account", "bank")
    for output in (text, imported.stdout, imported.stderr, on_screen.stdout, on_screen.stderr):
        assert not any(ch in output for ch in RAW), ascii(output)
    assert "\\x1b[31mRED\\u202eX\\rY" in imported.stderr
    assert cli("validate", "-f", "imported.yaml").returncode == 0



def _rule(name: str, keyword: str, text: str) -> KeywordRule:
    return KeywordRule(name, "exact", (keyword,), Reply(text))


# Names and texts the spec refuses (an invisible, a control or a bidirectional character) or cannot hold
# twice (look-alikes under NFKC and case): each object is left out, and a menu on a tag left out with it.
UNHOLDABLE = AccountState(
    menu=Menu((Button("账户", type="click", key="ACCOUNT"),)),
    tags=(Tag("VIP", id=100), Tag("ｖｉｐ", id=101, count=3), Tag("黑名单\u200b", id=102), Tag("a\x1b[31m", id=103)),
    conditional_menus=(ConditionalMenu("VIP", MatchRule(tag="VIP"), (Button("专享", type="click", key="V"),), "1"),
                       ConditionalMenu("ｖｉｐ版", MatchRule(tag="ｖｉｐ"), (Button("专", key="W"),), "2")),
    industry=Industry("金融业/银行", "金融业/保险"),
    templates=(Template("余额变动提醒", name="t1"), Template("余额变动提醒\u200b", name="t2"),
               Template("ＡＢＣ通知", name="t3"), Template("abc通知", name="t4")),
    subscribe_reply=Reply("欢迎\x1b[2J"),
    keyword_replies=(_rule("利率", "利率", "存款利率见官网"), _rule("利率 ", "利息", "见官网"),
                     _rule("存款", "存款", "存款利率见官网\u200b"), _rule("贷款", "贷款\u202e", "见官网")))


def test_what_a_spec_cannot_hold_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, UNHOLDABLE)
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    account = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]
    assert account["tags"] == [{"name": "VIP"}]
    assert [m["name"] for m in account["conditional_menus"]] == ["VIP"]
    assert [t["title"] for t in account["templates"]] == ["余额变动提醒", "ＡＢＣ通知"]
    assert [r["name"] for r in account["replies"]["keywords"]] == ["利率"]
    assert "subscribe" not in account["replies"]
    for note in ("bank/tags/ｖｉｐ: 'ｖｉｐ' looks the same as 'VIP'",
                 "bank/tags/黑名单\\u200b: the name '黑名单\\u200b' contains U+200B ZERO WIDTH SPACE",
                 "bank/tags/a\\x1b[31m: the name",
                 "bank/conditional_menus/ｖｉｐ版 (menuid 2) matches the tag 'ｖｉｐ', which the imported spec",
                 "bank/templates/t2: the name", "bank/templates/t4: 'abc通知' looks the same as 'ＡＢＣ通知'",
                 "bank/replies/subscribe: the text",
                 "bank/replies/keywords/利率 : the name '利率 ' ends with U+0020 SPACE",
                 "bank/replies/keywords/存款: the text", "bank/replies/keywords/贷款: the name '贷款\\u202e' contains"):
        assert f"note: {note}" in imported.stderr, imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "unmanaged, left alone: bank/tags/ｖｉｐ (3 followers)" in plan.stdout


def test_live_names_apart_only_by_a_code_point_that_draws_nothing_are_left_out(cli: Cli, tmp_path: Path) -> None:
    # attack review 45, F3: `import` wrote VIP and V\u2065IP (and the others) into the spec, five tags reading VIP
    hidden = ("V\u2065IP", "V\ufff0IP", "VI\U000e0080P", "V\U00013430IP")
    tags = (Tag("VIP", id=100), *(Tag(name, id=101 + i) for i, name in enumerate(hidden)))
    seed_bank(tmp_path, AccountState(tags=tags))
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    account = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]
    assert account["tags"] == [{"name": "VIP"}]
    for shown in ("V\\u2065IP", "V\\ufff0IP", "VI\\U000e0080P", "V\\U00013430IP"):
        assert f"note: bank/tags/{shown}: the name '{shown}' contains U+" in imported.stderr, imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "unmanaged, left alone: bank/tags/V\\u2065IP" in plan.stdout
    for output in (imported.stdout, imported.stderr, plan.stdout, plan.stderr):
        assert not any(ch in output for name in hidden for ch in name if ch not in "VIP"), ascii(output)


@pytest.mark.parametrize(("buttons", "note"), [
    ((Button("账单", type="view", url="https://a.cn/bill"), Button("账单", type="view", url="https://a.cn/v2")),
     "two buttons side by side are named '账单'"),
    ((Button("交易明细", type="click", key="TXN_DETAIL "),),
     "the key 'TXN_DETAIL ' of button '交易明细' ends with U+0020 SPACE"),
    ((Button("账单", type="view", url="https://a.cn/bill\xa0"),),
     "of button '账单' ends with U+00A0 NO-BREAK SPACE"),
], ids=["siblings-of-one-name", "key-with-a-trailing-space", "link-ending-in-a-no-break-space"])
def test_a_live_menu_whose_buttons_the_spec_refuses_is_left_out_with_a_note(
        cli: Cli, tmp_path: Path, buttons: tuple[Button, ...], note: str) -> None:
    # The spec refuses buttons side by side of one name and values that read as others: imported as they are,
    # the spec would not load.
    seed_bank(tmp_path, AccountState(menu=Menu((Button("我的", sub_buttons=buttons),))))
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    assert "menu" not in yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]
    assert "note: bank/menu: " in imported.stderr and note in imported.stderr, imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_a_menu_with_a_button_the_spec_refuses_is_left_out_whole(cli: Cli, tmp_path: Path) -> None:
    # Declared without the button, the next plan would take the button off the live menu.
    seed_bank(tmp_path, AccountState(
        menu=Menu((Button("账户", type="click", key="ACCOUNT"), Button("活动\u2060", type="view", url="https://a.cn"))),
        conditional_menus=(ConditionalMenu("ios", MatchRule(client_platform_type="1"),
                                           (Button("专享", type="click", key="V"),), "1"),)))
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    account = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]
    assert "menu" not in account and "conditional_menus" not in account
    assert "note: bank/menu: the name '活动\\u2060' contains U+2060 WORD JOINER" in imported.stderr
    assert "note: the conditional menus of bank are left out as well" in imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_live_keyword_rules_the_spec_would_refuse_are_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    # Attack review 13, B1: import held keywords to the name rule only, so a console rule on 5×24 or ＡＴＭ was
    # written into a spec that did not load.
    rules = (_rule("客服", "5×24", "x"), _rule("取款", "ＡＴＭ", "y"), _rule("网点", "网点", "z"),
             KeywordRule("代码", "regex", ("^ААА$",), Reply("w")))
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", type="click", key="ACCOUNT"),)), keyword_replies=rules))
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    for name, keyword in (("客服", "5×24"), ("取款", "ＡＴＭ"), ("代码", "^ААА$")):
        where = f"note: bank/replies/keywords/{name}:"
        note = next(line for line in imported.stderr.splitlines() if line.startswith(where))
        assert f"'{keyword}'" in note and "which a spec cannot hold: left out" in note
    spec = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))
    assert [r["name"] for r in spec["accounts"][0]["replies"]["keywords"]] == ["网点"]
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


# --- console replies a spec cannot declare (attack review 27, F4) -----------------------------------------
APPID = "wx00000000000000im"
SECRET_VAR, SECRET = "OASPEC_IMPORT_SECRET", "import-secret-3c1f"
CONSOLE_SPEC = """\
version: 1
bank: 测试银行
accounts:
  - id: bank
    name: 测试银行
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{{var}}}", api_base: "{base}"}}
{declared}"""
IMAGE, VOICE = {"type": "img", "content": "MEDIA1"}, {"type": "voice", "content": "MEDIA2"}
VIDEO = {"type": "video", "content": "https://m.bank.example.cn/v.mp4"}
NEWS = {"type": "news", "news_info": {"list": [{"title": "积分兑换", "digest": "积分好礼", "content_url": "https://a.cn"}]}}
LOGIN = {"type": "text", "content": "请登录手机银行"}
CONSOLE = {  # each console reply a spec has no words for, and a rule whose keywords mix match modes
    "is_add_friend_reply_open": 1, "is_autoreply_open": 1,
    "add_friend_autoreply_info": IMAGE, "message_default_autoreply_info": {"type": "text", "content": "您好"},
    "keyword_autoreply_info": {"list": [
        console_keyword_rule("余额", {"余额": "contain"}, LOGIN, IMAGE),
        console_keyword_rule("语音", {"语音": "contain"}, VOICE),
        console_keyword_rule("视频", {"视频": "equal"}, VIDEO),
        console_keyword_rule("积分", {"积分": "contain"}, NEWS),
        console_keyword_rule("查询", {"查": "equal", "余额查询": "contain"}, LOGIN),
        console_keyword_rule("网点", {"网点": "contain", "营业厅": "contain"}, {"type": "text", "content": "见官网"})]},
}


def console_spec(tmp_path: Path, server: EmulatorServer, declared: str = "") -> Path:
    seed_console_autoreply(server, APPID, SECRET, CONSOLE)
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(CONSOLE_SPEC.format(appid=APPID, var=SECRET_VAR, base=server.base_url, declared=declared),
                    encoding="utf-8")
    return spec


def test_console_media_replies_and_mixed_match_modes_are_left_out_of_import_with_a_note(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    spec = console_spec(tmp_path, server)
    env = {SECRET_VAR: SECRET}
    imported = cli("import", "--account", "bank", "-f", str(spec), "--out", "imported.yaml", env=env)
    assert imported.returncode == 0, imported.stderr
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert not any(label in text for label in ("[图片]", "[语音]", "[视频]", "[图文]")), text
    replies = yaml.safe_load(text)["accounts"][0]["replies"]
    assert [r["name"] for r in replies["keywords"]] == ["网点"] and replies["default"] == {"text": "您好"}
    assert "subscribe" not in replies
    for where, what in (("replies/subscribe", "is a console image reply"),
                        ("replies/keywords/余额", "reply 2 is a console image reply"),
                        ("replies/keywords/语音", "a console voice reply"),
                        ("replies/keywords/视频", "a console video reply"),
                        ("replies/keywords/积分", "a console news (图文) reply"),
                        ("replies/keywords/查询", "'查' exact, '余额查询' contains")):
        note = next((line for line in imported.stderr.splitlines() if line.startswith(f"note: bank/{where}: ")), "")
        assert what in note and "left out" in note, (where, imported.stderr)
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode", env=env)
    assert plan.returncode == 0, plan.stdout + plan.stderr


PLACEHOLDERS = """\
    replies:
      subscribe: {text: "[图片]"}
      keywords:
        - {name: 余额, match: contains, keywords: [余额], replies: [{text: 请登录手机银行}, {text: "[图片]"}]}
        - {name: 积分, match: contains, keywords: [积分], reply: {text: "[图文] 积分兑换"}}
        - {name: 查询, match: contains, keywords: [查, 余额查询], reply: {text: 请登录手机银行}}
    adopt: {keyword_replies: [余额, 积分, 查询]}
"""


def test_a_placeholder_text_never_plans_as_the_live_media_it_stands_for(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    # What import wrote before: the label of a console image as a text reply, one match mode for mixed ones.
    spec = console_spec(tmp_path, server, PLACEHOLDERS)
    plan = cli("plan", "-f", str(spec), "--detailed-exitcode", env={SECRET_VAR: SECRET})
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "matches the spec" not in plan.stdout and "The live accounts match the spec" not in plan.stdout
    assert "the live accounts differ from the spec at 4 place(s) the platform's API cannot write" in plan.stdout
    for address in ("bank/replies/subscribe", "bank/replies/keywords/余额", "bank/replies/keywords/积分",
                    "bank/replies/keywords/查询"):
        assert address in plan.stdout, plan.stdout
    assert "[图片] (a console image reply, which a spec cannot declare)" in plan.stdout
    assert "match: 查 exact, 余额查询 contains" in plan.stdout, plan.stdout
