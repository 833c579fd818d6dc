"""The plan as a pull-request comment: a summary line, then one section per account.

Names, addresses, notes and findings are spec or live text: outside a code block each goes through
display.markdown or display.code_span, and inside one through display.visible (one line each, so no
text can close the block), so `vip\n<!--` in a name cannot turn the rest of the comment into HTML.
"""

from __future__ import annotations

import re

from oa_spec.plan.model import Plan, PlanFinding
from oa_spec.render import SYMBOLS, details, finding_line, findings_by_address, live_finding_lines, title, verdict
from oa_spec.util.display import code_span, markdown, visible

EMOJI = {"create": "🟢", "update": "🟡", "replace": "🟣", "delete": "🔴"}


def render_markdown(plan: Plan) -> str:
    out = ["## oaspec plan", "", f"**{verdict(plan) if plan.has_differences else 'No changes.'}**", ""]
    if plan.source != "spec":
        out += [f"Source: {code_span(plan.source)}", ""]
    if plan.state:  # where history, the audit trail and the lock go: a pull request could point `state:` elsewhere
        out += [f"State: the {code_span(plan.state)}", ""]
    if plan.blocking_findings:
        out += [f"🚫 **Apply is blocked by {len(plan.blocking_findings)} policy error(s).**", ""]
    beside, rest = findings_by_address(plan)
    for ap in plan.accounts:
        out += [f"### {code_span(ap.account)} ({markdown(ap.live_account or ap.provider)})", ""]
        if not ap.changes:
            out += ["No changes: the account matches the spec.", ""]
        for change in ap.changes:
            out.append(f"- {EMOJI[change.action]} **{change.action}** {markdown(title(change))} — "
                       f"{code_span(change.address)}")
            lines = [visible(line) for line in details(change, ap.changes)]
            if lines:
                out += ["", *diff_block(lines)]
            out += [f"  - {badge(f)} {markdown(finding_line(f))}" for f in beside.get(change.address, [])]
        if ap.notes:
            out += ["", *(f"> **Note:** {markdown(note)}" for note in ap.notes)]
        live = live_finding_lines(ap)
        if live:
            out += ["", f"**{markdown(live[0])}**", "",
                    *(f"- {badge(f)} {code_span(f.address)} {markdown(finding_line(f))}" for f in ap.live_findings)]
        if ap.guard:
            out += ["", "> [!WARNING]", "> **Destroy guard:** apply needs `--allow-destroy` for:",
                    *[f"> - {markdown(reason)}" for reason in ap.guard]]
        out.append("")
    if rest:
        out += ["### Policy findings", ""]
        out += [f"- {badge(f)} {code_span(f.address)} {markdown(finding_line(f))}" for f in rest]
    return "\n".join(out).rstrip() + "\n"


def badge(finding: PlanFinding) -> str:
    return "✅" if finding.waiver else ("🚫" if finding.severity == "error" else "⚠️")


def diff_block(lines: list[str]) -> list[str]:
    """A change's detail lines as an indented diff block, under its list item."""
    fence = _fence(lines)
    return [f"  {fence}diff", *[f"  {_diff_line(line)}" for line in lines], f"  {fence}"]


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in the content, so a text cannot close it early."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _diff_line(line: str) -> str:
    """Put the +/-/~ marker in column one, where GitHub's diff highlighting looks for it."""
    stripped = line.lstrip()
    if stripped[:1] in "+-~" and stripped[1:2] == " ":
        marker = "!" if stripped[0] == "~" else stripped[0]
        return f"{marker}{line[1:]}"
    return f" {line}"


__all__ = ["SYMBOLS", "render_markdown"]
