"""The plan as a pull-request comment that fits the comment's size limit.

A comment holds at most 65,536 characters (GitHub; counted here in UTF-16 code units, as JavaScript
counts, which is never less than the characters). A plan whose Markdown fits is shown whole. A larger
one becomes a summary that a reviewer can still act on. First what nothing else in the plan can push
out: the verdict, the state, each account's counts by kind, destroy guard and state notes (their room
kept aside first), and three sections: every blocking finding, every waived one (who waived it and
until when, never cut: validate holds an approver to 100 characters), and the changes of kinds always
shown, whole (the gateway's mode, a webhook's host), with every change that sends followers' messages
to a module's webhook (a click key, a keyword rule, an FAQ entry) with its details (one line each,
naming every module, key and keyword in full, when they do not all fit whole), since a plan padded with
harmless changes must not push them out of view. When the three do not fit together, each takes an
even share of the room (a smaller one all it needs), so a section padded by the hundred cannot push
another out, and in a section a line that does not fit is counted while the next is still tried, so one
long line cannot push out the rest. Then the changes one line each, the other notes, then the other
findings, as many as fit, in that order; what does not fit is counted, and the whole plan is the job's
artifact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oa_spec.config.compile import SEVERITY_NOTE
from oa_spec.config.model_safety import APPROVER_MAX
from oa_spec.kinds.base import joined
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import dump_change, kind_of
from oa_spec.plan.model import NO_REVISION_NOTE, PACKS_OFF_NOTE, SWITCHED_NOTE, AccountPlan, Plan, PlanFinding
from oa_spec.render import details, finding_text, findings_by_address, title, verdict, waived_by, waiver_reason
from oa_spec.render.markdown import EMOJI, badge, diff_block, render_markdown
from oa_spec.util.display import code_span, markdown, visible

GITHUB_COMMENT_LIMIT = 65_536
MAX_LINE = 600  # one change or finding line: a long name must not take the room of a hundred changes
MAX_ADDRESS = 200  # an address in a summary line (it holds a name, which can be long)
TAIL_ROOM = 300  # kept free for the line that counts what was left out
# Notes kept in an account's header, never cut: where its history is, the rules the spec switches off or lowers,
# and the packs in force at the last applied revision that the spec no longer enables
_HEADER_NOTES = (NO_REVISION_NOTE, SWITCHED_NOTE, SEVERITY_NOTE, PACKS_OFF_NOTE)


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
    headers = [_header(ap) for ap in plan.accounts]
    # what a reviewer must see, never left to the artifact however long the plan: the findings that block or are
    # waived, and where followers' messages go (the gateway's and webhooks' changes first); each section in its
    # own share of the room left beside every account's header
    whole = sorted(((c, a) for a in plan.accounts for c in _shown_whole(a)), key=lambda ca: not _always(ca[0]))
    budget.must_show([
        ("Blocking policy findings", [_line(_finding(f)) for f in findings if f.blocking], "findings"),
        ("Waived policy findings", [_line(_finding(f)) for f in findings if f.waiver and not f.blocking],
         "findings"),
        ("Gateway and webhook changes, whole", [_forms(c, a.changes) for c, a in whole], "changes"),
    ], kept=sum(_size(lines) for lines in headers))
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


def _forms(change: Change, changes: Sequence[Change]) -> tuple[str, str]:
    """A change whole, and on one line: the gateway's mode and a webhook's host are its details, so the gateway's
    and a webhook's own changes (a few short lines) are whole in both."""
    whole = _whole(change, changes)
    return whole, whole if _always(change) else _routed(change)


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
            if _always(change) or (hooked and _routes_to(change, hooked, keys))]


def _always(change: Change) -> bool:
    return kind_of(change).always_shown


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
    when never are (but for an approver longer than validate allows, cut where validate would refuse it)."""
    return (f"- {badge(finding)} {_address(finding.address)} {_cut(markdown(finding_text(finding)))}"
            f"{markdown(waived_by(finding, APPROVER_MAX))}{_cut(markdown(waiver_reason(finding)), MAX_ADDRESS)}")


def _address(address: str) -> str:
    """An address as inline code, cut before it is fenced (so the fence always closes)."""
    return code_span(_cut(visible(address), MAX_ADDRESS))


def _cut(line: str, limit: int = MAX_LINE) -> str:
    return line if len(line) <= limit else line[:limit] + "…"


def _line(line: str) -> tuple[str, str]:
    """An item that has one form only: whole is its line."""
    return line, line


def _size(lines: Sequence[str]) -> int:
    """The room lines take, with the line break after them."""
    return comment_size("\n".join(lines)) + 1


def _heading(heading: str) -> int:
    """The room a section's heading takes, with the blank lines before and after its lines."""
    return _size([f"### {heading}", ""]) + 1


def _need(heading: str, lines: Sequence[str]) -> int:
    """The room a section takes: none without lines (no heading is shown over nothing)."""
    return _heading(heading) + sum(_size([line]) for line in lines) if lines else 0


def _shares(needs: Sequence[int], room: int) -> list[int]:
    """Each section's room when they do not all fit: the smallest get all they need, the others an even share of
    what is left, so that a section padded by the hundred takes its share and no more."""
    shares = list(needs)
    for at, i in enumerate(sorted(range(len(needs)), key=lambda n: needs[n])):
        shares[i] = min(needs[i], room // (len(needs) - at))
        room -= shares[i]
    return shares


# A section shown whatever else is: a heading, (whole, one-line) items, and what its left-out items are counted as
MustShow = tuple[str, list[tuple[str, str]], str]


class _Budget:
    """Lines added while they fit; what does not fit is counted by what it is."""

    def __init__(self, room: int, head: list[str]) -> None:
        self.lines = list(head)
        self.room = room - comment_size("\n".join(head))
        self.left_out: Counter[str] = Counter()

    def add(self, lines: list[str], what: str) -> bool:
        size = _size(lines)
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

    def must_show(self, sections: list[MustShow], kept: int) -> None:
        """Sections no other can push out, in the room but what is `kept`: when all fit one line an item, each
        section whole if what is left allows; else each in its share, what does not fit counted."""
        needs = [_need(heading, [line for _, line in items]) for heading, items, _ in sections]
        room = max(0, self.room - kept)
        shares = _shares(needs, room)
        spare = room - sum(shares)
        for (heading, items, what), need, share in zip(sections, needs, shares, strict=True):
            whole = _need(heading, [form for form, _ in items])
            if share == need and whole - need <= spare:  # "all whole if they fit, else all one line each"
                self._within(heading, [form for form, _ in items], what, whole)
                spare -= whole - need
            else:
                self._within(heading, [line for _, line in items], what, share)

    def _within(self, heading: str, lines: list[str], what: str, share: int) -> None:
        """A section in `share` of the room: a line that does not fit is counted and the next one still tried, so
        one long line cannot push out the others; a heading is shown only over a line."""
        room = share - _heading(heading)
        shown = []
        for line in lines:
            if (size := _size([line])) <= room:
                shown.append(line)
                room -= size
        if len(shown) < len(lines):
            self.left_out[what] += len(lines) - len(shown)
        if shown:
            self.add_reserved([f"### {heading}", "", *shown, ""])

    def add_reserved(self, lines: list[str]) -> None:
        """Lines whose room was kept aside before what came first, so they are shown whatever was left out."""
        self.lines += lines
        self.room -= _size(lines)

    def text(self) -> str:
        if self.left_out:
            counted = " and ".join(f"{n:,} more {what}" for what, n in self.left_out.items())
            self.lines += ["", f"_… {counted} not shown here: see the whole plan in the artifact._"]
        return "\n".join(self.lines).rstrip() + "\n"
