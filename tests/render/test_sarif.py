"""SARIF 2.1.0 output: valid against the schema (a subset, see sarif_schema.py), one run, the rule
catalogue as tool.driver.rules, live findings located by address, spec findings by file:line:col."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from oa_spec.config.diagnostics import Position
from oa_spec.config.model_safety import WaiverSpec
from oa_spec.policy import builtin_rules
from oa_spec.policy.deployed import StatePosition
from oa_spec.policy.engine import Finding
from oa_spec.render.sarif import SarifItem, render_sarif
from tests.render.sarif_schema import sarif_errors

RULE = "wealth.no-guaranteed-return"
BASIS = builtin_rules()[RULE].basis
LIVE = Finding(RULE, "error", "不得明示或暗示保本、无风险或保收益", BASIS, "bank/replies/default",
               StatePosition("live", 0, 0), "replies.default.text", "“保本”")
SPEC = Finding(RULE, "error", LIVE.message, LIVE.basis, "bank/replies/keywords/理财",
               Position("specs/银行/oaspec.yaml", 12, 7), "accounts[0].replies.keywords[0].reply.text", "“稳赚”")
WAIVER = WaiverSpec(rule=RULE, target="bank/replies/*", reason="已整改中", approved_by="合规部",
                    expires=datetime.date(2027, 1, 1))


def log(*items: SarifItem, errors: tuple[str, ...] = ()) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_sarif(items, builtin_rules().values(), errors))
    assert sarif_errors(data) == []
    return data


def test_one_run_with_the_rule_catalogue_and_a_result_per_finding() -> None:
    data = log(SarifItem(LIVE, "fix: change it in the console"), SarifItem(SPEC))
    assert data["version"] == "2.1.0" and len(data["runs"]) == 1
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "oaspec"
    assert [r["id"] for r in rules] == list(builtin_rules())
    first = run["results"][0]
    assert first["ruleId"] == RULE and rules[first["ruleIndex"]]["id"] == RULE and first["level"] == "error"
    assert "“保本”" in first["message"]["text"] and "fix: change it in the console" in first["message"]["text"]
    assert rules[first["ruleIndex"]]["properties"]["basis"] == BASIS
    assert run["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_a_live_finding_has_its_address_and_no_file() -> None:
    (location,) = log(SarifItem(LIVE))["runs"][0]["results"][0]["locations"]
    assert location == {"logicalLocations": [{"fullyQualifiedName": "bank/replies/default", "kind": "resource"}]}


def test_a_spec_finding_points_at_its_file_line_and_column() -> None:
    (location,) = log(SarifItem(SPEC))["runs"][0]["results"][0]["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "specs/%E9%93%B6%E8%A1%8C/oaspec.yaml"},
                                            "region": {"startLine": 12, "startColumn": 7}}
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "bank/replies/keywords/理财"


def test_a_waived_finding_is_kept_as_an_accepted_suppression() -> None:
    result = log(SarifItem(Finding(**{**LIVE.__dict__, "waiver": WAIVER})))["runs"][0]["results"][0]
    assert result["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "waived by 合规部 until 2027-01-01: 已整改中"}]
    assert result["properties"]["blocking"] is False
    assert "suppressions" not in log(SarifItem(LIVE))["runs"][0]["results"][0]


def test_a_rule_outside_the_catalogue_still_gets_a_descriptor() -> None:
    custom = Finding("bank.no-bitcoin", "warning", "不得宣传虚拟货币", "bank policy", "bank/menu",
                     StatePosition("live", 0, 0), "menu.0.name", "“比特币”")
    run = log(SarifItem(custom))["runs"][0]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["id"] == "bank.no-bitcoin" and rule["defaultConfiguration"] == {"level": "warning"}


def test_live_text_cannot_reorder_or_hide_what_a_dashboard_shows_but_the_data_is_kept() -> None:
    hostile = "“本行理财保本\u202e益收保\u2066ABC\u0085\u200b”"  # as a console edit can leave in a live reply
    text = render_sarif([SarifItem(Finding(**{**LIVE.__dict__, "detail": hostile}))], builtin_rules().values(), [])
    assert not re.search("[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200b]", text)
    assert hostile in json.loads(text)["runs"][0]["results"][0]["message"]["text"]


def test_errors_make_the_invocation_unsuccessful() -> None:
    invocation = log(errors=("bank: could not be read: 40001",))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "bank: could not be read: 40001"


def test_the_schema_subset_rejects_what_sarif_does_not_allow() -> None:
    """The check above can fail: a log that breaks SARIF 2.1.0 is caught by the schema subset."""
    good = log(SarifItem(SPEC))
    for broken in (
        {**good, "version": "2.0.0"},
        {**good, "runs": [{**good["runs"][0], "results": [{**good["runs"][0]["results"][0], "level": "fatal"}]}]},
        {**good, "runs": [{**good["runs"][0], "results": [{**good["runs"][0]["results"][0], "ruleIndex": 0}]}]},
        {**good, "runs": [{"tool": {"driver": {}}}]},
        {**good, "extra": 1},
    ):
        assert sarif_errors(broken), broken


def test_a_plans_findings_point_at_the_spec_even_from_a_saved_plan() -> None:
    from oa_spec.kinds.state import AccountState
    from oa_spec.plan.model import AccountPlan, Plan, PlanFinding
    from oa_spec.render.sarif import render_plan_sarif

    spec_finding = PlanFinding.of(SPEC)
    live_finding = PlanFinding.of(LIVE, blocking=False)
    account = AccountPlan("bank", "local", [], AccountState(), "sha256:x", "sha256:y", findings=[spec_finding],
                          live_findings=[live_finding])
    saved = Plan.from_json(Plan([account]).to_json())  # positions travel as text in a plan file
    data = json.loads(render_plan_sarif(saved))
    assert sarif_errors(data) == []
    spec_result, live_result = data["runs"][0]["results"]
    assert spec_result["locations"][0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 7}
    assert spec_result["properties"]["live"] is False and spec_result["properties"]["blocking"] is True
    assert "physicalLocation" not in live_result["locations"][0] and live_result["properties"]["live"] is True
    assert data["runs"][0]["tool"]["driver"]["rules"][0]["id"] == RULE  # described from the finding itself
