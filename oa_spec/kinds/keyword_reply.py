"""Keyword replies (关键词回复): rules paired by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, Flow, ImportContext, Kind, before_after, diff_named, joined, nameable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, KeywordRule


class KeywordReplyKind(Kind):
    name = "keyword_reply"
    label = "keyword reply"
    state_type = KeywordRule
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}
    collection = "keyword_replies"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_named(account, self.name, {k.name: k for k in desired.keyword_replies},
                          {k.name: k for k in live.keyword_replies})

    def details(self, change: Change) -> list[str]:
        before, after = change.before, change.after
        old = before if isinstance(before, KeywordRule) else None
        new = after if isinstance(after, KeywordRule) else None
        lines = []
        for label, shown in (("match", lambda r: r.match), ("keywords", lambda r: joined(r.keywords)),
                             ("reply", lambda r: r.reply.text), ("module", lambda r: r.reply.module)):
            old_value = None if old is None else shown(old)
            new_value = None if new is None else shown(new)
            if old_value != new_value:
                lines += before_after(label, old_value, new_value)
        return lines

    def identities(self, state: AccountState) -> set[str]:
        return {r.name for r in state.keyword_replies}

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        rules = [r for r in live.keyword_replies
                 if nameable(build(context.account, self.name, r.name), r.name, context)]
        if not rules:
            return {}
        context.adopt["keyword_replies"] = [r.name for r in rules]
        return {"replies": {"keywords": [{"name": r.name, "match": r.match, "keywords": list(r.keywords),
                                          "reply": Flow(text=r.reply.text)} for r in rules]}}


KEYWORD_REPLY = KeywordReplyKind()
