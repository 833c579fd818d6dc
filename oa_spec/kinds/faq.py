"""FAQ entries of the smart customer service (customer_service modules' `faq:`), paired by id.

Only `oaspec serve` answers them, so only an account with a `gateway:` block has them in its desired
state, and only its served-reply writer (providers/served.py) records them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from oa_spec.kinds.base import DiffContext, Kind, changed_lines, diff_named, joined
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, FaqEntry


class FaqKind(Kind):
    name = "faq"
    label = "FAQ entry"
    state_type = FaqEntry
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_named(account, self.name, {f.id: f for f in desired.faq}, {f.id: f for f in live.faq})

    def live_count(self, state: AccountState) -> int:
        return len(state.faq)

    def identity(self, change: Change) -> str:
        # Ownership files this under "singletons"; the prefix keeps an id such as `menu` from naming the menu.
        return f"faq:{change.key}"

    def details(self, change: Change) -> list[str]:
        return changed_lines(change, (("questions", lambda f: joined(f.questions)), ("answer", lambda f: f.answer),
                                      ("module", lambda f: f.module)))


FAQ = FaqKind()
