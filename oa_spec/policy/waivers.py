"""Waivers: a finding may be accepted only with a reason, an approver and an expiry date.

A valid waiver turns the findings of its rule at the addresses its target glob matches into waived
notes. A waiver that is expired, incomplete, names an unknown rule or a target that matches no
address is itself an error finding (and covers nothing); one that covers no finding is stale.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from oa_spec.policy.rules import Rule
from oa_spec.policy.subjects import AccountIndex
from oa_spec.spec.model import WaiverSpec

if TYPE_CHECKING:
    from oa_spec.policy.engine import Finding


@dataclass(frozen=True)
class Problem:
    rule: str  # policy.waiver-*
    index: int  # position in policies.waivers
    field: tuple[str, ...]  # the waiver's field at fault, for the file:line:col
    detail: str


@dataclass
class Outcome:
    covering: dict[int, WaiverSpec] = field(default_factory=dict)  # finding number -> its waiver
    valid: list[WaiverSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def known_addresses(indexes: Sequence[AccountIndex]) -> set[str]:
    """Every address a waiver may target: accounts and the resources and modules they declare."""
    out: set[str] = set()
    for index in indexes:
        account = index.account
        out.add(account.id)
        out.update(item.address for item in index.texts)
        out.update(item.address for item in index.links)
        out.update(address for address, _, _, _ in index.menus())
        out.update(address for address, _, _ in index.replies())
        out.update(index.address("modules", m.id) for m in account.modules)
        out.update(index.address("content", "streams", s.id) for s in account.content.streams)
        out.update(index.address("tags", t.name) for t in account.tags)
        out.update(index.address("templates", t.id) for t in account.templates)
    return out


def check(waiver: WaiverSpec, index: int, rules: dict[str, Rule], addresses: set[str],
          today: datetime.date) -> list[Problem]:
    """What is wrong with one waiver; empty when it is valid today."""
    problems = []
    rule = rules.get(waiver.rule)
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
          indexes: Sequence[AccountIndex], today: datetime.date) -> Outcome:
    outcome = Outcome()
    addresses = known_addresses(indexes)
    for i, waiver in enumerate(waivers):
        problems = check(waiver, i, rules, addresses, today)
        if problems:
            outcome.problems.extend(problems)
            continue
        outcome.valid.append(waiver)
        covered = [n for n, f in enumerate(findings)
                   if f.rule == waiver.rule and fnmatchcase(f.address, waiver.target) and n not in outcome.covering]
        for n in covered:
            outcome.covering[n] = waiver
        if not covered:
            outcome.problems.append(Problem("policy.waiver-unused", i, ("target",),
                                            f"no {waiver.rule} finding at {waiver.target!r}: remove the waiver"))
    return outcome
