"""`oaspec import` carries the given spec's `policies:` (attack review 70 F3). It wrote none, so the imported spec
validated clean with the regulated rules off, `scan` with it found nothing, and a bank adopting an account would
manage it from a spec with cn-bank off."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import yaml

from testing.cli import Cli

SPEC = """\
version: 1
bank: 示例城市银行
policies:
  packs: [cn-bank]
  settings: {{allowed_domains: [m.citybank.example.cn]}}
{extra}accounts:
  - id: citybank
    name: 示例城市银行
    provider: {{type: local}}
    replies:
      subscribe: {{text: 欢迎关注，客服热线95000}}
      keywords:
        - {{name: 理财, match: contains, keywords: [理财], reply: {{text: "{keyword}"}}}}
  - id: other
    name: 另一个号
    provider: {{type: local}}
    replies:
      default: {{text: "{other}"}}
"""
ASKS = "请把短信验证码发给我们"
NO_POLICIES = "no policies are set: no spec was given"
RULE = "pii.no-credential-solicitation"


def left_out(said: str) -> list[str]:
    """Import's notes on stderr but the one that says no spec gave it policies: what it left out of the account."""
    return [line for line in said.splitlines() if line.startswith("note:") and NO_POLICIES not in line]


def _spec(tmp_path: Path, extra: str = "", keyword: str = "欢迎咨询。", other: str = "您好") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(extra=extra, keyword=keyword, other=other), encoding="utf-8")
    return path


def _console_text(tmp_path: Path, text: str) -> None:
    """The console changes the live keyword rule 理财's text."""
    path = tmp_path / ".oaspec" / "local" / "citybank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    next(k for k in data["state"]["keyword_replies"] if k["name"] == "理财")["reply"]["text"] = text
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _imported(cli: Cli, spec: Path) -> tuple[dict[str, Any], str, str]:
    out = cli("import", "--account", "citybank", "-f", str(spec), "--out", "imported.yaml")
    assert out.returncode == 0, out.stdout + out.stderr
    text = (spec.parent / "imported.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text), text, out.stderr


def test_the_imported_spec_holds_the_given_specs_rules(cli: Cli, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    _console_text(tmp_path, ASKS)
    assert RULE in cli("scan", "-f", str(spec)).stdout
    written, text, _ = _imported(cli, spec)
    assert written["policies"] == {"packs": ["cn-bank"], "settings": {"allowed_domains": ["m.citybank.example.cn"]}}
    assert f"# Policies: copied from {spec} as it declares them" in text
    validated = cli("validate", "-f", "imported.yaml")
    assert validated.returncode == 1 and RULE in validated.stdout + validated.stderr, validated.stdout
    scanned = cli("scan", "-f", "imported.yaml")
    assert scanned.returncode == 1 and RULE in scanned.stdout, scanned.stdout


def test_severities_custom_rules_and_waivers_are_carried_and_a_waiver_of_another_account_is_left_out(
        cli: Cli, tmp_path: Path) -> None:
    expires = datetime.date.today() + datetime.timedelta(days=30)
    rule = ("{id: citybank.no-old-brand, message: 不得使用旧品牌名, basis: 本行营销规范, forbidden: [周周乐], "
            "scope: [replies]}")
    extra = (f"  severity: {{ad.label: warning}}\n  rules: [{rule}]\n  waivers:\n"
             f"    - {{rule: {RULE}, target: citybank/replies/keywords/理财, reason: 整改中, approved_by: 合规部, "
             f"expires: {expires}}}\n"
             f"    - {{rule: {RULE}, target: other/replies/default, reason: 整改中, approved_by: 合规部, "
             f"expires: {expires}}}\n")
    spec = _spec(tmp_path, extra, keyword=ASKS, other=ASKS)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    written, text, stderr = _imported(cli, spec)
    given = yaml.safe_load(spec.read_text(encoding="utf-8"))["policies"]
    assert written["policies"] == {**given, "waivers": given["waivers"][:1]}
    left_out = f"waiver 1 of {spec} ({RULE} @ other/replies/default) is left out: its target is not in the imported"
    assert f"# NOTE: {left_out}" in text and f"note: {left_out}" in stderr
    validated = cli("validate", "-f", "imported.yaml")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "0 blocking, 0 warnings, 1 waived" in validated.stdout


def test_an_accounts_own_policies_are_carried(cli: Cli, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    provider: {type: local}\n    replies:\n      subscribe",
        "    provider: {type: local}\n    policies: {severity: {ad.label: \"off\"}}\n    replies:\n      subscribe", 1),
        encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    written, _, _ = _imported(cli, spec)
    assert written["accounts"][0]["policies"] == {"severity": {"ad.label": "off"}}


def test_without_a_spec_import_says_no_policies_are_set(cli: Cli, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec.unlink()  # the embedded local account, read with no spec
    out = cli("import", "--account", "citybank", "--out", "imported.yaml")
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert NO_POLICIES in out.stderr and f"# NOTE: {NO_POLICIES}" in text and "policies: {packs: [cn-bank]}" in text
    assert "policies" not in yaml.safe_load(text)
