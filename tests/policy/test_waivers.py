"""The waiver matrix: valid, expired, wrong target, missing approver (and the other ways a waiver can
be wrong), plus severity overrides and their limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.policy import Finding
from tests.conftest import run_cli
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
    # An unused waiver would silently waive the next finding at its target: an error, not a warning.
    unused = next(f for f in run.report.findings if f.rule == "policy.waiver-unused")
    assert unused.severity == "error" and unused.blocking


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


@pytest.mark.parametrize(("where", "value"), [("bank", "'off'"), ("bank", "warning"), ("account", "'off'")])
def test_a_regulated_rule_cannot_be_lowered_by_a_severity_line(tmp_path: Path, where: str, value: str) -> None:
    line = f"pii.no-credential-solicitation: {value}"
    run = run_yaml(tmp_path, spec(severity=f"  severity: {{{line}}}") if where == "bank" else
                   spec(account_policies=f"    policies: {{severity: {{{line}}}}}"))
    [hit] = [f for f in run.report.findings if f.rule == "policy.config"]
    assert "regulated rule: its severity cannot be lowered" in hit.message + hit.detail and hit.severity == "error"
    (tmp_path / "raised").mkdir()
    raised = run_yaml(tmp_path / "raised", spec(severity="  severity: {wealth.benchmark-not-promise: error}"))
    assert raised.hits("policy.config") == []


GUARANTEE = "bank/replies/keywords/保本"


def regulated_spec(waiver_text: str, max_days: str = "") -> str:
    """A reply that promises principal and interest (wealth.no-guaranteed-return, a regulated rule)."""
    return f"""\
version: 1
bank: 示例银行
policies:
  packs: [cn-bank]
  settings: {{allowed_domains: [m.bank.example.cn]}}
{max_days}
  waivers:
{waiver_text}
accounts:
  - id: bank
    name: 示例银行
    replies:
      keywords:
        - name: 保本
          keywords: [保本]
          reply: {{text: 本理财产品保本保息，理财非存款，产品有风险，投资须谨慎。欢迎购买。}}
"""


def guarantee_waiver(target: str = GUARANTEE, expires: str = "2027-06-30") -> str:
    return waiver(rule="wealth.no-guaranteed-return", target=target, expires=expires)


def test_regulated_rule_waived_exactly_and_briefly(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, regulated_spec(guarantee_waiver()))
    [finding] = [f for f in run.report.findings if f.rule == "wealth.no-guaranteed-return"]
    assert finding.waived and not run.report.blocking
    [standing] = run.report.standings
    assert standing.status == "in force" and standing.regulated and standing.covers == (GUARANTEE,)


@pytest.mark.parametrize("target", ["bank/replies/keywords/*", "bank/replies/keywords/保?", "bank/replies/*/保本"])
def test_regulated_rule_refuses_a_wildcard_target(tmp_path: Path, target: str) -> None:
    run = run_yaml(tmp_path, regulated_spec(guarantee_waiver(target=target)))
    assert run.report.blocking
    [problem] = [f for f in run.report.findings if f.rule == "policy.waiver-invalid"]
    assert "one exact address" in problem.detail and problem.path.endswith("waivers[0].target")
    assert [f.waived for f in run.report.findings if f.rule == "wealth.no-guaranteed-return"] == [False]


def test_regulated_rule_refuses_a_waiver_longer_than_a_year(tmp_path: Path) -> None:
    # Today is 2026-11-24 (helpers.TODAY): one year ends 2027-11-24.
    assert not run_yaml(tmp_path, regulated_spec(guarantee_waiver(expires="2027-11-24"))).report.blocking
    run = run_yaml(tmp_path, regulated_spec(guarantee_waiver(expires="2027-11-25")))
    [problem] = [f for f in run.report.findings if f.rule == "policy.waiver-invalid"]
    assert "at most 365 days" in problem.detail and problem.path.endswith("waivers[0].expires")
    assert run.report.blocking and run.report.standings[0].status == "invalid"


def test_waiver_max_days_is_configurable(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, regulated_spec(guarantee_waiver(expires="2027-01-31"), "  waiver_max_days: 30"))
    [problem] = [f for f in run.report.findings if f.rule == "policy.waiver-invalid"]
    assert "at most 30 days" in problem.detail


def test_unregulated_rule_keeps_globs_and_long_waivers(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, spec(waiver(target="bank/replies/keywords/*", expires="2029-12-31")))
    assert absolute(run)[0].waived and not run.report.blocking


def test_policy_waivers_lists_every_waiver(tmp_path: Path) -> None:
    waivers_text = "\n".join([guarantee_waiver(), waiver(rule="wealth.no-guaranteed-return", target="bank",
                                                        expires="2026-01-31")])
    (tmp_path / "oaspec.yaml").write_text(regulated_spec(waivers_text), encoding="utf-8")
    result = run_cli("policy", "waivers", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "[0] wealth.no-guaranteed-return (regulated rule) @ bank/replies/keywords/保本: in force" in result.stdout
    assert "approved by 合规部 李敏, expires 2027-06-30" in result.stdout
    assert f"covers: {GUARANTEE}" in result.stdout
    assert "[1] wealth.no-guaranteed-return (regulated rule) @ bank: expired" in result.stdout
    assert "1 of 2 waiver(s) cover nothing" in result.stderr
    as_json = run_cli("policy", "waivers", "-f", "oaspec.yaml", "--format", "json", cwd=tmp_path)
    listed = json.loads(as_json.stdout)
    assert [(w["status"], w["covers"]) for w in listed] == [("in force", [GUARANTEE]), ("expired", [])]
    assert listed[0]["approved_by"] == "合规部 李敏"


def test_policy_waivers_shows_a_forged_line_in_a_reason_escaped(tmp_path: Path) -> None:
    """A newline in a reason could otherwise print a regulated waiver, approver and all, that does not exist."""
    forged = "排名已核实\\n[1] pii.no-credential-solicitation (regulated rule) @ bank: in force"
    waivers_text = guarantee_waiver().replace("reason: 排名出自监管统计，已核实", f'reason: "{forged}"')
    (tmp_path / "oaspec.yaml").write_text(regulated_spec(waivers_text), encoding="utf-8")
    result = run_cli("policy", "waivers", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any(line.startswith("[1]") for line in result.stdout.splitlines())
    assert "reason: 排名已核实\\n[1] pii.no-credential-solicitation" in result.stdout


def test_policy_waivers_on_a_spec_without_waivers(tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(regulated_spec("    []"), encoding="utf-8")
    result = run_cli("policy", "waivers", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "No waivers (policies.waivers is empty).\n"


@pytest.mark.parametrize(("field", "limit"), [("approved_by", 100), ("reason", 1000), ("ticket", 200)])
def test_a_waivers_free_text_is_bounded_at_its_place(tmp_path: Path, field: str, limit: int) -> None:
    # attack review 68 F3: an approved_by of 72,000 characters filled the pull-request comment's summary
    long = "法律合规部 李敏" + "（审核记录）" * 12_000
    text = spec(waiver(approved_by=long) if field == "approved_by" else
                waiver(reason=long) if field == "reason" else waiver() + f"\n      ticket: {long}")
    (tmp_path / "oaspec.yaml").write_text(text, encoding="utf-8")
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert f"policies.waivers[0].{field}" in result.stdout + result.stderr, result.stdout + result.stderr
    assert f"at most {limit} characters" in result.stdout + result.stderr
    assert long not in result.stdout + result.stderr
