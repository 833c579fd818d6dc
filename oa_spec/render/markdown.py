"""The plan as a pull-request comment: a summary line, then one section per account."""

from __future__ import annotations

import re

from oa_spec.plan import Plan
from oa_spec.render import SYMBOLS, details, finding_line, findings_by_address, live_finding_lines, title, verdict

EMOJI = {"create": "🟢", "update": "🟡", "replace": "🟣", "delete": "🔴"}


def render_markdown(plan: Plan) -> str:
    out = ["## oaspec plan", "", f"**{verdict(plan) if plan.has_differences else 'No changes.'}**", ""]
    if plan.source != "spec":
        out += [f"Source: `{plan.source}`", ""]
    if plan.blocking_findings:
        out += [f"🚫 **Apply is blocked by {len(plan.blocking_findings)} policy error(s).**", ""]
    beside, rest = findings_by_address(plan)
    for ap in plan.accounts:
        out += [f"### `{ap.account}` ({ap.provider})", ""]
        if not ap.changes:
            out += ["No changes: the account matches the spec.", ""]
        for change in ap.changes:
            out.append(f"- {EMOJI[change.action]} **{change.action}** {title(change)} — `{change.address}`")
            lines = details(change)
            if lines:
                fence = _fence(lines)
                out += ["", f"  {fence}diff", *[f"  {_diff_line(line)}" for line in lines], f"  {fence}"]
            out += [f"  - {_badge(f)} {finding_line(f)}" for f in beside.get(change.address, [])]
        if ap.notes:
            out += ["", *(f"> **Note:** {note}" for note in ap.notes)]
        live = live_finding_lines(ap)
        if live:
            out += ["", f"**{live[0]}**", "",
                    *(f"- {_badge(f)} `{f['address']}` {finding_line(f)}" for f in ap.live_findings)]
        if ap.guard:
            out += ["", "> [!WARNING]", "> **Destroy guard:** apply needs `--allow-destroy` for:",
                    *[f"> - {reason}" for reason in ap.guard]]
        out.append("")
    if rest:
        out += ["### Policy findings", ""]
        out += [f"- {_badge(f)} `{f['address']}` {finding_line(f)}" for f in rest]
    return "\n".join(out).rstrip() + "\n"


def _badge(finding: dict[str, object]) -> str:
    return "✅" if finding.get("waiver") else ("🚫" if finding["severity"] == "error" else "⚠️")


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
