"""What a rule is: an id, a severity, a one-line message, a legal or platform basis, and a check.

Rule ids are a contract (findings, waivers, docs and tests use them): dotted kebab-case such as
`wealth.risk-disclaimer`. A check sees one account's view (`subjects.AccountView`) and yields hits;
the engine turns hits into findings with positions, severities and waivers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from oa_spec.config.locate import Loc

if TYPE_CHECKING:
    from oa_spec.policy.subjects import AccountView

Severity = Literal["error", "warning"]
RULE_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


@dataclass(frozen=True)
class Hit:
    """A place where a rule fires: the plan address, the spec location, and what was found there."""

    address: str
    loc: Loc
    detail: str = ""


Check = Callable[["AccountView"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    message: str  # one line, in Chinese, shown with every finding
    basis: str  # the law and article, or the platform rule
    summary: str  # what it checks, in English, for `policy explain` and the README
    pack: str
    check: Check | None = None  # None: the engine reports it itself (waivers, policy configuration)
    status: str = ""  # CONFIRMED / PARTIAL / UNCONFIRMED / policy, as compliance.md marks the basis
    fixed: bool = False  # platform facts and the engine's own checks: no severity override
    # Personal data, guarantees, loan pricing, disclaimers: a waiver names its target exactly and runs
    # no longer than policies.settings.waiver_max_days.
    regulated: bool = False
    fix: str = ""  # one line: what to change (policy/data/fixes.yaml for the built-in rules)

    def __post_init__(self) -> None:
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not dotted kebab-case")


@dataclass(frozen=True)
class Pack:
    name: str
    description: str
    rules: tuple[Rule, ...]
    always_on: bool = False  # the core pack runs whatever policies.packs says
