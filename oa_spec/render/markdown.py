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
    """A change's detail lines as an indented diff block, under its list item. GitHub colours a line by its first
    column: a detail's own +/-/~ marker goes there, and a unified diff's (an article body's) prefix does."""
    fence = _fence(lines)
    return [f"  {fence}diff", *[f"  {line}" for line in _marked(lines)], f"  {fence}"]


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in the content, so a text cannot close it early."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _marked(lines: list[str]) -> list[str]:
    """Each line with its marker in column one: a unified diff's lines by its own prefix, read by its hunks' counts
    (so a body line whose text starts with `+ ` is context), the other detail lines by `_diff_line`."""
    out: list[str] = []
    at = 0
    while at < len(lines):
        end, indent = _unified_diff_end(lines, at)
        if end > at:
            out += [f" {lines[at]}", f" {lines[at + 1]}"]  # its headers, `--- A` and `+++ B`, are not changes
            out += [_unified_line(line, indent) for line in lines[at + 2:end]]
            at = end
        else:
            out.append(_diff_line(lines[at]))
            at += 1
    return out


_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def _unified_diff_end(lines: list[str], start: int) -> tuple[int, str]:
    """Where the unified diff that starts at `lines[start]` (`--- A`, `+++ B`, then hunks, each `@@ -a,n +b,m @@`
    and exactly the lines it counts) ends, and its indent; (`start`, "") when no diff starts there."""
    header = lines[start]
    indent = header[:len(header) - len(header.lstrip(" "))]
    if not header.startswith(f"{indent}--- ") or start + 1 >= len(lines) \
            or not lines[start + 1].startswith(f"{indent}+++ "):
        return start, ""
    at = start + 2
    while at < len(lines) and (hunk := _HUNK.fullmatch(lines[at].removeprefix(indent))):
        old, new = int(hunk.group(1) or 1), int(hunk.group(2) or 1)
        at += 1
        while (old or new) and at < len(lines) and lines[at].startswith(indent):
            prefix = lines[at][len(indent):len(indent) + 1]
            if prefix == " " and old and new:
                old, new = old - 1, new - 1
            elif prefix == "-" and old:
                old -= 1
            elif prefix == "+" and new:
                new -= 1
            else:
                break
            at += 1
    return (at, indent) if at > start + 2 else (start, "")


def _unified_line(line: str, indent: str) -> str:
    """A hunk's line, marked by its own prefix alone: `+` or `-`, else (context, `@@`) none."""
    prefix = line[len(indent):len(indent) + 1]
    return f"{prefix if prefix in ('+', '-') else ' '}{line}"


def _diff_line(line: str) -> str:
    """Put a detail line's +/-/~ marker in column one, where GitHub's diff highlighting looks for it."""
    stripped = line.lstrip()
    if stripped[:1] in "+-~" and stripped[1:2] == " ":
        marker = "!" if stripped[0] == "~" else stripped[0]
        return f"{marker}{line[1:]}"
    return f" {line}"


__all__ = ["SYMBOLS", "render_markdown"]
