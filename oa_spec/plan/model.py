"""Diff desired against live state into a Plan: the contract that apply carries out.

A Change names one resource by address (`citybank/tags/高净值客户`) with its state before and after.
Changes come out in a safe apply order (see _ORDER): tags before the conditional menus that match
them, the default menu before conditional menus, and removals that free a platform slot first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import TypeAdapter

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.state import (
    AccountState,
    ConditionalMenu,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)

Action = Literal["create", "update", "replace", "delete"]
Kind = Literal["tag", "industry", "template", "menu", "conditional_menu", "reply", "keyword_reply"]
Resource = Menu | ConditionalMenu | Tag | Template | Industry | Reply | KeywordRule

FORMAT_VERSION = 1

_KIND_TYPES: dict[str, type] = {
    "tag": Tag, "industry": Industry, "template": Template, "menu": Menu,
    "conditional_menu": ConditionalMenu, "reply": Reply, "keyword_reply": KeywordRule,
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(t) for k, t in _KIND_TYPES.items()}
ALL_KINDS = frozenset(_KIND_TYPES)

# Apply order: (kind, action) -> rank; lower runs first. Removals that free a platform slot (100 tags,
# 25 templates) run before additions, so an account at a limit can still converge; a conditional menu
# is deleted before the tag it matches, and created after it; the default menu comes before conditional
# menus, and menu/delete (which also wipes conditional menus) runs last.
_ORDER: dict[tuple[str, str], int] = {
    ("conditional_menu", "delete"): 0,
    ("tag", "delete"): 1,
    ("tag", "create"): 2, ("tag", "update"): 2,
    ("industry", "create"): 3, ("industry", "update"): 3,
    ("template", "delete"): 4, ("template", "create"): 5,
    ("menu", "create"): 6, ("menu", "update"): 6,
    ("conditional_menu", "replace"): 7, ("conditional_menu", "create"): 7,
    ("reply", "create"): 8, ("reply", "update"): 8, ("reply", "delete"): 8,
    ("keyword_reply", "create"): 8, ("keyword_reply", "update"): 8, ("keyword_reply", "delete"): 8,
    ("menu", "delete"): 9,
}


@dataclass(frozen=True)
class Change:
    action: Action
    kind: Kind
    key: str  # the resource's name within its kind ("" for singletons such as the menu)
    address: str
    before: Resource | None = None
    after: Resource | None = None
    reason: str = ""  # why, when it is not obvious (a rename, a duplicate, a replace)
    writable: bool = True  # False: the provider has no write API for it; shown, never applied

    def to_json(self) -> dict[str, Any]:
        adapter = _ADAPTERS[self.kind]

        def dump(resource: Resource | None) -> Any:
            return None if resource is None else adapter.dump_python(resource, mode="json", exclude_defaults=True)

        return {
            "address": self.address, "action": self.action, "kind": self.kind, "key": self.key,
            "before": dump(self.before), "after": dump(self.after),
            "reason": self.reason, "writable": self.writable,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Change:
        adapter = _ADAPTERS[data["kind"]]
        return Change(
            action=data["action"], kind=data["kind"], key=data["key"], address=data["address"],
            before=None if data["before"] is None else adapter.validate_python(data["before"]),
            after=None if data["after"] is None else adapter.validate_python(data["after"]),
            reason=data.get("reason", ""), writable=data.get("writable", True),
        )


@dataclass
class AccountPlan:
    account: str
    provider: str
    changes: list[Change]
    desired: AccountState
    live_fingerprint: str  # apply refuses when the live account no longer digests to this
    desired_digest: str  # ... or when the spec now compiles to something else
    notes: list[str] = field(default_factory=list)  # things a reviewer should know that are not changes
    guard: list[str] = field(default_factory=list)  # why apply needs --allow-destroy (empty: it does not)
    findings: list[dict[str, Any]] = field(default_factory=list)  # policy findings (JSON), shown by address
    # Today's policies on what the live account shows followers now (console edits included): shown in the
    # plan, never blocking, since apply of unrelated changes cannot fix them.
    live_findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def actionable(self) -> list[Change]:
        return [c for c in self.changes if c.writable]

    @property
    def unwritable(self) -> list[Change]:
        """Differences the provider has no API for: the account does not match the spec, and apply cannot fix it."""
        return [c for c in self.changes if not c.writable]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account, "provider": self.provider,
            "changes": [c.to_json() for c in self.changes],
            "desired": self.desired.to_json(),
            "live_fingerprint": self.live_fingerprint, "desired_digest": self.desired_digest,
            "notes": self.notes, "guard": self.guard, "findings": self.findings, "live_findings": self.live_findings,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> AccountPlan:
        return AccountPlan(
            account=data["account"], provider=data["provider"],
            changes=[Change.from_json(c) for c in data["changes"]],
            desired=AccountState.from_json(data["desired"]),
            live_fingerprint=data["live_fingerprint"], desired_digest=data["desired_digest"],
            notes=list(data.get("notes", [])), guard=list(data.get("guard", [])),
            findings=list(data.get("findings", [])), live_findings=list(data.get("live_findings", [])),
        )


@dataclass
class Plan:
    accounts: list[AccountPlan]
    spec_path: str = ""
    source: str = "spec"  # "spec", or "rollback:<account>:<revision>"
    created_at: str = ""
    allow_destroy: bool = False  # made with --allow-destroy: applying it needs no further flag
    findings: list[dict[str, Any]] = field(default_factory=list)  # bank-wide policy findings (waivers, packs)

    @property
    def has_changes(self) -> bool:
        """Changes apply would write."""
        return any(a.actionable for a in self.accounts)

    @property
    def has_differences(self) -> bool:
        """The live accounts differ from the spec, writable or not (plan --detailed-exitcode exits 2)."""
        return any(a.changes for a in self.accounts)

    @property
    def blocking_findings(self) -> list[dict[str, Any]]:
        """Policy errors no waiver covers: apply refuses while there are any."""
        return [f for f in (*self.findings, *(x for a in self.accounts for x in a.findings)) if f["blocking"]]

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION, "created_at": self.created_at, "spec_path": self.spec_path,
            "source": self.source, "has_changes": self.has_changes, "has_differences": self.has_differences,
            "allow_destroy": self.allow_destroy,
            "findings": self.findings,
            "accounts": [a.to_json() for a in self.accounts],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Plan:
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise ValueError(f"plan format_version {version!r} is not supported (expected {FORMAT_VERSION})")
        return Plan(
            accounts=[AccountPlan.from_json(a) for a in data["accounts"]],
            spec_path=data.get("spec_path", ""), source=data.get("source", "spec"),
            created_at=data.get("created_at", ""), allow_destroy=bool(data.get("allow_destroy", False)),
            findings=list(data.get("findings", [])),
        )


def diff(account: str, desired: AccountState, live: AccountState,
         writable: frozenset[str] = ALL_KINDS) -> list[Change]:
    """Every change that turns `live` into `desired`, in apply order."""
    renames = _tag_renames(desired, live)
    changes = [
        *_diff_tags(account, desired, live),
        *_diff_singleton(account, "industry", desired.industry, live.industry, deletable=False),
        *_diff_templates(account, desired, live),
        *_diff_singleton(account, "menu", desired.menu, live.menu),
        *_diff_conditional_menus(account, desired, live, renames),
        *_diff_singleton(account, "reply", desired.subscribe_reply, live.subscribe_reply, key="subscribe"),
        *_diff_singleton(account, "reply", desired.default_reply, live.default_reply, key="default"),
        *_diff_named(account, "keyword_reply",
                     {k.name: k for k in desired.keyword_replies}, {k.name: k for k in live.keyword_replies}),
    ]
    changes = [c if c.kind in writable else replace(c, writable=False) for c in changes]
    return sorted(changes, key=lambda c: _ORDER[(c.kind, c.action)])  # stable: keeps spec order within a rank


def _diff_singleton(account: str, kind: Kind, want: Resource | None, have: Resource | None,
                    key: str = "", deletable: bool = True) -> list[Change]:
    address = build(account, kind, key)
    if want == have or (want is None and not deletable):
        return []
    if have is None:
        return [Change("create", kind, key, address, None, want)]
    if want is None:
        return [Change("delete", kind, key, address, have, None)]
    return [Change("update", kind, key, address, have, want)]


def _diff_named(account: str, kind: Kind, want: dict[str, Any], have: dict[str, Any]) -> list[Change]:
    changes = []
    for name, item in want.items():
        if name not in have:
            changes.append(Change("create", kind, name, build(account, kind, name), None, item))
        elif have[name] != item:
            changes.append(Change("update", kind, name, build(account, kind, name), have[name], item))
    changes += [Change("delete", kind, name, build(account, kind, name), item, None)
                for name, item in have.items() if name not in want]
    return changes


def template_key(template: Template) -> str:
    """A template's name in addresses: the spec's id when it has one, else its title (made in the console)."""
    return template.name or template.title


def _managed_live_tags(live: AccountState) -> dict[str, Tag]:
    return {t.name: t for t in live.tags if t.id not in limits.RESERVED_TAG_IDS}


def _tag_renames(desired: AccountState, live: AccountState) -> dict[str, str]:
    """old name -> new name for every rename the plan will carry out."""
    have = _managed_live_tags(live)
    return {t.renamed_from: t.name for t in desired.tags
            if t.renamed_from and t.name not in have and t.renamed_from in have}


def _diff_tags(account: str, desired: AccountState, live: AccountState) -> list[Change]:
    have = _managed_live_tags(live)
    renames = _tag_renames(desired, live)
    changes = []
    for tag in desired.tags:
        address = build(account, "tag", tag.name)
        if tag.name in have:
            continue
        old_name = next((old for old, new in renames.items() if new == tag.name), None)
        if old_name is not None:
            old = have[old_name]
            changes.append(Change("update", "tag", tag.name, address, old, replace(tag, id=old.id, count=old.count),
                                  reason=f"renamed from {old_name}; keeps its {old.count} followers"))
        else:
            changes.append(Change("create", "tag", tag.name, address, None, tag))
    wanted = {t.name for t in desired.tags} | set(renames)
    for name, tag in have.items():
        if name not in wanted:
            # The platform also drops a deleted tag from the rules of conditional menus that still match it.
            # (Followers losing the tag are shown by the destroy guard, guards.felt.)
            reasons = [f"also removed from the rule of conditional menu {m.name}"
                       for m in live.conditional_menus if m.match.tag == name]
            changes.append(Change("delete", "tag", name, build(account, "tag", name), tag, None,
                                  reason="; ".join(reasons)))
    return changes


def _diff_templates(account: str, desired: AccountState, live: AccountState) -> list[Change]:
    """Templates are paired by title: the platform cannot edit one, only add or delete."""
    have = {t.title: t for t in live.templates}
    want_titles = {t.title for t in desired.templates}
    changes = [Change("create", "template", t.name, build(account, "template", t.name), None, t)
               for t in desired.templates if t.title not in have]
    changes += [Change("delete", "template", template_key(t), build(account, "template", template_key(t)), t, None)
                for t in live.templates if t.title not in want_titles]
    return changes


def _diff_conditional_menus(account: str, desired: AccountState, live: AccountState,
                            renames: dict[str, str]) -> list[Change]:
    """Pair by match rule, since the platform has no names; a changed menu is replaced (no edit API)."""

    def live_rule(menu: ConditionalMenu) -> MatchRule:
        # A tag renamed in this plan keeps its id, so a live menu on it still matches the new name.
        tag = menu.match.tag
        return replace(menu.match, tag=renames.get(tag, tag)) if tag else menu.match

    unpaired = list(live.conditional_menus)
    changes = []
    for want in desired.conditional_menus:
        address = build(account, "conditional_menu", want.name)
        same_rule = [m for m in unpaired if live_rule(m) == want.match]
        if not same_rule:
            changes.append(Change("create", "conditional_menu", want.name, address, None, want))
            continue
        have = next((m for m in same_rule if m.buttons == want.buttons), same_rule[0])
        unpaired.remove(have)
        if have.buttons != want.buttons:
            changes.append(Change("replace", "conditional_menu", want.name, address, have, want,
                                  reason="conditional menus cannot be edited: the new one is added, then the old "
                                         "one deleted"))
    for have in unpaired:
        duplicate = any(live_rule(have) == w.match for w in desired.conditional_menus)
        reason = (f"stale duplicate (menuid {have.menuid}) of a menu with the same rule" if duplicate
                  else "")
        changes.append(Change("delete", "conditional_menu", have.name,
                              build(account, "conditional_menu", have.name), have, None, reason=reason))
    return changes
