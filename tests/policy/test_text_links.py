"""Links in a text a follower can open (attack review 69, F4): `<a href>` (entity-decoded, protocol-relative,
any case), bare hosts, and mini-program links are held to link.https, link.allowed-domains and
allowed_miniprograms wherever a text is read: validate and plan (subjects), a rollback's re-check and scan
(deployed). One reading serves all: textlinks.links_in."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState, Button, Menu, Reply
from oa_spec.policy.deployed import evaluate_state
from oa_spec.policy.textlinks import links_in
from testing.accounts import seed_bank
from testing.cli import Cli
from tests.policy.helpers import TODAY, run_yaml

APPID = "wx9999999999999999"
HIDDEN = {  # each a reply text that opens something no rule read before the fix
    "a4": f'<a data-miniprogram-appid="{APPID}" data-miniprogram-path="pages/loan">点此办理</a>',
    "a5": '<a href="//evil.example/x">官方入口</a>',
    "b2": "详情请访问 www.citybank-wealth.cn/vip 办理。",
    "b4": '详情<a href="HTTPS:&#47;&#47;evil.example/w">点此</a>',
    "b6": "活动页：citybank-vip.cn/join，欢迎参加。",
}
SPEC = """\
version: 1
bank: 示例银行
policies:
  packs: [cn-bank]
  settings: {{allowed_domains: [m.bank.example.cn], allowed_miniprograms: [wx0123456789abcdef]}}
accounts:
  - id: bank
    name: 示例银行
    menu:
{menu}
    replies:
      default: {{text: "{default}"}}
      keywords:
{rules}
"""
MENU = "      - {name: 网点, type: view, url: 'https://m.bank.example.cn/b'}"


def spec(rules: dict[str, str], menu: str = MENU, default: str = "您好") -> str:
    lines = [f"        - {{name: {name}, match: exact, keywords: [{name}], reply: {{text: '{text}'}}}}"
             for name, text in rules.items()]
    return SPEC.format(menu=menu, default=default, rules="\n".join(lines))


@pytest.mark.parametrize(("text", "urls"), [
    ('<a href="//evil.example/x">入口</a>', ("//evil.example/x",)),
    ('<A HREF=\'HTTPS:&#47;&#47;evil.example/w\'>点此</A>', ("HTTPS://evil.example/w",)),
    ("<a href=https://evil.example/u>点此</a>", ("https://evil.example/u",)),
    ('<a href="https://m.bank.example.cn/a?x=1&amp;y=2">点此</a>', ("https://m.bank.example.cn/a?x=1&y=2",)),
    ("请访问 www.citybank-wealth.cn/vip 办理", ("http://www.citybank-wealth.cn/vip",)),
    ("网址:www.citybank.cn，欢迎", ("http://www.citybank.cn",)),
    ("活动页citybank-vip.cn/join欢迎", ("http://citybank-vip.cn/join欢迎",)),
    ("请访问 https:evil.example/x 查询", ("https:evil.example/x",)),
    ("请访问 https://m.bank.example.cn/a 查询", ("https://m.bank.example.cn/a",)),
])
def test_every_way_a_text_opens_a_link_is_read(text: str, urls: tuple[str, ...]) -> None:
    assert links_in(text).urls == urls


@pytest.mark.parametrize("text", [
    "年化收益率3.5%，起购1.2万元", "版本1.2已上线", "客服邮箱 kf@citybank.cn", "邮箱 service.team@bank.example.cn/x",
    "请下载附件 readme.md 查看", "http:协议不安全", "利率0.35%/年", "v2.0/3.1 版本说明",
    "客服热线95000，工作日9:00-17:00",
])
def test_ordinary_text_opens_nothing(text: str) -> None:
    found = links_in(text)
    assert found.urls == () and found.appids == ()


def test_a_mini_program_link_is_read_with_its_appid() -> None:
    found = links_in(HIDDEN["a4"] + "<a data-miniprogram-appid='wx&#49;23'>再看</a>")
    assert found.appids == (APPID, "wx123") and found.urls == ()


def test_validate_holds_every_hidden_link_to_the_link_rules(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(HIDDEN))
    for name in ("a5", "b2", "b4", "b6"):
        assert ("link.allowed-domains", f"bank/replies/keywords/{name}") in run.pairs(), name
    assert {("link.https", f"bank/replies/keywords/{name}") for name in ("a5", "b2", "b6")} <= run.pairs()
    program = [f for f in run.report.findings if f.rule == "wealth.own-platform-link"]
    assert [(f.address, f.detail) for f in program] == [
        ("bank/replies/keywords/a4", f"小程序 {APPID} 不在 allowed_miniprograms 中")]
    assert program[0].path == "accounts[0].replies.keywords[0].reply.text"


def test_an_allowed_host_and_mini_program_stay_clean(tmp_path: Path) -> None:
    clean = {"c1": '<a href="https://m.bank.example.cn/x">入口</a>',
             "c2": '<a data-miniprogram-appid="wx0123456789abcdef" data-miniprogram-path="p">点此</a>',
             "c3": "年化3.5%，版本1.2，客服邮箱 kf@bank.example.cn"}
    run = run_yaml(tmp_path, spec(clean))
    link_rules = {"link.https", "link.allowed-domains", "wealth.own-platform-link"}
    assert not {f.rule for f in run.report.findings} & link_rules


def test_a_mini_program_button_is_held_to_the_list_whatever_its_label(tmp_path: Path) -> None:
    button = (f"      - {{name: 活动专区, type: miniprogram, appid: {APPID}, pagepath: pages/a, "
              "url: 'https://m.bank.example.cn/a'}")
    run = run_yaml(tmp_path, spec({"k": "您好"}, menu=f"{MENU}\n{button}"))
    found = [f for f in run.report.findings if f.rule == "wealth.own-platform-link"]
    assert [(f.address, f.path) for f in found] == [("bank/menu", "accounts[0].menu[1].url")]


def test_a_rollback_re_check_reads_the_same_links(tmp_path: Path) -> None:
    """evaluate_state is what rollback's gate and scan run on a revision or the live account."""
    run = run_yaml(tmp_path, spec({"k": "您好"}))
    state = AccountState(menu=Menu((Button("活动专区", "miniprogram", url="https://m.bank.example.cn/a",
                                           appid=APPID, pagepath="p"),)),
                         default_reply=Reply(HIDDEN["a4"] + HIDDEN["a5"] + HIDDEN["b2"] + HIDDEN["b4"]))
    findings = evaluate_state(run.spec, run.spec.accounts[0], state, "revision 3", TODAY)
    pairs = {(f.rule, f.address, f.detail) for f in findings}
    assert {("link.allowed-domains", "bank/replies/default", "evil.example 不在 allowed_domains 中"),
            ("link.allowed-domains", "bank/replies/default", "www.citybank-wealth.cn 不在 allowed_domains 中"),
            ("link.https", "bank/replies/default", "//evil.example/x"),
            ("wealth.own-platform-link", "bank/replies/default", f"小程序 {APPID} 不在 allowed_miniprograms 中"),
            ("wealth.own-platform-link", "bank/menu", f"小程序 {APPID} 不在 allowed_miniprograms 中")} <= pairs


def test_scan_reports_a_live_reply_hiding_a_mini_program(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(spec({"k": "您好"}), encoding="utf-8")
    seed_bank(tmp_path, AccountState(menu=Menu((Button("网点", "view", url="https://m.bank.example.cn/b"),)),
                                     default_reply=Reply(HIDDEN["a4"])))
    out = cli("scan", "-f", str(tmp_path / "oaspec.yaml"))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "bank/replies/default: [error] wealth.own-platform-link" in out.stdout
    assert f"小程序 {APPID} 不在 allowed_miniprograms 中" in out.stdout
