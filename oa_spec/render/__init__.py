"""Render a Plan for people (terminal, Markdown for pull requests) and machines (JSON).

All three read the same Plan; `details` turns one change into the lines a reviewer reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import kind_of
from oa_spec.plan.guards import felt
from oa_spec.plan.model import AccountPlan, Plan, PlanFinding

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}


def finding_line(finding: PlanFinding) -> str:
    """One policy finding: severity, rule id, message, where, and the waiver that covers it."""
    return finding_text(finding) + waived_by(finding) + waiver_reason(finding)


def finding_text(finding: PlanFinding) -> str:
    """A finding without its waiver: severity, rule id, message, where."""
    mark = "waived" if finding.waiver else finding.severity
    return f"[{mark}] {finding.rule}: {finding.text()} ({finding.position}; 依据 {finding.basis})"


def waived_by(finding: PlanFinding, longest: int | None = None) -> str:
    """Who waived the finding and until when ("" when nothing waives it): what no summary may cut. An approver
    longer than `longest` (past what validate allows: a plan made by hand) is cut there, the expiry kept."""
    waiver = finding.waiver
    if waiver is None:
        return ""
    approver = str(waiver.approved_by)
    if longest is not None and len(approver) > longest:
        approver = approver[:longest] + "…"
    return f" — waived by {approver} until {waiver.expires}"


def waiver_reason(finding: PlanFinding) -> str:
    return f": {finding.waiver.reason}" if finding.waiver else ""


def findings_by_address(plan: Plan) -> tuple[dict[str, list[PlanFinding]], list[PlanFinding]]:
    """Findings keyed by the change they concern, and the rest (modules, streams, waivers)."""
    addresses = {c.address for a in plan.accounts for c in a.changes}
    beside: dict[str, list[PlanFinding]] = {}
    rest: list[PlanFinding] = list(plan.findings)
    for finding in (f for a in plan.accounts for f in a.findings):
        if finding.address in addresses:
            beside.setdefault(finding.address, []).append(finding)
        else:
            rest.append(finding)
    return beside, rest


def summary(plan: Plan) -> str:
    counts = Counter(c.action for a in plan.accounts for c in a.actionable)
    manual = sum(1 for a in plan.accounts for c in a.changes if not c.writable)
    text = (f"Plan: {counts['create']} to create, {counts['update']} to update, {counts['replace']} to replace, "
            f"{counts['delete']} to delete.")
    return text + (f" {manual} not writable through the API (console only)." if manual else "")


def verdict(plan: Plan) -> str:
    """The plan's last word: what apply would do, and what differs that it cannot do."""
    if plan.has_changes:
        return summary(plan)
    unwritable = [c.address for a in plan.accounts for c in a.unwritable]
    if unwritable:
        return (f"No changes oaspec can write, but the live accounts differ from the spec at {len(unwritable)} "
                f"place(s) the platform's API cannot write: {', '.join(unwritable)}. Change them in the web "
                "console (自动回复), or accept them.")
    return "No changes. The live accounts match the spec."


def live_finding_lines(ap: AccountPlan) -> list[str]:
    """Policy findings on what followers see now; shown, not blocking (see AccountPlan.live_findings)."""
    if not ap.live_findings:
        return []
    return ["policy findings on the live account (what followers see now; they do not block apply):",
            *(f"  {f.address}: {finding_line(f)}" for f in ap.live_findings)]


def title(change: Change) -> str:
    label = kind_of(change).label
    return f"{label} {change.key}" if change.key else label


def details(change: Change, changes: Sequence[Change] = ()) -> list[str]:
    """Lines under a change: what the kind shows (per-button +/-/~ for menus, before -> after for the
    rest, and what it reads beside it in `changes`, its account's plan), then why it happens, whether
    followers will notice, and whether the API can write it."""
    kind = kind_of(change)
    lines = kind.details(change) + kind.beside(change, changes)
    if change.reason:
        lines.append(f"  ({change.reason})")
    why = felt(change)
    if why:
        lines.append(f"  ! users will notice: {why}")
    if not change.writable:
        lines.append("  (not writable through the API: change it in the console)")
    return lines
