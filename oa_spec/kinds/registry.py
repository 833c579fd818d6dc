"""Every kind oaspec manages, in diff order, and what is derived from the list: the kind names the spec
models accept, the apply order, and the one serialisation path of a Change.

Apply order (each kind's `ranks`; lower runs first): removals that free a platform slot (100 tags,
25 templates) run before additions, so an account at a limit can still converge; a conditional menu is
deleted before the tag it matches and created after it; the default menu comes before conditional
menus, and menu/delete (which also wipes conditional menus) runs last; article drafts come after all of them.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, get_args

from pydantic import TypeAdapter

from oa_spec.kinds.addresses import PATHS
from oa_spec.kinds.article import ARTICLE
from oa_spec.kinds.base import Kind
from oa_spec.kinds.change import Change
from oa_spec.kinds.conditional_menu import CONDITIONAL_MENU
from oa_spec.kinds.event_reply import CLICK_REPLY, SCENE_REPLY
from oa_spec.kinds.faq import FAQ
from oa_spec.kinds.gateway import GATEWAY
from oa_spec.kinds.industry import INDUSTRY
from oa_spec.kinds.keyword_reply import KEYWORD_REPLY
from oa_spec.kinds.menu import MENU
from oa_spec.kinds.reply import REPLY
from oa_spec.kinds.tag import TAG
from oa_spec.kinds.template import TEMPLATE
from oa_spec.kinds.webhook import WEBHOOK

KINDS: dict[str, Kind] = {k.name: k for k in (TAG, INDUSTRY, TEMPLATE, MENU, CONDITIONAL_MENU, REPLY, KEYWORD_REPLY,
                                           FAQ, CLICK_REPLY, SCENE_REPLY, GATEWAY, WEBHOOK, ARTICLE)}
ALL_KINDS = frozenset(KINDS)

# The names as types, for the spec models (pydantic needs a Literal); checked against KINDS below.
KindName = Literal["tag", "industry", "template", "menu", "conditional_menu", "reply", "keyword_reply", "faq",
                   "click_reply", "scene_reply", "gateway", "webhook", "article"]
# Kinds with changes followers can feel (Kind.felt): the keys of guards.max_destroy.
GuardedKind = Literal["tag", "template", "conditional_menu", "menu", "article"]

if set(get_args(KindName)) != ALL_KINDS or not set(get_args(GuardedKind)) <= ALL_KINDS or not set(PATHS) >= ALL_KINDS:
    raise ImportError("kinds/registry.py: KindName, GuardedKind and addresses.PATHS must name the registered kinds")


def kind_of(change: Change) -> Kind:
    return KINDS[change.kind]


def rank(change: Change) -> int:
    """Where the change runs in an apply (see the module docstring)."""
    return kind_of(change).ranks[change.action]


@cache
def _adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(KINDS[kind].state_type)


def dump_change(change: Change) -> dict[str, Any]:
    adapter = _adapter(change.kind)

    def dump(resource: object) -> Any:
        return None if resource is None else adapter.dump_python(resource, mode="json", exclude_defaults=True)

    return {"address": change.address, "action": change.action, "kind": change.kind, "key": change.key,
            "before": dump(change.before), "after": dump(change.after),
            "reason": change.reason, "writable": change.writable}


def load_change(data: dict[str, Any]) -> Change:
    """A change from plan or revision JSON; ValueError/KeyError for one oaspec did not write."""
    kind = data["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    adapter = _adapter(kind)
    action = data["action"]
    if action not in KINDS[kind].ranks:
        raise ValueError(f"a {kind} change cannot {action!r}")
    return Change(
        action=action, kind=kind, key=data["key"], address=data["address"],
        before=None if data["before"] is None else adapter.validate_python(data["before"]),
        after=None if data["after"] is None else adapter.validate_python(data["after"]),
        reason=data.get("reason", ""), writable=data.get("writable", True),
    )
