"""Render a Plan for people (terminal, Markdown for pull requests) and machines (JSON).

All three read the same Plan; `details` turns one change into the lines a reviewer reads.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from oa_spec.kinds.state import Button, ConditionalMenu, Menu, Reply, Tag, Template
from oa_spec.plan.guards import felt
from oa_spec.plan.model import AccountPlan, Change, Plan

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
KIND_LABELS = {"tag": "tag", "industry": "industry", "template": "template", "menu": "menu",
               "conditional_menu": "conditional menu", "reply": "reply", "keyword_reply": "keyword reply"}


def finding_line(finding: dict[str, Any]) -> str:
    """One policy finding: severity, rule id, message, where, and the waiver that covers it."""
    mark = "waived" if finding.get("waiver") else finding["severity"]
    text = f"{finding['message']}：{finding['detail']}" if finding.get("detail") else finding["message"]
    line = f"[{mark}] {finding['rule']}: {text} ({finding['position']}; 依据 {finding['basis']})"
    waiver = finding.get("waiver")
    if waiver:
        line += f" — waived by {waiver.get('approved_by')} until {waiver.get('expires')}: {waiver.get('reason')}"
    return line


def findings_by_address(plan: Plan) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Findings keyed by the change they concern, and the rest (modules, streams, waivers)."""
    addresses = {c.address for a in plan.accounts for c in a.changes}
    beside: dict[str, list[dict[str, Any]]] = {}
    rest: list[dict[str, Any]] = list(plan.findings)
    for finding in (f for a in plan.accounts for f in a.findings):
        if finding["address"] in addresses:
            beside.setdefault(finding["address"], []).append(finding)
        else:
            rest.append(finding)
    return beside, rest


def width(text: str) -> int:
    """Columns a terminal uses for `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


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
            *(f"  {f['address']}: {finding_line(f)}" for f in ap.live_findings)]


def title(change: Change) -> str:
    label = KIND_LABELS[change.kind]
    return f"{label} {change.key}" if change.key else label


def details(change: Change) -> list[str]:
    """Lines under a change: per-button +/-/~ for menus, before -> after for the rest."""
    before, after = change.before, change.after
    lines: list[str] = []
    if isinstance(before or after, (Menu, ConditionalMenu)):
        old = before.buttons if isinstance(before, (Menu, ConditionalMenu)) else ()
        new = after.buttons if isinstance(after, (Menu, ConditionalMenu)) else ()
        if isinstance(after, ConditionalMenu):
            lines.append(f"  match: {after.match.describe()}")
        elif isinstance(before, ConditionalMenu):
            lines.append(f"  match: {before.match.describe()}")
        lines += menu_diff(old, new)
    elif isinstance(after, Tag) and isinstance(before, Tag):
        lines.append(f"  name: {before.name} -> {after.name}")
    elif isinstance(after, Template) or isinstance(before, Template):
        t = after or before
        assert isinstance(t, Template)
        lines.append(f"  title: {t.title}" + (f" (library {t.library_id})" if t.library_id else ""))
    elif isinstance(after, Reply) or isinstance(before, Reply):
        lines += _before_after("text", getattr(before, "text", None), getattr(after, "text", None))
    elif change.kind == "keyword_reply":
        for f in ("match", "keywords", "reply"):
            old_v, new_v = getattr(before, f, None), getattr(after, f, None)
            if old_v != new_v:
                lines += _before_after(f, _show(old_v), _show(new_v))
    elif change.kind == "industry":
        lines += _before_after("industry", _show(before), _show(after))
    if change.reason:
        lines.append(f"  ({change.reason})")
    why = felt(change)
    if why:
        lines.append(f"  ! users will notice: {why}")
    if not change.writable:
        lines.append("  (not writable through the API: change it in the console)")
    return lines


def _show(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Reply):
        return value.text
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if hasattr(value, "primary"):
        return f"{value.primary} + {value.secondary}"  # type: ignore[attr-defined]
    return str(value)


def _before_after(label: str, old: str | None, new: str | None) -> list[str]:
    """One line per side; line breaks inside a value are shown as \\n so a reply cannot add lines of its own."""
    old, new = (None if v is None else v.replace("\r", "\\r").replace("\n", "\\n") for v in (old, new))
    if old is None:
        return [f"  + {label}: {new}"]
    if new is None:
        return [f"  - {label}: {old}"]
    return [f"  - {label}: {old}", f"  + {label}: {new}"]


def menu_diff(old: tuple[Button, ...], new: tuple[Button, ...], indent: str = "  ") -> list[str]:
    """Button by button, matched by name: '+' added, '-' removed, '~' changed; unchanged ones are elided."""
    lines: list[str] = []
    everything = [b for top in (*old, *new) for b in (top, *top.sub_buttons)]
    column = max([width(b.name) for b in everything] + [4]) + 2
    old_by_name = {b.name: b for b in old}
    new_names = {b.name for b in new}
    for i, button in enumerate(new):
        before = old_by_name.get(button.name)
        if before is None:
            lines.append(f"{indent}+ {pad(button.name, column)}{button.describe()}")
            lines += [f"{indent}    + {pad(s.name, column)}{s.describe()}" for s in button.sub_buttons]
        elif before != button:
            if button.sub_buttons and before.sub_buttons:
                lines.append(f"{indent}~ {button.name}")
                lines += menu_diff(before.sub_buttons, button.sub_buttons, indent + "    ")
            else:
                lines.append(f"{indent}~ {pad(button.name, column)}{before.describe()} -> {button.describe()}")
        elif [b.name for b in old].index(button.name) != i:
            lines.append(f"{indent}~ {pad(button.name, column)}(moved to position {i + 1})")
    for button in old:
        if button.name not in new_names:
            lines.append(f"{indent}- {pad(button.name, column)}{button.describe()}")
    return lines
