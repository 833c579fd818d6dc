"""The given spec's `policies:` in an imported spec (attack review 70 F3).

An imported spec without them validates clean with the regulated rules off, and `scan` with it finds nothing: the
bank would then manage the account from a spec with cn-bank off. So the bank-level `policies:` and the account's own
are carried exactly as the given spec declares them (packs, settings, severities, custom rules, waivers), so that
validate, scan and plan of the imported spec hold the same rules; only a waiver whose target names nothing in the
imported account is left out, with a note, since validate would refuse it as matching no address.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from oa_spec.config.compile import compile_account
from oa_spec.config.model import AccountSpec, PoliciesSpec
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import ImportContext
from oa_spec.policy.subjects import build_index
from oa_spec.policy.waivers import known_addresses

SUGGESTED = "policies: {packs: [cn-bank]}"


def carry_policies(account: AccountSpec, policies: PoliciesSpec | None, source: str, written: dict[str, Any],
                   context: ImportContext) -> dict[str, Any]:
    """The imported spec's bank-level `policies:` entry ({} for none); sets the account's own in `written`.
    Without a given spec, a note says no policies are set and what to add."""
    if policies is None:
        context.notes.append(f"no policies are set: no spec was given, so only the core rules run on {account.id}; "
                             f"add the bank's packs before planning, e.g. `{SUGGESTED}`")
        return {}
    written.pop("policies", None)  # the article domains content_to_spec wrote: the declared ones follow, exactly
    own = account.policies.model_dump(mode="json", exclude_unset=True)
    if own:
        written["policies"] = own
    bank = policies.model_dump(exclude_unset=True)  # python: a waiver's expiry stays a YAML date
    if bank.get("waivers"):
        known = _addresses(written)
        kept = []
        for n, waiver in enumerate(bank["waivers"]):
            if any(fnmatchcase(address, waiver["target"]) for address in known) or _an_article(waiver, written):
                kept.append(waiver)
            else:
                context.notes.append(f"waiver {n} of {source} ({waiver['rule']} @ {waiver['target']}) is left out: "
                                     f"its target is not in the imported account {account.id}")
        bank["waivers"] = kept
        if not kept:
            del bank["waivers"]
    if not bank and not own:
        context.notes.append(f"no policies are set: {source} declares none, so only the core rules run on "
                             f"{account.id}; add the bank's packs before planning, e.g. `{SUGGESTED}`")
    return {"policies": bank} if bank else {}


def _addresses(written: dict[str, Any]) -> set[str]:
    """Every address a waiver may target in the written account but its articles (globs, not read here)."""
    content = {key: value for key, value in written.get("content", {}).items() if key != "articles"}
    probe = AccountSpec.model_validate({**written, "content": content})
    return known_addresses([build_index(compile_account(probe), 0)])


def _an_article(waiver: dict[str, Any], written: dict[str, Any]) -> bool:
    """A waiver of one of the articles the written account carries (validate checks it, as for the given spec)."""
    prefix = build(written["id"], "article", "x").removesuffix("x")
    return bool(written.get("content", {}).get("articles")) and str(waiver["target"]).startswith(prefix)
