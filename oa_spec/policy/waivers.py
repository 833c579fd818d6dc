"""Waivers: a finding may be accepted only with a reason, an approver and an expiry date.

A valid waiver turns the findings of its rule at the addresses its target glob matches into waived
notes. A waiver that is expired, incomplete, names an unknown rule or a target that matches no
address is itself an error finding (and covers nothing); one that covers no finding is stale, and
an error too (it would silently hide the next finding at that address). A waiver of a regulated
rule names one exact address and runs at most `waiver_max_days` from today.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from oa_spec.config.model_safety import WaiverSpec
from oa_spec.policy.findings import Finding
from oa_spec.policy.rules import Rule
from oa_spec.policy.subjects import AccountIndex
from oa_spec.util.display import visible


@dataclass(frozen=True)
class Problem:
    rule: str  # policy.waiver-*
    index: int  # position in policies.waivers
    field: tuple[str, ...]  # the waiver's field at fault, for the file:line:col
    detail: str


@dataclass(frozen=True)
class Standing:
    """One waiver as `oaspec policy waivers` shows it: what it covers, or why it covers nothing."""

    index: int
    waiver: WaiverSpec
    regulated: bool
    covers: tuple[str, ...]  # addresses of the findings it waives
    problems: tuple[Problem, ...]

    @property
    def status(self) -> str:
        kinds = {p.rule for p in self.problems}
        for rule, status in (("policy.waiver-expired", "expired"), ("policy.waiver-unused", "unused")):
            if rule in kinds:
                return status
        return "invalid" if kinds else "in force"


@dataclass
class Outcome:
    covering: dict[int, WaiverSpec] = field(default_factory=dict)  # finding number -> its waiver
    valid: list[WaiverSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)


def known_addresses(indexes: Sequence[AccountIndex]) -> set[str]:
    """Every address a waiver may target: accounts and the resources and modules they declare."""
    out: set[str] = set()
    for index in indexes:
        account = index.account
        out.add(account.id)
        out.update(item.address for item in index.texts)
        out.update(item.address for item in (*index.links, *index.webhooks))
        out.update(address for address, _, _, _ in index.menus())
        out.update(address for address, _, _ in index.replies())
        out.update(index.address("module", m.id) for m in account.modules)
        out.update(index.address("stream", s.id) for s in account.content.streams)
        out.update(index.address("tag", t.name) for t in account.tags)
        out.update(index.address("template", t.id) for t in account.templates)
    return out


WILDCARDS = frozenset("*?[")


def _regulated_problems(waiver: WaiverSpec, index: int, today: datetime.date, max_days: int) -> list[Problem]:
    problems = []
    if WILDCARDS & set(waiver.target):
        problems.append(Problem("policy.waiver-invalid", index, ("target",),
                                f"{waiver.rule} is a regulated rule: a waiver names one exact address, "
                                f"not a pattern ({waiver.target!r})"))
    latest = today + datetime.timedelta(days=max_days)
    if waiver.expires is not None and waiver.expires > latest:
        problems.append(Problem("policy.waiver-invalid", index, ("expires",),
                                f"{waiver.rule} is a regulated rule: a waiver runs at most {max_days} days "
                                f"(until {latest} at the latest; policies.waiver_max_days)"))
    return problems


def check(waiver: WaiverSpec, index: int, rules: dict[str, Rule], addresses: set[str],
          today: datetime.date, max_days: int) -> list[Problem]:
    """What is wrong with one waiver; empty when it is valid today."""
    problems = []
    rule = rules.get(waiver.rule)
    if rule is not None and rule.regulated:
        problems += _regulated_problems(waiver, index, today, max_days)
    if rule is None:
        problems.append(Problem("policy.waiver-invalid", index, ("rule",), f"unknown rule {waiver.rule!r}"))
    elif rule.fixed:
        problems.append(Problem("policy.waiver-invalid", index, ("rule",),
                                f"{waiver.rule} cannot be waived (a platform fact or an engine check)"))
    for name, why in (("approved_by", "who accepted the risk"), ("reason", "why the finding is acceptable"),
                      ("expires", "until when (YYYY-MM-DD)")):
        value = getattr(waiver, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem("policy.waiver-invalid", index, (), f"missing {name}: {why}"))
    if waiver.expires is not None and waiver.expires < today:
        problems.append(Problem("policy.waiver-expired", index, ("expires",),
                                f"expired on {waiver.expires} (today is {today})"))
    if not any(fnmatchcase(address, waiver.target) for address in addresses):
        problems.append(Problem("policy.waiver-target", index, ("target",),
                                f"target {waiver.target!r} matches no address in the spec"))
    return problems


def apply(waivers: Sequence[WaiverSpec], findings: Sequence[Finding], rules: dict[str, Rule],
          indexes: Sequence[AccountIndex], today: datetime.date, max_days: int) -> Outcome:
    outcome = Outcome()
    addresses = known_addresses(indexes)
    for i, waiver in enumerate(waivers):
        rule = rules.get(waiver.rule)
        regulated = rule is not None and rule.regulated
        problems = check(waiver, i, rules, addresses, today, max_days)
        if problems:
            outcome.problems.extend(problems)
            outcome.standings.append(Standing(i, waiver, regulated, (), tuple(problems)))
            continue
        outcome.valid.append(waiver)
        covered = [n for n, f in enumerate(findings)
                   if f.rule == waiver.rule and fnmatchcase(f.address, waiver.target) and n not in outcome.covering]
        for n in covered:
            outcome.covering[n] = waiver
        unused = () if covered else (Problem("policy.waiver-unused", i, ("target",),
                                             f"no {waiver.rule} finding at {waiver.target!r}: remove the waiver"),)
        outcome.problems.extend(unused)
        outcome.standings.append(Standing(i, waiver, regulated, tuple(findings[n].address for n in covered), unused))
    return outcome


def standings_text(standings: Sequence[Standing]) -> str:
    """`oaspec policy waivers`: every waiver, who approved it, until when, and what it covers; one line per
    field, whatever the field holds."""
    if not standings:
        return "No waivers (policies.waivers is empty).\n"
    lines = []
    for s in standings:
        w = s.waiver
        regulated = " (regulated rule)" if s.regulated else ""
        lines.append(f"[{s.index}] {w.rule}{regulated} @ {w.target}: {s.status}")
        lines.append(f"    approved by {w.approved_by or '(missing)'}, expires {w.expires or '(missing)'}"
                     + (f", ticket {w.ticket}" if w.ticket else ""))
        lines.append(f"    reason: {w.reason or '(missing)'}")
        lines += [f"    covers: {address}" for address in s.covers]
        lines += [f"    problem: {problem.detail}" for problem in s.problems]
    return "".join(visible(line) + "\n" for line in lines)  # a newline in a reason cannot forge an entry


def standings_json(standings: Sequence[Standing]) -> list[dict[str, object]]:
    return [{"index": s.index, "status": s.status, "regulated": s.regulated, "covers": list(s.covers),
             "problems": [p.detail for p in s.problems], **s.waiver.model_dump(mode="json", exclude_none=True)}
            for s in standings]
