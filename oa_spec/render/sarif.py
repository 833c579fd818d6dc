"""Policy findings as SARIF 2.1.0, the format code-scanning dashboards import: a plan's (`plan --format
sarif`, `show PLAN --format sarif`) and the live accounts' (`oaspec scan`).

One run; tool.driver.rules is the rule catalogue (every rule findings may name); each result has its
ruleId, ruleIndex, level, message and locations. A finding with a file and a line (a spec finding from
validate or plan) gets a physicalLocation; every finding gets a logicalLocation with its address, which
is all a live finding has (`oaspec scan`). A waived finding is kept, with a suppression saying who
approved it until when, so a dashboard shows it as accepted rather than dropping it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from oa_spec.config.diagnostics import Position
from oa_spec.plan.model import Plan, PlanFinding
from oa_spec.policy.engine import Finding
from oa_spec.policy.rules import Rule
from oa_spec.util.display import json_safe

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "oaspec"


@dataclass(frozen=True)
class SarifItem:
    """One finding, with text to add to its message (an excerpt, a fix) and extra properties."""

    finding: Finding | PlanFinding  # the engine's, or as a plan (a saved one too) carries it
    note: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


def render_plan_sarif(plan: Plan, rules: Iterable[Rule] = ()) -> str:
    """The plan's policy findings: on the spec's lines (what the pull request would deploy), and on what
    the live accounts show now (marked live: they do not block apply). `rules` is the catalogue when
    the spec is at hand; a saved plan's findings describe their own rules."""
    items = [SarifItem(f, f.fix and f"fix: {f.fix}", {"account": a.account, "live": False})
             for a in plan.accounts for f in a.findings]
    items += [SarifItem(f, f.fix and f"fix: {f.fix}", {"live": False}) for f in plan.findings]
    items += [SarifItem(f, "on the live account now; does not block apply", {"account": a.account, "live": True})
              for a in plan.accounts for f in a.live_findings]
    return render_sarif(items, rules)


def render_sarif(items: Iterable[SarifItem], rules: Iterable[Rule], errors: Iterable[str] = ()) -> str:
    """The log as JSON, live texts' bidirectional and invisible characters escaped (as render_json does)."""
    return json_safe(json.dumps(sarif_log(items, rules, errors), ensure_ascii=False, indent=2)) + "\n"


def sarif_log(items: Iterable[SarifItem], rules: Iterable[Rule], errors: Iterable[str] = ()) -> dict[str, Any]:
    """The SARIF log; `errors` (an account that could not be read) make the invocation unsuccessful."""
    catalogue = {rule.id: rule for rule in rules}
    items = list(items)
    for item in items:  # a rule the catalogue lacks still gets a descriptor, so every ruleIndex is valid
        catalogue.setdefault(item.finding.rule, Rule(item.finding.rule, item.finding.severity,
                                                     item.finding.message, item.finding.basis, "", ""))
    index = {rule_id: n for n, rule_id in enumerate(catalogue)}
    driver = {"name": TOOL_NAME, "version": _version(), "rules": [_descriptor(r) for r in catalogue.values()]}
    notifications = [{"level": "error", "message": {"text": text}} for text in errors]
    invocation = {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
    run = {"tool": {"driver": driver}, "invocations": [invocation],
           "results": [_result(i, index[i.finding.rule]) for i in items]}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _descriptor(rule: Rule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.message},
        "help": {"text": f"依据 basis: {rule.basis}"},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"basis": rule.basis, "pack": rule.pack},
    }
    if rule.summary:
        descriptor["fullDescription"] = {"text": rule.summary}
    return descriptor


def _result(item: SarifItem, rule_index: int) -> dict[str, Any]:
    f = item.finding
    text = f.text() + (f" — {item.note}" if item.note else "")
    result: dict[str, Any] = {
        "ruleId": f.rule, "ruleIndex": rule_index, "level": f.severity, "message": {"text": text},
        "locations": [_location(f)],
        "properties": {"address": f.address, "basis": f.basis, "blocking": f.blocking, **item.properties},
    }
    if f.waiver is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"waived by {f.waiver.approved_by} until {f.waiver.expires}: "
                                                    f"{f.waiver.reason}"}]
    return result


def _location(f: Finding | PlanFinding) -> dict[str, Any]:
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}]}
    position = f.position if isinstance(f.position, Position) else Position.parse(f.position)
    if position and position.file and position.line > 0:  # a spec file:line:col; a live finding has neither
        region = {"startLine": position.line, **({"startColumn": position.col} if position.col > 0 else {})}
        location["physicalLocation"] = {"artifactLocation": {"uri": _uri(position.file)}, "region": region}
    return location


def _uri(path: str) -> str:
    """A relative reference for a relative path (as code-scanning wants), a file: URI for an absolute one."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix())
    return quote(pure.as_posix())


def _version() -> str:
    try:
        return metadata.version("oaspec")
    except metadata.PackageNotFoundError:
        return "0"
