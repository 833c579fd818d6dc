"""The pipeline up to the plan: a project (project.py) -> refresh (provider.read) -> scope -> diff.

A Workspace is a project plus the state (history, locks, the audit trail: the files under the state
directory, or a shared database), the state directory where the local provider's accounts live, and
the providers of one run. The CLI builds one per command; tests build them directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from oa_spec.config.compile import CompiledAccount, has_capability
from oa_spec.config.diagnostics import Diagnostic
from oa_spec.config.model import AccountSpec, LocalProviderConfig, Spec
from oa_spec.content.bound import BoundContent
from oa_spec.errors import OaspecError
from oa_spec.history.files import FilesState
from oa_spec.history.integrity import RESTORE, desired_digest, ownership_problem
from oa_spec.history.revisions import Revision, unknown_ownership
from oa_spec.history.state import AccountHistory, State
from oa_spec.kinds.base import SlotUse
from oa_spec.kinds.keyword_reply import repeated_names
from oa_spec.kinds.state import AccountState
from oa_spec.kinds.template import title_conflicts
from oa_spec.plan import DEFAULT_PARALLELISM
from oa_spec.plan.diff import diff, still_left_alone
from oa_spec.plan.guards import tripped
from oa_spec.plan.model import NO_REVISION_NOTE, SWITCHED_NOTE, AccountPlan, Plan, PlanFinding
from oa_spec.plan.packs import packs_off_notes
from oa_spec.plan.project import Project
from oa_spec.plan.room import check_room
from oa_spec.plan.scope import Managed, scope
from oa_spec.plan.targets import target_notes
from oa_spec.policy import Finding, PolicyReport
from oa_spec.policy.deployed import evaluate_state
from oa_spec.providers import LocalSettings, Provider, ProviderSettings, WeChatSettings, make_provider
from oa_spec.util import clock
from oa_spec.util.clock import timestamp
from oa_spec.util.gc_pause import gc_paused

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Workspace:
    """A project plus the state directory, and one provider per account for the run (`close()` ends them)."""

    project: Project
    state_dir: Path
    _state: State | None = None  # None: the files state under state_dir
    _providers: dict[str, Provider] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def open(spec_path: str | Path, state_dir: str | Path, state: State | None = None) -> Workspace:
        """Load, validate and compile; raises SpecError listing every problem."""
        return Workspace(Project.open(spec_path), Path(state_dir), state)

    @property
    def state(self) -> State:
        """Where history, locks and the audit trail are kept."""
        if self._state is None:
            self._state = FilesState(self.state_dir)
        return self._state

    # The project's parts, read often enough by plan and apply to be named here.
    @property
    def spec_path(self) -> Path:
        return self.project.spec_path

    @property
    def spec(self) -> Spec:
        return self.project.spec

    @property
    def accounts(self) -> list[CompiledAccount]:
        return self.project.accounts

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.project.warnings

    @property
    def policy(self) -> PolicyReport:
        return self.project.policy

    def account(self, account_id: str) -> CompiledAccount:
        return self.project.account(account_id)

    def select(self, account_id: str | None) -> list[CompiledAccount]:
        return self.project.select(account_id)

    def bank_wide_findings(self) -> list[Finding]:
        return self.project.bank_wide_findings()

    def blocking_findings(self, account_id: str) -> list[Finding]:
        return self.project.blocking_findings(account_id)

    def provider(self, account: AccountSpec) -> Provider:
        """One provider per account for the whole run, so plan and apply share its token and connections."""
        with self._lock:
            if account.id not in self._providers:
                served = None
                # Its replies are served from the newest revision in the state; so are they still, for the plan,
                # when a spec drops the gateway block of an account whose clicks, scenes, FAQ or webhooks were served:
                # their removal is a change it shows, never a silent one.
                from oa_spec.gateway.applied import served_trusted

                applied = partial(served_trusted, self.history(account.id))
                if account.gateway is not None or _serves_its_own_kinds(applied()):
                    served = applied
                self._providers[account.id] = make_provider(account.id, provider_settings(account), self.state_dir,
                                                            served=served, content=self.content(account.id))
            return self._providers[account.id]

    def content(self, account_id: str) -> BoundContent:
        """The account's content record, for the live account the spec's account writes to (content/bound.py)."""
        return BoundContent(self.state.content(account_id), live_account(self.account(account_id).spec))

    def close(self) -> None:
        for provider in self._providers.values():
            provider.close()
        self._providers.clear()

    def slots_used(self, account_id: str, desired: AccountState) -> dict[str, SlotUse]:
        """The content slots a send is recorded for (sent, or not settled; a failed one may be used again). Read
        only when `desired` has articles."""
        if not desired.articles:
            return {}
        return self.content(account_id).load().slot_uses({a.name for a in desired.articles})

    def history(self, account_id: str) -> AccountHistory:
        return self.state.history(account_id)

    def recorded(self, account_id: str) -> tuple[Managed, list[str]]:
        """What the state says of an account, for its plan: what oaspec manages there, and what a reviewer must
        read: that it holds no revision of the account (so that a spec whose `state:` now names another store, or
        none, cannot move history, the audit trail and the lock unseen), or that the live account changed. What
        was recorded against another live account counts for nothing on this one (names and platform ids mean
        nothing on another app): every object already there passes the takeover check."""
        history = self.history(account_id)
        managed = history.managed()  # refused, naming the record, when the newest revision cannot be read
        numbers = history.numbers()
        if numbers and (edited := ownership_problem(managed, history.audited_digests(), numbers[-1])):
            raise OaspecError(f"{history.where(numbers[-1])}: {edited}; {unknown_ownership(account_id)}. To go on, "
                              f"{RESTORE}")  # an edit there deletes or takes over what oaspec never made (review 78)
        if not numbers:
            return managed, [f"{NO_REVISION_NOTE}{account_id} in the {self.state.identity()}: its history, audit "
                             "trail and lock start here; if it was applied before, those runs used another state "
                             "(check the spec's `state:` block, --state and OASPEC_STATE)"]
        try:
            newest = history.get(numbers[-1])
        except OaspecError:
            return managed, []  # managed() has refused an unreadable newest record already
        packs_off = packs_off_notes(self.spec, account_id, history, numbers)
        if self.account(account_id).spec.gateway is not None:  # an edited served record is not carried (review 76 F6)
            from oa_spec.gateway.applied import untrusted_note

            packs_off += untrusted_note(history)
        before = self.recorded_against(account_id, newest)
        if before is None:
            return managed, packs_off
        now = live_account(self.account(account_id).spec)
        return {}, [*packs_off, f"{SWITCHED_NOTE}{now}; the history of {account_id} was recorded against {before}: "
                    "nothing oaspec recorded there counts as managed on this one (an object that exists here already "
                    "is a takeover, refused unless the spec lists it under `adopt:`), and a rollback to a revision "
                    "recorded there is refused. If the switch is not intended, fix the spec's provider block; if "
                    "it is, give the new account its own `id`"]

    def recorded_against(self, account_id: str, revision: Revision) -> str | None:
        """The live account `revision` was recorded against, when it is not the one the spec writes to now; None
        when it is the same (or the revision does not say: recorded before oaspec named it)."""
        before = revision.extra.get("live_account")
        if not isinstance(before, str) or not before or before == live_account(self.account(account_id).spec):
            return None
        return before

    def plan(self, account_id: str | None = None, parallelism: int = DEFAULT_PARALLELISM,
             progress: Callable[[str], None] | None = None) -> Plan:
        """Read every selected account (in parallel: they are independent) and diff it against the spec."""
        selected = self.select(account_id)

        def one(compiled: CompiledAccount) -> AccountPlan:
            provider = self.provider(compiled.spec)
            live = provider.read()
            if progress:
                progress(compiled.id)
            managed, recorded = self.recorded(compiled.id)
            ap = account_plan(compiled.spec, compiled.desired, live, provider.writable_kinds, managed,
                              [*compiled.notes, *recorded],
                              self.slots_used(compiled.id, compiled.desired))
            return self.review(compiled, ap, live)

        with gc_paused():
            accounts = run_parallel(one, selected, parallelism)
        return Plan(accounts=accounts, spec_path=str(self.spec_path), created_at=timestamp(),
                    state=self.state.identity(), findings=[PlanFinding.of(f) for f in self.bank_wide_findings()])

    def review(self, compiled: CompiledAccount, ap: AccountPlan, live: AccountState) -> AccountPlan:
        """The account plan with what the reviewer is told beside the changes: the spec's findings on the
        account, and today's policies on what the live account shows."""
        ap.findings = [PlanFinding.of(f) for f in self.policy.for_account(compiled.id)]
        ap.notes += target_notes(compiled.id, compiled.desired, self.content(compiled.id).load)
        ap.live_findings = self.live_findings(compiled, live, ap.findings)
        return ap

    def live_findings(self, compiled: CompiledAccount, live: AccountState,
                      shown: list[PlanFinding]) -> list[PlanFinding]:
        """Today's policies on the live texts, less what the spec's findings already say: reported on the
        live account, never blocking (apply cannot change console edits, and must not be held up by them)."""
        unseen = _not_in(live, compiled.desired)
        if unseen == AccountState():  # the spec's own findings already cover every live text
            return []
        today = clock.now().astimezone(clock.BEIJING).date()
        already = {(f.rule, f.address, f.detail) for f in shown}
        return [PlanFinding.of(f, blocking=False)
                for f in evaluate_state(self.spec, compiled.spec, unseen, "live", today)
                if (f.rule, f.address, f.detail) not in already]



def provider_settings(account: AccountSpec) -> ProviderSettings:
    """What the account's provider needs of its spec, as plain values."""
    config = account.provider
    if isinstance(config, LocalProviderConfig):
        return LocalSettings()
    return WeChatSettings(config.app_id, config.secret_variable, config.api_base, config.token_endpoint,
                          config.timeout_seconds, templates_readable=has_capability(account, "template_messages"),
                          article_files=_article_files(account))


def live_account(account: AccountSpec) -> str:
    """Which live account the spec's account writes to, as plans and revisions name it."""
    config = account.provider
    if isinstance(config, LocalProviderConfig):
        return "local"
    return f"wechat {config.app_id} at {config.api_base.rstrip('/')}"


def _article_files(account: AccountSpec) -> tuple[tuple[str, Path], ...]:
    """The image files of the account's articles, as validate found them ("body:<sha256>" -> file)."""
    if not account.content.articles:
        return ()
    from oa_spec.content.spec import resolved

    return tuple(resolved(account).files.items())


def _serves_its_own_kinds(served: AccountState) -> bool:
    """Kinds only `oaspec serve` uses (the platform has no place for them) in an applied revision."""
    return bool(served.click_replies or served.scene_replies or served.faq or served.gateway or served.webhooks)


def _not_in(live: AccountState, desired: AccountState) -> AccountState:
    """What followers see that the spec does not say (console edits, unmanaged objects): the texts the
    spec's policy findings have not already covered. Sets, since a bank may have thousands of rules."""
    menus, templates, rules = set(desired.conditional_menus), set(desired.templates), set(desired.keyword_replies)
    return AccountState(
        menu=None if live.menu == desired.menu else live.menu,
        conditional_menus=tuple(m for m in live.conditional_menus if m not in menus),
        templates=tuple(t for t in live.templates if t not in templates),
        subscribe_reply=None if live.subscribe_reply == desired.subscribe_reply else live.subscribe_reply,
        default_reply=None if live.default_reply == desired.default_reply else live.default_reply,
        keyword_replies=tuple(r for r in live.keyword_replies if r not in rules),
    )


def account_plan(account: AccountSpec, desired: AccountState, live: AccountState, writable: frozenset[str],
                 managed: Managed, notes: list[str] | None = None,
                 slots_used: Mapping[str, SlotUse] | None = None, adopt: bool = True) -> AccountPlan:
    """Diff what oaspec may change (see scope.py) and name what trips the destroy guard; without `adopt` (a
    rollback) the spec's `adopt:` list takes nothing over."""
    scoped = scope(account, desired, live, managed, adopt)
    changes = diff(account.id, desired, scoped.live, writable, scoped.unmanaged_menus, slots_used)
    if conflicts := title_conflicts(account.id, desired, scoped.live):
        raise OaspecError("; ".join(conflicts))
    check_room(account.id, changes, live, scoped.live)  # NoRoomError: the platform would refuse it part-way
    for change in changes:
        if change.kind == "template" and change.action == "create" and not getattr(change.after, "library_id", None):
            raise OaspecError(f"{change.address}: adding a template needs its library_id (template_id_short, "
                              "e.g. OPENTM000000); add it to the spec")
    notes = [*(notes or []), *repeated_names(account.id, live), *still_left_alone(scoped.unmanaged, changes)]
    if any(not c.writable for c in changes):
        notes.append("some differences cannot be written through the platform's API (auto-replies): "
                     "change them in the console, or accept them")
    return AccountPlan(account.id, account.provider.type, changes, desired, live.fingerprint(),
                       desired_digest(desired), live_account(account), notes,
                       guard=tripped(changes, scoped.live, account.guards))


def run_parallel(work: Callable[[T], R], items: Iterable[T], parallelism: int) -> list[R]:
    """Results in input order; the first failure propagates."""
    items = list(items)
    if len(items) <= 1 or parallelism <= 1:
        return [work(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(parallelism, len(items))) as pool:
        return list(pool.map(work, items))

