"""Module webhooks of a served account, paired by module id (`citybank/gateway/webhooks/balance`): where
`oaspec serve` sends a module's messages with the follower's OpenID, how long it waits, the name of the
variable holding the signing secret (never its value), and the click key that reaches it.

Only `oaspec serve` calls them, so only the served provider records them. They are in the revision so
that moving customer data to another host is a change a reviewer sees, that history records and that a
rollback undoes; serve calls only the webhooks an applied revision holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from oa_spec.kinds.base import DiffContext, Kind, changed_lines, diff_named
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, WebhookRoute
from oa_spec.util.urls import url_host


class WebhookKind(Kind):
    name = "webhook"
    label = "webhook"
    state_type = WebhookRoute
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}
    always_shown = True

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        changes = diff_named(account, self.name, {w.module: w for w in desired.webhooks},
                             {w.module: w for w in live.webhooks})
        return [_with_destination(change) for change in changes]

    def identity(self, change: Change) -> str:
        # Ownership files this under "singletons"; the prefix keeps a module id such as `menu` from naming the menu.
        return f"webhook:{change.key}"

    def details(self, change: Change) -> list[str]:
        return changed_lines(change, (("url", lambda w: w.url), ("timeout_seconds", lambda w: f"{w.timeout_seconds:g}"),
                                      ("signing secret variable", lambda w: w.secret_env),
                                      ("click key", lambda w: w.click_key)))


def _with_destination(change: Change) -> Change:
    """A webhook that starts sending to a new host says so in the plan: that host receives followers' data."""
    old = url_host(change.before.url) if isinstance(change.before, WebhookRoute) else None
    new = url_host(change.after.url) if isinstance(change.after, WebhookRoute) else None
    if new is None or new == old:
        return change
    was = f" instead of {old}" if old else ""
    return replace(change, reason=f"followers' OpenIDs and messages to module {change.key} will go to {new}{was}")


WEBHOOK = WebhookKind()
