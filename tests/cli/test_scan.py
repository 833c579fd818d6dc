"""`oaspec scan`: today's policies over everything the live accounts show followers, for a scheduled job."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from oa_spec.content.characters import ALSO_BLANK, BIDI_REORDERING, DEFAULT_IGNORABLE
from oa_spec.emulator import EmulatorServer
from oa_spec.kinds.state import AccountState, Article, Button, KeywordRule, Menu, Reply
from oa_spec.plan.scan import excerpt, fix_for, scan
from oa_spec.plan.workspace import Workspace
from oa_spec.policy.deployed import StatePosition
from oa_spec.policy.engine import Finding
from oa_spec.policy.rules import Rule
from testing.accounts import ONE_BANK_SPEC, seed_bank
from testing.cli import Cli
from testing.emulator import console_keyword_rule, seed_console_autoreply, seed_console_reply
from tests.render.sarif_schema import sarif_errors

BANNED = "本行理财产品保本保收益，稳赚不赔！立即购买"
DISCLAIMED = BANNED + "。理财非存款，产品有风险，投资须谨慎。"  # only the guarantee rule fires
CLEAN = "您好，欢迎关注测试银行。理财非存款，产品有风险，投资须谨慎。"
RULE = "wealth.no-guaranteed-return"
LOCAL_SPEC = """\
version: 1
bank: 测试银行
policies:
  packs: [cn-bank]
{waivers}
accounts:
  - id: bank
    name: 测试银行
    menu:
      - {{name: 账户, type: click, key: ACCOUNT}}
    replies:
      default: {{text: "{default}"}}
"""
WAIVER = """\
  waivers:
    - {rule: wealth.no-guaranteed-return, target: bank/replies/default, reason: 控制台整改中, approved_by: 合规部,
       expires: 2027-01-01}
"""


def local_spec(tmp_path: Path, waivers: str = "", default: str = CLEAN) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(LOCAL_SPEC.format(waivers=waivers, default=default), encoding="utf-8")
    return spec


def console(tmp_path: Path, default: str) -> None:
    """The live account as the console left it: the spec's menu, and this default auto-reply."""
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),)),
                                     default_reply=Reply(default)))


def as_json(cli: Cli, *args: str, **kwargs: Any) -> dict[str, Any]:
    out = cli("scan", "--format", "json", *args, **kwargs)
    data: dict[str, Any] = json.loads(out.stdout)
    return data


# --- local accounts ---------------------------------------------------------------------------------------
def test_a_console_reply_that_breaks_a_rule_is_reported_at_its_live_address(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, BANNED)
    out = cli("scan", "-f", str(local_spec(tmp_path)))
    assert out.returncode == 1, out.stdout + out.stderr
    line = next(x for x in out.stdout.splitlines() if RULE in x)
    assert line.strip().startswith("bank/replies/default: [error] wealth.no-guaranteed-return")
    assert "“保本”" in line and "依据 " in line and "(live replies.default.text;" in line
    assert f"    text: {BANNED}" in out.stdout
    assert "    fix: change this auto-reply in the WeChat console (the API cannot write it)" in out.stdout
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("error: scan: 1 account(s), ") and "fix the live texts above" in out.stderr


def test_a_clean_account_exits_0(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, CLEAN)
    out = cli("scan", "-f", str(local_spec(tmp_path)))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "bank: no findings on the live account" in out.stdout
    assert "scan: 1 account(s), 0 blocking, 0 warning(s), 0 waived" in out.stdout


def test_every_live_text_is_scanned_even_where_it_matches_the_spec(tmp_path: Path) -> None:
    """A plan leaves out the live texts the spec already declares (its own findings cover them); a scan
    must not: what followers see is what is checked, whatever the spec says."""
    spec = local_spec(tmp_path, default=BANNED)
    console(tmp_path, BANNED)
    ws = Workspace.open(spec, tmp_path / ".oaspec")
    try:
        assert ws.plan().accounts[0].live_findings == []  # the plan's view: nothing new live
        report = scan(ws)
    finally:
        ws.close()
    assert {(f.finding.address, str(f.finding.position)) for f in report.findings if f.finding.rule == RULE} \
        == {("bank/replies/default", "live")}
    assert report.failed


def test_a_waiver_covers_a_live_finding(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, DISCLAIMED)
    spec = local_spec(tmp_path, WAIVER)
    out = cli("scan", "-f", str(spec))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "bank/replies/default: [waived] wealth.no-guaranteed-return" in out.stdout
    assert "waived by 合规部 until 2027-01-01: 控制台整改中" in out.stdout
    assert "0 blocking" in out.stdout and "3 waived" in out.stdout  # 保本, 保收益, 稳赚不赔
    findings = as_json(cli, "-f", str(spec))["accounts"][0]["findings"]
    assert findings and all(f["rule"] == RULE and f["blocking"] is False and f["waiver"]["approved_by"] == "合规部"
                            for f in findings)
    unwaived = cli("scan", "-f", str(local_spec(tmp_path)))
    assert unwaived.returncode == 1 and "[error] wealth.no-guaranteed-return" in unwaived.stdout


def test_a_waiver_longer_than_waiver_max_days_covers_nothing_live(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, DISCLAIMED)
    long_waiver = WAIVER.replace("2027-01-01", "2027-09-30")
    out = cli("scan", "-f", str(local_spec(tmp_path, "  waiver_max_days: 30\n" + long_waiver)))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[error] wealth.no-guaranteed-return" in out.stdout and "[waived]" not in out.stdout


@pytest.mark.parametrize(("packs", "env", "named"), [
    ("[]", {"OASPEC_REQUIRED_PACKS": "cn-bank"}, "OASPEC_REQUIRED_PACKS requires the pack 'cn-bank'"),
    ('[cn-bank]\n  severity: {wealth.no-guaranteed-return: "off"}', {}, "its severity cannot be lowered")])
def test_a_spec_whose_policy_configuration_validate_refuses_fails_the_scan(cli: Cli, tmp_path: Path, packs: str,
                                                                           env: dict[str, str], named: str) -> None:
    """Attack review 76 F3: a nightly scan under a spec without the pack OASPEC_REQUIRED_PACKS pins, or with a regulated
    rule switched off (validate, plan and apply refuse both), read the live guarantee as clean and exited 0."""
    console(tmp_path, DISCLAIMED)  # only the guarantee rule fires on it
    spec = local_spec(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace("[cn-bank]", packs), encoding="utf-8")
    out = cli("scan", "-f", str(spec), env=env)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[error] policy.config" in out.stdout and named in out.stdout, out.stdout
    assert "oaspec.yaml:" in out.stdout and "fix: change the spec at " in out.stdout, out.stdout
    assert "fix the spec's policy configuration" in out.stderr, out.stderr


def test_json_names_the_live_address_excerpt_and_fix(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),)), default_reply=Reply(CLEAN),
                                     keyword_replies=(KeywordRule("理财", "contains", ("理财",), Reply(BANNED)),)))
    data = as_json(cli, "-f", str(local_spec(tmp_path)))
    assert data["failed"] is True and data["accounts"][0]["error"] is None
    finding = next(f for f in data["accounts"][0]["findings"] if f["rule"] == RULE)
    assert finding["address"] == "bank/replies/keywords/理财" and finding["position"] == "live"
    assert finding["excerpt"] == BANNED and finding["blocking"] is True and finding["account"] == "bank"
    assert "keyword reply in the WeChat console" in finding["fix"] and finding["basis"]


def test_a_live_menu_link_outside_the_allowed_domains_is_reported_with_its_url(cli: Cli, tmp_path: Path) -> None:
    spec = local_spec(tmp_path).read_text(encoding="utf-8").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n  settings: {allowed_domains: [m.bank.example.cn]}\n")
    (tmp_path / "oaspec.yaml").write_text(spec, encoding="utf-8")
    url = "https://evil.example.org/login"
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),
                                                Button("登录", "view", url=url))),
                                     default_reply=Reply(CLEAN)))
    data = as_json(cli, "-f", str(tmp_path / "oaspec.yaml"))
    finding = next(f for f in data["accounts"][0]["findings"] if f["rule"] == "link.allowed-domains")
    assert finding["address"] == "bank/menu" and finding["path"] == "menu.1.url" and finding["excerpt"] == url
    assert finding["fix"].startswith("declare a compliant menu in the spec and run oaspec apply")


@pytest.mark.parametrize("target", ["https://evil.example", "https:///evil.example", "https:////evil.example", "HTTPS:///evil.example",
                                    "https:/evil.example", "https:evil.example", "http:///evil.example",
                                    "https:///m.bank.example.cn"])
def test_a_live_link_whose_host_a_browser_reads_past_slashes_is_reported(cli: Cli, tmp_path: Path,
                                                                        target: str) -> None:
    # attack review 34: a browser opens https:///evil.example/x at evil.example (the URL standard skips any number
    # of slashes after a special scheme); urlsplit read no host, and the link went unchecked as if relative.
    # Even one on an allowed host is refused: a parser that reads a host oaspec does not is not one to trust.
    spec = local_spec(tmp_path).read_text(encoding="utf-8").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n  settings: {allowed_domains: [m.bank.example.cn]}\n")
    (tmp_path / "oaspec.yaml").write_text(spec, encoding="utf-8")
    body = f'<p>{CLEAN}</p><p>请点击<a href="{target}/wealth">这里</a>办理。</p>'
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),
                                                Button("账单", "view", url=f"{target}/card/bill"))),
                                     default_reply=Reply(CLEAN), articles=(Article("notice/x", "通知", content=body),)))
    out = cli("scan", "-f", str(tmp_path / "oaspec.yaml"), "--format", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    data = json.loads(out.stdout)
    found = {f["address"] for f in data["accounts"][0]["findings"] if f["rule"] == "link.allowed-domains"}
    assert found == {"bank/menu", "bank/content/articles/notice/x"}
    said = "evil.example 不在 allowed_domains 中" if target == "https://evil.example" else "不是可解析的链接"  # control
    assert all(said in f["detail"] for f in data["accounts"][0]["findings"] if f["rule"] == "link.allowed-domains")


def test_sarif_is_valid_and_locates_live_findings_by_address(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, BANNED)
    out = cli("scan", "-f", str(local_spec(tmp_path)), "--format", "sarif")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert sarif_errors(data) == []
    result = next(r for r in data["runs"][0]["results"] if r["ruleId"] == RULE)
    assert result["locations"] == [{"logicalLocations": [{"fullyQualifiedName": "bank/replies/default",
                                                          "kind": "resource"}]}]
    assert BANNED in result["message"]["text"] and result["properties"]["account"] == "bank"


def test_a_live_name_cannot_forge_report_lines_or_drive_the_terminal(cli: Cli, tmp_path: Path) -> None:
    forged = "理财\n  bank/replies/default: [waived] all clear\x1b[2J\u202e"
    rule = KeywordRule(forged, "contains", ("理财",), Reply(BANNED + "\x1b]0;x\x07"))
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", "click", key="ACCOUNT"),)), default_reply=Reply(CLEAN),
                                     keyword_replies=(rule,)))
    out = cli("scan", "-f", str(local_spec(tmp_path)))
    assert out.returncode == 1
    assert "\x1b" not in out.stdout and "\u202e" not in out.stdout and "\x07" not in out.stdout
    assert not any(line.lstrip().startswith("bank/replies/default: [waived] all clear")
                   for line in out.stdout.splitlines())
    assert "bank/replies/keywords/理财\\n  bank/replies/default: [waived] all clear\\x1b[2J\\u202e: [error]" \
        in out.stdout  # spelled out as display.visible does for every renderer


def test_many_accounts_are_all_scanned_with_progress(cli: Cli, tmp_path: Path) -> None:
    ids = ["a1", "a2", "a3", "a4"]
    spec = "version: 1\nbank: 测试银行\npolicies: {packs: [cn-bank]}\naccounts:\n" + "".join(
        f"  - {{id: {i}, name: 测试银行}}\n" for i in ids)
    (tmp_path / "oaspec.yaml").write_text(spec, encoding="utf-8")
    for i in ids:
        state = AccountState(default_reply=Reply(BANNED if i == "a3" else CLEAN))
        path = tmp_path / ".oaspec" / "local" / f"{i}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"state": state.to_json(), "counters": {}}), encoding="utf-8")
    out = cli("scan", "--parallelism", "4")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "read 4/4 accounts" in out.stderr
    assert [line.split(":")[0] for line in out.stdout.splitlines() if not line.startswith((" ", "scan:"))] == ids
    flagged = {line.split(":")[0].strip() for line in out.stdout.splitlines() if f"] {RULE}:" in line}
    assert flagged == {"a3/replies/default"}


def test_an_unknown_account_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    console(tmp_path, CLEAN)
    out = cli("scan", "-f", str(local_spec(tmp_path)), "--account", "nobank")
    assert out.returncode == 1 and "no account 'nobank'" in out.stderr and "Traceback" not in out.stderr


def test_a_rule_that_carries_its_own_fix_is_told_where_to_apply_it() -> None:
    finding = Finding(RULE, "error", "不得明示或暗示保本、无风险或保收益", "basis", "bank/replies/keywords/理财",
                      StatePosition("live", 0, 0), "replies.keywords.理财.reply.text", "“保本”")
    own = cast(Rule, SimpleNamespace(fix="删除“保本”等保证收益的表述\n改为：理财非存款"))
    assert fix_for(finding, own) == ("change this keyword reply in the WeChat console (the API cannot write it): "
                                     "删除“保本”等保证收益的表述 改为：理财非存款")
    assert fix_for(finding).endswith(f"so that it meets: {finding.message}; or waive {RULE} for "
                                     "bank/replies/keywords/理财 with a reason")


def test_a_long_text_is_cut_around_what_was_found() -> None:
    text = "欢迎" * 40 + BANNED + "\n详情" * 30
    cut = excerpt(text, "“保本”")
    assert "保本" in cut and cut.startswith("…") and cut.endswith("…") and "\n" not in cut
    assert len(cut) <= 62


# --- WeChat accounts over loopback (the emulator) ---------------------------------------------------------
APPID = "wx00000000000000sc"
SECRET_VAR, SECRET = "OASPEC_SCAN_SECRET", "scan-secret-4f9c2e"
WECHAT_SPEC = ONE_BANK_SPEC + """\
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{{var}}}", api_base: "{base}"}}
{more}
"""
SECOND = """\
  - id: other
    name: 其他银行
    provider: {type: local}
"""


def console_reply(server: EmulatorServer, text: str) -> None:
    seed_console_reply(server, APPID, SECRET, text)


def wechat_spec(tmp_path: Path, server: EmulatorServer, more: str = "") -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(WECHAT_SPEC.format(appid=APPID, var=SECRET_VAR, base=server.base_url, more=more),
                    encoding="utf-8")
    return spec


def test_a_wechat_account_is_scanned_over_the_api(cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    console_reply(server, BANNED)
    spec = wechat_spec(tmp_path, server)
    for fmt in ("text", "json", "sarif"):
        out = cli("scan", "-f", str(spec), "--format", fmt, env={SECRET_VAR: SECRET})
        assert out.returncode == 1, out.stdout + out.stderr
        assert "bank/replies/default" in out.stdout and RULE in out.stdout
        assert SECRET not in out.stdout + out.stderr
    console_reply(server, CLEAN)
    clean = cli("scan", "-f", str(spec), env={SECRET_VAR: SECRET})
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_an_account_that_cannot_be_read_fails_the_scan_and_the_others_are_still_scanned(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    console_reply(server, CLEAN)
    seed_other = tmp_path / ".oaspec" / "local" / "other.json"
    seed_other.parent.mkdir(parents=True)
    seed_other.write_text(json.dumps({"state": AccountState(default_reply=Reply(BANNED)).to_json(),
                                      "counters": {}}), encoding="utf-8")
    spec = wechat_spec(tmp_path, server, SECOND)
    wrong = "wrong-secret-7d1a"
    for fmt in ("text", "json", "sarif"):
        out = cli("scan", "-f", str(spec), "--format", fmt, env={SECRET_VAR: wrong})
        assert out.returncode == 1, out.stdout + out.stderr
        assert "error: bank could not be read: access token: WeChat error" in out.stderr
        assert "make bank readable" in out.stderr and "Traceback" not in out.stderr
        assert "other/replies/default" in out.stdout  # the readable account's findings are still there
        assert wrong not in out.stdout + out.stderr and SECRET not in out.stdout + out.stderr
    data = as_json(cli, "-f", str(spec), env={SECRET_VAR: wrong})
    assert data["accounts"][0]["error"] and data["accounts"][0]["findings"] == []
    missing = cli("scan", "-f", str(spec), "--account", "bank", env={SECRET_VAR: ""})
    assert missing.returncode == 1 and f"environment variable {SECRET_VAR}" in missing.stderr


# --- live texts as followers see them (attack review 27, F6) ----------------------------------------------
ASKS = "pii.no-credential-solicitation"
# One character of each range that draws nothing (content/characters.py), bidirectional controls aside.
DRAW_NOTHING = [chr(low) for low, _ in (*DEFAULT_IGNORABLE, *ALSO_BLANK) if low not in BIDI_REORDERING]


def findings_at(data: dict[str, Any], rule: str) -> dict[str, list[str]]:
    """address -> the paths of the findings of `rule` there."""
    found: dict[str, list[str]] = {}
    for finding in data["accounts"][0]["findings"]:
        if finding["rule"] == rule:
            found.setdefault(finding["address"], []).append(finding["path"])
    return found


def test_a_console_reply_split_by_characters_that_draw_nothing_is_read_as_drawn(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    rules = [console_keyword_rule(f"r{n}", {f"k{n}": "contain"}, {"type": "text", "content": f"请发送验{c}证码给我"})
             for n, c in enumerate(DRAW_NOTHING)]
    seed_console_autoreply(server, APPID, SECRET, {
        "is_add_friend_reply_open": 1, "is_autoreply_open": 1,
        "add_friend_autoreply_info": {"type": "text", "content": "欢迎！请回复您的银行卡密\u200b码完成绑定。"},
        "keyword_autoreply_info": {"list": rules}})
    out = cli("scan", "-f", str(wechat_spec(tmp_path, server)), "--format", "json", env={SECRET_VAR: SECRET})
    assert out.returncode == 1, out.stdout + out.stderr
    asked = findings_at(json.loads(out.stdout), ASKS)
    missed = [f"U+{ord(c):04X}" for n, c in enumerate(DRAW_NOTHING) if f"bank/replies/keywords/r{n}" not in asked]
    assert not missed, f"read as stored, not as drawn: {missed}"
    assert "bank/replies/subscribe" in asked


def test_a_console_reply_marked_or_spaced_out_is_read_as_a_reader_reads_it(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    """验〪证码 (a combining mark on a character), 验*证~码 (signs spacing it out) and 验证*码 (decoration inside it) read
    验证码 (attack reviews 63 and 64)."""
    dodges = ["验\u302a证码", "验\u0323证码", "验\u302e证码", "验*证*码", "验•证•码", "验、证、码", "验*证~码",
              "验证*码", "验😀证🙂码"]
    rules = [console_keyword_rule(f"r{n}", {f"k{n}": "contain"}, {"type": "text", "content": f"请回复{dodge}给我"})
             for n, dodge in enumerate(dodges)]
    seed_console_autoreply(server, APPID, SECRET, {
        "is_add_friend_reply_open": 0, "is_autoreply_open": 1, "keyword_autoreply_info": {"list": rules}})
    out = cli("scan", "-f", str(wechat_spec(tmp_path, server)), "--format", "json", env={SECRET_VAR: SECRET})
    assert out.returncode == 1, out.stdout + out.stderr
    asked = findings_at(json.loads(out.stdout), ASKS)
    assert [d for n, d in enumerate(dodges) if f"bank/replies/keywords/r{n}" not in asked] == []


def test_a_console_reply_reordered_by_a_right_to_left_override_is_read_as_drawn(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    """请发送\u202e码证验 is stored backwards and drawn 请发送验证码 on a phone (attack review 27 F6's last case)."""
    seed_console_autoreply(server, APPID, SECRET, {
        "is_add_friend_reply_open": 0, "is_autoreply_open": 1,
        "keyword_autoreply_info": {"list": [console_keyword_rule(
            "验证", {"验证": "contain"}, {"type": "text", "content": "请发送\u202e码证验\u202c给我"})]}})
    out = cli("scan", "-f", str(wechat_spec(tmp_path, server)), "--format", "json", env={SECRET_VAR: SECRET})
    assert out.returncode == 1, out.stdout + out.stderr
    asked = findings_at(json.loads(out.stdout), ASKS)
    assert "bank/replies/keywords/验证" in asked


NEWS = {"type": "news", "news_info": {"list": [
    {"title": "积分兑换活动", "author": "客服", "digest": "请回复您的银行卡密码和验证码领取积分", "show_cover": 1,
     "cover_url": "https://evil.example.com/c.png", "content_url": "https://evil.example.com/phish",
     "source_url": "https://evil.example.com/login"},
    {"title": "请提供身份证号和银行卡密码", "author": "", "digest": "", "show_cover": 0, "cover_url": "",
     "content_url": "https://m.bank.example.cn/ok", "source_url": ""}]}}


def test_a_console_news_reply_is_read_whole_its_texts_and_links(cli: Cli, tmp_path: Path,
                                                               server: EmulatorServer) -> None:
    seed_console_autoreply(server, APPID, SECRET, {
        "is_add_friend_reply_open": 0, "is_autoreply_open": 1,
        "keyword_autoreply_info": {"list": [console_keyword_rule("积分", {"积分": "contain"}, NEWS)]}})
    spec = wechat_spec(tmp_path, server)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n  settings: {allowed_domains: [m.bank.example.cn]}\n"),
        encoding="utf-8")
    out = cli("scan", "-f", str(spec), "--format", "json", env={SECRET_VAR: SECRET})
    assert out.returncode == 1, out.stdout + out.stderr
    data = json.loads(out.stdout)
    where = "replies.keywords.积分.reply.news"
    assert sorted(findings_at(data, "link.allowed-domains")["bank/replies/keywords/积分"]) == [
        f"{where}.0.content_url", f"{where}.0.cover_url", f"{where}.0.source_url"]
    # each article is read as its card, title and description (attack review 70 F1), the author after them
    assert sorted(findings_at(data, ASKS)["bank/replies/keywords/积分"]) == [f"{where}.0", f"{where}.1"]
    card = next(f for f in data["accounts"][0]["findings"] if f["path"] == f"{where}.0")
    assert card["excerpt"] == "积分兑换活动 请回复您的银行卡密码和验证码领取积分 客服"
    text = cli("scan", "-f", str(spec), env={SECRET_VAR: SECRET})
    assert "https://evil.example.com/phish" in text.stdout and "Traceback" not in text.stderr
