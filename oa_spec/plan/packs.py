"""The rule packs in force at an account's last applied revision, and the plan's note when one is off now.

Dropping `cn-bank` from `policies.packs` switches every regulated rule off in one line, which a `severity:` may
never do for one of them; the diff of the account shows nothing of it. So every apply records the packs the
spec enables (`extra.policy_packs` of the revision, written by apply's gates), and a plan names each pack in
force then and off now, in every view, kept in a pull-request comment however long (attack review 69, F5).
A revision recorded before this has no such record: nothing is said about it.
"""

from __future__ import annotations

from typing import Protocol

from oa_spec.config.model import Spec
from oa_spec.errors import OaspecError
from oa_spec.history.revisions import Revision
from oa_spec.plan.model import PACKS_OFF_NOTE
from oa_spec.policy.engine import REQUIRED_PACKS_VARIABLE, enabled_packs
from oa_spec.policy.packs import BUILTIN_PACKS

RECORD_KEY = "policy_packs"
LOOK_BACK = 20  # failed runs read past to find the last applied revision; more than this is history, not a run


class Revisions(Protocol):
    """What is read of an account's history (AccountHistory has it, on either state)."""

    def get(self, number: int) -> Revision: ...


def packs_record(spec: Spec) -> dict[str, str]:
    """What a revision records of the packs in force: their names, comma-separated ("" for none but core)."""
    return {RECORD_KEY: ",".join(enabled_packs(spec))}


def packs_in_force(history: Revisions, numbers: list[int]) -> tuple[int, set[str]] | None:
    """(number, packs) of the newest applied revision, when it records its packs; None otherwise."""
    for number in reversed(numbers[-LOOK_BACK:]):
        try:
            revision = history.get(number)
        except OaspecError:  # an unreadable record is reported where it is read for what oaspec manages
            return None
        if revision.status != "applied":
            continue
        recorded = revision.extra.get(RECORD_KEY)
        return (number, {name for name in recorded.split(",") if name}) if isinstance(recorded, str) else None
    return None


def packs_off_notes(spec: Spec, account_id: str, history: Revisions, numbers: list[int]) -> list[str]:
    """One note per pack in force at the last applied revision and not enabled by the spec now."""
    found = packs_in_force(history, numbers)
    if found is None:
        return []
    number, before = found
    notes = []
    for name in sorted(before - set(enabled_packs(spec))):
        rules = BUILTIN_PACKS[name].rules if name in BUILTIN_PACKS else ()
        regulated = sum(rule.regulated for rule in rules)
        notes.append(f"{PACKS_OFF_NOTE}{name}, in force at revision {number} of {account_id}: its {len(rules)} "
                     f"rules ({regulated} of them regulated) are not checked any more. If that is not intended, put "
                     f"{name} back in policies.packs; a bank can require it outside the spec with "
                     f"{REQUIRED_PACKS_VARIABLE}={name}")
    return notes
