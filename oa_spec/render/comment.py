"""The plan as a pull-request comment that fits the comment's size limit.

A comment holds at most 65,536 characters (GitHub; counted here in UTF-16 code units, as JavaScript
counts, which is never less than the characters). A plan whose Markdown fits is shown whole. A larger
one becomes a summary that a reviewer can still act on: the verdict, the state, every blocking finding,
every waived one (who waived it and until when, never cut), the changes of kinds always shown (the
gateway's mode, a webhook's host) and every change that sends followers' messages to a module's webhook
(a click key, a keyword rule, an FAQ entry) with their details, none cut (one line each, naming every
module, key and keyword in full, when there are more than fit whole), since a plan padded with harmless
changes must not push them out of view; then each account's counts by kind, destroy guard and state
notes (their room kept aside first), the changes one line each, the other notes, then the other
findings, as many as fit, in that order; what does not fit is counted, and the whole plan is the job's
artifact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oa_spec.config.compile import SEVERITY_NOTE
from oa_spec.kinds.base import joined
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import dump_change, kind_of
from oa_spec.plan.model import NO_REVISION_NOTE, SWITCHED_NOTE, AccountPlan, Plan, PlanFinding
from oa_spec.render import details, finding_text, findings_by_address, title, verdict, waived_by, waiver_reason
from oa_spec.render.markdown import EMOJI, badge, diff_block, render_markdown
from oa_spec.util.display import code_span, markdown, visible

GITHUB_COMMENT_LIMIT = 65_536
MAX_LINE = 600  # one change or finding line: a long name must not take the room of a hundred changes
MAX_ADDRESS = 200  # an address in a summary line (it holds a name, which can be long)
TAIL_ROOM = 300  # kept free for the line that counts what was left out
# Notes kept in an account's header, never cut: where its history is, and the rules the spec switches off or lowers
_HEADER_NOTES = (NO_REVISION_NOTE, SWITCHED_NOTE, SEVERITY_NOTE)


def comment_size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render_comment(plan: Plan, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The whole Markdown plan if it fits in `limit`, else the summary, which always fits."""
    full = render_markdown(plan)
    if comment_size(full) <= limit:
        return full
    return _summary(plan, limit, comment_size(full))


def _summary(plan: Plan, limit: int, full_size: int) -> str:
    head = ["## oaspec plan (summary)", "", f"**{verdict(plan)}**", ""]
    if plan.state:  # where history, the audit trail and the lock go: never cut from a summary
        head += [f"State: the {code_span(plan.state)}", ""]
    if plan.blocking_findings:
        head += [f"🚫 **Apply is blocked by {len(plan.blocking_findings)} policy error(s).**", ""]
    head += [f"> The whole plan is {full_size:,} characters, over this comment's {limit:,}: this is a summary. "
             "The whole plan (plan.md, and plan.json that apply uses) is the plan job's artifact.", ""]
    budget = _Budget(limit - TAIL_ROOM, head)
    beside, rest = findings_by_address(plan)
    findings = [f for fs in beside.values() for f in fs] + rest
    budget.section("Blocking policy findings", [_finding(f) for f in findings if f.blocking], "findings")
    budget.section("Waived policy findings", [_finding(f) for f in findings if f.waiver and not f.blocking],
                   "findings")
    headers = [_header(ap) for ap in plan.accounts]
    # where followers' messages go and how they are protected: never left to the artifact, however long the plan;
    # whole while they fit beside every account's header (its counts and destroy guard), then one line each
    reserved = sum(comment_size("\n".join(lines)) + 1 for lines in headers)
    budget.room -= reserved
    budget.shortened("Gateway and webhook changes, whole", [
        (_whole(c, a.changes), _routed(c)) for a in plan.accounts for c in _shown_whole(a)], "changes")
    budget.room += reserved
    for lines in headers:
        budget.add_reserved(lines)
    budget.section("Changes", [_change(c.action, title(c), c.address) for a in plan.accounts for c in a.changes],
                   "changes")
    budget.section("Notes", [_cut(f"- {code_span(a.account)}: {markdown(note)}") for a in plan.accounts
                             for note in a.notes if not note.startswith(_HEADER_NOTES)], "notes")
    others = [f for f in findings if not f.blocking and not f.waiver] + [f for a in plan.accounts
                                                                        for f in a.live_findings]
    budget.section("Other policy findings", [_finding(f) for f in others], "findings")
    return budget.text()


def _header(ap: AccountPlan) -> list[str]:
    """An account's heading, its counts by kind, its destroy guard and its header notes (no revision here; history
    recorded against another live account; the rules the spec switches off or lowers); its other notes (a spec can
    make hundreds) come later."""
    guard = ["> [!WARNING]", "> **Destroy guard:** apply needs `--allow-destroy` for:",
             *[f"> - {_cut(markdown(reason))}" for reason in ap.guard], ""] if ap.guard else []
    state = [_cut(f"- note: {markdown(note)}") for note in ap.notes
             if note.startswith(_HEADER_NOTES)]
    where = markdown(ap.live_account or ap.provider)
    return [f"### {code_span(ap.account)} ({where})", "", _counts(ap), "", *guard, *state, *([""] if state else [])]


def _routed(change: Change) -> str:
    """A change shown whole, in one line: what it is, where (these may be cut), and every module, key and keyword
    it names, each in full (never cut: they are what the section is for)."""
    dumped = dump_change(change)
    after = dumped["after"] if isinstance(dumped["after"], dict) else {}
    keywords = [str(k) for k in after.get("keywords", [])]  # a keyword rule's: what now reaches the module
    named = sorted(_named(dumped, "module") | {key for _, _, key in _keyed(dumped["after"])} | set(keywords))
    return _change(change.action, title(change), change.address) + (f" → {markdown(joined(named))}" if named else "")


def _shown_whole(ap: AccountPlan) -> list[Change]:
    """Changes of a kind always shown (the gateway, a webhook), and those that name a module whose webhook gets the
    followers' messages (a click key or a keyword rule now answered by it, an FAQ entry linked to it), or that add
    a menu button with a click key such a module answers (even one another button already has)."""
    hooked = {route.module for route in ap.desired.webhooks}
    keys = {route.click_key for route in ap.desired.webhooks if route.click_key}
    keys |= {event.key for event in ap.desired.click_replies if event.reply.module in hooked}
    return [change for change in ap.changes
            if kind_of(change).always_shown or (hooked and _routes_to(change, hooked, keys))]


def _routes_to(change: Change, hooked: set[str], keys: set[str]) -> bool:
    dumped = dump_change(change)
    added = _keyed(dumped["after"]) - _keyed(dumped["before"])  # buttons new, renamed or retyped; not other edits
    return not hooked.isdisjoint(_named(dumped, "module")) or any(key in keys for _, _, key in added)


def _keyed(value: object) -> Counter[tuple[str, str, str]]:
    """Each (name, type, key) of the buttons a dumped state holds, at any depth, counted: a button whose type
    becomes `click` now sends its key to whatever answers it."""
    found: Counter[tuple[str, str, str]] = Counter()
    if isinstance(value, dict):
        if isinstance(value.get("key"), str):
            found[(str(value.get("name", "")), str(value.get("type", "")), value["key"])] += 1
        for inner in value.values():
            found += _keyed(inner)
    elif isinstance(value, list):
        for inner in value:
            found += _keyed(inner)
    return found


def _named(value: object, field: str) -> set[str]:
    """Every `field` a dumped change names, at any depth (a reply's module, each button's key)."""
    if isinstance(value, dict):
        found = {value[field]} if isinstance(value.get(field), str) else set()
        return found.union(*(_named(v, field) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_named(v, field) for v in value))
    return set()


def _counts(ap: AccountPlan) -> str:
    if not ap.changes:
        return "No changes: the account matches the spec."
    actions: Counter[str] = Counter(c.action for c in ap.changes)
    kinds = Counter(kind_of(c).label for c in ap.changes)
    by_action = ", ".join(f"{actions[a]} to {a}" for a in EMOJI if actions[a])
    by_kind = ", ".join(f"{markdown(label)} {n}" for label, n in sorted(kinds.items()))
    return f"{by_action} ({by_kind})."


def _change(action: str, what: str, address: str) -> str:
    return f"- {EMOJI[action]} **{action}** {_cut(markdown(what))} — {_address(address)}"


def _whole(change: Change, changes: Sequence[Change]) -> str:
    """A change with every detail line, none cut: the section promises it whole (its size is counted first)."""
    lines = [visible(line) for line in details(change, changes)]
    return "\n".join([_change(change.action, title(change), change.address), *(diff_block(lines) if lines else [])])


def _finding(finding: PlanFinding) -> str:
    """A finding on one line: its address, message and a waiver's reason may be cut; who waived it and until
    when never are."""
    return (f"- {badge(finding)} {_address(finding.address)} {_cut(markdown(finding_text(finding)))}"
            f"{markdown(waived_by(finding))}{_cut(markdown(waiver_reason(finding)), MAX_ADDRESS)}")


def _address(address: str) -> str:
    """An address as inline code, cut before it is fenced (so the fence always closes)."""
    return code_span(_cut(visible(address), MAX_ADDRESS))


def _cut(line: str, limit: int = MAX_LINE) -> str:
    return line if len(line) <= limit else line[:limit] + "…"


class _Budget:
    """Lines added while they fit; what does not fit is counted by what it is."""

    def __init__(self, room: int, head: list[str]) -> None:
        self.lines = list(head)
        self.room = room - comment_size("\n".join(head))
        self.left_out: Counter[str] = Counter()

    def add(self, lines: list[str], what: str) -> bool:
        size = comment_size("\n".join(lines)) + 1
        if self.left_out or size > self.room:  # once something is left out, so is the rest: order is priority
            self.left_out[what] += 1
            return False
        self.lines += lines
        self.room -= size
        return True

    def section(self, heading: str, lines: list[str], what: str) -> None:
        if not lines:
            return
        if not self.add([f"### {heading}", ""], what):
            self.left_out[what] += len(lines) - 1
            return
        for line in lines:
            self.add([line], what)
        if not self.left_out:
            self.lines.append("")

    def shortened(self, heading: str, items: list[tuple[str, str]], what: str) -> None:
        """A section of (whole, one-line) items: all whole if they fit, else all one line each, as many as fit."""
        if not items:
            return
        whole = sum(comment_size(form) + 1 for form, _ in items) + comment_size(f"### {heading}\n") + 2
        self.section(heading, [form if whole <= self.room else line for form, line in items], what)

    def add_reserved(self, lines: list[str]) -> None:
        """Lines whose room was kept aside before what came first, so they are shown whatever was left out."""
        self.lines += lines
        self.room -= comment_size("\n".join(lines)) + 1

    def text(self) -> str:
        if self.left_out:
            counted = " and ".join(f"{n:,} more {what}" for what, n in self.left_out.items())
            self.lines += ["", f"_… {counted} not shown here: see the whole plan in the artifact._"]
        return "\n".join(self.lines).rstrip() + "\n"
