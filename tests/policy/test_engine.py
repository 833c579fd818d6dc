"""The engine as the CLI uses it: diagnostics for validate, blocking for apply, findings by address,
the spec's own rules, pack configuration, and rollout phase gating."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.cadence import HOLIDAY_YEARS
from oa_spec.plan.project import Project
from tests.conftest import run_cli
from tests.policy.helpers import REPLY, reply_spec, run_yaml


def test_banned_promise_diagnostic_names_rule_place_and_basis(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("理财新品限时认购，保本保息！理财非存款，产品有风险，投资须谨慎。"))
    assert run.report.blocking
    [diag] = [d for d in run.report.diagnostics() if d.rule == "wealth.no-guaranteed-return"]
    text = str(diag)
    assert text.startswith(f"{run.path}:11:")
    assert "error [wealth.no-guaranteed-return]" in text and "广告法 第二十五条" in text and REPLY in text
    assert run.report.for_address(REPLY)[0].rule == "wealth.no-guaranteed-return"
    assert run.report.to_json()["blocking"] is True


def test_clean_reply_is_not_blocking(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("您好，营业时间为周一至周五9:00-17:00。"))
    assert not run.report.blocking and run.report.blocking_findings == []


CUSTOM = """\
version: 1
bank: 示例银行
policies:
  packs: []
  rules:
    - id: citybank.no-personal-wechat
      message: 不得引导添加客户经理个人微信
      basis: 本行营销宣传管理办法 第十二条
      forbidden: [加微信, 个人微信]
    - id: citybank.no-percent-in-menus
      severity: warning
      message: 菜单名称不得出现收益率
      basis: 本行新媒体运营规范 3.2
      pattern: '\\d+(\\.\\d+)?[%％]'
      scope: [menus]
    - id: citybank.elderly-hotline
      message: 面向长辈的内容须提供人工热线
      basis: 本行适老化服务规范 2.1
      required: ['95000', 人工客服]
      audience_tags: [银发客户]
    - id: citybank.links
      message: 链接只允许本行域名
      basis: 本行信息安全规范 5.4
      allowed_domains: [m.citybank.example.cn]
accounts:
  - id: bank
    name: 示例银行
    tags: [{name: 银发客户}]
    menu:
      - {name: 理财3.5%, type: view, url: 'https://m.citybank.example.cn/w'}
    conditional_menus:
      - name: 长辈版
        match: {tag: 银发客户}
        menu:
          - {name: 查余额, type: view, url: 'https://evil.example.com/b'}
    replies:
      keywords:
        - {name: 经理, keywords: [经理], reply: {text: 请加微信联系客户经理。}}
        - {name: 切勿, keywords: [骗子], reply: {text: 切勿加微信转账。}}
"""


def test_custom_rules(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, CUSTOM)
    assert run.hits("citybank.no-personal-wechat") == ["bank/replies/keywords/经理"]
    assert run.hits("citybank.no-percent-in-menus") == ["bank/menu"]
    assert run.hits("citybank.elderly-hotline") == ["bank/conditional_menus/长辈版"]
    assert run.hits("citybank.links") == ["bank/conditional_menus/长辈版"]
    severities = {f.rule: f.severity for f in run.report.findings}
    assert severities["citybank.no-percent-in-menus"] == "warning"


def test_custom_rule_problems(tmp_path: Path) -> None:
    text = CUSTOM.replace("      audience_tags: [银发客户]", "      when_contexts: [lottery]").replace(
        "citybank.links", "link.https")
    run = run_yaml(tmp_path, text)
    assert run.hits("policy.config") == ["policies/rules/citybank.elderly-hotline", "policies/rules/link.https"]


def test_custom_rule_with_bad_regex_is_a_config_finding_at_the_pattern(tmp_path: Path) -> None:
    """RE2 judges the pattern, at the pattern's place (attack review 50 F6: Python's `re` judged it, at the rule's)."""
    run = run_yaml(tmp_path, CUSTOM.replace("pattern: '\\d+(\\.\\d+)?[%％]'", "pattern: '(unclosed'"))
    [finding] = [f for f in run.report.findings if f.rule == "policy.config"]
    assert finding.path.endswith(".pattern") and "missing )" in finding.detail, finding


def test_unknown_pack(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, reply_spec("你好", packs="[cn-bnak]"))
    assert run.hits("policy.config") == ["policies/packs/0"]


SETTINGS = """\
version: 1
bank: 示例银行
policies:
  packs: [{name: cn-bank, settings: {allowed_domains: [m.bank.example.cn, partner.example.org]}}]
  settings: {allowed_domains: [m.bank.example.cn]}
accounts:
  - id: bank
    name: 示例银行
    menu:
      - {name: 理财产品, type: view, url: 'https://partner.example.org/w'}
"""


def test_settings_per_pack_and_per_account(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, SETTINGS)
    assert run.hits("link.allowed-domains") == ["bank/menu"]  # core reads the bank-wide list
    assert run.hits("wealth.own-platform-link") == []  # cn-bank reads its own
    account_level = SETTINGS + "    policies: {settings: {allowed_domains: [m.bank.example.cn]}}\n"
    run = run_yaml(tmp_path, account_level, name="b.yaml")
    assert run.hits("wealth.own-platform-link") == ["bank/menu"]  # the account's list wins


PHASES = """\
version: 1
bank: 示例银行
policies:
  settings: {allowed_domains: [m.bank.example.cn]}
accounts:
  - id: bank
    name: 示例银行
    rollout: {max_phase: 1}
    menu:
      - name: 服务
        sub_buttons:
          - {name: 余额查询, module: balance}
          - {name: 理财产品, module: wealth}
    replies:
      keywords:
        - {name: 理财, keywords: [理财], reply: {module: wealth}}
    modules:
      - {id: balance, kind: account_query, phase: 1, entry: {url: 'https://m.bank.example.cn/b'}}
      - {id: wealth, kind: wealth, phase: 2, entry: {url: 'http://m.bank.example.cn/w'}}
"""


def test_rollout_gating_leaves_later_phases_out_but_checks_them(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, PHASES)
    [account] = run.compiled
    menu = account.desired.menu
    assert menu is not None
    assert [b.name for b in menu.buttons[0].sub_buttons] == ["余额查询"]
    assert [k.name for k in account.desired.keyword_replies] == []
    assert any("wealth" in note and "max_phase 1" in note for note in account.notes)
    assert run.hits("link.https") == ["bank/modules/wealth"]  # validated as declared
    assert run.hits("module.unreachable") == []  # reachable as declared, once its phase ships


def test_full_rollout_deploys_every_phase(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, PHASES.replace("max_phase: 1", "max_phase: 3"))
    [account] = run.compiled
    assert account.desired.menu is not None
    assert [b.name for b in account.desired.menu.buttons[0].sub_buttons] == ["余额查询", "理财产品"]
    assert account.notes == []


@pytest.mark.parametrize("text", ["理财新品限时认购，保本保息！", "关注即送10元话费。"])
def test_findings_sorted_by_position_and_serialisable(tmp_path: Path, text: str) -> None:
    run = run_yaml(tmp_path, reply_spec(text))
    positions = [(f.position.line, f.position.col) for f in run.report.findings]
    assert positions == sorted(positions)
    assert all(isinstance(f["position"], str) for f in run.report.to_json()["findings"])
    assert "blocking" in run.report.summary()


def test_notes_and_findings_outside_the_plan(tmp_path: Path) -> None:
    text = PHASES.replace("    modules:", "    content:\n      streams:\n        - {id: fest, title: 节日问候, "
                          "cadence: {holidays: true}}\n    modules:")
    run = run_yaml(tmp_path, text)
    assert any("2027" in note for note in run.report.notes)
    assert [f.address for f in run.report.outside({"bank/menu"})] == [f.address for f in run.report.findings]
    assert run.report.outside({f.address for f in run.report.findings}) == []


def test_normalisation_keeps_offsets() -> None:
    from oa_spec.policy.text import find_terms, normalise

    text = normalise("理財產品：保 本·保 息！年化５％")
    assert text.norm == "理财产品:保本保息!年化5%"
    [match] = find_terms(text, ["保本保息"])
    assert text.original[text.offsets[match.start]:text.offsets[match.end - 1] + 1] == "保 本·保 息"
    assert text.has_any(["理財產品"]) and "wealth" in text.contexts.subjects


HOLIDAYS = """\
version: 1
bank: 示例银行
policies:
  settings: {cadence_horizon_days: BANK_HORIZON}
accounts:
  - id: bank
    name: 示例银行
    policies: {settings: {cadence_horizon_days: ACCOUNT_HORIZON}}
    content:
      streams:
        - {id: fest, title: 节日问候, cadence: {holidays: true}}
  - id: branch
    name: 示例支行
    content:
      streams:
        - {id: fest, title: 节日问候, cadence: {holidays: [春节]}}
"""


@pytest.mark.parametrize(("bank", "account", "notes"), [
    (30, 30, []),  # 2026-11-24 + 30 days: 2026 only, whose holidays are known
    (30, 600, [(2027, "bank"), (2028, "bank")]),  # the account's own horizon
    (400, 30, [(2027, "branch")]),  # the bank-wide horizon, for the account without its own
    (600, 600, [(2027, "bank, branch"), (2028, "bank, branch")]),
])
def test_missing_holiday_years_follow_each_accounts_cadence_horizon(tmp_path: Path, bank: int, account: int,
                                                                    notes: list[tuple[int, str]]) -> None:
    """The notes used the default horizon (366 days) whatever settings.cadence_horizon_days said."""
    run = run_yaml(tmp_path, HOLIDAYS.replace("BANK_HORIZON", str(bank)).replace("ACCOUNT_HORIZON", str(account)))
    assert run.report.notes == [f"no statutory holiday data for {year}: holiday slots that year are not checked "
                                f"for {accounts} (chinese-calendar knows {HOLIDAY_YEARS[0]}-{HOLIDAY_YEARS[1]}; "
                                "update it)" for year, accounts in notes]
    assert run.report.to_json()["notes"] == run.report.notes


def test_validate_prints_the_policy_notes(tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(HOLIDAYS.replace("BANK_HORIZON", "400").replace("ACCOUNT_HORIZON", "30"),
                                          encoding="utf-8")
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no statutory holiday data for 2027: holiday slots that year are not checked for branch" in (
        result.stdout + result.stderr)


@pytest.mark.parametrize("example", ["minimal", "citybank", "gateway"])
def test_the_shipped_examples_are_clean_or_waived(example: str) -> None:
    """A new rule that fires on an example (a new false alarm, or an example to fix) shows here."""
    spec = Path(__file__).resolve().parents[2] / "specs" / "examples" / example / "oaspec.yaml"
    unwaived = [(f.rule, f.address, f.detail) for f in Project.open(spec).policy.findings if not f.waived]
    assert unwaived == []
