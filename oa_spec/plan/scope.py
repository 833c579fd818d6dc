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
from oa_spec.kinds.state import AccountState, ConditionalMenu, Tag, Template
from oa_spec.kinds.tag import tag_renames
from oa_spec.kinds.template import claimed, owned_ids, template_key
from oa_spec.util.display import fold

# collection -> identities. Collections by name (tags, keyword rules), title (templates) or rule (conditional
# menus); the singletons (menu, industry, subscribe and default replies) under "singletons".
Managed = dict[str, set[str]]
T = TypeVar("T")
SINGLETONS = "singletons"
# Beside the collections: "<id>=<name>" for each managed tag, as the platform showed it after the last apply. A tag
# keeps its id when staff rename it in the console, so oaspec knows its own tag by that id before its name.
TAG_IDS = "tag_ids"
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


def after_apply(before: Managed, applied: list[Change], desired: AccountState, complete: bool,
                live: AccountState | None = None) -> Managed:
    """The managed set after an apply: what landed, and (once everything landed) all that is declared; with the
    managed tags' ids as `live` (the account read back after the writes) shows them, or else as recorded before
    and changed by the tag renames and deletes that landed."""
    managed = _as_live({kind: set(items) for kind, items in before.items()}, applied)
    ids = recorded_tag_ids(before)
    for change in applied:
        kind, identity = change_identity(change)
        bucket = managed.setdefault(kind, set())
        if change.kind == "tag" and isinstance(change.before, Tag) and change.before.id is not None:
            if change.action == "delete":
                ids.pop(change.before.id, None)
            else:
                ids[change.before.id] = identity
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
    if live is not None:
        ids = {t.id: t.name for t in live.tags if t.id is not None}
    tags = managed.get("tags", set())
    managed.pop(TAG_IDS, None)
    if any(name in tags for name in ids.values()):
        managed[TAG_IDS] = {f"{tag_id}={name}" for tag_id, name in ids.items()
                            if name in tags and tag_id not in limits.RESERVED_TAG_IDS}
    return managed


def _as_live(managed: Managed, applied: list[Change]) -> Managed:
    """`managed` under the live names of the tags staff renamed since (known_by_id marks them), for the changes to
    those tags and to the menus on them to find their identities in it."""
    for change in applied:
        tag = change.before
        if change.kind == "tag" and isinstance(tag, Tag) and tag.renamed_from is not None:
            tags = managed.setdefault("tags", set())
            if tag.renamed_from in tags:
                tags.discard(tag.renamed_from)
                tags.add(tag.name)
            managed["conditional_menus"] = {_retagged(key, tag.renamed_from, tag.name)
                                            for key in managed.get("conditional_menus", set())}
    return managed


def recorded_tag_ids(managed: Managed) -> dict[int, str]:
    """Tag id -> the name oaspec last saw it under, for the tags it manages (TAG_IDS)."""
    recorded = {}
    for entry in sorted(managed.get(TAG_IDS, set())):
        tag_id, sep, name = entry.partition("=")
        if sep and tag_id.isascii() and tag_id.isdigit():
            recorded[int(tag_id)] = name
    return recorded


def known_by_id(account: str, desired: AccountState, live: AccountState, managed: Managed) -> AccountState:
    """`live`, each managed tag renamed on the platform since the last apply (the same id, another name) marked
    with the name oaspec knows it by (Tag.renamed_from on a live tag; kinds/tag.py tag_renames renames it back).
    TakeoverError where that cannot be told apart: the spec declares the new name as well, or another tag now has
    the old one."""
    recorded, names, declared = recorded_tag_ids(managed), managed.get("tags", set()), identities(desired)["tags"]
    tags, problems = [], []
    for tag in live.tags:
        was = recorded.get(tag.id) if tag.id is not None else None
        if was is None or was == tag.name or was not in names or tag.name in names:
            tags.append(tag)
            continue
        where = (f"{build(account, 'tag', was)}: the tag oaspec manages as {was} (tag id {tag.id}) was renamed on "
                 f"the platform to {tag.name}")
        taken = live.tag(was)
        if taken is not None:
            problems.append(f"{where}, and another tag (id {taken.id}) now has the name {was}: oaspec will not take "
                            f"that one for its own; rename one of the two in the console")
        elif tag.name in declared:
            problems.append(f"{where}, which the spec declares as well, so oaspec cannot tell which of the two you "
                            f"mean: to keep the platform's name, declare {tag.name} in place of {was} (and move the "
                            f"conditional menus on {was} to it); to name it {was} again, declare {was} alone")
        tags.append(replace(tag, renamed_from=was))
    problems += _replaced(account, recorded, names, live)
    if problems:
        raise TakeoverError("; ".join(problems))
    return replace(live, tags=tuple(tags))


def _replaced(account: str, recorded: dict[int, str], names: set[str], live: AccountState) -> list[str]:
    """A managed tag deleted on the platform and another made under its name: taken for oaspec's by its name, it
    would carry the spec's conditional menus and broadcasts to followers oaspec never tagged (attack review 68)."""
    live_ids = {tag.id for tag in live.tags}
    problems = []
    for tag_id, was in sorted(recorded.items()):
        taken = live.tag(was)
        if tag_id not in live_ids and was in names and taken is not None and taken.id not in recorded:
            problems.append(f"{build(account, 'tag', was)}: the tag oaspec manages as {was} (tag id {tag_id}) was "
                            f"deleted on the platform, and another tag (id {taken.id}) now has its name: oaspec will "
                            f"not take that one for its own (its followers are not the ones oaspec tagged); rename "
                            f"or delete it in the console, and the plan makes {was} again")
    return problems


@dataclass
class Scope:
    live: AccountState  # the live state restricted to what oaspec may change
    unmanaged: list[str] = field(default_factory=list)  # notes: objects left alone
    # The live conditional menus left alone: a menu the plan creates or replaces becomes newer than each of them.
    unmanaged_menus: tuple[ConditionalMenu, ...] = ()


def scope(account: AccountSpec, desired: AccountState, live: AccountState, managed: Managed,
          adopt: bool = True) -> Scope:
    """Restrict `live` to what oaspec may change. Raises TakeoverError for undeclared takeovers. Without `adopt`
    (a rollback: what oaspec manages comes from history only) the spec's `adopt:` list counts for nothing."""
    live = known_by_id(account.id, desired, live, managed)
    adopted = _adopted(account, desired) if adopt else {kind: set() for kind in COLLECTIONS}
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
    tags, other_tags = _partition(live.tags, lambda t: t.id in limits.RESERVED_TAG_IDS or t.renamed_from is not None
                                  or t.name in renamed_from or reach("tags", t.name))
    templates, other_templates = _partition(claimed(live.templates, managed),
                                            lambda t: t.template_id in ours or reach("templates", t.title))
    renames = tag_renames(desired, live)  # a menu adopted under its tag's new name is in scope too
    known = {t.name: t.renamed_from for t in live.tags if t.renamed_from}  # ... and oaspec's on a renamed tag
    menus, other_menus = _partition(live.conditional_menus, lambda m: any(
        reach("conditional_menus", key) for key in (rule_key(m), _renamed_key(rule_key(m), renames),
                                                    _renamed_key(rule_key(m), known))))
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
    # A rename's source is the spec's, and a tag staff renamed (known_by_id) is oaspec's: neither is made elsewhere.
    sources = {"tags": {t.renamed_from for t in desired.tags if t.renamed_from}
               | {t.name for t in live.tags if t.renamed_from}}
    lookalikes = [_lookalike(account_id, kind, spec_names.get(kind, {}).get(i, i), live_one)
                  for kind in COLLECTIONS
                  for i, live_one in _lookalikes(declared[kind] - existing[kind],
                                                 existing[kind] - managed.get(kind, set()) - sources.get(kind, set()))]
    if problems or lookalikes:
        exact = ("these objects already exist on the live account but were not made by oaspec: "
                 + ", ".join(problems) + ". To manage them as they are (same id, same followers), list them under "
                 "adopt: in the account (e.g. adopt: {tags: [name]}); otherwise choose other names")
        raise TakeoverError("; ".join([*([exact] if problems else []), *lookalikes]))


def _lookalikes(new: set[str], others: set[str]) -> list[tuple[str, str]]:
    """(declared identity, live identity) for each declared one not live (`new`) that a live one made elsewhere
    (`others`) looks the same as, compared as the spec's duplicate check compares names (display.fold)."""
    live = {fold(identity): identity for identity in sorted(others)}
    return [(identity, live[fold(identity)]) for identity in sorted(new) if fold(identity) in live]


def _lookalike(account: str, kind: str, name: str, live_one: str) -> str:
    """Why the declared object `name` is refused when a live one made elsewhere looks the same, and what to do."""
    label = _COLLECTION_KINDS[kind].label
    if kind == "conditional_menus":
        live, what, declare, adopt = f"conditional menu matching {live_one}", "its rule", f"match {live_one}", name
    else:
        live, what, declare, adopt = f"{label} {live_one!r}", "it", f"declare it as {live_one!r}", live_one
    return (f"{build(account, _COLLECTION_KINDS[kind].name, name)}: the live {live} was not made by oaspec and "
            f"differs from {what} only by case, width or spacing, so a reviewer could not tell the two apart (the "
            "spec's own duplicate check calls them the same), and oaspec would make a second one beside it: to "
            f"manage the live one as it is, {declare} and list it under adopt: (adopt: {{{kind}: [{adopt!r}]}}); "
            "otherwise choose a name that differs by more than that")
