"""The plan: per account, the changes apply will carry out and what they were derived from.

A Change names one resource by address (`citybank/tags/高净值客户`) with its state before and after;
plan/diff.py puts them in apply order. The JSON form (`oaspec plan --out`) is what a reviewer approves
and `oaspec apply PLAN` re-derives before writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import PlainSerializer, PlainValidator, TypeAdapter

from oa_spec.config.model_safety import WaiverSpec
from oa_spec.kinds.change import Change
from oa_spec.kinds.registry import dump_change, load_change
from oa_spec.kinds.state import AccountState

FORMAT_VERSION = 1
# How a plan says its state holds no revision of an account (Workspace.recorded): kept in every summary.
NO_REVISION_NOTE = "no revision of "
# How a plan says its account now writes to another live account than its history was recorded against.
SWITCHED_NOTE = "now writes to "
# How a plan says a rule pack in force at the last applied revision is no longer enabled (plan/packs.py).
PACKS_OFF_NOTE = "policies.packs no longer enables "


def _dump_waiver(waiver: WaiverSpec | None) -> dict[str, Any] | None:
    return None if waiver is None else waiver.model_dump(mode="json", exclude_none=True)


@dataclass(frozen=True)
class PlanFinding:
    """A policy finding as a plan carries it: shown beside the change it concerns (by address), and
    blocking apply unless a waiver covers it. Made from the policy engine's Finding (`of`)."""

    rule: str
    severity: Literal["error", "warning"]
    message: str
    basis: str
    address: str
    position: str  # file:line:col in the spec, or "live" for what the live account shows
    path: str
    detail: str = ""
    fix: str = ""
    blocking: bool = False
    waiver: Annotated[WaiverSpec | None, PlainSerializer(_dump_waiver)] = None

    @staticmethod
    def of(finding: Any, blocking: bool | None = None) -> PlanFinding:
        """From a policy Finding; `blocking=False` for what is shown but must not hold apply up."""
        made = PlanFinding(finding.rule, finding.severity, finding.message, finding.basis, finding.address,
                           str(finding.position), finding.path, finding.detail, finding.fix, finding.blocking,
                           finding.waiver)
        return made if blocking is None else replace(made, blocking=blocking)

    def text(self) -> str:
        """The message with what was found, one line."""
        return f"{self.message}：{self.detail}" if self.detail else self.message


ChangeField = Annotated[Change, PlainSerializer(dump_change),
                        PlainValidator(lambda v: v if isinstance(v, Change) else load_change(v))]
StateField = Annotated[AccountState, PlainSerializer(lambda state: state.to_json()),
                       PlainValidator(lambda v: v if isinstance(v, AccountState) else AccountState.from_json(v))]



@dataclass
class AccountPlan:
    account: str
    provider: str
    changes: list[ChangeField]
    desired: StateField
    live_fingerprint: str  # apply refuses when the live account no longer digests to this
    desired_digest: str  # ... or when the spec now compiles to something else
    # ... or when the spec now writes to another live account (`local`, or `wechat <app_id> at <api_base>`): two
    # accounts in the same state digest alike, and a plan reviewed for staging must not reach production
    live_account: str = ""
    notes: list[str] = field(default_factory=list)  # things a reviewer should know that are not changes
    guard: list[str] = field(default_factory=list)  # why apply needs --allow-destroy (empty: it does not)
    findings: list[PlanFinding] = field(default_factory=list)  # policy findings, shown by address
    # Today's policies on what the live account shows followers now (console edits included): shown in the
    # plan, never blocking, since apply of unrelated changes cannot fix them.
    live_findings: list[PlanFinding] = field(default_factory=list)

    @property
    def actionable(self) -> list[Change]:
        return [c for c in self.changes if c.writable]

    @property
    def unwritable(self) -> list[Change]:
        """Differences the provider has no API for: the account does not match the spec, and apply cannot fix it."""
        return [c for c in self.changes if not c.writable]

    def to_json(self) -> dict[str, Any]:
        return _ACCOUNT_PLAN.dump_python(self, mode="json")  # type: ignore[no-any-return]

    @staticmethod
    def from_json(data: dict[str, Any]) -> AccountPlan:
        return _ACCOUNT_PLAN.validate_python(data)


@dataclass
class Plan:
    accounts: list[AccountPlan]
    spec_path: str = ""
    source: str = "spec"  # "spec", or "rollback:<account>:<revision>"
    created_at: str = ""
    # where its history, audit trail and locks are (State.describe()): a plan file is applied against it only
    state: str = ""
    allow_destroy: bool = False  # made with --allow-destroy: applying it needs no further flag
    findings: list[PlanFinding] = field(default_factory=list)  # bank-wide policy findings (waivers, packs)

    @property
    def has_changes(self) -> bool:
        """Changes apply would write."""
        return any(a.actionable for a in self.accounts)

    @property
    def has_differences(self) -> bool:
        """The live accounts differ from the spec, writable or not (plan --detailed-exitcode exits 2)."""
        return any(a.changes for a in self.accounts)

    @property
    def blocking_findings(self) -> list[PlanFinding]:
        """Policy errors no waiver covers: apply refuses while there are any."""
        return [f for f in (*self.findings, *(x for a in self.accounts for x in a.findings)) if f.blocking]

    def to_json(self) -> dict[str, Any]:
        """The plan file (`oaspec plan --out`): format_version 1, keys in the documented order."""
        dumped = _PLAN.dump_python(self, mode="json")
        return {"format_version": FORMAT_VERSION,
                **{k: dumped[k] for k in ("created_at", "spec_path", "source", "state")},
                "has_changes": self.has_changes, "has_differences": self.has_differences,
                **{k: dumped[k] for k in ("allow_destroy", "findings", "accounts")}}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Plan:
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise ValueError(f"plan format_version {version!r} is not supported (expected {FORMAT_VERSION})")
        computed = {"format_version", "has_changes", "has_differences"}  # derived again, never trusted
        return _PLAN.validate_python({k: v for k, v in data.items() if k not in computed})


# One serialisation path: the models above, with a Change through the kind registry and a state through
# AccountState's own (defaults left out).
_ACCOUNT_PLAN = TypeAdapter(AccountPlan)
_PLAN = TypeAdapter(Plan)
