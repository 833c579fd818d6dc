"""What apply is asked to allow (options) and what it reports per account (result)."""

from __future__ import annotations

from dataclasses import dataclass, field

from oa_spec.config.compile import CompiledAccount
from oa_spec.errors import OaspecError
from oa_spec.history.revisions import Revision
from oa_spec.kinds.state import AccountState
from oa_spec.plan.model import AccountPlan
from oa_spec.plan.scope import Managed
from oa_spec.policy import Finding


class StorageError(OaspecError):
    """History or the audit trail could not be written; the message says what did and did not land.
    `recorded`: the run's revision was written all the same (only its audit entry was not)."""

    def __init__(self, message: str, recorded: bool = False) -> None:
        super().__init__(message)
        self.recorded = recorded


@dataclass
class ApplyOptions:
    allow_destroy: bool = False
    override_freeze: bool = False
    reason: str = ""  # why the freeze was overridden: recorded in the revision and the audit trail
    lock_timeout: float = 0.0  # seconds to wait for a locked account before refusing (--lock-timeout)


@dataclass
class ApplyResult:
    account: str
    planned: int
    applied: int = 0
    revision: Revision | None = None  # None when there was nothing to do, or nothing could start
    error: str | None = None
    pending: list[str] = field(default_factory=list)  # addresses that did not land
    partly: dict[str, str] = field(default_factory=dict)  # landed, with what each left behind
    dropped: list[str] = field(default_factory=list)  # answered OK, but not kept by the platform

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Ready:
    """One account checked under its lock: the changes as re-derived now, and what they were derived from."""

    compiled: CompiledAccount
    ap: AccountPlan
    live: AccountState
    managed: Managed
    extra: dict[str, str]
    waived: list[Finding]
