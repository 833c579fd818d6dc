"""`oaspec scan` reports: text for job logs, SARIF for code-scanning dashboards."""

from __future__ import annotations

from oa_spec.config.model import Spec
from oa_spec.plan.scan import WHERE, ScanReport, rule_catalogue
from oa_spec.render.sarif import SarifItem, render_sarif
from oa_spec.util.display import visible


def render_scan_text(report: ScanReport) -> str:
    """For people and job logs: per account, each finding with its live address, the text and the fix."""
    lines: list[str] = []
    for account in report.accounts:
        if account.error is not None:
            lines.append(f"{account.account}: could not be read: {account.error}")
            continue
        if not account.findings:
            lines.append(f"{account.account}: no findings on the live account")
            continue
        lines.append(f"{account.account}: {len(account.findings)} finding(s) on the live account")
        for live in account.findings:
            f = live.finding
            mark = "waived" if f.waived else f.severity
            where = f"live {f.path}" if str(f.position) == WHERE else str(f.position)  # the spec's own (policy.config)
            lines.append(f"  {f.address}: [{mark}] {f.rule}: {f.text()} ({where}; 依据 {f.basis})")
            if where != str(f.position):
                lines.append(f"    text: {live.excerpt}")
            if f.waiver is not None:
                lines.append(f"    waived by {f.waiver.approved_by} until {f.waiver.expires}: {f.waiver.reason}")
            else:
                lines.append(f"    fix: {live.fix}")
    lines.append(report.summary())
    return "\n".join(visible(line) for line in lines) + "\n"


def render_scan_sarif(report: ScanReport, spec: Spec) -> str:
    items = [SarifItem(f.finding, f"“{f.excerpt}”; fix: {f.fix}",
                       {"account": f.account, "excerpt": f.excerpt, "fix": f.fix, "live_path": f.finding.path})
             for f in report.findings]
    errors = [f"{a.account}: could not be read: {a.error}" for a in report.unreadable]
    return render_sarif(items, rule_catalogue(spec), errors)
