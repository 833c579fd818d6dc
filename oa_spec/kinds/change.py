"""One change to one resource: the element of a plan and of a revision's record.

Kinds make them (each kind's `diff`), providers carry them out, renderers show them. Serialisation
goes through the kind registry (`registry.dump_change`), which knows each kind's state type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oa_spec.kinds.state import (
    Article,
    ConditionalMenu,
    EventReply,
    FaqEntry,
    GatewaySettings,
    Industry,
    KeywordRule,
    Menu,
    Reply,
    Tag,
    Template,
    WebhookRoute,
)

Action = Literal["create", "update", "replace", "delete"]
Resource = (Menu | ConditionalMenu | Tag | Template | Industry | Reply | KeywordRule | FaqEntry | EventReply | Article
            | GatewaySettings | WebhookRoute)


@dataclass(frozen=True)
class Change:
    action: Action
    kind: str  # a name in the kind registry
    key: str  # the resource's name within its kind ("" for singletons such as the menu)
    address: str
    before: Resource | None = None
    after: Resource | None = None
    reason: str = ""  # why, when it is not obvious (a rename, a duplicate, a replace)
    writable: bool = True  # False: the provider has no write API for it; shown, never applied

    @property
    def resource(self) -> Resource:
        """The resource as it will be (or, for a delete, as it was)."""
        resource = self.after if self.after is not None else self.before
        if resource is None:
            raise ValueError(f"{self.address}: a change with neither a before nor an after state")
        return resource
