"""The Provider interface: how oaspec reads and writes one live account.

A new platform is a new module here with a Provider subclass, registered in `providers/__init__.py`.
It reads the account into normalized state (kinds/state.py) and keeps one writer per kind it can
write (kind names from kinds/registry.py); the plan shows changes of the other kinds as not writable.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping

from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import KINDS
from oa_spec.kinds.state import AccountState, Template

Writer = Callable[[Change], None]


class Provider(ABC):
    """One live account. A provider instance serves one run: it may cache a token or the ids it assigned."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        # The templates this run added, with the template_id the platform gave each: the revision records them,
        # and they are oaspec's by that id (kinds/template.py)
        self.added_templates: list[Template] = []

    @abstractmethod
    def read(self) -> AccountState:
        """The account as it is now. Raises ProviderError when any part of it cannot be read."""

    @abstractmethod
    def writers(self) -> Mapping[str, Writer]:
        """Kind name -> the function that carries out one change of that kind."""

    @property
    def writable_kinds(self) -> frozenset[str]:
        return frozenset(self.writers())

    def apply(self, change: Change) -> None:
        """Carry out one change. Raises ProviderError, leaving earlier changes in place."""
        writer = self.writers().get(change.kind)
        if writer is None:
            raise ProviderError(self.cannot_write(change))
        writer(change)

    def guard_sends(self, guard: Callable[[], None] | None) -> None:  # noqa: B027 - optional hook
        """Call `guard` right before each request to the platform (None: stop); it raises to stop the send.
        The apply sets it so that a run paused after its lock check cannot send once it wakes."""

    def settle_writes(self) -> None:  # noqa: B027 - optional hook: most providers keep no record of their own
        """After a run was killed mid-apply, under the account's lock and before the account is read for
        reconciliation: record the writes the run made before it could record them in the provider's own
        records (the WeChat provider's content record, which says which draft is which article)."""

    def lands_with_revision(self, change: Change) -> bool:
        """Whether `change` takes effect only once the run's revision is recorded (the replies `oaspec serve`
        answers from the newest revision), rather than when its write returns (everything sent to the platform)."""
        return False

    def cannot_write(self, change: Change) -> str:
        label = KINDS[change.kind].label if change.kind in KINDS else change.kind
        return f"{change.address}: this provider cannot write a {label}"

    def close(self) -> None:  # noqa: B027 - optional hook: most providers hold nothing to release
        """Release connections; called once when the run ends."""
