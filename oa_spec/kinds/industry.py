"""The account's industry (所属行业), which template messages need: set, never deleted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.base import DiffContext, ImportContext, Kind, before_after, diff_singleton
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Industry


def _shown(industry: object) -> str | None:
    return f"{industry.primary} + {industry.secondary}" if isinstance(industry, Industry) else None


class IndustryKind(Kind):
    name = "industry"
    label = "industry"
    state_type = Industry
    # Before templates, which the platform files under it.
    ranks: ClassVar[Mapping[Action, int]] = {"create": 3, "update": 3}

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_singleton(account, self.name, desired.industry, live.industry, deletable=False)

    def details(self, change: Change) -> list[str]:
        return before_after("industry", _shown(change.before), _shown(change.after))

    def identities(self, state: AccountState) -> set[str]:
        return {"industry"} if state.industry is not None else set()

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        if live.industry is None:
            return {}
        return {"industry": {"primary": live.industry.primary, "secondary": live.industry.secondary}}


INDUSTRY = IndustryKind()
