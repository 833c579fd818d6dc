"""A plan posted as a pull-request comment always fits the comment (65,536 characters): whole when it
fits, else a summary that keeps what a reviewer must see first (blocking findings, the destroy guard)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec.config.model_safety import WaiverSpec
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import (
    AccountState,
    Button,
    EventReply,
    GatewaySettings,
    KeywordRule,
    Menu,
    Reply,
    Tag,
    WebhookRoute,
)
from oa_spec.plan.model import AccountPlan, Plan, PlanFinding
from oa_spec.render.comment import GITHUB_COMMENT_LIMIT, comment_size, render_comment
from oa_spec.render.markdown import render_markdown
from testing.accounts import SERVED_ENV, edit, served_example
from testing.cli import Cli

BLOCKING = PlanFinding("wealth.no-guaranteed-return", "error", "不得明示或暗示保本、无风险或保收益",
                       "《理财公司理财产品销售管理暂行办法》", "bank9/replies/default", "oaspec.yaml:40:9",
                       "replies.default.text", "“保本”", "", True)


def big_plan(accounts: int, tags: int, name: str = "客群") -> Plan:
    """`accounts` accounts creating `tags` tags each, the last one with a blocking finding and a guard."""
    plans = []
    for a in range(accounts):
        changes = [Change("create", "tag", f"{name}{t}", f"bank{a}/tags/{name}{t}", None, Tag(f"{name}{t}"))
                   for t in range(tags)]
        plans.append(AccountPlan(f"bank{a}", "local", changes, AccountState(), "sha256:x", "sha256:y"))
    plans[-1].findings.append(BLOCKING)
    plans[-1].guard.append("deleting tag 高净值客户 removes it from 1,024 followers")
    return Plan(plans)


def test_a_plan_that_fits_is_posted_whole() -> None:
    plan = big_plan(2, 5)
    assert render_comment(plan) == render_markdown(plan)


def test_a_huge_plan_becomes_a_summary_that_fits_and_counts_what_it_leaves_out() -> None:
    plan = big_plan(10, 1000)
    assert comment_size(render_markdown(plan)) > GITHUB_COMMENT_LIMIT
    comment = render_comment(plan)
    assert comment_size(comment) <= GITHUB_COMMENT_LIMIT
    assert comment.startswith("## oaspec plan (summary)") and "Plan: 10000 to create" in comment
    assert "1000 to create (tag 1000)." in comment  # every account's counts by kind
    shown = comment.count("- 🟢 **create**")
    assert 0 < shown < 10_000 and f"… {10_000 - shown:,} more changes not shown here" in comment
    blocking = comment.index("### Blocking policy findings")  # the last account's error comes first
    assert blocking < comment.index("### `bank0`") and "bank9/replies/default" in comment[blocking:]
    assert "**Destroy guard:**" in comment and "1,024 followers" in comment


def test_a_summary_keeps_the_state_and_every_accounts_notes() -> None:
    """Where records go, and a state holding no revision of an account, cannot be pushed out by a large plan."""
    plan = big_plan(60, 300)
    plan.state = "files state /runner/.oaspec"
    for ap in plan.accounts:
        ap.notes.append(f"no revision of {ap.account} in the files state /runner/.oaspec: its history starts here")
    comment = render_comment(plan)
    assert comment.startswith("## oaspec plan (summary)") and comment_size(comment) <= GITHUB_COMMENT_LIMIT
    assert "State: the `files state /runner/.oaspec`" in comment
    assert all(f"note: no revision of {ap.account} in" in comment for ap in plan.accounts)


def test_a_specs_many_notes_cannot_crowd_the_changes_out_of_a_summary() -> None:
    """Notes a spec can make by the hundred (a disabled module each) come after the changes, as many as fit."""
    plan = big_plan(10, 1000)
    for ap in plan.accounts:
        ap.notes += [f"module m{i} is disabled: its menu entries and replies are left out " + "。" * 80
                     for i in range(700)]
    comment = render_comment(plan)
    assert comment_size(comment) <= GITHUB_COMMENT_LIMIT
    assert comment.count("- 🟢 **create**") > 100 and "### `bank9`" in comment and "bank9/replies/default" in comment
    notes = comment.find("### Notes")
    assert notes == -1 or comment.index("### Changes") < notes


def test_the_limit_counts_utf16_units_so_emoji_names_cannot_overflow_it() -> None:
    plan = big_plan(3, 1000, name="😀🏦" * 20)
    comment = render_comment(plan, 20_000)
    assert comment_size(comment) <= 20_000 < len(comment.encode("utf-8"))
    assert "more changes not shown here" in comment


def test_a_long_name_takes_one_cut_line_not_the_whole_comment() -> None:
    plan = big_plan(1, 200, name="长" * 5000)
    comment = render_comment(plan, 30_000)
    assert comment_size(comment) <= 30_000 and comment.count("- 🟢 **create**") > 10


def test_a_padded_plan_still_shows_a_gateway_downgrade_and_a_webhooks_new_host_whole() -> None:
    # an attack review: 700 harmless keyword rules pushed the comment onto its summary, which said only "update
    # gateway" and "update webhook": not safe -> plain, not the webhook's new host
    plan = big_plan(1, 3000)
    safe = GatewaySettings("safe", "wx0123456789abcdef", "OASPEC_CITYBANK_TOKEN", "OASPEC_CITYBANK_AES_KEY")
    plain = GatewaySettings("plain", "wx0123456789abcdef", "OASPEC_CITYBANK_TOKEN")
    old_hook = WebhookRoute("customer-service", "https://cs.citybank.example.cn/collect", secret_env="OASPEC_HOOK")
    new_hook = WebhookRoute("customer-service", "https://www.citybank.example.cn/collect/cs", secret_env="OASPEC_HOOK")
    plan.accounts[0].changes += [
        Change("update", "gateway", "gateway", "bank0/gateway", safe, plain),
        Change("update", "webhook", "customer-service", "bank0/gateway/webhooks/customer-service", old_hook, new_hook)]
    comment = render_comment(plan)
    assert comment.startswith("## oaspec plan (summary)") and comment_size(comment) <= GITHUB_COMMENT_LIMIT
    whole = comment.index("### Gateway and webhook changes, whole")
    assert whole < comment.index("### `bank0`")
    shown = comment[whole:comment.index("### `bank0`")]
    assert "safe" in shown and "plain" in shown and "www.citybank.example.cn" in shown, shown


def test_a_padded_plan_still_shows_what_now_reaches_a_webhook_and_every_waived_finding_whole() -> None:
    # attack review 27: a click key and a keyword rule taking every Chinese message were routed to a webhook module,
    # and a regulated finding was waived; the summary said "update click reply TXN_DETAIL", "create keyword reply 咨询"
    # and "3 more findings not shown"
    plan = big_plan(1, 3000)
    ap = plan.accounts[0]
    ap.desired = AccountState(webhooks=(WebhookRoute("balance-query", "https://api.citybank.example.cn/balance",
                                                     secret_env="OASPEC_HOOK"),))
    fallback = Reply("余额查询请点击菜单“我的账户”。")
    hooked = Reply(fallback.text, module="balance-query")
    ap.changes += [
        Change("update", "click_reply", "TXN_DETAIL", "bank0/replies/clicks/TXN_DETAIL",
               EventReply("TXN_DETAIL", fallback), EventReply("TXN_DETAIL", hooked)),
        Change("create", "keyword_reply", "咨询", "bank0/replies/keywords/咨询", None,
               KeywordRule("咨询", "regex", (r"\p{Han}",), hooked)),
        Change("create", "keyword_reply", "网点", "bank0/replies/keywords/网点", None,
               KeywordRule("网点", "exact", ("网点",), fallback))]
    where = "bank0/replies/keywords/稳健理财"
    waiver = WaiverSpec(rule="wealth.no-guaranteed-return", target=where, reason="产品确为保本型",
                        approved_by="张三", expires="2027-01-31")
    waived = PlanFinding("wealth.no-guaranteed-return", "error", "不得明示或暗示保本、无风险或保收益",
                         "广告法 第二十五条", where, "oaspec.yaml:12:9", "replies.keywords[0]", "“保本保收益”",
                         waiver=waiver)
    ap.findings.append(waived)
    comment = render_comment(plan)
    assert comment.startswith("## oaspec plan (summary)") and comment_size(comment) <= GITHUB_COMMENT_LIMIT
    first = comment[:comment.index("### `bank0`")]
    assert "TXN_DETAIL" in first and "balance-query" in first and r"\p{Han}" in first, first
    assert "keywords/网点" not in first  # a reply that reaches no webhook waits its turn with the rest
    assert "waived by 张三 until 2027-01-31" in first and "bank0/replies/keywords/稳健理财" in first


def test_a_padded_plan_still_shows_a_menu_button_added_with_a_click_key_a_webhook_answers() -> None:
    # attack review 28 F4: a new button whose key the balance module's webhook answers showed only as "update menu"
    plan = big_plan(1, 3000)
    ap = plan.accounts[0]
    ap.desired = AccountState(webhooks=(WebhookRoute("balance", "https://api.citybank.example.cn/balance",
                                                     secret_env="OASPEC_HOOK", click_key="BALANCE"),))
    before = Menu((Button("理财", "view", url="https://m.citybank.example.cn/wealth"),))
    after = Menu((*before.buttons, Button("查余额", "click", key="BALANCE")))
    renamed = Menu((Button("理财产品", "view", url="https://m.citybank.example.cn/wealth"), after.buttons[1]))
    ap.changes.append(Change("update", "menu", "menu", "bank0/menu", before, after))
    comment = render_comment(plan)
    first = comment[:comment.index("### `bank0`")]
    assert "BALANCE" in first and "查余额" in first, first
    ap.changes[-1] = Change("update", "menu", "menu", "bank0/menu", after, renamed)  # the button was there before
    assert "BALANCE" not in render_comment(plan).split("### `bank0`")[0]
    # attack review 29 F4: a second button with a key another button already had was "update menu" only
    twice = Menu((*after.buttons, Button("账户助手", "click", key="BALANCE")))
    ap.changes[-1] = Change("update", "menu", "menu", "bank0/menu", after, twice)
    assert "账户助手" in render_comment(plan).split("### `bank0`")[0]
    # attack review 30 F4: a scan-code button with that key made a click button, its name and key unchanged
    scan = Menu((*before.buttons, Button("查余额", "scancode_push", key="BALANCE")))
    ap.changes[-1] = Change("update", "menu", "menu", "bank0/menu", scan, after)
    assert "查余额" in render_comment(plan).split("### `bank0`")[0]


def test_more_webhook_routed_changes_than_fit_whole_are_each_named_and_every_account_header_kept() -> None:
    # attack review 31 F3: 450 keyword rules newly answered by a webhook filled the summary; the last rule and the
    # account's header, counts and destroy guard were only counted
    plan = big_plan(1, 10)
    ap = plan.accounts[0]
    ap.desired = AccountState(webhooks=(WebhookRoute("balance-query", "https://api.citybank.example.cn/balance",
                                                     secret_env="OASPEC_HOOK"),))
    hooked = Reply("余额查询请点击菜单“我的账户”。" * 20, module="balance-query")
    ap.changes += [Change("create", "keyword_reply", f"规则{n}", f"bank0/replies/keywords/规则{n}", None,
                          KeywordRule(f"规则{n}", "exact", (f"余额{n}",), hooked)) for n in range(450)]
    comment = render_comment(plan)
    assert comment.startswith("## oaspec plan (summary)") and comment_size(comment) <= GITHUB_COMMENT_LIMIT
    routed = [line for line in comment.splitlines() if "keywords/规则" in line and "balance-query" in line]
    assert len(routed) == 450, len(routed)  # each named with the module it now reaches, and its keywords
    assert any("余额449" in line for line in routed)
    assert "**Destroy guard:**" in comment and "### `bank0`" in comment


# --- a summary keeps whole what it promises whole (attack review 45, F2) ------------------------------------------
LONG_QUESTIONS = [f"how can i check my savings account balance and my recent card transactions online {n}"
                  for n in range(9)]
PADDING_TEXT = "您好，本行营业时间为工作日九点至十七点，如需办理业务请携带本人有效身份证件前往就近网点。" * 3


def padded_rules(count: int) -> str:
    return "".join(f"        - {{name: 问题{n:03d}, match: exact, keywords: [问题{n:03d}], "
                   f"reply: {{text: {PADDING_TEXT}}}}}\n" for n in range(count))


def comment_of(cli: Cli, spec: Path, max_chars: int, env: dict[str, str | None] | None = None) -> str:
    """The CI recipe's two steps: plan --format markdown --out plan.json, then show plan.json --max-chars."""
    planned = cli("plan", "-f", str(spec), "--format", "markdown", "--out", "plan.json", env=env)
    assert planned.returncode == 0, planned.stderr
    shown = cli("show", "plan.json", "--format", "markdown", "--max-chars", str(max_chars), env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("## oaspec plan (summary)"), shown.stdout[:200]
    return shown.stdout


@pytest.mark.parametrize("max_chars", [20_000, 2_575])  # the rule whole, then on one line (the whole no longer fits)
def test_every_keyword_a_rule_now_sends_to_a_webhook_survives_the_summary(cli: Cli, tmp_path: Path,
                                                                          max_chars: int) -> None:
    spec = served_example(tmp_path)
    edit(spec, "allowed_domains: [m.citybank.example.cn]", "allowed_domains: [m.citybank.example.cn, "
                                                           "svc.citybank.example.cn]")
    edit(spec, "    modules:\n", "    modules:\n" + BALANCE_MODULE)
    rule = (f"        - {{name: 余额, match: exact, keywords: [{', '.join(LONG_QUESTIONS)}, 短信验证码], "
            "reply: {module: balance}}\n")
    edit(spec, "      keywords:\n", "      keywords:\n" + rule + padded_rules(100))
    comment = comment_of(cli, spec, max_chars, env={**SERVED_ENV, "OASPEC_CITYBANK_HOOK": "hook-secret"})
    section = comment[comment.index("### Gateway and webhook changes, whole"):]
    section = section[:section.index("\n### ", 1)]
    assert "短信验证码" in section and all(question in section for question in LONG_QUESTIONS), section
    after_rule = section[section.index("keywords/余额`"):].split("\n")[1]  # the gateway's and webhook's are whole
    assert (after_rule == "  ```diff") == (max_chars == 20_000), section


BALANCE_MODULE = """\
      - id: balance
        kind: account_query
        title: 余额查询
        phase: 1
        entry: {key: BALANCE}
        personal_data: [financial_account]
        consent: 首次使用时在页面内单独弹窗取得授权（单独同意）
        necessity: 查询本人账户余额须核验账户信息，仅用于本次查询
        privacy_notice: "https://m.citybank.example.cn/privacy/balance"
        webhook: {url: "https://svc.citybank.example.cn/wx/balance", signing_secret: "${OASPEC_CITYBANK_HOOK}"}
"""
WAIVED_RULE_NAME = "行庆活动感恩回馈客户积分兑换专区" * 27
WAIVER_SPEC = f"""\
version: 1
bank: 示例银行
policies:
  packs: [cn-bank]
  waivers:
    - rule: ad.absolute-terms
      target: "demo/replies/keywords/{WAIVED_RULE_NAME}"
      reason: 已审核
      approved_by: 法律合规部 李敏
      expires: 2099-12-31
accounts:
  - id: demo
    name: 示例银行
    type: service
    provider: {{type: local}}
    replies:
      keywords:
        - name: {WAIVED_RULE_NAME}
          match: exact
          keywords: [行庆]
          reply:
            text: 感谢您的支持！本行存款规模全市第一（数据来源：市金融监管局2025年统计）。行庆期间到店可参加积分兑换。
"""


def test_who_waived_a_finding_and_until_when_survive_the_summary(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(WAIVER_SPEC + padded_rules(40), encoding="utf-8")
    comment = comment_of(cli, spec, 8_000)
    section = comment[comment.index("### Waived policy findings"):]
    section = section[:section.index("\n### ", 1)]
    assert "waived by 法律合规部 李敏 until 2099-12-31" in section, section


# --- a long line or a padded section leaves every other must-show item shown (attack review 68, F3) ---------------
# One waiver whose approved_by was 72,000 characters filled the summary: its own section showed an empty heading,
# and the webhook's new host after it was only counted.
HOOK = WebhookRoute("balance-query", "https://www.citybank.example.cn/collect/cs", secret_env="OASPEC_HOOK")
ROUTED = Reply("余额查询请点击菜单“我的账户”。", module="balance-query")
LONG_APPROVER = "法律合规部 李敏" + "（审核记录）" * 12_000


def waived(approver: str = "张三", where: str = "bank0/replies/keywords/稳健理财") -> PlanFinding:
    # built unchecked: validate refuses such an approver (tests/policy/test_waivers.py), the comment cuts it anyway
    waiver = WaiverSpec.model_construct(rule="ad.absolute-terms", target=where, reason="出处已审核",
                                        approved_by=approver, expires=datetime.date(2027, 1, 31))
    return PlanFinding("ad.absolute-terms", "warning", "广告不得使用绝对化用语", "广告法 第九条", where,
                       "oaspec.yaml:80:19", "replies.keywords[0]", "“第一”", waiver=waiver)


def routed_rule(name: str, keywords: tuple[str, ...]) -> Change:
    return Change("create", "keyword_reply", name, f"bank0/replies/keywords/{name}", None,
                  KeywordRule(name, "exact", keywords, ROUTED))


def hostile_plan(hostile: str) -> Plan:
    """A padded plan with one of each item a summary must show (a blocking finding, a waived one, a webhook's new
    host, a rule now routed to it, the destroy guard), one of whose sections `hostile` makes long or many."""
    plan = big_plan(1, 3000)
    ap = plan.accounts[0]
    ap.desired = AccountState(webhooks=(HOOK,))
    old = WebhookRoute("balance-query", "https://cs.citybank.example.cn/collect", secret_env="OASPEC_HOOK")
    padding = {"long approver": [], "many routed": [routed_rule(f"规则{n}", (f"余额{n}" * 10,)) for n in range(700)],
               "long routed": [routed_rule("海量", tuple(f"余额{n}" for n in range(20_000)))]}.get(hostile, [])
    ap.changes[:0] = [*padding, routed_rule("咨询", ("咨询",)),
                      Change("update", "webhook", "balance-query", "bank0/gateway/webhooks/balance-query", old, HOOK)]
    ap.findings.append(waived(LONG_APPROVER if hostile == "long approver" else "张三"))
    if hostile == "many waived":
        ap.findings += [waived(where=f"bank0/replies/keywords/活动{n}") for n in range(700)]
    if hostile == "many blocking":
        ap.findings += [replace(BLOCKING, address=f"bank0/replies/keywords/保本{n}", detail="保本" * 400)
                        for n in range(700)]
    return plan


@pytest.mark.parametrize("hostile", ["long approver", "many waived", "many blocking", "long routed", "many routed"])
def test_a_long_line_or_padded_section_leaves_every_other_must_show_item_in_the_summary(hostile: str) -> None:
    comment = render_comment(hostile_plan(hostile))
    assert comment.startswith("## oaspec plan (summary)") and comment_size(comment) <= GITHUB_COMMENT_LIMIT
    first = comment[:comment.index("### `bank0`")]
    shown = {"blocking": "bank9/replies/default" in first,
             "waived": any("waived by 张三 until 2027-01-31" in line or
                           ("waived by 法律合规部 李敏" in line and "until 2027-01-31" in line)
                           for line in first.splitlines()),
             "webhook host": "www.citybank.example.cn/collect/cs" in first,
             "routed": "bank0/replies/keywords/咨询" in first or hostile == "many routed",  # its own section's padding
             "guard": "**Destroy guard:**" in comment and "1,024 followers" in comment}
    assert all(shown.values()), (shown, first[:3000])
