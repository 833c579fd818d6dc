"""The review gate (issue 9): what was reviewed is exactly what reaches the account, every path to the
account passes the same checks, and every refusal is in the audit trail."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from oa_spec.emulator import EmulatorServer
from oa_spec.history.lock import lock_path
from oa_spec.kinds.addresses import PATHS, parse
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)
from oa_spec.plan.workspace import Workspace
from testing.accounts import ONE_BANK_SPEC, edit, seed_bank
from testing.accounts import audit_entries as state_audit
from testing.cli import Cli, run_cli
from testing.emulator import (
    EmulatorAccount,
    console_keyword_rule,
    fresh_account,
    seed_console_autoreply,
    seed_console_reply,
)
from tests.plan.test_ownership import CRM_TAG, write_spec

EVIL = "https://evil.example.com/phish"
REVIEWED = "https://m.citybank.example.cn/card/bill"
BANNED = "本行理财产品保本保收益，稳赚不赔！立即购买。理财非存款，产品有风险，投资须谨慎。"


def local_files(tmp_path: Path) -> dict[str, bytes]:
    """Every local account and history file, to show that a refusal wrote nothing."""
    root = tmp_path / ".oaspec"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.glob("**/*.json")) if p.is_file()}


def audit_entries(tmp_path: Path) -> list[dict[str, Any]]:
    return state_audit(tmp_path / ".oaspec")


def saved_plan(cli: Cli, spec: Path, tmp_path: Path, name: str = "plan.json", *extra: str) -> dict[str, Any]:
    made = cli("plan", "-f", str(spec), "--out", name, *extra)
    assert made.returncode == 0, made.stderr
    return json.loads((tmp_path / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write(tmp_path: Path, data: dict[str, Any], name: str = "plan.json") -> None:
    (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def assert_refused(cli: Cli, spec: Path, tmp_path: Path, *needles: str, extra: tuple[str, ...] = ()) -> None:
    before = local_files(tmp_path)
    refused = cli("apply", "plan.json", "-f", str(spec), *extra)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr and "Nothing to apply" not in refused.stdout
    for needle in needles:
        assert needle in refused.stderr
    assert local_files(tmp_path) == before  # nothing written: no account, no revision


# --- item 1: an edited saved plan is refused -------------------------------------------------------------
@pytest.mark.parametrize(("reviewed", "evil"), [
    (REVIEWED, EVIL),
    # A field plans compare states without (the library template to add): still part of what is written.
    ("OPENTM207665002", "OPENTM000000666"),
])
def test_a_value_replaced_everywhere_in_the_plan_file_is_refused(cli: Cli, citybank: Path, tmp_path: Path,
                                                                  reviewed: str, evil: str) -> None:
    saved_plan(cli, citybank, tmp_path)
    text = (tmp_path / "plan.json").read_text(encoding="utf-8")
    assert reviewed in text
    (tmp_path / "plan.json").write_text(text.replace(reviewed, evil), encoding="utf-8")
    assert_refused(cli, citybank, tmp_path, "citybank: the plan's desired state is not what the spec compiles to")
    [entry] = [e for e in audit_entries(tmp_path) if e["result"] == "refused"]
    assert entry["refusal"] == "stale-plan" and entry["account"] == "citybank"


def test_desired_and_changes_spliced_from_another_specs_plan_are_refused(cli: Cli, citybank: Path,
                                                                        tmp_path: Path) -> None:
    reviewed = saved_plan(cli, citybank, tmp_path)
    other_dir = tmp_path / "other"
    shutil.copytree(citybank.parent, other_dir)
    edit(other_dir / "accounts" / "citybank.yaml", REVIEWED, "https://m.citybank.example.cn/card/bill2")
    other = saved_plan(cli, other_dir / "oaspec.yaml", tmp_path, "other.json")
    for mine, theirs in zip(reviewed["accounts"], other["accounts"], strict=True):
        for key in ("desired", "changes", "desired_digest"):
            mine[key] = theirs[key]
    write(tmp_path, reviewed)
    assert_refused(cli, citybank, tmp_path, "the plan's desired state is not what the spec compiles to")


def test_a_plan_made_from_another_spec_file_is_refused(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    other_dir = tmp_path / "other"
    shutil.copytree(citybank.parent, other_dir)
    saved_plan(cli, other_dir / "oaspec.yaml", tmp_path)
    assert_refused(cli, citybank, tmp_path, f"was made from {other_dir / 'oaspec.yaml'}, not from {citybank}")


def test_a_plan_file_cannot_claim_to_be_a_rollback(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    data = saved_plan(cli, citybank, tmp_path)
    data["source"] = "rollback:citybank:1"
    for account in data["accounts"]:  # a rollback skipped the spec check: now it is refused outright
        account["desired"] = {}
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "a plan file is applied only from a spec")
    assert {(e["account"], e["refusal"]) for e in audit_entries(tmp_path)} == {
        ("citybank", "tampered-plan"), ("branch-xinhua", "tampered-plan")}


def test_allow_destroy_in_a_plan_file_decides_nothing(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, AccountState(tags=(CRM_TAG,)))
    spec = write_spec(tmp_path, extra="    prune: {tags: true}")
    data = saved_plan(cli, spec, tmp_path)
    assert data["accounts"][0]["guard"]
    data["allow_destroy"] = True
    write(tmp_path, data)
    assert_refused(cli, spec, tmp_path, "refused by the destroy guard", "bank/tags/CRM高价值")
    assert [e["refusal"] for e in audit_entries(tmp_path)] == ["destroy-guard"]
    assert cli("apply", "plan.json", "-f", str(spec), "--allow-destroy").returncode == 0


def test_a_change_remarked_unwritable_is_refused_not_skipped(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    data = saved_plan(cli, citybank, tmp_path)
    for account in data["accounts"]:
        for change in account["changes"]:
            change["writable"] = False
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "(was the plan file edited?)")


def test_an_emptied_accounts_list_is_refused_not_nothing_to_apply(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    data = saved_plan(cli, citybank, tmp_path)
    data["accounts"] = []
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "citybank: the plan holds nothing for this account",
                   "branch-xinhua: the plan holds nothing for this account")
    refusals = [e for e in audit_entries(tmp_path) if e["result"] == "refused"]
    assert {e["account"] for e in refusals} == {"citybank", "branch-xinhua"}
    assert {e["refusal"] for e in refusals} == {"tampered-plan"}


@pytest.mark.parametrize("edit", ["a note added", "a finding dropped", "a waiver dropped", "the digest",
                                  "message", "basis", "fix", "position"])
def test_what_the_reviewer_read_beside_the_changes_cannot_be_edited(cli: Cli, citybank: Path, tmp_path: Path,
                                                                    edit: str) -> None:
    # an attack review found these accepted (nothing applied changed, but the reviewer was told otherwise)
    data = saved_plan(cli, citybank, tmp_path)
    account = next(a for a in data["accounts"] if a["findings"])
    if edit == "a note added":
        account["notes"].append("只改了菜单名称，无需合规复核")
    elif edit == "a finding dropped":
        account["findings"] = account["findings"][1:]
    elif edit == "a waiver dropped":
        account["findings"][0]["waiver"] = None
    elif edit == "position":  # attack review 6: these four were not compared
        account["findings"][0]["position"] = "elsewhere.yaml:1:1"
    elif edit in ("message", "basis", "fix"):
        account["findings"][0][edit] = "已由合规部复核通过（审查单 HG-2026-200）"
    else:
        account["desired_digest"] = "0" * len(account["desired_digest"])
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "(was the plan file edited, or has a waiver expired since?)")
    assert [e["refusal"] for e in audit_entries(tmp_path) if e["result"] == "refused"] == ["tampered-plan"]


def test_a_bank_wide_finding_added_to_the_plan_file_is_refused(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    data = saved_plan(cli, citybank, tmp_path)
    data["findings"].append({"rule": "policy.waiver-expired", "severity": "warning", "address": "policies",
                             "message": "NOTE: compliance sign-off HG-2026-200 recorded for this release",
                             "basis": "bank policy", "position": "oaspec.yaml:1:1", "path": "policies"})
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "the plan's bank-wide findings (policies, waivers) are not what the spec")
    assert {e["refusal"] for e in audit_entries(tmp_path) if e["result"] == "refused"} == {"tampered-plan"}


def test_a_plan_made_in_another_checkout_still_applies(citybank: Path, tmp_path: Path) -> None:
    """One runner plans in its checkout, another applies in its own, both naming the spec as CI does (relative to
    the checkout) and sharing the state: the findings' files, lines and columns are the same in both."""
    first, second = tmp_path / "runner1", tmp_path / "runner2"
    shutil.copytree(citybank.parent, first)
    env = {"OASPEC_STATE_DIR": str(tmp_path / "shared-state")}
    made = run_cli("plan", "-f", "oaspec.yaml", "--out", "plan.json", cwd=first, env=env)
    assert made.returncode == 0, made.stderr
    data = json.loads((first / "plan.json").read_text(encoding="utf-8"))
    assert [f for a in data["accounts"] for f in a["findings"] if f["position"].startswith("accounts/citybank.yaml:")]
    shutil.copytree(first, second)
    applied = run_cli("apply", "plan.json", "-f", "oaspec.yaml", cwd=second, env=env)
    assert applied.returncode == 0, applied.stderr


def test_a_finding_moved_to_another_file_of_the_same_name_is_refused(cli: Cli, tmp_path: Path) -> None:
    """Attack review 64: comparing only the file's name let an edited plan move a finding from accounts/a/acct.yaml
    to accounts/b/acct.yaml, where show and the SARIF annotations then put it."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: 示例银行\npolicies:\n  packs: [cn-bank]\ninclude:\n  - accounts/*/acct.yaml\n",
                    encoding="utf-8")
    for name in "ab":
        (tmp_path / "accounts" / name).mkdir(parents=True)
        (tmp_path / "accounts" / name / "acct.yaml").write_text(
            f"accounts:\n  - id: acct{name}\n    name: 示例银行{name}\n    type: service\n"
            "    provider: {type: local}\n    replies:\n      subscribe: {text: 欢迎关注示例银行。}\n",
            encoding="utf-8")
    data = saved_plan(cli, spec, tmp_path)
    [finding, *_] = data["accounts"][0]["findings"]
    assert "/accounts/a/acct.yaml:" in finding["position"]
    finding["position"] = finding["position"].replace("/accounts/a/", "/accounts/b/")
    write(tmp_path, data)
    assert_refused(cli, spec, tmp_path, "(was the plan file edited, or has a waiver expired since?)")


def test_a_dropped_change_is_refused(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    data = saved_plan(cli, citybank, tmp_path)
    data["accounts"][0]["changes"] = data["accounts"][0]["changes"][1:]
    write(tmp_path, data)
    assert_refused(cli, citybank, tmp_path, "(was the plan file edited?)")


def test_the_untouched_plan_still_applies_and_records_the_reviewed_state(cli: Cli, citybank: Path,
                                                                        tmp_path: Path) -> None:
    saved_plan(cli, citybank, tmp_path)
    applied = cli("apply", "plan.json", "-f", str(citybank))
    assert applied.returncode == 0, applied.stderr
    again = cli("apply", "plan.json", "-f", str(citybank))  # applied once: now stale, not re-applied
    assert again.returncode == 1 and "the live account changed since this plan was made" in again.stderr


# --- item 3: every account is checked before the first write ---------------------------------------------
def test_a_plan_stale_for_its_second_account_writes_nothing_to_the_first(cli: Cli, citybank: Path,
                                                                          tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    edit(citybank.parent / "accounts" / "branch-xinhua.yaml", "name: 网点信息", "name: 网点详情")
    data = saved_plan(cli, citybank, tmp_path)
    assert [a["account"] for a in data["accounts"]] == ["branch-xinhua", "citybank"]
    assert data["accounts"][0]["changes"]
    second = tmp_path / ".oaspec" / "local" / "citybank.json"
    state = json.loads(second.read_text(encoding="utf-8"))
    state["state"]["menu"]["buttons"][0]["name"] = "控制台改"  # a console edit after review
    second.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    assert_refused(cli, citybank, tmp_path, "citybank: the live account changed since this plan was made")
    [entry] = [e for e in audit_entries(tmp_path) if e["result"] == "refused"]
    assert entry["account"] == "citybank" and entry["refusal"] == "stale-plan"


# --- exit codes -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [("plan", "--format", "markdwon", "--detailed-exitcode"), ("plan", "--bogus"),
                                  ("--bogus", "plan"), ("no-such-command",), ("rollback", "one"),
                                  ("plan", "--parallelism", "0")])
def test_usage_errors_exit_1_never_2(cli: Cli, citybank: Path, args: tuple[str, ...]) -> None:
    result = cli(*args, env={"OASPEC_FILE": str(citybank)})
    assert result.returncode == 1
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


# --- item 7: live differences are not "no changes" ------------------------------------------------------
APPID = "wx00000000000000aa"
SECRET_VAR, SECRET = "OASPEC_GATE_SECRET", "gate-secret-1"
WECHAT_SPEC = ONE_BANK_SPEC + """\
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{{var}}}", api_base: "{base}"}}
{menu}
    replies:
      default: {{text: "理财产品介绍请见网点。"}}
"""


def console_reply(server: EmulatorServer, text: str) -> None:
    seed_console_reply(server, APPID, SECRET, text)


def wechat_spec(tmp_path: Path, server: EmulatorServer, menu: str = "") -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(WECHAT_SPEC.format(appid=APPID, var=SECRET_VAR, base=server.base_url, menu=menu),
                    encoding="utf-8")
    return spec


def test_an_unwritable_live_difference_is_reported_not_no_changes(cli: Cli, tmp_path: Path,
                                                                 server: EmulatorServer) -> None:
    console_reply(server, BANNED)
    spec = wechat_spec(tmp_path, server)
    env = {SECRET_VAR: SECRET}
    plan = cli("plan", "-f", str(spec), "--detailed-exitcode", env=env)
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "No changes. The live accounts match the spec." not in plan.stdout
    assert "No changes oaspec can write, but the live accounts differ from the spec at 1 place(s) the platform's " \
           "API cannot write: bank/replies/default" in plan.stdout
    # Today's policies also read what followers see now, and say where: the live account.
    assert "policy findings on the live account" in plan.stdout
    assert "bank/replies/default: [error] wealth.no-guaranteed-return" in plan.stdout and "(live; " in plan.stdout
    markdown = cli("plan", "-f", str(spec), "--format", "markdown", env=env)
    assert "No changes oaspec can write" in markdown.stdout and "wealth.no-guaranteed-return" in markdown.stdout
    data = json.loads(cli("plan", "-f", str(spec), "--format", "json", env=env).stdout)
    assert data["has_changes"] is False and data["has_differences"] is True
    live = [f for f in data["accounts"][0]["live_findings"] if f["rule"] == "wealth.no-guaranteed-return"]
    assert live and all(f["position"] == "live" and f["blocking"] is False for f in live)
    applied = cli("apply", "-f", str(spec), "--auto-approve", env=env)
    assert applied.returncode == 0 and "the live accounts match the spec" not in applied.stdout


def test_live_findings_do_not_block_unrelated_changes(cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    console_reply(server, BANNED)
    spec = wechat_spec(tmp_path, server, menu="    menu:\n      - {name: 客服, type: click, key: SERVICE}")
    applied = cli("apply", "-f", str(spec), "--auto-approve", env={SECRET_VAR: SECRET})
    assert applied.returncode == 0, applied.stderr
    assert "bank: applied 1 change(s)" in applied.stdout


def test_a_plan_reviewed_for_one_account_is_refused_for_another_and_the_switch_is_shown(
        cli: Cli, tmp_path: Path, server: EmulatorServer) -> None:
    """A spec whose app_id changes after review (staging and production in the same state share a
    fingerprint): the plan names the account it was made for, apply refuses it for another, and a plan for
    the other account says its history was recorded against the first."""
    other = "wx00000000000000bb"
    fresh_account(server.admin, EmulatorAccount(APPID, SECRET))
    server.admin.register_app(other, SECRET)
    env = {SECRET_VAR: SECRET}
    spec = wechat_spec(tmp_path, server, menu="    menu:\n      - {name: 客服, type: click, key: SERVICE}")
    made = cli("plan", "-f", str(spec), "--out", "plan.json", env=env)
    assert made.returncode == 0, made.stderr
    assert f"bank (wechat {APPID} at {server.base_url})" in made.stdout
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["accounts"][0]["live_account"] == f"wechat {APPID} at {server.base_url}"
    spec.write_text(spec.read_text(encoding="utf-8").replace(APPID, other), encoding="utf-8")
    before = local_files(tmp_path)
    refused = cli("apply", "plan.json", "-f", str(spec), env=env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"the plan was made for wechat {APPID} at {server.base_url}" in refused.stderr
    assert f"the spec now writes to wechat {other}" in refused.stderr
    assert local_files(tmp_path) == before
    assert not server.admin.state(other)["menu"] and not server.admin.state(APPID)["menu"]
    # Applied to the first account, the spec then switched: the plan says whose history it reads.
    spec.write_text(spec.read_text(encoding="utf-8").replace(other, APPID), encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=env).returncode == 0
    spec.write_text(spec.read_text(encoding="utf-8").replace(APPID, other), encoding="utf-8")
    switched = cli("plan", "-f", str(spec), env=env)
    said = f"now writes to wechat {other} at {server.base_url}; the history of bank was recorded against wechat {APPID}"
    assert said in switched.stdout, switched.stdout
    # a plan too long for a pull-request comment still says it beside the account
    summary = cli("plan", "-f", str(spec), "--format", "markdown", "--max-chars", "2000", env=env).stdout
    assert said in summary.split("## Changes")[0], summary


def test_the_plans_live_findings_read_console_replies_as_followers_see_them(cli: Cli, tmp_path: Path,
                                                                          server: EmulatorServer) -> None:
    """Attack review 27, F6: a word split by a character that draws nothing, and a news (图文) reply's digest and
    links, are read as a follower reads and opens them."""
    news = {"type": "news", "news_info": {"list": [{
        "title": "积分兑换", "digest": "请回复您的银行卡密码领取积分", "content_url": "https://evil.example.com/p"}]}}
    seed_console_autoreply(server, APPID, SECRET, {
        "is_add_friend_reply_open": 0, "is_autoreply_open": 1,
        "message_default_autoreply_info": {"type": "text", "content": "理财产品介绍请见网点。"},
        "keyword_autoreply_info": {"list": [
            console_keyword_rule("验证", {"验证": "contain"}, {"type": "text", "content": "请发送验\u2060证码给我"}),
            console_keyword_rule("积分", {"积分": "contain"}, news)]}})
    spec = wechat_spec(tmp_path, server)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "  packs: [cn-bank]\n", "  packs: [cn-bank]\n  settings: {allowed_domains: [m.bank.example.cn]}\n"),
        encoding="utf-8")
    data = json.loads(cli("plan", "-f", str(spec), "--format", "json", env={SECRET_VAR: SECRET}).stdout)
    live = {(f["address"], f["rule"], f["path"]) for f in data["accounts"][0]["live_findings"]}
    where = "replies.keywords.积分.reply.news.0"
    assert {("bank/replies/keywords/验证", "pii.no-credential-solicitation", "replies.keywords.验证.reply"),
            ("bank/replies/keywords/积分", "pii.no-credential-solicitation", where),
            ("bank/replies/keywords/积分", "link.allowed-domains", f"{where}.content_url")} <= live, live


# --- item 8: one address function ------------------------------------------------------------------------
ADDRESS = re.compile(r"\bbank/[^\s,;()（）:：`'\"\]]+")
CONSOLE = AccountState(
    tags=(CRM_TAG, Tag("银发客户", id=121, count=3), Tag("A/B测试", id=122, count=1)),
    templates=(Template("账户资金变动提醒", template_id="T1"),),
    conditional_menus=(ConditionalMenu("tag-银发客户", MatchRule(tag="银发客户"), (Button("长辈", "click", key="OLD"),),
                                       menuid="501"),
                       ConditionalMenu("tag-银发客户-502", MatchRule(tag="银发客户"),
                                       (Button("长辈", "click", key="OLD"),), menuid="502")),
    keyword_replies=(KeywordRule("理财", "contains", ("理财",), Reply("理财请见网点")),),
    menu=Menu((Button("控制台", "click", key="CONSOLE"),)),
    default_reply=Reply("您好"), subscribe_reply=Reply("欢迎"),
)
DECLARED = """\
version: 1
bank: 测试银行
policies:
  waivers:
    - {rule: link.allowed-domains, target: bank/replies/keywords/开户, reason: 测试, approved_by: 合规部,
       expires: 2027-01-01}
  settings: {allowed_domains: [m.bank.example.cn]}
accounts:
  - id: bank
    name: 测试银行
    tags: [{name: 高净值客户}]
    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
    templates: [{id: loan-due, library_id: OPENTM400000002, title: 贷款还款提醒}]
    replies:
      keywords:
        - {name: 开户, match: contains, keywords: [开户], reply: {text: "开户请访问 https://x.example.org/open"}}
"""
TAKEOVER = """\
version: 1
bank: 测试银行
accounts:
  - id: bank
    name: 测试银行
    tags: [{name: 银发客户}]
    adopt: {tags: [银发客户]}
    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
    templates: [{id: balance-alert, library_id: OPENTM207665002, title: 账户资金变动提醒}]
    menu: [{name: 控制台, type: click, key: CONSOLE}]
    conditional_menus:
      - {name: 长辈版, match: {tag: 银发客户}, menu: [{name: 长辈, type: click, key: OLD}]}
    replies:
      keywords:
        - {name: 理财, match: contains, keywords: [理财], reply: {text: 理财请见网点}}
"""


def known_keys(*states: AccountState) -> dict[str, set[str]]:
    """kind -> the keys the states hold, as addresses name them."""
    out: dict[str, set[str]] = {kind: set() for kind in PATHS}
    for state in states:
        out["tag"] |= {t.name for t in state.tags}
        out["template"] |= {t.name or t.title for t in state.templates}
        out["conditional_menu"] |= {m.name for m in state.conditional_menus}
        out["keyword_reply"] |= {r.name for r in state.keyword_replies}
        out["reply"] |= {k for k, r in (("subscribe", state.subscribe_reply), ("default", state.default_reply)) if r}
        out["menu"] |= {""} if state.menu else set()
        out["industry"] |= {""} if state.industry else set()
    return out


def test_every_message_naming_a_resource_uses_one_address(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, CONSOLE)
    declared = tmp_path / "oaspec.yaml"
    declared.write_text(DECLARED, encoding="utf-8")
    desired = Workspace.open(declared, tmp_path / ".oaspec").account("bank").desired
    messages = [cli("plan", "-f", str(declared), "--format", fmt).stdout for fmt in ("text", "markdown", "json")]
    messages[1] = re.sub(r"\\(.)", r"\1", messages[1])  # as the PR comment shows it: Markdown escapes undone
    assert cli("apply", "-f", str(declared), "--auto-approve").returncode == 0
    messages.append(cli("show", "1", "--account", "bank", "-f", str(declared), "--format", "json").stdout)
    messages.append(cli("show", "1", "--account", "bank", "-f", str(declared)).stdout)
    messages.append(cli("import", "--account", "bank").stderr)
    takeover = tmp_path / "takeover.yaml"
    takeover.write_text(TAKEOVER, encoding="utf-8")
    adopt_error = cli("plan", "-f", str(takeover)).stderr
    assert "bank/templates/balance-alert" in adopt_error and "bank/conditional_menus/长辈版" in adopt_error
    assert "bank/replies/keywords/理财" in adopt_error
    takeover_desired = Workspace.open(takeover, tmp_path / "other-state").account("bank").desired
    messages += [adopt_error, "bank/replies/keywords/开户"]  # the waiver's target, as the spec writes it
    keys = known_keys(CONSOLE, desired, takeover_desired)
    found = [a.rstrip(".。") for text in messages for a in ADDRESS.findall(text)]
    assert len(found) > 30
    for address in found:
        parsed = parse(address)
        assert parsed.key in keys[parsed.kind], f"{address} names no {parsed.kind} the accounts hold"
    for singleton in ("bank/menu", "bank/replies/default", "bank/replies/subscribe"):
        assert f"unmanaged, left alone: {singleton} " in messages[0]


# --- honest records: refusals and overrides in the audit trail --------------------------------------------
FROZEN = "2027-02-08T10:00:00+08:00"  # inside the freeze window below


def frozen_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text("version: 1\nbank: 测试银行\nfreeze:\n  - {name: 春节保障期, from: 2027-02-05, to: 2027-02-12}\n"
                    "accounts:\n  - id: bank\n    name: 测试银行\n"
                    "    menu: [{name: 账户, type: click, key: ACCOUNT}]\n", encoding="utf-8")
    return spec


def test_a_freeze_refusal_and_a_freeze_override_with_its_reason_are_audited(cli: Cli, tmp_path: Path) -> None:
    spec = frozen_spec(tmp_path)
    env = {"OASPEC_NOW": FROZEN}
    assert cli("apply", "-f", str(spec), "--auto-approve", env=env).returncode == 1
    no_reason = cli("apply", "-f", str(spec), "--auto-approve", "--override-freeze", env=env)
    assert no_reason.returncode == 1
    assert cli("apply", "-f", str(spec), "--auto-approve", "--override-freeze", "--reason", "紧急修复 INC-7",
               env=env).returncode == 0
    entries = audit_entries(tmp_path)
    assert [(e["result"], e.get("refusal")) for e in entries if e["result"] == "refused"] == [
        ("refused", "freeze"), ("refused", "freeze")]
    [override] = [e for e in entries if e["result"] == "freeze-override"]
    assert override["detail"] == "春节保障期: 紧急修复 INC-7" and override["account"] == "bank"
    assert cli("audit", "verify").returncode == 0  # the new entries are chained like the others


def test_a_lock_refusal_is_audited(cli: Cli, tmp_path: Path) -> None:
    spec = frozen_spec(tmp_path)
    lock = lock_path(tmp_path / ".oaspec", "bank")
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(json.dumps({"pid": 1, "host": "ci-runner", "user": "other", "operation": "apply",
                                "time": "2026-11-25T01:00:00+00:00"}), encoding="utf-8")
    refused = cli("apply", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1 and "is locked by" in refused.stderr
    [entry] = audit_entries(tmp_path)
    assert entry["result"] == "refused" and entry["refusal"] == "lock" and "is locked by" in entry["detail"]
