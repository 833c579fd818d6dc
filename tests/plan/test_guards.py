"""Destroy guards: changes users can feel need --allow-destroy past the account's limits."""

from __future__ import annotations

from pathlib import Path

from oa_spec.kinds.state import AccountState, Tag
from oa_spec.providers.local import LocalProvider
from testing.accounts import seed_bank
from testing.cli import Cli

BASE = """\
version: 1
bank: 测试银行
accounts:
  - id: bank
    name: 测试银行
    tags: [{name: 高净值客户}]
    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
    templates: [{id: alert, library_id: OPENTM1, title: 账户资金变动提醒}]
    modules:
      - {id: alert, kind: balance_alert, template: alert, entry: {url: "https://m.bank.example.cn/a"}}
    menu:
      - {name: 账户, type: click, key: ACCOUNT}
      - {name: 动账提醒, module: alert}
"""


def applied(cli: Cli, tmp_path: Path, text: str) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = cli("apply", "-f", str(spec), "--auto-approve")
    assert result.returncode == 0, result.stderr
    return spec


def refused_then_allowed(cli: Cli, spec: Path, needle: str) -> None:
    refused = cli("apply", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1
    assert "refused by the destroy guard" in refused.stderr and needle in refused.stderr
    assert "Traceback" not in refused.stderr
    assert cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy").returncode == 0


def test_deleting_the_whole_menu_needs_allow_destroy(cli: Cli, tmp_path: Path) -> None:
    spec = applied(cli, tmp_path, BASE)
    text = BASE.split("    menu:")[0].replace("{name: 动账提醒, module: alert}", "")
    spec.write_text(text, encoding="utf-8")
    plan = cli("plan", "-f", str(spec))
    assert "removes the whole menu" in plan.stdout
    refused_then_allowed(cli, spec, "bank/menu (removes the whole menu")
    assert LocalProvider("bank", tmp_path / ".oaspec").read().menu is None


def test_replacing_every_top_level_button_needs_allow_destroy(cli: Cli, tmp_path: Path) -> None:
    spec = applied(cli, tmp_path, BASE)
    spec.write_text(BASE.replace("{name: 账户, type: click, key: ACCOUNT}", "{name: 首页, type: click, key: HOME}")
                    .replace("{name: 动账提醒, module: alert}", "{name: 提醒, module: alert}"), encoding="utf-8")
    refused_then_allowed(cli, spec, "replaces the whole menu")


def test_deleting_a_tag_with_followers_needs_allow_destroy(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, AccountState(tags=(Tag("高净值客户", id=150, count=12),)))
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BASE.replace("    tags: [{name: 高净值客户}]\n", "    tags: [{name: 高净值客户}]\n"
                                 "    adopt: {tags: [高净值客户]}\n"), encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec.write_text(BASE.replace("    tags: [{name: 高净值客户}]\n", ""), encoding="utf-8")
    refused_then_allowed(cli, spec, "12 followers lose this tag")


def test_deleting_a_template_in_use_needs_allow_destroy(cli: Cli, tmp_path: Path) -> None:
    spec = applied(cli, tmp_path, BASE)
    spec.write_text(BASE.replace("    templates: [{id: alert, library_id: OPENTM1, title: 账户资金变动提醒}]\n", "")
                    .replace("kind: balance_alert, template: alert", "kind: custom"), encoding="utf-8")
    refused_then_allowed(cli, spec, "bank/templates/alert (messages sent with this template")


def test_limits_are_configurable_per_kind(cli: Cli, tmp_path: Path) -> None:
    spec = applied(cli, tmp_path, BASE)
    text = BASE.replace("    templates: [{id: alert, library_id: OPENTM1, title: 账户资金变动提醒}]\n",
                        "    guards: {max_destroy: {template: 1}}\n")
    spec.write_text(text.replace("kind: balance_alert, template: alert", "kind: custom"), encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0


def test_a_read_failure_aborts_the_plan_with_no_writes(cli: Cli, tmp_path: Path) -> None:
    spec = applied(cli, tmp_path, BASE)
    state_file = tmp_path / ".oaspec" / "local" / "bank.json"
    state_file.write_text("{ half a file", encoding="utf-8")
    for command in (("plan", "-f", str(spec)), ("apply", "-f", str(spec), "--auto-approve")):
        result = cli(*command)
        assert result.returncode == 1
        assert "bank.json: the local account file is corrupt" in result.stderr
        assert "Traceback" not in result.stderr
    assert state_file.read_text(encoding="utf-8") == "{ half a file"
