"""The provider of an account whose messages `oaspec serve` answers (it has a `gateway:` block).

The platform has no API to write auto-replies, and with 服务器配置 on it does not use its console
auto-replies anyway: the gateway answers from the latest applied revision. So for such an account the
served kinds (subscribe, default, keyword, click and scene replies, FAQ entries, and the gateway settings and
module webhooks that decide where followers' messages go) are writable: their writer records the change, and the
live state of those kinds is what the gateway serves, the account as the last revision left it
(`gateway.applied.served_trusted`, read from the run's state: nothing while that record is edited), plus what this
run recorded since. Everything else goes to the wrapped provider unchanged. History, verification and
rollback need nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import TypeVar

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, EventReply, FaqEntry, GatewaySettings, KeywordRule, Reply, WebhookRoute
from oa_spec.providers.base import Provider, Writer

SERVED_KINDS = frozenset({"reply", "keyword_reply", "faq", "click_reply", "scene_reply", "gateway", "webhook"})
T = TypeVar("T")


class ServedProvider(Provider):
    def __init__(self, inner: Provider, applied: Callable[[], AccountState]) -> None:
        super().__init__(inner.account_id)
        self.inner, self._read_applied = inner, applied  # the served kinds as the newest revision left them
        self.added_templates = inner.added_templates  # the inner provider adds them; the revision records them
        self._recorded: AccountState | None = None  # the served kinds, once this run recorded a change

    def read(self) -> AccountState:
        live = self.inner.read()
        served = self._recorded if self._recorded is not None else self._applied()
        return replace(live, subscribe_reply=served.subscribe_reply, default_reply=served.default_reply,
                       keyword_replies=served.keyword_replies, faq=served.faq, click_replies=served.click_replies,
                       scene_replies=served.scene_replies, gateway=served.gateway, webhooks=served.webhooks)

    def _applied(self) -> AccountState:
        return self._read_applied()

    def writers(self) -> Mapping[str, Writer]:
        inner = {kind: writer for kind, writer in self.inner.writers().items() if kind not in SERVED_KINDS}
        return {**inner, **{kind: partial(self._record, kind) for kind in SERVED_KINDS}}

    def _record(self, kind: str, change: Change) -> None:
        """Served kinds land in this run's state; the revision the run records makes them the gateway's."""
        state = self._recorded if self._recorded is not None else self._applied()
        if kind == "reply":
            reply = change.after if isinstance(change.after, Reply) else None
            state = (replace(state, subscribe_reply=reply) if change.key == "subscribe"
                     else replace(state, default_reply=reply))
        elif kind == "keyword_reply":
            rules = _upsert(state.keyword_replies, change, KeywordRule, lambda r: r.name)
            state = replace(state, keyword_replies=in_listed_order(rules))
        elif kind == "faq":
            state = replace(state, faq=_upsert(state.faq, change, FaqEntry, lambda f: f.id))
        elif kind == "gateway":
            state = replace(state, gateway=change.after if isinstance(change.after, GatewaySettings) else None)
        elif kind == "webhook":
            state = replace(state, webhooks=_upsert(state.webhooks, change, WebhookRoute, lambda w: w.module))
        elif kind == "click_reply":
            state = replace(state, click_replies=_upsert(state.click_replies, change, EventReply, lambda r: r.key))
        else:
            state = replace(state, scene_replies=_upsert(state.scene_replies, change, EventReply, lambda r: r.key))
        self._recorded = state

    def lands_with_revision(self, change: Change) -> bool:
        return change.kind in SERVED_KINDS  # the gateway serves what the newest recorded revision holds

    def guard_sends(self, guard: Callable[[], None] | None) -> None:
        self.inner.guard_sends(guard)

    def close(self) -> None:
        self.inner.close()


def _upsert(items: tuple[T, ...], change: Change, kind: type[T], key: Callable[[T], str]) -> tuple[T, ...]:
    """Replace the item named by the change in place, add it at the end, or drop it (delete)."""
    kept = [item for item in items if key(item) != change.key]
    if isinstance(change.after, kind):
        position = next((i for i, item in enumerate(items) if key(item) == change.key), len(kept))
        kept.insert(position, change.after)
    return tuple(kept)


def in_listed_order(rules: tuple[KeywordRule, ...]) -> tuple[KeywordRule, ...]:
    """The rules in the spec's order, followed link by link from the first (`follows` ""); a rule whose link
    leads nowhere (a run stopped part-way) keeps its place after them, so the order is always total."""
    by_previous = {rule.follows: rule for rule in reversed(rules)}  # the first listed wins a tie
    ordered: list[KeywordRule] = []
    seen: set[str] = set()
    rule = by_previous.get("")
    while rule is not None and rule.name not in seen:
        ordered.append(rule)
        seen.add(rule.name)
        rule = by_previous.get(rule.name)
    return (*ordered, *(rule for rule in rules if rule.name not in seen))
