"""Which live objects oaspec may touch: what the spec declares and what oaspec managed before.

A bank's account is shared: the CRM creates tags, staff add templates in the console. A live object
of a kind oaspec never managed is left alone and shown as unmanaged, unless the spec opts in with
`prune:` (per kind); declaring an object that exists but was made elsewhere is a takeover, allowed
only through `adopt:` so that nobody inherits (and later deletes) the CRM's segmentation by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from oa_spec import limits
from oa_spec.config.model import AccountSpec
from oa_spec.errors import OaspecError
from oa_spec.kinds.addresses import REPLY_KEYS, build
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import rule_key
from oa_spec.kinds.registry import KINDS, kind_of
from oa_spec.kinds.state import AccountState, ConditionalMenu, Template
from oa_spec.kinds.tag import tag_renames
from oa_spec.kinds.template import claimed, owned_ids, template_key

# collection -> identities. Collections by name (tags, keyword rules), title (templates) or rule (conditional
# menus); the singletons (menu, industry, subscribe and default replies) under "singletons".
Managed = dict[str, set[str]]
T = TypeVar("T")
SINGLETONS = "singletons"
_COLLECTION_KINDS = {k.collection: k for k in KINDS.values() if k.collection}
COLLECTIONS = tuple(_COLLECTION_KINDS)  # the kinds prune: and adopt: name


class TakeoverError(OaspecError):
    pass


def singleton_address(account: str, name: str) -> str:
    """The address of a singleton identity (menu, industry, subscribe, default)."""
    return build(account, "reply", name) if name in REPLY_KEYS else build(account, name)


def identities(state: AccountState) -> Managed:
    out: Managed = {SINGLETONS: set()}
    for kind in KINDS.values():
        out.setdefault(kind.collection or SINGLETONS, set()).update(kind.identities(state))
    return out


def change_identity(change: Change) -> tuple[str, str]:
    """(collection, identity) of the object a change touches."""
    kind = kind_of(change)
    return kind.collection or SINGLETONS, kind.identity(change)


def _renamed_key(key: str, renames: Mapping[str, str]) -> str:
    """A conditional menu's rule key once the plan's tag renames (tag_renames: old -> new) are carried out."""
    for old, new in renames.items():
        key = _retagged(key, old, new)
    return key


def _retagged(key: str, old: str, new: str) -> str:
    """A conditional menu's rule key (MatchRule.describe(), whose tag comes first) after its tag was renamed; a
    name may hold ", " itself, so the key is not split."""
    head = f"tag={old}"
    return f"tag={new}{key[len(head):]}" if key == head or key.startswith(f"{head}, ") else key


def after_apply(before: Managed, applied: list[Change], desired: AccountState, complete: bool) -> Managed:
    """The managed set after an apply: what landed, and (once everything landed) all that is declared."""
    managed = {kind: set(items) for kind, items in before.items()}
    for change in applied:
        kind, identity = change_identity(change)
        bucket = managed.setdefault(kind, set())
        if change.action == "delete":
            bucket.discard(identity)
        else:
            bucket.add(identity)
            if change.kind == "tag" and change.before is not None:  # a rename: the old name is gone
                bucket.discard(change.before.name)  # type: ignore[union-attr]
                # ... and the platform's menus on that tag now match the new name (they match by tag id)
                managed["conditional_menus"] = {_retagged(key, change.before.name, identity)  # type: ignore[union-attr]
                                                for key in managed.get("conditional_menus", set())}
    if complete:
        for kind, items in identities(desired).items():
            managed.setdefault(kind, set()).update(items)
    return managed


@dataclass
class Scope:
    live: AccountState  # the live state restricted to what oaspec may change
    unmanaged: list[str] = field(default_factory=list)  # notes: objects left alone
    # The live conditional menus left alone: a menu the plan creates or replaces becomes newer than each of them.
    unmanaged_menus: tuple[ConditionalMenu, ...] = ()


def scope(account: AccountSpec, desired: AccountState, live: AccountState, managed: Managed) -> Scope:
    """Restrict `live` to what oaspec may change. Raises TakeoverError for undeclared takeovers."""
    adopted = _adopted(account, desired)
    ours = owned_ids(managed)  # the templates oaspec added, by template_id, whatever their title
    managed = {**managed, "templates": managed.get("templates", set()) | {
        t.title for t in live.templates if t.template_id in ours}}
    _check_takeovers(account.id, desired, live, managed, adopted)
    in_scope = {kind: managed.get(kind, set()) | identities(desired)[kind] | adopted.get(kind, set())
                for kind in (*COLLECTIONS, SINGLETONS)}
    prune = account.prune
    pruned = {kind: prune if isinstance(prune, bool) else getattr(prune, kind) for kind in COLLECTIONS}

    def reach(kind: str, identity: str) -> bool:
        return pruned[kind] or identity in in_scope[kind]

    # A rename source is in scope only while the rename is still to happen: once it has, a new live tag
    # with the old name (made by the CRM, say) is somebody else's.
    renamed_from = {t.renamed_from for t in desired.tags if t.renamed_from and live.tag(t.name) is None}
    tags, other_tags = _partition(live.tags, lambda t: t.id in limits.RESERVED_TAG_IDS
                                  or t.name in renamed_from or reach("tags", t.name))
    templates, other_templates = _partition(claimed(live.templates, managed),
                                            lambda t: t.template_id in ours or reach("templates", t.title))
    renames = tag_renames(desired, live)  # a menu adopted under its tag's new name is in scope too
    menus, other_menus = _partition(live.conditional_menus, lambda m: any(
        reach("conditional_menus", key) for key in (rule_key(m), _renamed_key(rule_key(m), renames))))
    rules, other_rules = _partition(live.keyword_replies, lambda r: reach("keyword_replies", r.name))

    out = Scope(replace(live, tags=tags, templates=templates, conditional_menus=menus, keyword_replies=rules),
                unmanaged_menus=tuple(other_menus))
    left_alone = [*(f"{build(account.id, 'tag', t.name)} ({t.count} followers)" for t in other_tags),
                  *(build(account.id, "template", template_key(t)) for t in other_templates),
                  *(f"{build(account.id, 'conditional_menu', m.name)} (menuid {m.menuid}, {m.match.describe()})"
                    for m in other_menus),
                  *(build(account.id, "keyword_reply", r.name) for r in other_rules)]
    out.unmanaged = [f"unmanaged, left alone: {what}" for what in left_alone]
    _note_duplicates(other_menus, out)
    out.unmanaged += _shared_titles(account.id, templates)
    out.live = _without_unmanaged_singletons(account.id, out.live, in_scope[SINGLETONS], out)
    return out


def _shared_titles(account: str, templates: tuple[Template, ...]) -> list[str]:
    """Templates are paired and owned by title (the platform's list has no library id): a second live template
    with a managed title, added in the console, is taken for oaspec's, and deleted with it. Say so."""
    ids: dict[str, list[str]] = {}
    for template in templates:
        ids.setdefault(template.title, []).append(template.template_id or "?")
    return [f"{build(account, 'template', title)}: {len(found)} live templates share the title {title} "
            f"(template_id {', '.join(found)}); oaspec pairs templates by title, so it changes and deletes them "
            "together: delete the extra one in the console, or give it another title"
            for title, found in ids.items() if len(found) > 1]


def _partition(items: tuple[T, ...], keep: Callable[[T], bool]) -> tuple[tuple[T, ...], list[T]]:
    """(the items to keep, the others), each in their original order."""
    kept = tuple(item for item in items if keep(item))
    return kept, [item for item in items if not keep(item)]


def _note_duplicates(left_alone: list[ConditionalMenu], out: Scope) -> None:
    """Stale copies of one rule pile up on real accounts: say how to clean them up."""
    by_rule: dict[str, list[ConditionalMenu]] = {}
    for menu in left_alone:
        by_rule.setdefault(rule_key(menu), []).append(menu)
    for rule, menus in by_rule.items():
        if len(menus) > 1:
            ids = ", ".join(str(m.menuid) for m in menus)
            out.unmanaged.append(f"{len(menus)} conditional menus share the rule {rule} (menuids {ids}): the "
                                 "platform shows only the newest; to clean up, declare the rule (with adopt:) to "
                                 "keep one, or set prune: {conditional_menus: true} to delete them")


def _without_unmanaged_singletons(account: str, live: AccountState, in_scope: set[str], out: Scope) -> AccountState:
    """A menu or reply the spec does not declare and oaspec never set is left as it is."""
    present = identities(live)[SINGLETONS]
    for name in sorted(present - in_scope):
        out.unmanaged.append(f"unmanaged, left alone: {singleton_address(account, name)} (not in the spec, never "
                             "set by oaspec)")
    gone = present - in_scope
    return replace(
        live,
        menu=None if "menu" in gone else live.menu,
        industry=None if "industry" in gone else live.industry,
        subscribe_reply=None if "subscribe" in gone else live.subscribe_reply,
        default_reply=None if "default" in gone else live.default_reply,
    )


def _adopted(account: AccountSpec, desired: AccountState) -> Managed:
    rules_by_name = {m.name: rule_key(m) for m in desired.conditional_menus}
    return {
        "tags": set(account.adopt.tags),
        "templates": set(account.adopt.templates),
        "conditional_menus": {rules_by_name.get(n, n) for n in account.adopt.conditional_menus},
        "keyword_replies": set(account.adopt.keyword_replies),
    }


def _check_takeovers(account_id: str, desired: AccountState, live: AccountState, managed: Managed,
                     adopted: Managed) -> None:
    declared = identities(desired)
    existing = identities(live)
    # A tag renamed by this plan keeps its id, so the live menus on it match the new name: compare them so (a
    # console menu on the renamed tag is a takeover), and the ones oaspec made too.
    renames = tag_renames(desired, live)
    existing["conditional_menus"] = {_renamed_key(key, renames) for key in existing["conditional_menus"]}
    managed = {**managed, "conditional_menus": {_renamed_key(key, renames)
                                                for key in managed.get("conditional_menus", set())}}
    # Identities are titles (templates) and rules (conditional menus); addresses use the spec's names.
    spec_names = {"templates": {t.title: template_key(t) for t in desired.templates},
                  "conditional_menus": {rule_key(m): m.name for m in desired.conditional_menus}}
    problems = []
    for kind in COLLECTIONS:
        for identity in sorted(declared[kind] & existing[kind]):
            if identity not in managed.get(kind, set()) and identity not in adopted[kind]:
                name = spec_names.get(kind, {}).get(identity, identity)
                problems.append(build(account_id, _COLLECTION_KINDS[kind].name, name))
    if problems:
        raise TakeoverError(
            "these objects already exist on the live account but were not made by oaspec: "
            + ", ".join(problems) + ". To manage them as they are (same id, same followers), list them under "
            "adopt: in the account (e.g. adopt: {tags: [name]}); otherwise choose other names")
