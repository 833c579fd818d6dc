"""The Provider interface: how oaspec reads and writes one live account.

A new platform is a new module here with a Provider subclass, registered in `providers/__init__.py`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from oa_spec.kinds.state import AccountState
from oa_spec.plan.model import ALL_KINDS, Change


class Provider(ABC):
    """One live account. A provider instance serves one run: it may cache a token or the ids it assigned."""

    #: kinds of resource this provider can write; the plan shows the others as "not writable"
    writable_kinds: ClassVar[frozenset[str]] = ALL_KINDS

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id

    @abstractmethod
    def read(self) -> AccountState:
        """The account as it is now. Raises ProviderError when any part of it cannot be read."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Carry out one change. Raises ProviderError, leaving earlier changes in place."""

    def close(self) -> None:  # noqa: B027 - optional hook: most providers hold nothing to release
        """Release connections; called once when the run ends."""
