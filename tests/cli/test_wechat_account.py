"""The `oaspec` CLI (in-process, testing.cli) against the WeChat API emulator, over HTTP on loopback.

The emulator runs in the test process, so the tests read its call log and state through the admin
client and, for faults that must strike between two particular writes, hook its endpoint table.
Every CLI run is checked for a traceback; the AppSecret reaches the CLI through its environment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec import emulator as emulator_module
from oa_spec.emulator import App, Call, Emulator, EmulatorAdmin, EmulatorServer
from oa_spec.limits import INDUSTRY_IDS
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

APPID = "wx0123456789abcdef"
SECRET = "cli-emulator-secret-5b2e90"
ACCOUNT = "demo"
LIBRARY = [
    {"template_id_short": "OPENTM207665002", "title": "账户资金变动提醒"},
    {"template_id_short": "OPENTM400000002", "title": "贷款还款提醒"},
]
SPEC = """\
version: 1
bank: 测试城市商业银行
accounts:
  - id: demo
    name: 测试城市商业银行
    type: service
    provider:
      type: wechat
      app_id: wx0123456789abcdef
      app_secret: ${OASPEC_TEST_APPSECRET}
      api_base: @API_BASE@
    tags:
      - name: 高净值客户
      - name: 银发客户
    menu:
      - name: 我的账户
        sub_buttons:
          - {name: 余额查询, type: view, url: "https://m.citybank.example.cn/balance"}
          - {name: 交易明细, type: click, key: TXN_DETAIL}
      - {name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}
      - name: 服务
        sub_buttons:
          - {name: 网点预约, type: view, url: "https://m.citybank.example.cn/appointment"}
          - {name: 在线客服, type: click, key: CS_ENTRY}
    conditional_menus:
      - name: 长辈版
        match: {tag: 银发客户}
        menu:
          - {name: 查余额, type: view, url: "https://m.citybank.example.cn/balance"}
          - {name: 人工客服, type: click, key: CS_HUMAN}
    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
    templates:
      - {id: balance-alert, library_id: OPENTM207665002, title: 账户资金变动提醒}
"""
INDUSTRY = {"industry_id1": INDUSTRY_IDS["金融业/银行"], "industry_id2": INDUSTRY_IDS["IT科技/互联网|电子商务"]}
# The six writes of a first apply, in the plan's order: tags before the conditional menu that matches
# one, the industry before templates, the default menu before conditional menus.
FIRST_APPLY_WRITES = ["tags/create", "tags/create", "template/api_set_industry", "template/api_add_template",
                      "menu/create", "menu/addconditional"]


# --- fixtures ------------------------------------------------------------------------------------------
EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, LIBRARY)  # the `admin` fixture's account


@dataclass
class Workdir(Emulated):
    """The account `demo` in a scratch directory; its spec is edited in place between runs."""

    account_id: str = ACCOUNT

    def edit(self, old: str, new: str) -> None:
        text = self.spec.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in the spec"
        self.spec.write_text(text.replace(old, new, 1), encoding="utf-8")

    def converged(self) -> None:
        """The next plan shows no changes (and says so with exit 0)."""
        self.oaspec("plan", "--detailed-exitcode")

    def tag(self, name: str) -> dict[str, Any]:
        return next(t for t in self.state()["tags"] if t["name"] == name)


@pytest.fixture
def work(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Workdir:
    workdir = Workdir(tmp_path, server, admin, EMULATOR_ACCOUNT)
    workdir.spec.write_text(SPEC.replace("@API_BASE@", server.base_url), encoding="utf-8")
    return workdir


@pytest.fixture
def applied(work: Workdir) -> Workdir:
    """The spec applied once (revision 1), with the call log cleared."""
    work.oaspec("apply", "--auto-approve")
    work.admin.clear_calls()
    return work


Hook = Callable[[str, Callable[[Emulator], None]], None]


@pytest.fixture
def after_first(monkeypatch: pytest.MonkeyPatch) -> Hook:
    """`after_first("tags/create", action)`: run action(emulator) right after the first such call is done.

    The action runs inside the emulator's request, before its answer is sent, so it lands exactly
    between that write and the next call: no timing involved.
    """

    def install(path: str, action: Callable[[Emulator], None]) -> None:
        endpoint = emulator_module.ENDPOINTS[path]
        fired: list[bool] = []

        def handler(emulator: Emulator, call: Call, app: App) -> dict[str, Any]:
            result = endpoint.handler(emulator, call, app)
            if not fired:
                fired.append(True)
                action(emulator)
            return result

        monkeypatch.setitem(emulator_module.ENDPOINTS, path, replace(endpoint, handler=handler))

    return install


def admin_inline(emulator: Emulator, method: str, path: str, body: dict[str, Any] | None = None) -> None:
    """An admin request from inside an emulator handler (over HTTP it would wait for the held lock)."""
    outcome = emulator.admin(method, f"/_admin/{path}", {}, body or {})
    assert outcome.status == 200, outcome.payload


# --- the pipeline ----------------------------------------------------------------------------------------
def test_first_apply_to_an_empty_account(work: Workdir) -> None:
    first = work.oaspec("apply", "--auto-approve")
    assert f"{ACCOUNT}: applied 6 change(s) (revision 1)" in first.stdout
    assert work.writes() == FIRST_APPLY_WRITES
    assert all(c["errcode"] == 0 for c in work.admin.writes(APPID))

    live = work.state()
    assert [b["name"] for b in live["menu"]["button"]] == ["我的账户", "理财", "服务"]
    assert live["menu"]["button"][0]["sub_button"][1] == {"name": "交易明细", "type": "click", "key": "TXN_DETAIL"}
    assert sorted(t["name"] for t in live["tags"]) == ["星标组", "银发客户", "高净值客户"]
    # The conditional menu matches the tag created a moment earlier in the same apply, by its new id.
    (conditional,) = live["conditionalmenu"]
    assert conditional["matchrule"] == {"tag_id": str(work.tag("银发客户")["id"])}
    assert [t["title"] for t in live["templates"]] == ["账户资金变动提醒"]
    assert live["industry"] == INDUSTRY

    revision = work.revision(1)
    assert revision["status"] == "applied" and len(revision["applied"]) == 6
    work.converged()


def test_no_change_plan_and_apply_make_no_write_call(applied: Workdir) -> None:
    plan = applied.oaspec("plan", "--detailed-exitcode")
    assert "no changes" in plan.stdout
    again = applied.oaspec("apply", "--auto-approve")
    assert "Nothing to apply" in again.stdout
    assert applied.admin.calls(APPID), "the plan read the account"
    assert applied.writes() == []


def test_one_sub_button_change_is_one_menu_create(applied: Workdir) -> None:
    conditional_before = applied.state()["conditionalmenu"]
    applied.edit("key: TXN_DETAIL}", "key: TXN_DETAIL_V2}")
    plan = applied.oaspec("plan", "--detailed-exitcode", code=2)
    assert "click TXN_DETAIL -> click TXN_DETAIL_V2" in plan.stdout
    applied.admin.clear_calls()

    applied.oaspec("apply", "--auto-approve")
    assert applied.writes() == ["menu/create"]
    live = applied.state()
    assert live["menu"]["button"][0]["sub_button"][1]["key"] == "TXN_DETAIL_V2"
    assert live["conditionalmenu"] == conditional_before  # untouched: same menuid, same buttons
    applied.converged()


def test_tag_rename_keeps_the_tag_id_and_its_followers(applied: Workdir) -> None:
    state = applied.state()
    for tag in state["tags"]:
        if tag["name"] == "银发客户":
            tag["count"] = 1234  # followers the bank's CRM tagged
    applied.admin.seed(APPID, state)
    tag_id = applied.tag("银发客户")["id"]
    applied.edit("- name: 银发客户", "- {name: 长辈客户, renamed_from: 银发客户}")
    applied.edit("match: {tag: 银发客户}", "match: {tag: 长辈客户}")

    applied.oaspec("apply", "--auto-approve")
    assert applied.writes() == ["tags/update"]
    assert applied.tag("长辈客户") == {"id": tag_id, "name": "长辈客户", "count": 1234}
    assert applied.state()["conditionalmenu"][0]["matchrule"] == {"tag_id": str(tag_id)}
    applied.converged()


def test_conditional_menu_on_a_tag_created_in_the_same_apply(applied: Workdir) -> None:
    applied.edit("      - name: 银发客户\n", "      - name: 银发客户\n      - name: 年轻客群\n")
    applied.edit("    industry:", "      - name: 青春版\n        match: {tag: 年轻客群}\n        menu:\n"
                                 "          - {name: 新客礼遇, type: click, key: YOUTH}\n    industry:")
    applied.oaspec("apply", "--auto-approve")
    # 长辈版, listed first, is re-created after 青春版 (a follower can carry both tags): the newest wins.
    assert applied.writes() == ["tags/create", "menu/addconditional", "menu/addconditional", "menu/delconditional"]
    new_id = applied.tag("年轻客群")["id"]
    rules = [m["matchrule"] for m in applied.state()["conditionalmenu"]]
    assert rules == [{"tag_id": str(new_id)}, {"tag_id": str(applied.tag("银发客户")["id"])}]
    applied.converged()


def test_deleting_a_conditional_menu_needs_allow_destroy(applied: Workdir) -> None:
    spec = applied.spec.read_text(encoding="utf-8")
    start, end = spec.index("    conditional_menus:"), spec.index("    industry:")
    applied.spec.write_text(spec[:start] + spec[end:], encoding="utf-8")

    plan = applied.oaspec("plan", "--detailed-exitcode", code=2)
    assert "users will notice" in plan.stdout
    refused = applied.oaspec("apply", "--auto-approve", code=1)
    assert "destroy guard" in refused.stderr and "--allow-destroy" in refused.stderr
    assert applied.writes() == []
    assert len(applied.state()["conditionalmenu"]) == 1

    applied.oaspec("apply", "--auto-approve", "--allow-destroy")
    assert applied.writes() == ["menu/delconditional"]
    assert applied.state()["conditionalmenu"] == []
    assert applied.state()["menu"] is not None  # the default menu stays
    applied.converged()


def test_template_add_and_delete(applied: Workdir) -> None:
    line = "      - {id: balance-alert, library_id: OPENTM207665002, title: 账户资金变动提醒}\n"
    added = line + "      - {id: loan-due, library_id: OPENTM400000002, title: 贷款还款提醒}\n"
    applied.edit(line, added)
    applied.oaspec("apply", "--auto-approve")
    assert applied.writes() == ["template/api_add_template"]
    assert [t["title"] for t in applied.state()["templates"]] == ["账户资金变动提醒", "贷款还款提醒"]
    applied.converged()

    applied.admin.clear_calls()
    kept = applied.state()["templates"][0]
    applied.edit(added, line)
    refused = applied.oaspec("apply", "--auto-approve", code=1)
    assert "destroy guard" in refused.stderr
    applied.oaspec("apply", "--auto-approve", "--allow-destroy")
    assert applied.writes() == ["template/del_private_template"]
    assert applied.state()["templates"] == [kept]
    applied.converged()


IMPORT_SPEC = """\
version: 1
bank: 测试城市商业银行
accounts:
  - id: demo
    name: 测试城市商业银行
    type: service
    provider: {type: wechat, app_id: wx0123456789abcdef, app_secret: "${OASPEC_TEST_APPSECRET}", api_base: "@API_BASE@"}
"""
SEEDED_API_MENU = {
    "menu": {"button": [
        {"type": "click", "name": "今日活动", "key": "TODAY"},
        {"name": "服务", "sub_button": [
            {"type": "view", "name": "网点查询", "url": "https://m.citybank.example.cn/branch"},
            {"type": "miniprogram", "name": "手机银行", "url": "https://m.citybank.example.cn/app",
             "appid": "wx9876543210fedcba", "pagepath": "pages/index"}]}]},
    "conditionalmenu": [
        {"button": [{"type": "click", "name": "专属客服", "key": "VIP_CS"}], "matchrule": {"tag_id": "101"},
         "menuid": 400000101},
        {"button": [{"type": "view", "name": "下载App", "url": "https://m.citybank.example.cn/ios"}],
         "matchrule": {"client_platform_type": "1"}, "menuid": 400000102}],
    "tags": [{"id": 2, "name": "星标组", "count": 0}, {"id": 100, "name": "CRM高价值", "count": 5120},
             {"id": 101, "name": "私行客户", "count": 88}],
    "templates": [{"template_id": "tmpl-seeded-0001", "title": "账户资金变动提醒", "primary_industry": "金融业",
                   "deputy_industry": "银行", "content": "{{first.DATA}}", "example": ""}],
    "industry": INDUSTRY,
    # console keyword rules with several replies, sent all or one at random (the platform's own sample)
    "autoreply": json.loads((Path(__file__).parents[1] / "fixtures" / "autoreply_info.json").read_text("utf-8")),
}
SEEDED_CONSOLE_MENU = {
    "selfmenu": {"is_menu_open": 1, "selfmenu_info": {"button": [
        {"type": "click", "name": "今日活动", "key": "TODAY"},
        {"name": "服务", "sub_button": {"list": [
            {"type": "view", "name": "网点查询", "url": "https://m.citybank.example.cn/branch"}]}}]}},
}


@pytest.mark.parametrize("seeded", [SEEDED_API_MENU, SEEDED_CONSOLE_MENU], ids=["api-menu", "console-menu"])
def test_import_round_trip(work: Workdir, seeded: dict[str, Any]) -> None:
    work.admin.seed(APPID, seeded)  # an account configured elsewhere: nothing in oaspec's history
    work.spec.write_text(IMPORT_SPEC.replace("@API_BASE@", work.server.base_url), encoding="utf-8")
    imported = work.oaspec("import", "--account", ACCOUNT, "--out", "imported.yaml")
    assert "Wrote imported.yaml" in imported.stderr
    text = (work.path / "imported.yaml").read_text(encoding="utf-8")
    assert SECRET not in text and "${OASPEC_TEST_APPSECRET}" in text
    assert "今日活动" in text
    if "autoreply" in seeded:
        assert "reply_mode: random_one" in text and "replies:" in text

    plan = work.oaspec("plan", "--detailed-exitcode", spec=work.path / "imported.yaml")
    assert "no changes" in plan.stdout
    work.oaspec("apply", "--auto-approve", spec=work.path / "imported.yaml")
    assert work.writes() == []


# --- faults ----------------------------------------------------------------------------------------------
def test_token_expiry_mid_apply_is_recovered_transparently(work: Workdir, after_first: Hook) -> None:
    after_first("tags/create", lambda emulator: admin_inline(emulator, "POST", "tokens/expire"))
    tokens_before = set(work.server.emulator.tokens)

    result = work.oaspec("apply", "--auto-approve")
    assert f"{ACCOUNT}: applied 6 change(s)" in result.stdout
    writes = work.admin.writes(APPID)
    refused = [c for c in writes if c["errcode"] == 42001]
    assert [c["path"] for c in refused] == ["/cgi-bin/tags/create"], "the second write met the expired token"
    assert [c["path"].removeprefix("/cgi-bin/") for c in writes if c["errcode"] == 0] == FIRST_APPLY_WRITES
    new_tokens = set(work.server.emulator.tokens) - tokens_before
    assert len(new_tokens) == 2, "one token for the run, one after it expired"
    assert work.tag("银发客户") and work.tag("高净值客户")
    work.converged()


def test_busy_on_every_third_write_retries_and_converges(work: Workdir) -> None:
    work.admin.fail(-1, every=3)  # stays on for the re-runs too
    for _ in range(4):
        landed = sum(c["errcode"] == 0 for c in work.admin.writes(APPID))
        result = work.oaspec("apply", "--auto-approve", code=None)
        if result.returncode == 0:
            break
        # Stopping is allowed, but cleanly: saying what landed, and having made progress.
        assert result.returncode == 1 and "the next plan shows the rest:" in result.stderr, result.stderr
        assert sum(c["errcode"] == 0 for c in work.admin.writes(APPID)) > landed
    else:
        pytest.fail("apply did not converge in 4 runs under -1 on every third write")
    busy = [c for c in work.admin.writes(APPID) if c["errcode"] == -1]
    assert len(busy) >= 2
    work.converged()
    live = work.state()
    # Nothing lost and nothing doubled: each object exactly once.
    assert sorted(t["name"] for t in live["tags"]) == ["星标组", "银发客户", "高净值客户"]
    assert len(live["conditionalmenu"]) == 1 and len(live["templates"]) == 1
    assert live["menu"] is not None and live["industry"] is not None


def test_dropped_connections_do_not_double_writes(work: Workdir) -> None:
    work.admin.drop(nth=1, path="tags/get")  # a read, during the plan
    # Writes that land but whose answer is lost: checked writes look before sending again.
    work.admin.drop(nth=1, path="tags/create", after_processing=True)
    work.admin.drop(nth=1, path="menu/addconditional", after_processing=True)
    work.admin.drop(nth=1, path="menu/create")  # lost before it landed: a menu/create is safe to repeat

    result = work.oaspec("apply", "--auto-approve")
    assert f"{ACCOUNT}: applied 6 change(s)" in result.stdout
    dropped = [c["path"].removeprefix("/cgi-bin/") for c in work.admin.calls(APPID) if c["dropped"]]
    assert sorted(dropped) == ["menu/addconditional", "menu/create", "tags/create", "tags/get"]
    live = work.state()
    assert sorted(t["name"] for t in live["tags"]) == ["星标组", "银发客户", "高净值客户"]
    assert len(live["conditionalmenu"]) == 1
    assert work.writes().count("tags/create") == 2, "the landed tags/create was not sent again"
    assert work.writes().count("menu/addconditional") == 1
    work.converged()


def test_daily_quota_stops_the_apply_and_the_revision_records_what_landed(work: Workdir,
                                                                           after_first: Hook) -> None:
    # From the template onwards every call answers 45009, reads included, as on the platform.
    after_first("template/api_add_template",
                lambda emulator: admin_inline(emulator, "POST", "faults/errcode",
                                              {"errcode": 45009, "writes_only": False}))
    result = work.oaspec("apply", "--auto-approve", code=1)
    assert "menu/create: WeChat error 45009: the daily API quota is reached" in result.stderr
    assert f"{ACCOUNT}: applied 4 of 6 changes (revision 1); the next plan shows the rest:" in result.stderr
    assert f"not applied: {ACCOUNT}/menu" in result.stderr
    assert f"not applied: {ACCOUNT}/conditional_menus/长辈版" in result.stderr

    revision = work.revision(1)
    assert revision["status"] == "failed"
    assert "45009" in revision["error"]
    assert sorted(revision["applied"]) == sorted([f"{ACCOUNT}/tags/高净值客户", f"{ACCOUNT}/tags/银发客户",
                                                  f"{ACCOUNT}/industry", f"{ACCOUNT}/templates/balance-alert"])
    assert len(revision["changes"]) == 6

    still = work.oaspec("plan", code=1)  # the quota holds for reads too
    assert "45009" in still.stderr and "quota" in still.stderr
    work.admin.clear_faults()  # the next day
    rest = work.oaspec("plan", "--format", "json", "--detailed-exitcode", code=2)
    changes = json.loads(rest.stdout)["accounts"][0]["changes"]
    assert [(c["address"], c["action"]) for c in changes] == [(f"{ACCOUNT}/menu", "create"),
                                                              (f"{ACCOUNT}/conditional_menus/长辈版", "create")]
    work.admin.clear_calls()
    work.oaspec("apply", "--auto-approve")
    assert work.writes() == ["menu/create", "menu/addconditional"]
    work.converged()


def test_ip_allow_list_refusal_is_explained(work: Workdir) -> None:
    work.admin.register_app(APPID, SECRET, ip_whitelist=["203.0.113.7"])
    for command in (["plan"], ["apply", "--auto-approve"]):
        result = work.oaspec(*command, code=1)
        assert "WeChat error 40164: this machine's IP is not on the account's IP allow-list" in result.stderr
        assert "IP白名单" in result.stderr and "127.0.0.1" in result.stderr
    assert work.writes() == []


def test_a_failed_read_aborts_the_plan_with_zero_writes(applied: Workdir) -> None:
    applied.edit("key: TXN_DETAIL}", "key: TXN_DETAIL_V2}")  # a change is pending
    applied.admin.fail(48001, path="tags/get", writes_only=False)
    for command in (["plan", "--detailed-exitcode"], ["apply", "--auto-approve"]):
        result = applied.oaspec(*command, code=1)
        assert "tags/get: WeChat error 48001: the account type or verification lacks this API" in result.stderr
        assert result.stdout.strip() == "", "no plan is shown from a half-read account"
    assert applied.writes() == []
    applied.admin.clear_faults()
    applied.oaspec("plan", "--detailed-exitcode", code=2)


def test_a_failed_write_names_the_account_once(work: Workdir) -> None:
    work.admin.fail(45009, path="tags/create")
    result = work.oaspec("apply", "--auto-approve", code=1)
    assert f"error: {ACCOUNT}: tags/create: WeChat error 45009" in result.stderr


def test_a_plan_fetches_one_token(work: Workdir) -> None:
    work.oaspec("plan")
    assert [c["path"] for c in work.admin.calls(APPID)].count("/cgi-bin/stable_token") == 1


def test_an_apply_fetches_one_token(work: Workdir) -> None:
    work.oaspec("apply", "--auto-approve")
    assert [c["path"] for c in work.admin.calls(APPID)].count("/cgi-bin/stable_token") == 1


def test_a_conditional_menu_replace_never_leaves_the_segment_without_a_menu(applied: Workdir) -> None:
    applied.edit("{name: 人工客服, type: click, key: CS_HUMAN}", "{name: 人工客服, type: click, key: CS_HUMAN_V2}")
    applied.admin.fail(45009, every=1, path="menu/delconditional")
    failed = applied.oaspec("apply", "--auto-approve", code=1)
    assert "45009" in failed.stderr
    landed = [c["path"] for c in applied.admin.writes(APPID) if c["errcode"] == 0]
    assert landed == ["/cgi-bin/menu/addconditional"]  # the new menu landed before the delete failed
    menus = applied.state()["conditionalmenu"]
    assert len(menus) == 2  # old and new: followers see the newest, never nothing

    applied.admin.clear_faults()
    plan = applied.oaspec("plan", "--detailed-exitcode", code=2)
    assert "stale duplicate" in plan.stdout and plan.stdout.count("- conditional menu") == 1
    applied.oaspec("apply", "--auto-approve", "--allow-destroy")
    [menu] = applied.state()["conditionalmenu"]
    assert any(b.get("key") == "CS_HUMAN_V2" for b in menu["button"])
    applied.converged()


def test_a_replace_whose_old_copy_stays_is_recorded_as_landed_and_cleaned_up_without_a_guard(applied: Workdir) -> None:
    """B6 (attack review 9): the add landed, the delete failed: followers see the new menu, and history, show and
    the audit trail say so; the next plan deletes the old copy as harmless (no fall-back, no --allow-destroy)."""
    address = f"{ACCOUNT}/conditional_menus/长辈版"
    applied.edit("{name: 人工客服, type: click, key: CS_HUMAN}", "{name: 人工客服, type: click, key: CS_HUMAN_V2}")
    applied.admin.fail(45009, every=1, path="menu/delconditional")
    failed = applied.oaspec("apply", "--auto-approve", code=1)
    assert f"{address} landed all the same: its new menu is live" in failed.stderr
    assert f"{ACCOUNT}: applied 1 of 1 changes (revision 2)" in failed.stderr
    old = applied.revision(1)["live_after"]["conditional_menus"][0]["menuid"]
    revision = applied.revision(2)
    assert revision["status"] == "failed" and revision["applied"] == [address]
    assert revision["partly"] == {address: f"the old copy (menuid {old}) is still live; the next plan deletes it"}
    shown = applied.oaspec("show", "2", "--account", ACCOUNT)
    assert f"replace  {address}  [applied; left behind: the old copy (menuid {old})" in shown.stdout
    history = applied.oaspec("history", "--account", ACCOUNT)
    assert history.stdout.splitlines()[-1].split()[1:2] + history.stdout.splitlines()[-1].split()[5:7] == \
        ["2", "failed", "1/1"]  # REV, STATUS, CHANGES: the run failed, its one change landed
    entry = json.loads((applied.path / ".oaspec" / "audit.log").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["changes"]["applied"] == 1 and entry["changes"]["addresses"] == [address]
    assert address in entry["changes"]["partly"]

    applied.admin.clear_faults()
    plan = applied.oaspec("plan", "--detailed-exitcode", code=2)
    assert f"stale duplicate (menuid {old}) of a menu with the same rule (长辈版)" in plan.stdout
    assert "fall back" not in plan.stdout and "destroy guard" not in plan.stdout
    applied.oaspec("apply", "--auto-approve")  # no --allow-destroy
    [menu] = applied.state()["conditionalmenu"]
    assert any(b.get("key") == "CS_HUMAN_V2" for b in menu["button"])
    applied.converged()


# --- conditional menu precedence (attack review 9, B7) -------------------------------------------------------
IOS_MENU = "      - name: 苹果用户\n        match: {client_platform_type: ios}\n        menu:\n" \
           "          - {name: 苹果专享, type: view, url: \"https://m.citybank.example.cn/ios\"}\n"
ELDER_MENU = SPEC[SPEC.index("      - name: 长辈版"):SPEC.index("    industry:")]


def sees(work: Workdir, tags: list[str], platform: str) -> list[str]:
    """The top-level buttons menu/trymatch shows a follower with these tags on this client platform."""
    state = work.state()
    state["users"] = [{"openid": "o-probe", "tagid_list": [work.tag(t)["id"] for t in tags],
                       "client_platform_type": platform}]
    work.admin.seed(APPID, state)
    return [b["name"] for b in api(work, "menu/trymatch", {"user_id": "o-probe"})["button"]]


def api(work: Workdir, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """One platform API call, as the console or a CRM makes it (UTF-8: the platform refuses \\u escapes)."""
    base = f"{work.server.base_url}/cgi-bin"
    token = requests.post(f"{base}/stable_token", json={"grant_type": "client_credential", "appid": APPID,
                                                        "secret": SECRET}, timeout=10).json()["access_token"]
    return requests.post(f"{base}/{path}", params={"access_token": token},  # type: ignore[no-any-return]
                         data=json.dumps(body, ensure_ascii=False).encode(), timeout=10).json()


@pytest.fixture
def overlapping(work: Workdir) -> Workdir:
    """长辈版 (tag 银发客户) listed before 苹果用户 (iOS), applied (revision 1); the call log cleared."""
    work.edit("    industry:", IOS_MENU + "    industry:")
    work.oaspec("apply", "--auto-approve")
    assert sees(work, ["银发客户"], "1") == ["查余额", "人工客服"]  # the menu listed first wins
    assert sees(work, [], "1") == ["苹果专享"]
    work.admin.clear_calls()
    return work


def test_a_replace_keeps_the_spec_order_precedence_and_the_plan_says_what_is_re_created(
        overlapping: Workdir) -> None:
    overlapping.edit("https://m.citybank.example.cn/ios", "https://m.citybank.example.cn/ios/v2")
    plan = overlapping.oaspec("plan").stdout
    assert plan.index("-/+ conditional menu 苹果用户") < plan.index("-/+ conditional menu 长辈版")
    assert ("re-created to keep precedence: listed before 苹果用户, whose rule overlaps and which this plan makes "
            "newer; followers matching both keep seeing this menu") in plan
    assert "destroy guard" not in plan
    overlapping.oaspec("apply", "--auto-approve")
    assert overlapping.writes() == ["menu/addconditional", "menu/delconditional"] * 2
    assert sees(overlapping, ["银发客户"], "1") == ["查余额", "人工客服"]  # still 长辈版, as the spec lists it
    overlapping.converged()


def test_the_spec_order_is_the_precedence_and_a_rollback_restores_what_followers_saw(overlapping: Workdir) -> None:
    text = overlapping.spec.read_text(encoding="utf-8")
    overlapping.spec.write_text(text.replace(ELDER_MENU + IOS_MENU, IOS_MENU + ELDER_MENU), encoding="utf-8")
    plan = overlapping.oaspec("plan").stdout
    assert "followers matching both now see this menu instead of 长辈版" in plan
    overlapping.oaspec("apply", "--auto-approve")
    assert sees(overlapping, ["银发客户"], "1") == ["苹果专享"]
    overlapping.oaspec("rollback", "1", "--account", ACCOUNT, "--auto-approve")
    assert sees(overlapping, ["银发客户"], "1") == ["查余额", "人工客服"]


def test_a_replace_that_puts_an_unmanaged_menu_behind_names_it_and_needs_allow_destroy(applied: Workdir) -> None:
    """B3 (attack review 10): a console campaign menu on iOS, which the spec does not declare, is what iOS
    followers of 银发客户 see; a replace of 长辈版 makes 长辈版 the newest, so they switch to it."""
    campaign = api(applied, "menu/addconditional", {"matchrule": {"client_platform_type": "1"}, "button": [
        {"type": "view", "name": "双十二活动", "url": "https://m.citybank.example.cn/promo"}]})
    applied.admin.clear_calls()
    assert sees(applied, ["银发客户"], "1") == ["双十二活动"]
    applied.edit("{name: 人工客服, type: click, key: CS_HUMAN}", "{name: 人工客服, type: click, key: CS_HUMAN_V2}")
    switch = ("followers matching both this rule and the unmanaged menu platform-ios (client_platform_type=1, "
              f"menuid {campaign['menuid']}) will see this menu instead of it")
    plan = applied.oaspec("plan").stdout
    assert f"! users will notice: {switch}" in plan and "destroy guard" in plan
    refused = applied.oaspec("apply", "--auto-approve", code=1)
    assert "destroy guard" in refused.stderr and switch in refused.stderr
    assert applied.writes() == []
    applied.oaspec("apply", "--auto-approve", "--allow-destroy")
    assert sees(applied, ["银发客户"], "1") == ["查余额", "人工客服"]  # as the plan said
    assert sees(applied, [], "1") == ["双十二活动"]  # the campaign menu itself is left alone
    applied.converged()
