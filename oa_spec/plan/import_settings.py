"""The given spec's deployment settings in an imported spec (attack review 71 F1).

Without them an apply of the imported spec went ahead inside the bank's freeze window with no `--override-freeze`,
and, with `state:` gone, wrote its revision to a new files state instead of the bank's shared database. So every
setting that governs how the account is deployed is carried exactly as the given spec declares it: the bank-level
`state:` and `freeze:`, and the account's `freeze:`, `guards:`, `capabilities:`, `prune:` and `rollout:`. Nothing
secret is written: `state:` names an environment variable, never the address.
"""

from __future__ import annotations

from typing import Any

from oa_spec.config.model import AccountSpec, Spec

BANK_SETTINGS = ("state", "freeze")
ACCOUNT_SETTINGS = ("freeze", "guards", "capabilities", "prune", "rollout")


def carry_settings(account: AccountSpec, spec: Spec | None, written: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The imported spec's bank-level settings, and what was copied (for the header; "" for nothing); sets the
    account's own in `written`. Only what the given spec declares: a default left unset stays unset."""
    if spec is None:
        return {}, ""
    bank = _declared(spec, BANK_SETTINGS)
    own = _declared(account, ACCOUNT_SETTINGS)
    written.update(own)
    copied = [*(f"the bank's {key}" for key in bank), *(f"{account.id}'s {key}" for key in own)]
    return bank, ", ".join(copied)


def _declared(model: Spec | AccountSpec, keys: tuple[str, ...]) -> dict[str, Any]:
    """The fields of `keys` the spec sets, as declared, in the order of `keys`; python mode, so that a freeze date
    stays a YAML date."""
    dumped = model.model_dump(include=set(keys), exclude_unset=True, by_alias=True)
    return {key: dumped[key] for key in keys if key in dumped}
