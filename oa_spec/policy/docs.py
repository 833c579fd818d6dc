"""The rule reference, generated from the rule definitions: `policy list`, `policy explain RULE`, and
the README's rule section (between `<!-- rules:start -->` and `<!-- rules:end -->`)."""

from __future__ import annotations

from oa_spec.policy.packs import BUILTIN_PACKS, builtin_rules
from oa_spec.policy.rules import Rule

README_START = "<!-- rules:start -->"
README_END = "<!-- rules:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """Every built-in rule as Markdown tables, one per pack."""
    parts: list[str] = []
    for pack in BUILTIN_PACKS.values():
        on = "always on" if pack.always_on else f"enable with `policies: {{packs: [{pack.name}]}}`"
        parts += [f"### Pack `{pack.name}` ({on})", "", pack.description, "",
                  "| id | severity | message | checks | basis |", "|---|---|---|---|---|"]
        for r in pack.rules:
            severity = r.severity + (" (fixed)" if r.fixed else "") + (" (regulated)" if r.regulated else "")
            parts.append(f"| `{r.id}` | {severity} | {_cell(r.message)} | {_cell(r.summary)} | {_cell(r.basis)} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def policy_list(rules: dict[str, Rule] | None = None) -> str:
    """One line per rule: id, severity, pack and basis (`oaspec policy list`), each ending in a newline."""
    rules = rules if rules is not None else builtin_rules()
    width = max(len(r.id) for r in rules.values())
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.pack:<8}  {r.basis}\n" for r in rules.values())


def policy_explain(rule_id: str, rules: dict[str, Rule] | None = None) -> str:
    """The full text of one rule (`oaspec policy explain RULE`), ending in a newline. KeyError names the
    close matches."""
    rules = rules if rules is not None else builtin_rules()
    rule = rules.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, list(rules), n=3, cutoff=0.5)
        raise KeyError(f"unknown rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    fixed = " (fixed: no severity override, no waiver)" if rule.fixed else ""
    lines = [
        f"{rule.id}  [{rule.severity}{fixed}]",
        f"  pack:    {rule.pack}",
        f"  message: {rule.message}",
        f"  checks:  {rule.summary}",
        f"  basis:   {rule.basis}",
    ]
    if rule.fix:
        lines.append(f"  fix:     {rule.fix}")
    if rule.status:
        lines.append(f"  status:  {rule.status}")
    if rule.fixed:
        lines.append("  waive:   not possible: a platform fact or an engine check; fix the spec instead")
    elif rule.regulated:
        lines.append(f"  waive:   regulated rule: one exact address per waiver, expiring within "
                     f"policies.waiver_max_days (default 365): [{{rule: {rule.id}, target: <address>, reason: ..., "
                     "approved_by: ..., expires: YYYY-MM-DD}]")
    else:
        lines.append(f"  waive:   policies.waivers: [{{rule: {rule.id}, target: <address glob>, reason: ..., "
                     "approved_by: ..., expires: YYYY-MM-DD}]")
    return "\n".join(lines) + "\n"


def readme_section(readme: str) -> str:
    """The text between the README markers (ValueError when they are missing)."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README lacks {README_START} ... {README_END}")
    return readme[start + len(README_START):end].strip("\n") + "\n"
