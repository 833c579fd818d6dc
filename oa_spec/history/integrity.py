"""Is a revision's record the one that was written? (attack review 68, F4)

A revision records `spec_digest`, the digest of its desired state, and each of its audit entries (the journal's
and the outcome's) records the same digest; the outcome's (and a reconciliation's) also the digest of the live state
after its writes (`live_digest`), which `oaspec serve` answers from and the spec digest does not cover (review 74),
of what oaspec manages after it (`managed_digest`) and of the whole record as written (`record_digest`: who, when,
the commit, what landed; review 78). A record edited since (a menu link pointed elsewhere, in the desired state and
the live states alike, or only in what the gateway serves) then disagrees with itself, or, when the digest was
recomputed too, with the audit trail, whose hash chain `audit verify` checks. Rollback refuses such a revision, and
`audit verify`, `state doctor` and `show` report it. A revision the trail has no entry for cannot be checked, and is
treated as edited: every revision oaspec writes has at least its journal's entry, so it is one the trail lost, or
one written by hand. A newest record whose `managed` list cannot be trusted leaves what oaspec manages unknown:
plan, apply and rollback of its account are refused (ownership_problem).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError
from oa_spec.history.audit import managed_digest
from oa_spec.history.audit_numbers import LATEST, LIVE, MANAGED, RECORD
from oa_spec.history.state import Check
from oa_spec.kinds.state import AccountState, digest

if TYPE_CHECKING:
    from oa_spec.history.revisions import Revision
    from oa_spec.history.state import State

RESTORE = ("restore the record from a backup or from the git history of the state (keep the edited one as "
           "evidence), or write the state you want into the spec and apply it")


def desired_digest(desired: AccountState) -> str:
    """A plan's desired_digest, recorded as its revision's spec_digest and in the revision's audit entries."""
    return digest(desired.to_json())


def disagreement(revision: Revision, audited: Collection[str]) -> str | None:
    """Why `revision`'s record is not the one written (None: it agrees); `audited`, the spec digests its audit
    entries record (empty: the trail has none for it)."""
    own = desired_digest(revision.desired)
    if own != revision.spec_digest:
        return f"its desired state digests to {own}, but it records spec_digest {revision.spec_digest}: it was edited"
    specs = {d for d in audited if not d.startswith((LIVE, *LATEST))}
    if not specs:
        return ("the audit trail has no entry for it, so its record cannot be checked against the spec digest that "
                "was deployed")
    if other := sorted(specs - {revision.spec_digest}):
        return (f"the audit trail records spec_digest {', '.join(other)} for it, but it records "
                f"{revision.spec_digest}: it was edited")
    # the live state after its writes, which `oaspec serve` answers from: the spec digest does not cover it
    lives = {d.removeprefix(LIVE) for d in audited if d.startswith(LIVE)}
    after = None if revision.live_after is None else digest(revision.live_after.to_json())
    if lives and after not in lives:
        return (f"the audit trail records live state digest {', '.join(sorted(lives))} for it after its writes, but "
                f"its record's live state digests to {after or '(none: it was removed)'}: it was edited")
    if (owned := ownership_disagreement(revision.managed, audited)) is not None:
        return owned
    # the rest of the record (who, when, the commit, what landed, the account it was recorded against): attack
    # review 78 F4
    records = {d.removeprefix(RECORD) for d in audited if d.startswith(RECORD)}
    if records and (own := digest(revision.to_json())) not in records:
        return (f"the audit trail records the digest {', '.join(sorted(records))} of its record as its run wrote it, "
                f"but it digests to {own}: it was edited (who, when, the commit, what landed or its account)")
    return None


def ownership_problem(managed: Mapping[str, Iterable[str]], audited: Mapping[int, Collection[str]],
                      newest: int) -> str | None:
    """Why what the newest revision (`newest`) says oaspec manages (`managed`) cannot be trusted: it disagrees with
    its audit entries, or it has none while the account's other revisions have (a record written by hand: every
    revision oaspec writes has its journal's entry, written with it)."""
    if not audited.get(newest) and any(audited.values()):
        return ("the audit trail has no entry for it, though every revision oaspec writes has one, so what it says "
                "oaspec manages cannot be checked")
    return ownership_disagreement(managed, audited.get(newest, ()))


def ownership_disagreement(managed: Mapping[str, Iterable[str]], audited: Collection[str]) -> str | None:
    """Why what a revision says oaspec manages after it (`managed`) is not what its run recorded (None: it agrees, or
    the trail records no digest of it: a run in progress, or one recorded before oaspec wrote them). The list decides
    what a plan deletes as oaspec's own and what it takes over without `adopt:` (attack review 78 F2)."""
    recorded = {d.removeprefix(MANAGED) for d in audited if d.startswith(MANAGED)}
    own = managed_digest(managed)
    if recorded and own not in recorded:
        return (f"the audit trail records the digest {', '.join(sorted(recorded))} of what oaspec manages after it "
                f"(its `managed` list), but its record's digests to {own}: it was edited")
    return None


def edited_revisions(state: State) -> list[str]:
    """Every readable revision whose record disagrees with itself or the audit trail, named with why (one that
    cannot be read is named by `history` and `state doctor`)."""
    found = []
    for account in state.accounts():
        store = state.history(account)
        audited = store.audited_digests()
        for number in store.numbers():
            try:
                revision = store.get(number)
            except OaspecError:
                continue
            if (why := disagreement(revision, audited.get(number, ()))) is not None:
                found.append(f"{store.where(number)}: {why}")
    return found


def revisions_check(state: State) -> Check:
    """`state doctor`'s line on the revisions whose record disagrees with its spec digest."""
    edited = edited_revisions(state)
    return Check("revisions", not edited, "; ".join(edited) + f"; rollback refuses them; {RESTORE}" if edited else
                 "every revision digests to the spec digest its audit entries record")


def audit_check(state: State) -> Check:
    """`state doctor`'s line on the audit trail's hash chain, as `oaspec audit verify` reads it."""
    check = state.audit.verify()
    return Check("audit", check.problem is None,
                 check.problem or f"{check.entries} entries, hash chain intact; last entry hash {check.head}")
