"""The two fixed automatic replies (自动回复): on subscribe (被关注回复) and by default (收到消息回复)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.addresses import REPLY_KEYS, build
from oa_spec.kinds.base import (
    DiffContext,
    ImportContext,
    Kind,
    before_after,
    console_only,
    diff_singleton,
    held,
    holdable,
    long_reply,
    reply_spec,
)
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Reply


def fixed_replies(state: AccountState) -> dict[str, Reply | None]:
    """Reply key (subscribe, default) -> the reply, or None where there is none."""
    return {"subscribe": state.subscribe_reply, "default": state.default_reply}


class ReplyKind(Kind):
    name = "reply"
    label = "reply"
    state_type = Reply
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        want, have = fixed_replies(desired), fixed_replies(live)
        return [c for key in REPLY_KEYS for c in diff_singleton(account, self.name, want[key], have[key], key=key)]

    def details(self, change: Change) -> list[str]:
        old_text, new_text = _text(change.before), _text(change.after)
        lines = before_after("text", old_text, new_text) if old_text != new_text else []
        old, new = (r.module if isinstance(r, Reply) else None for r in (change.before, change.after))
        return lines + (before_after("module", old, new) if old != new else [])

    def identities(self, state: AccountState) -> set[str]:
        return {key for key, reply in fixed_replies(state).items() if reply is not None}

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        def where(key: str) -> str:
            return build(context.account, self.name, key)

        replies = {key: reply for key, reply in fixed_replies(live).items() if reply is not None
                   and held(where(key), console_only([reply]) or long_reply([reply]), context)}
        specs = {key: reply_spec(reply) for key, reply in replies.items()}
        specs = {key: spec for key, spec in specs.items() if holdable(where(key), spec, context)}
        return {"replies": specs} if specs else {}


def _text(reply: object) -> str | None:
    return reply.describe() if isinstance(reply, Reply) else None


REPLY = ReplyKind()
