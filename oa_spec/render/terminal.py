"""The terminal view: what a reviewer reads in seconds. Colour only on a TTY, never with NO_COLOR.

Every line is made of spec or live text (names, addresses, notes), so each goes through display.visible
before colour is added: an ESC or CR in a name is shown, never sent to the terminal.
"""

from __future__ import annotations

import click

from oa_spec.plan.model import Plan
from oa_spec.render import (
    SYMBOLS,
    details,
    finding_line,
    findings_by_address,
    live_finding_lines,
    title,
    verdict,
)
from oa_spec.util.display import pad, visible, width

COLOURS = {"create": "green", "update": "yellow", "replace": "magenta", "delete": "red"}


def render_text(plan: Plan, colour: bool = False) -> str:
    def paint(text: str, action: str) -> str:
        return click.style(text, fg=COLOURS[action]) if colour else text

    out: list[str] = []
    beside, rest = findings_by_address(plan)
    for ap in plan.accounts:
        out.append(visible(f"{ap.account} ({ap.live_account or ap.provider})"))
        if not ap.changes:
            out.append("  no changes: the account matches the spec")
        column = max([width(visible(title(c))) for c in ap.changes] + [10]) + 2
        for change in ap.changes:
            symbol = SYMBOLS[change.action]
            out.append(paint(f"  {symbol:>3} {pad(visible(title(change)), column)}", change.action)
                       + visible(change.address))
            out += [f"        {visible(line)}" for line in details(change, ap.changes)]
            out += [f"        {visible(finding_line(f))}" for f in beside.get(change.address, [])]
        out += [f"  note: {visible(note)}" for note in ap.notes]
        out += [f"  {visible(line)}" for line in live_finding_lines(ap)]
        if ap.guard:
            out.append(paint("  destroy guard: apply needs --allow-destroy:", "delete"))
            out += [f"    - {visible(reason)}" for reason in ap.guard]
        out.append("")
    if rest:
        out.append("Policy findings:")
        out += [f"  {visible(f.address)}: {visible(finding_line(f))}" for f in rest]
        out.append("")
    out.append(verdict(plan))
    if plan.state:  # where history, the audit trail and the lock go: a pull request could point `state:` elsewhere
        out.append(f"State: the {visible(plan.state)}")
    if plan.blocking_findings:
        out.append(f"Apply is blocked by {len(plan.blocking_findings)} policy error(s): fix them or waive them.")
    return "\n".join(out)
