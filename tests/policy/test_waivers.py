"""The waiver matrix: valid, expired, wrong target, missing approver (and the other ways a waiver can
be wrong), plus severity overrides and their limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.policy import Finding
from tests.policy.helpers import Run, run_yaml

TARGET = "bank/replies/keywords/服务"


def spec(waiver: str = "", severity: str = "", account_policies: str = "") -> str:
    return f"""\
version: 1
bank: 示例银行
policies:
  packs: [cn-bank]
  settings: {{allowed_domains: [m.bank.example.cn]}}
{severity}
  waivers:
{waiver or "    []"}
accounts:
  - id: bank
    name: 示例银行
{account_policies}
    menu:
      - {{name: 网点, type: view, url: 'https://m.bank.example.cn/b'}}
    replies:
      keywords:
        - {{name: 服务, keywords: [服务], reply: {{text: 全行最好的服务体验，欢迎到网点办理。}}}}
"""


def waiver(rule: str = "ad.absolute-terms", target: str = TARGET, approved_by: str | None = "合规部 李敏",
           expires: str = "2027-03-31", reason: str | None = "排名出自监管统计，已核实") -> str:
    lines = [f"    - rule: {rule}", f"      target: '{target}'", f"      expires: {expires}"]
    lines += [f"      approved_by: {approved_by}"] if approved_by is not None else []
    lines += [f"      reason: {reason}"] if reason is not None else []
    return "\n".join(lines)


def absolute(run: Run) -> list[Finding]:
    return [f for f in run.report.findings if f.rule == "ad.absolute-terms"]


def test_no_waiver_blocks(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec())
    assert run.hits("ad.absolute-terms") == [TARGET] and run.report.blocking


def test_valid_waiver(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver()))
    [finding] = absolute(run)
    assert finding.waived and not finding.blocking
    assert finding.waiver is not None and finding.waiver.approved_by == "合规部 李敏"
    assert not run.report.blocking and len(run.report.waivers) == 1
    assert [d.severity for d in run.report.diagnostics(include_waived=True) if d.rule == "ad.absolute-terms"] == \
        ["warning"]
    assert not [d for d in run.report.diagnostics() if d.rule == "ad.absolute-terms"]


def test_glob_target(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(target="bank/replies/keywords/*")))
    assert absolute(run)[0].waived and not run.report.blocking


def test_expiry_day_itself_is_valid(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(expires="2026-11-24")))
    assert not run.report.blocking


def test_expired_waiver(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(expires="2026-01-31")))
    assert absolute(run)[0].blocking
    assert run.hits("policy.waiver-expired") == ["policies/waivers/0"]
    finding = next(f for f in run.report.findings if f.rule == "policy.waiver-expired")
    assert finding.path == "policies.waivers[0].expires" and finding.position.line == 10


def test_wrong_target(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(target="bank/replies/keywords/其他")))
    assert absolute(run)[0].blocking
    assert run.hits("policy.waiver-target") == ["policies/waivers/0"]


def test_target_without_the_finding_is_stale(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(target="bank/menu")))
    assert absolute(run)[0].blocking
    assert run.hits("policy.waiver-unused") == ["policies/waivers/0"]
    assert next(f for f in run.report.findings if f.rule == "policy.waiver-unused").severity == "warning"


@pytest.mark.parametrize(("kwargs", "missing"), [
    ({"approved_by": None}, "approved_by"),
    ({"reason": None}, "reason"),
    ({"approved_by": "''"}, "approved_by"),
])
def test_incomplete_waiver(tmp_path: Path, kwargs: dict[str, str | None], missing: str) -> None:
    run = run_yaml(tmp_path, spec(waiver(**kwargs)))  # type: ignore[arg-type]
    assert absolute(run)[0].blocking
    [problem] = [f for f in run.report.findings if f.rule == "policy.waiver-invalid"]
    assert problem.address == "policies/waivers/0" and missing in problem.detail and problem.blocking


def test_unknown_and_unwaivable_rules(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(rule="ad.absolute-term") + "\n" + waiver(rule="platform.broadcast-quota")))
    assert run.hits("policy.waiver-invalid") == ["policies/waivers/0", "policies/waivers/1"]


def test_severity_override_to_warning(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(severity="  severity: {ad.absolute-terms: warning}"))
    assert absolute(run)[0].severity == "warning" and not run.report.blocking


def test_rule_turned_off_for_one_account(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(account_policies="    policies: {severity: {ad.absolute-terms: 'off'}}"))
    assert absolute(run) == []


def test_bad_overrides(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(severity="  severity: {ad.absolute-termz: warning, platform.broadcast-quota: "
                                           "warning}"))
    assert run.hits("policy.config") == ["policies/severity/ad.absolute-termz",
                                          "policies/severity/platform.broadcast-quota"]
