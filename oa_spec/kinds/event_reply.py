"""Replies to menu click keys and to parametric QR scenes (扫码关注 with `qrscene_`, and SCAN), paired by key.

Only `oaspec serve` answers them (the platform sends these events to the bank's server), so only an
account with a `gateway:` block has them, and only its served-reply writer records them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import (
    DiffContext,
    Flow,
    ImportContext,
    Kind,
    changed_lines,
    diff_named,
    held,
    holdable,
    reply_spec,
)
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, EventReply
from oa_spec.util.display import excerpt, value_problem


class EventReplyKind(Kind):
    state_type = EventReply
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}

    def __init__(self, name: str, label: str, field: str, spec_list: str, spec_key: str) -> None:
        self.name, self.label, self.field = name, label, field  # type: ignore[misc]
        self.spec_list, self.spec_key = spec_list, spec_key  # replies.clicks[].key, replies.scenes[].scene

    def replies(self, state: AccountState) -> tuple[EventReply, ...]:
        found: tuple[EventReply, ...] = getattr(state, self.field)
        return found

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_named(account, self.name, {r.key: r for r in self.replies(desired)},
                          {r.key: r for r in self.replies(live)})

    def live_count(self, state: AccountState) -> int:
        return len(self.replies(state))

    def identity(self, change: Change) -> str:
        # Ownership files this under "singletons"; the prefix keeps a key such as `menu` from naming the menu.
        return f"{self.name}:{change.key}"

    def details(self, change: Change) -> list[str]:
        return changed_lines(change, (("text", lambda r: r.reply.text), ("module", lambda r: r.reply.module)))


    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        entries = {r.key: Flow({self.spec_key: r.key, "reply": reply_spec(r.reply)}) for r in self.replies(live)}
        found = [e for key, e in entries.items() if _exact(build(context.account, self.name, key), key, context)
                 and holdable(build(context.account, self.name, key), e, context)]
        return {"replies": {self.spec_list: found}} if found else {}


def _exact(where: str, key: str, context: ImportContext) -> bool:
    """Whether the spec takes a click key or scene as written (display.value_problem); else it is left out."""
    problem = value_problem(key)
    return held(where, None if problem is None else f"{excerpt(key)} {problem}", context)


CLICK_REPLY = EventReplyKind("click_reply", "click reply", "click_replies", "clicks", "key")
SCENE_REPLY = EventReplyKind("scene_reply", "scene welcome", "scene_replies", "scenes", "scene")
