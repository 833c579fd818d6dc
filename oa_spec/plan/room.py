"""What the platform has room for while a plan is applied: a plan holds no change the platform must refuse.

The platform's caps count every live object, the ones oaspec leaves alone too: 100 tags (45056), 25 templates
(45026), 20 conditional menus (65305) and 3 link domains across them (65316). An apply passes through states the
spec never shows: deletes run before adds (kinds/registry.py), and a conditional-menu replace adds the new copy
before it deletes the old one, so both copies are live for a moment. `delete_first` turns each replace with no room
for that into a delete and an add (plan/diff.py); `check_room` refuses a plan the platform would still stop
part-way, naming the live objects that take the room, and a tag delete it refuses (45057).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from oa_spec import limits
from oa_spec.errors import OaspecError
from oa_spec.kinds.addresses import build
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import delete_first as split
from oa_spec.kinds.conditional_menu import link_domains
from oa_spec.kinds.registry import rank
from oa_spec.kinds.state import AccountState, ConditionalMenu, Tag, Template
from oa_spec.kinds.template import template_key

LISTED = 10  # the unmanaged objects an error names one by one; the rest are counted
_Line = Callable[[str, "Tag | Template"], str]  # how an error names a live object it counts


class NoRoomError(OaspecError):
    """The platform would refuse part of the plan, given the live account."""


@dataclass(frozen=True)
class _Step:
    """An add of a conditional menu in an apply: `index` in the plan's changes, and the menus live while it runs
    (for a replace added first, the old copy and the new one both)."""

    index: int
    during: tuple[ConditionalMenu, ...]


def delete_first(changes: list[Change], live_menus: Sequence[ConditionalMenu]) -> list[Change]:
    """The changes (in apply order), each conditional-menu replace that has no room to add its new copy beside the
    old one done delete-first instead. `live_menus`: every live conditional menu, unmanaged ones too."""
    while (step := _crowded(changes, live_menus)) is not None:
        relief = _relief(changes, step)
        if relief is None:
            return changes  # no replace makes room: check_room refuses the plan
        room = ("no slot for a new copy beside the old one" if len(step.during) > limits.MAX_CONDITIONAL_MENUS
                else "no room for the new copy's link domains beside the old one's")
        when = "" if relief == step.index else f" when {changes[step.index].key} is added"
        gone, made = split(changes[relief], f"{room}: with both copies live{when}, {_problem(step.during)}")
        changes = sorted([*changes[:relief], gone, made, *changes[relief + 1:]], key=rank)
    return changes


def check_room(account: str, changes: list[Change], live: AccountState, scoped: AccountState) -> None:
    """Raise NoRoomError when the platform would refuse a change of the plan part-way through an apply: a cap the
    live account's objects (`live`, all of them; `scoped`: those oaspec may change) and the plan's reach together,
    or the delete of a tag with too many followers."""
    writable = [c for c in changes if c.writable]
    problems = [*_too_followed(writable),
                *_over(account, writable, "tag", _user_tags(live.tags), _user_tags(scoped.tags), limits.MAX_TAGS,
                       45056, _tag_line, "tags"),
                *_over(account, writable, "template", live.templates, scoped.templates, limits.MAX_TEMPLATES,
                       45026, _template_line, "templates"),
                *_menus(account, writable, live.conditional_menus, scoped.conditional_menus)]
    if problems:
        raise NoRoomError(f"{account}: the platform would refuse this plan part-way: " + "; ".join(problems))


def _too_followed(changes: list[Change]) -> list[str]:
    refused = limits.ERROR_CODES[45057]
    return [f"{c.address}: {refused.message} (45057), and it has {c.before.count}: {refused.hint}, or keep it in "
            "the spec until then" for c in changes if c.kind == "tag" and c.action == "delete"
            and isinstance(c.before, Tag) and c.before.count > limits.MAX_DELETABLE_TAG_FOLLOWERS]


def _over(account: str, changes: list[Change], kind: str, live: Sequence[Tag] | Sequence[Template],
          scoped: Sequence[Tag] | Sequence[Template], cap: int, code: int, line: _Line, collection: str) -> list[str]:
    """A collection's cap: its deletes run before its adds, so the most it holds is what is left at the end, and one
    more while a replace (a template's new library_id) adds its new copy before it deletes the old."""
    ours = [c for c in changes if c.kind == kind]
    final = len(live) - sum(c.action == "delete" for c in ours) + sum(c.action == "create" for c in ours)
    replacing = any(c.action == "replace" for c in ours)
    if final + replacing <= cap:
        return []
    kept = {id(item) for item in scoped}
    others = [line(account, item) for item in live if id(item) not in kept]
    during = " while a replace adds its new copy before it deletes the old" if final <= cap else ""
    what = (f"the account would hold {final + replacing if during else final} {collection}{during} and the "
            f"platform keeps at most {cap} ({code})")
    if not others:
        return [f"{what}: declare fewer {collection}"]
    return [f"{what}, counting {len(others)} live {collection} oaspec leaves alone: {_listed(others)}. "
            f"{_make_room(collection)}; or declare fewer {collection}"]


def _menus(account: str, changes: list[Change], live: Sequence[ConditionalMenu],
           scoped: Sequence[ConditionalMenu]) -> list[str]:
    step = _crowded(changes, live)
    if step is None:
        return []
    kept = {id(menu) for menu in scoped} | {id(c.after) for c in changes}  # managed, or the plan's own
    linking = _problem(step.during).endswith("(65316)")
    others = [m for m in step.during if id(m) not in kept and (not linking or link_domains((m,)))]
    what = f"{changes[step.index].address}: while it is added, {_problem(step.during)}"
    if not others:
        return [f"{what}: declare fewer conditional menus, or link fewer domains from them"]
    listed = [f"{build(account, 'conditional_menu', m.name)} (menuid {m.menuid}, {m.match.describe()}"
              + (f", links {', '.join(sorted(link_domains((m,))))})" if linking else ")") for m in others]
    return [f"{what}, counting live conditional menus oaspec leaves alone: {_listed(listed)}. "
            f"{_make_room('conditional_menus')}"]


def _crowded(changes: list[Change], live: Sequence[ConditionalMenu]) -> _Step | None:
    """The first add of a conditional menu the platform has no room for, in apply order."""
    return next((step for step in _steps(changes, live) if _problem(step.during)), None)


def _steps(changes: list[Change], live: Sequence[ConditionalMenu]) -> list[_Step]:
    ours = [(i, c) for i, c in enumerate(changes) if c.writable and c.kind == "conditional_menu"]
    gone = [c.before for _, c in ours if c.action == "delete" and isinstance(c.before, ConditionalMenu)]
    current = tuple(m for m in live if not any(_same(m, g) for g in gone))
    steps = []
    for i, change in ours:
        if change.action in ("create", "replace") and isinstance(change.after, ConditionalMenu):
            during = (*current, change.after)
            steps.append(_Step(i, during))
            old = change.before
            current = during if not isinstance(old, ConditionalMenu) else tuple(m for m in during
                                                                                 if not _same(m, old))
    return steps


def _relief(changes: list[Change], step: _Step) -> int | None:
    """The replace to do delete-first so that `step` has room: the step itself, else a later one whose old copy
    is live during it and takes the room (a slot, or a domain no other menu links)."""
    later = [i for i, c in enumerate(changes) if i >= step.index and c.writable and c.kind == "conditional_menu"
             and c.action == "replace" and isinstance(c.before, ConditionalMenu)]
    for i in later:
        old = changes[i].before
        assert isinstance(old, ConditionalMenu)
        without = tuple(m for m in step.during if not _same(m, old))
        if len(without) < len(step.during) and (len(step.during) > limits.MAX_CONDITIONAL_MENUS
                                                or len(link_domains(without)) < len(link_domains(step.during))):
            return i
    return None


def _problem(during: Sequence[ConditionalMenu]) -> str:
    """What the platform refuses in these menus live at once; "" when it takes them."""
    if len(during) > limits.MAX_CONDITIONAL_MENUS:
        return (f"the account would hold {len(during)} conditional menus and the platform keeps at most "
                f"{limits.MAX_CONDITIONAL_MENUS} (65305)")
    linked = link_domains(during)
    if len(linked) > limits.MAX_CONDITIONAL_LINK_DOMAINS:
        return (f"the live conditional menus would link {len(linked)} domains ({', '.join(sorted(linked))}) and the "
                f"platform allows at most {limits.MAX_CONDITIONAL_LINK_DOMAINS} (65316)")
    return ""


def _same(a: ConditionalMenu, b: ConditionalMenu) -> bool:
    return a is b or (bool(a.menuid) and a.menuid == b.menuid)


def _user_tags(tags: Sequence[Tag]) -> list[Tag]:
    """The tags the cap counts: not the platform's reserved ones (星标组)."""
    return [t for t in tags if t.id not in limits.RESERVED_TAG_IDS]


def _tag_line(account: str, item: Tag | Template) -> str:
    assert isinstance(item, Tag)
    return f"{build(account, 'tag', item.name)} ({item.count} followers)"


def _template_line(account: str, item: Tag | Template) -> str:
    assert isinstance(item, Template)
    return f"{build(account, 'template', template_key(item))} (template_id {item.template_id})"


def _make_room(collection: str) -> str:
    """What to do about the live objects oaspec leaves alone that take the room."""
    return (f"To make room, prune them (prune: {{{collection}: true}}) or adopt them (adopt: {{{collection}: "
            "[...]}), and the plan deletes those the spec does not declare; or delete them in the console")


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED} more"


