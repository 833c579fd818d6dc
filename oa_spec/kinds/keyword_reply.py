"""Keyword replies (关键词回复): rules paired by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import (
    DiffContext,
    ImportContext,
    Kind,
    before_after,
    console_only,
    diff_named,
    distinct,
    held,
    holdable,
    joined,
    long_reply,
    nameable,
    over_bytes,
    reply_spec,
)
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.field_limits import keyword_bytes
from oa_spec.kinds.state import AccountState, KeywordRule
from oa_spec.util.display import excerpt, keyword_problem


class KeywordReplyKind(Kind):
    name = "keyword_reply"
    label = "keyword reply"
    state_type = KeywordRule
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}
    collection = "keyword_replies"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_named(account, self.name, {k.name: k for k in desired.keyword_replies},
                          first_of_each_name(live.keyword_replies))

    def details(self, change: Change) -> list[str]:
        old = _shown(change.before if isinstance(change.before, KeywordRule) else None)
        new = _shown(change.after if isinstance(change.after, KeywordRule) else None)
        lines = []
        for label in [*old, *(k for k in new if k not in old)]:
            if old.get(label) != new.get(label):
                lines += before_after(label, old.get(label), new.get(label))
        return lines

    def live_count(self, state: AccountState) -> int:
        return len(state.keyword_replies)

    def identities(self, state: AccountState) -> set[str]:
        return {r.name for r in state.keyword_replies}

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        def where(rule: KeywordRule) -> str:
            return build(context.account, self.name, rule.name)

        rules = distinct([r for r in _firsts_noting_the_rest(live.keyword_replies, where, context)
                          if nameable(where(r), r.name, context)
                          and held(where(r), console_only(r.replies) or long_reply(r.replies) or _mixed(r), context)
                          and holdable(where(r), _spec(r), context, names=r.keywords)
                          and _typable(where(r), r, context)], _name, where, context)
        if not rules:
            return {}
        context.adopt["keyword_replies"] = [r.name for r in rules]
        return {"replies": {"keywords": [_spec(r) for r in rules]}}


def first_of_each_name(rules: tuple[KeywordRule, ...]) -> dict[str, KeywordRule]:
    """The live rules by name; of a name the console holds twice, the first, which import declares (the later ones
    it leaves out), so that the plan of an imported spec pairs the rule import wrote (attack review 70 F4)."""
    named: dict[str, KeywordRule] = {}
    for rule in rules:
        named.setdefault(rule.name, rule)
    return named


def rule_keys(rules: Sequence[KeywordRule]) -> list[str]:
    """Each keyword rule's key in its address: its name, and for the second and later rule of a name the console
    allows twice, the name and its count (理财/2; a spec's name holds no /), so that a finding names the rule it was
    made on, its excerpt is that rule's text, and a waiver of 理财 covers the first only (attack review 70 F4)."""
    taken = {rule.name for rule in rules}  # a console rule may itself be named 理财/2 (review 71 F3)
    seen: dict[str, int] = {}
    keys = []
    for rule in rules:
        if rule.name not in seen:
            seen[rule.name] = 1
            keys.append(rule.name)
            continue
        count = seen[rule.name] + 1
        while f"{rule.name}/{count}" in taken:  # the next count no rule is named by
            count += 1
        seen[rule.name] = count
        taken.add(f"{rule.name}/{count}")
        keys.append(f"{rule.name}/{count}")
    return keys


def _firsts_noting_the_rest(rules: tuple[KeywordRule, ...], where: Callable[[KeywordRule], str],
                            context: ImportContext) -> list[KeywordRule]:
    """The first rule of each name, before any is judged: when the first cannot be held, declaring a later one
    would pair it with the first in the plan (first_of_each_name) and change that rule. A later one is left out
    with a note naming it by its place among the rules of its name, as scan does (理财/2)."""
    seen: dict[str, int] = {}
    kept = []
    for rule, key in zip(rules, rule_keys(rules), strict=True):
        seen[rule.name] = seen.get(rule.name, 0) + 1
        if seen[rule.name] == 1:
            kept.append(rule)
            continue
        context.notes.append(f"{where(rule)}: rule {seen[rule.name]} named {rule.name!r} ({rule.match} "
                             f"{joined(rule.keywords)}) is left out: a spec names one rule per name, and the first "
                             f"is the one it means; oaspec leaves this one alone (scan names it {key})")
    return kept


def repeated_names(account: str, live: AccountState) -> list[str]:
    """A plan's note per name the console gives several live rules: a spec names one of them, so a reviewer must
    know which one the plan means and that the others are left alone."""
    counts: dict[str, int] = {}
    for rule in live.keyword_replies:
        counts[rule.name] = counts.get(rule.name, 0) + 1
    return [f"{build(account, 'keyword_reply', name)}: the live account holds {n} keyword rules named {name!r} (the "
            "console allows it) and a spec names one: the plan pairs the spec's with the first and leaves the others "
            f"alone (scan names them {name}/2 and on); give each a name of its own in the console to manage it"
            for name, n in counts.items() if n > 1]


def _typable(where: str, rule: KeywordRule, context: ImportContext) -> bool:
    """Whether the spec takes the rule's keywords (display.keyword_problem, and validate's byte limit); a rule it
    refuses is left out."""
    regex = rule.match == "regex"
    limit = keyword_bytes(rule.match)
    problems = (f"the keyword {excerpt(k)} {p}" for k in rule.keywords if (p := keyword_problem(k, pattern=regex)))
    too_long = (p for k in rule.keywords if (p := over_bytes(f"the keyword {excerpt(k)}", k, limit)))
    none = None if rule.keywords else "it has no keywords (a spec rule needs at least one)"  # attack review 70 F5
    return held(where, none or next(problems, None) or next(too_long, None), context)


def _mixed(rule: KeywordRule) -> str | None:
    """Why a spec cannot declare a console rule whose keywords mix match modes: a spec rule has one, and
    declared with either, the rule would match other messages."""
    if not rule.match_modes:
        return None
    return f"its keywords mix match modes ({_modes(rule)}), and a spec rule has one"


def _modes(rule: KeywordRule) -> str:
    return ", ".join(f"{excerpt(k)} {m}" for k, m in zip(rule.keywords, rule.match_modes, strict=False))


def _name(rule: KeywordRule) -> str:
    return rule.name


def _shown(rule: KeywordRule | None) -> dict[str, str | None]:
    """What a reviewer reads, by label; the first reply keeps the plain labels a one-reply rule has always had."""
    if rule is None:
        return {}
    match = joined(f"{k} {m}" for k, m in zip(rule.keywords, rule.match_modes, strict=False)) or rule.match
    shown: dict[str, str | None] = {"match": match, "keywords": joined(rule.keywords)}
    if rule.more_replies or rule.reply_mode != "reply_all":
        shown["reply mode"] = rule.reply_mode
    for n, reply in enumerate(rule.replies, start=1):
        suffix = "" if n == 1 else f" {n}"
        shown[f"reply{suffix}"] = reply.describe()
        shown[f"module{suffix}"] = reply.module
    shown["after rule"] = rule.follows or None  # served accounts: the first matching rule answers
    return shown


def _spec(rule: KeywordRule) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": rule.name, "match": rule.match, "keywords": list(rule.keywords)}
    if rule.more_replies:
        spec["replies"] = [reply_spec(r) for r in rule.replies]
    else:
        spec["reply"] = reply_spec(rule.reply)
    if rule.reply_mode != "reply_all":
        spec["reply_mode"] = rule.reply_mode
    return spec


KEYWORD_REPLY = KeywordReplyKind()
