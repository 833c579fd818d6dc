"""Capabilities: a spec using what the account may not use fails at plan time, naming the rule."""

from __future__ import annotations

from pathlib import Path

from testing.cli import Cli

SPEC = """\
version: 1
bank: 测试银行
accounts:
  - id: sub
    name: 支行订阅号
    type: subscription
    verified: false
{capabilities}
    tags: [{{name: 长辈}}]
    menu: [{{name: 首页, type: view, url: "https://m.bank.example.cn/"}}]
    conditional_menus:
      - name: 长辈版
        match: {{tag: 长辈}}
        menu: [{{name: 大字版, type: view, url: "https://m.bank.example.cn/big"}}]
"""


def write(tmp_path: Path, capabilities: str = "") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(capabilities=capabilities), encoding="utf-8")
    return path


def test_unverified_subscription_account_cannot_plan_a_conditional_menu(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", "-f", str(write(tmp_path)))
    assert result.returncode == 1
    assert "oaspec.yaml:11:5: error: accounts[0].conditional_menus" in result.stderr
    assert "conditional menus need a verified account (65306)" in result.stderr
    assert not (tmp_path / ".oaspec" / "local").exists()


def test_declared_capability_lets_it_through(cli: Cli, tmp_path: Path) -> None:
    assert cli("plan", "-f", str(write(tmp_path, "    capabilities: {conditional_menus: true}"))).returncode == 0


def test_lenient_mode_leaves_the_feature_out_with_a_warning(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", "-f", str(write(tmp_path, "    capabilities: {strict: false}")))
    assert result.returncode == 0
    assert "warning" in result.stderr and "left out" in result.stderr
    assert "conditional menu" not in result.stdout.split("note:")[0]
