"""The review gate: what must hold before apply writes anything to an account.

A saved plan is re-derived from the spec and the live account under the account's lock and must be
the same in every part (desired state, fingerprints, changes); the policies must pass on what will be
deployed (the spec's findings, or for a rollback the revision's state checked today); the destroy
guard and freeze windows need their flags. A refusal names the account and says what to do."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from oa_spec.apply.freeze import active_windows, describe
from oa_spec.apply.outcome import ApplyOptions, Ready
from oa_spec.content.diff import hidden_styles
from oa_spec.errors import OaspecError
from oa_spec.kinds.registry import dump_change
from oa_spec.kinds.state import AccountState, Tag
from oa_spec.plan.model import AccountPlan, Plan, PlanFinding
from oa_spec.plan.packs import packs_record
from oa_spec.plan.workspace import Workspace, account_plan
from oa_spec.policy import Finding
from oa_spec.policy.deployed import evaluate_state
from oa_spec.util import clock

_MET_ON_THE_SPEC = frozenset({"policy.waiver-unused", "policy.waiver-target"})


class GateError(OaspecError):
    """Apply or rollback refused before any write; `refusal` names the gate, for the audit trail."""

    refusal = "refused"


class StalePlanError(GateError):
    refusal = "stale-plan"


class TamperedPlanError(GateError):
    """The plan file does not follow from the spec and the live account: edited, spliced or truncated."""

    refusal = "tampered-plan"


class RefusedError(GateError):
    """A freeze window, the destroy guard or a policy error."""

    def __init__(self, message: str, refusal: str) -> None:
        super().__init__(message)
        self.refusal = refusal


def plan_shape_problems(ws: Workspace, plan: Plan, ids: list[str],
                         by_id: dict[str, AccountPlan]) -> list[tuple[str, GateError]]:
    """A plan that names an account twice, one the spec lacks, or (a rollback) lacks its account."""
    problems: list[tuple[str, GateError]] = []
    if len(by_id) != len(plan.accounts):
        problems.append(("", TamperedPlanError("the plan lists an account more than once (was the plan file "
                                               "edited?); make a new plan with `oaspec plan --out`")))
    known = {c.id for c in ws.accounts}
    problems += [(a, TamperedPlanError(f"{a}: the plan holds an account that is not in {ws.spec_path} (was the "
                                       "plan made from another spec, or edited?)")) for a in by_id if a not in known]
    problems += [(a, TamperedPlanError(f"{a}: not in {ws.spec_path}")) for a in ids if a not in known]
    if plan.source != "spec":
        problems += [(a, TamperedPlanError(f"{a}: the rollback plan holds nothing for this account"))
                     for a in ids if a not in by_id]
    elif (_said(_rebased_findings(plan.findings, plan.spec_path, here := str(ws.spec_path)))
          != _said(_rebased_findings([PlanFinding.of(f) for f in ws.bank_wide_findings()], here, here))):
        problems.append(("", TamperedPlanError("the plan's bank-wide findings (policies, waivers) are not what the "
                                               "spec gives now (was the plan file edited, or has a waiver expired "
                                               "since?); make a new plan with `oaspec plan --out` and review it")))
    return problems


def as_gate(exc: OaspecError, refusal: str) -> GateError:
    if isinstance(exc, GateError):
        return exc
    return RefusedError(str(exc), refusal)


def rederive(ws: Workspace, account_id: str, target: AccountState, given: AccountPlan | None, options: ApplyOptions,
            extra: dict[str, str], waived: list[Finding], made_from: str | None = None) -> Ready:
    """Under the account's lock: read it, derive the plan again, and hold the given one to it: its changes,
    and (for a plan made from the spec, at `made_from`) all it showed the reviewer besides: notes, guard and
    findings."""
    from_spec = made_from is not None
    compiled = ws.account(account_id)
    provider = ws.provider(compiled.spec)
    managed, recorded = ws.recorded(account_id)
    live = provider.read()
    fresh = account_plan(compiled.spec, target, live, provider.writable_kinds, managed,
                         [*compiled.notes, *recorded] if from_spec else None, ws.slots_used(account_id, target),
                         adopt=from_spec)  # a rollback's ownership is history's alone
    remake = "make a new plan with `oaspec plan --out` and review it"
    if given is None:
        if fresh.changes:
            raise TamperedPlanError(f"{account_id}: the plan holds nothing for this account, but it differs from "
                                    f"the spec at {', '.join(c.address for c in fresh.changes)} (a plan made with "
                                    "--account needs the same --account on apply; or was the plan file edited?); "
                                    f"{remake}")
    elif given.live_account != fresh.live_account:
        raise StalePlanError(f"{account_id}: the plan was made for {given.live_account or 'an unnamed account'}, and "
                             f"the spec now writes to {fresh.live_account}; {remake}")
    elif given.desired.to_json() != target.to_json():
        raise StalePlanError(f"{account_id}: the plan's desired state is not what the spec compiles to now: the "
                             f"spec changed since this plan was made, or the plan file was edited; {remake}")
    elif given.live_fingerprint != live.fingerprint():
        raise StalePlanError(f"{account_id}: the live account changed since this plan was made; run "
                             "`oaspec plan` again and review the new plan")
    else:
        _hold(account_id, _changes, given, fresh, f"{account_id}: the plan's changes do not follow from the spec and "
              f"the live account (was the plan file edited?); {remake}")
        if made_from is not None:
            here = str(ws.spec_path)
            _hold(account_id, _shown, _rebased_plan(given, made_from, here),
                  _rebased_plan(ws.review(compiled, fresh, live), here, here), f"{account_id}: the plan's notes, "
                  "destroy guard or findings are not what the spec and the live account give now (was the plan file "
                  f"edited, or has a waiver expired since?); {remake}")
    extra = {**extra, "live_account": fresh.live_account, **freeze_gate(ws, account_id, options),
             **_destroy_gate(account_id, fresh.guard, options), **packs_record(ws.spec)}
    return Ready(compiled, fresh, live, managed, extra, waived)


Counts = Callable[[int], str]  # what of a follower count a comparison keeps


def _band(count: int) -> str:
    """What a plan decides on a follower count: whether a tag has any (a delete of one with followers trips the
    destroy guard). One over the platform's delete limit (45057) is refused before this, as a plan the platform
    would refuse part-way (plan/room.py)."""
    return "none" if count == 0 else "some"


def _any(count: int) -> str:
    return "#"


def _hold(account_id: str, part: Callable[[AccountPlan, Counts], object], given: AccountPlan, fresh: AccountPlan,
          edited: str) -> None:
    """Refuse the given plan unless `part` of it is what the fresh one shows. Follower counts move all day (a
    CRM tags followers): they are compared only as far as the plan decides on them (_band). A difference that is
    only a count crossing such a line is the live account moving, not an edited file, and is named so."""
    if part(given, _band) == part(fresh, _band):
        return
    if part(given, _any) == part(fresh, _any):
        raise StalePlanError(f"{account_id}: the live account moved since this plan was made: a follower count "
                             "crossed what the plan decides on (a tag it deletes gained its first followers or lost "
                             "its last); run `oaspec plan` again and review the new plan")
    raise TamperedPlanError(edited)


def _changes(ap: AccountPlan, counts: Counts) -> list[dict[str, Any]]:
    """The changes as a plan file holds them; a tag's follower count kept as `counts` gives it where a delete
    decides on it, and left out elsewhere (a rename keeps the followers, however many)."""
    out = []
    for change in ap.changes:
        data = dump_change(change)
        kept = counts if change.action == "delete" else _any
        for side, tag in (("before", change.before), ("after", change.after)):
            if isinstance(tag, Tag):  # a count of 0 is left out of the file: it is a default
                data[side] = {**data[side], "count": kept(tag.count)}
        out.append({**data, "reason": _worded(data["reason"])})
    return out


def _shown(ap: AccountPlan, counts: Counts) -> tuple[object, ...]:
    """What a reviewer reads beside the changes; the follower counts in its words are left out, whatever `counts`
    (the changes hold those the plan decides on, and the guard lists the deletes whose followers it counts)."""
    return (ap.desired_digest, [_worded(n) for n in ap.notes], [_worded(g) for g in ap.guard], _said(ap.findings),
            _said(ap.live_findings))


_FOLLOWERS = re.compile(r"\b\d[\d,]* followers\b")  # "(40 followers)", "keeps its 10 followers"


def _worded(text: str) -> str:
    return _FOLLOWERS.sub("# followers", text)


def _said(findings: list[PlanFinding]) -> list[tuple[object, ...]]:
    """All a finding tells its reader, its file, line and column included."""
    return [(f.rule, f.severity, f.message, f.basis, f.address, f.position, f.path, f.detail, f.fix, f.blocking,
             f.waiver) for f in findings]


def _rebased_findings(findings: list[PlanFinding], made_from: str, applied_to: str) -> list[PlanFinding]:
    """The findings of a plan made from the spec at `made_from`, their files named as the spec at `applied_to`
    names them: a plan made in one checkout is applied in another. Only the spec's directory is replaced, so a
    finding moved to another file of the same name (accounts/b/acct.yaml for accounts/a/acct.yaml) still differs
    (attack review 64: comparing the file's name alone let an edited plan move it)."""
    return [replace(f, position=_rebase(f.position, PurePath(made_from).parent, PurePath(applied_to).parent))
            for f in findings]


def _rebased_plan(ap: AccountPlan, made_from: str, applied_to: str) -> AccountPlan:
    return replace(ap, findings=_rebased_findings(ap.findings, made_from, applied_to),
                   live_findings=_rebased_findings(ap.live_findings, made_from, applied_to))


def _rebase(position: str, made_in: PurePath, applied_in: PurePath) -> str:
    file, _, line_col = position.rpartition(":")
    file, _, line = file.rpartition(":")
    if not file:
        return position  # "live", or no position
    try:
        inside = PurePath(file).relative_to(made_in)
    except ValueError:
        return f"{PurePath(file)}:{line}:{line_col}"
    return f"{applied_in / inside}:{line}:{line_col}"


def check_gates(ws: Workspace, account_id: str, target: AccountState, source: str,
                 options: ApplyOptions) -> tuple[dict[str, str], list[Finding]]:
    """Policy errors and freeze windows, checked before any lock and any read: (revision extras, the
    waived findings the write relies on)."""
    compiled = ws.account(account_id)
    if source == "spec":  # the target is what the spec compiles to: the spec's own findings are about it
        findings = [*ws.policy.for_account(account_id), *ws.bank_wide_findings()]
    else:  # a rollback: today's policies on the revision's state (a pack turned on since then, a waiver expired),
        # and the spec's policy configuration (an invalid waiver) those policies are read from; whether a waiver
        # meets a finding is judged on the revision, not on the spec's texts
        where = "revision " + source.rsplit(":", 1)[-1]
        today = clock.now().astimezone(clock.BEIJING).date()
        _refuse_hidden_text(account_id, target, where)
        findings = [*evaluate_state(ws.spec, compiled.spec, target, where, today),
                    *(f for f in ws.bank_wide_findings() if f.rule not in _MET_ON_THE_SPEC),
                    # the account's own configuration too: its severity lowering a regulated rule switched the rule
                    # off for the revision's texts, where the bank's was refused (attack review 76 F5)
                    *(f for f in ws.policy.for_account(account_id) if f.rule == "policy.config")]
    blocking = [f for f in findings if f.blocking]
    if blocking:
        raise RefusedError(f"{account_id}: refused: {len(blocking)} policy error(s) no waiver covers: "
                           + "; ".join(f"{f.rule} at {f.address} ({f.position}: {f.text()})" for f in blocking)
                           + ". No flag overrides a policy error: fix it, or add a waiver with reason, approver "
                           "and expiry", "policy")
    return freeze_gate(ws, account_id, options), [f for f in findings if f.waived]


def _refuse_hidden_text(account_id: str, target: AccountState, where: str) -> None:
    """An article of the revision whose body hides text from readers (validate refuses it in a source; a revision
    made before that check, or by hand, can hold one): a statement no reader sees is not made."""
    hidden = [f"{article.name} ({found})" for article in target.articles
              for found in dict.fromkeys(str(h) for h, _ in hidden_styles(article.content))]
    if hidden:
        raise RefusedError(f"{account_id}: refused: in {where}, a style hides text from readers in "
                           f"{'; '.join(hidden)}; roll back to another revision, or fix the article and apply",
                           "policy")


def freeze_gate(ws: Workspace, account_id: str, options: ApplyOptions) -> dict[str, str]:
    """Refused inside a freeze window without --override-freeze; the override's record otherwise. Judged before
    the lock wait and again once the lock is held: a run that waited into a freeze is refused too."""
    windows = active_windows([*ws.spec.freeze, *ws.account(account_id).spec.freeze], clock.now())
    if windows and not options.override_freeze:
        raise RefusedError(f"{account_id}: apply refused inside the freeze window "
                           f"{', '.join(describe(w) for w in windows)}; for an approved emergency change pass "
                           "--override-freeze --reason \"...\" (recorded in history and the audit trail)", "freeze")
    if not windows:
        return {}
    if not options.reason.strip():
        raise RefusedError("--override-freeze needs --reason \"...\": the reason is recorded", "freeze")
    return {"freeze_override": f"{', '.join(w.name for w in windows)}: {options.reason.strip()}"}


def _destroy_gate(account: str, guard: list[str], options: ApplyOptions) -> dict[str, str]:
    if guard and not options.allow_destroy:
        raise RefusedError(f"{account}: apply refused by the destroy guard: " + " | ".join(guard)
                           + ". Review these changes; to go ahead, pass --allow-destroy to this command",
                           "destroy-guard")
    return {"allow_destroy": "; ".join(guard)} if guard else {}
