"""`oaspec publish`: send the content slots that are due, exactly once.

A slot (stream, date) is due from its date (Beijing time, on the decision clock: OASPEC_NOW when set)
until it is sent. Its article goes out from the draft apply wrote, and only while that draft is the
reviewed version: a stream with `broadcast: true` sends it to its audience tag (message/mass/sendall,
counted against the account's broadcast quota), any other publishes it without push (freepublish).

Exactly once, whatever fails:
- the run holds the account's publish lock (content/record.py): a second run waits, then finds the slot sent;
- every send is journalled (fsynced) before the call, carrying a clientmsgid derived from the account, article and
  slot, so a retried or concurrent broadcast is deduplicated by the platform (24 hours);
- a send whose outcome is unknown (a dropped answer, -1, a killed run) is settled before anything is sent again: a
  broadcast by sending the same clientmsgid (the platform answers the first send) while it is well inside the
  platform's 24 hours (RESEND_WITHIN_HOURS) and its article is still the version the attempt carried (slots.py
  changed_broadcast), else refused, a publication by finding it in the list of publications;
- the job's outcome is polled (message/mass/get, freepublish/get) for a bounded time and recorded; a failed job
  leaves the slot unsent, with the error, for the next run. A job that went out and was then deleted is sent; an
  answer oaspec cannot read as sent or failed is unclear and never sent again blindly (content/job_status.py); a
  broadcast recorded as failed is read again before it is sent again. An earlier run's send settled is `earlier`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from oa_spec.config import cadence
from oa_spec.content.job_status import status_check, unclear_advice, wait_for
from oa_spec.content.publish_audit import audit_attempt, audit_send
from oa_spec.content.publishing_api import Platform, UnclearSend, platform_of, seconds_setting
from oa_spec.content.record import ContentStore, Record, SendEntry
from oa_spec.content.send_audience import AudienceGone, audience
from oa_spec.content.slots import (
    Due,
    Outcome,
    changed_broadcast,
    changed_since,
    clientmsgid,
    draft_id_of,
    may_have_gone,
    previewed,
    refusal,
    said_before,
    sent_text,
    slots,
    to_preview,
    today,
)
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.history.lock import SendFence
from oa_spec.kinds.base import shown_sha256, slot_verdict
from oa_spec.kinds.state import AccountState
from oa_spec.plan.scope import Managed
from oa_spec.util import clock

if TYPE_CHECKING:
    from oa_spec.config.compile import CompiledAccount
    from oa_spec.plan.workspace import Workspace

WAIT_VARIABLE = "OASPEC_PUBLISH_WAIT_SECONDS"  # how long a job's outcome is polled (default 60)
SETTLE_VARIABLE = "OASPEC_PUBLISH_SETTLE_SECONDS"  # how long an unclear publication is left to finish (600)
# An unsettled broadcast is settled by sending its clientmsgid again only while this young: the platform knows one
# for 24 hours on its clock, the age is read on this runner's from a journal time perhaps another runner's (a shared
# record), and an hour's margin keeps a clock behind, or a daily run at the 24-hour mark, from sending it twice.
RESEND_WITHIN_HOURS = 23
ALREADY_SENT = "already sent with this clientmsgid: recorded, not sent again"


@dataclass
class AccountRun:
    """One account's publish: checks for every slot, then (unless a dry run) the sends, under its lock."""

    ws: Workspace
    compiled: CompiledAccount
    due_only: bool = True
    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    report: Callable[[Outcome], None] | None = None  # told of each send's outcome as it is known
    _counted: set[str] = field(default_factory=set, repr=False)  # broadcast slots using this period's quota
    _fence: SendFence = field(default_factory=lambda: SendFence(lambda: None), repr=False)

    @property
    def account(self) -> str:
        return self.compiled.id

    def run(self) -> list[Outcome]:
        record = self.ws.content(self.account)
        chosen = [d for d in slots(self.compiled) if d.day <= today() or not self.due_only]
        if not chosen:
            return []
        if self.dry_run or not self.due_only:
            return self._checked(chosen, record.load(), self._live())
        with record.publishing() as still_ours:  # a second run waits here, then finds what this one sent
            # A run paused past its lease (PostgreSQL) must not send, nor journal over the run that took over: the
            # lock is checked before each slot, platform write and journalled send.
            self._fence = SendFence(still_ours)
            provider = self.ws.provider(self.compiled.spec)
            provider.guard_sends(self._fence)
            try:
                live = self._live()
                for due, problem in self._checks(chosen, record.load(), live):
                    if problem is None and self.outcomes:  # sending earlier slots took time: read the account again
                        live = self._live()  # (a console edit made meanwhile, to the draft or the tag, is refused)
                        problem = self._slot_problem(due, live)
                    if problem is None:
                        self._fence.confirm()
                    self.outcomes.append(outcome := problem or self._send(record, due, live))
                    if self.report is not None:  # said now: an error after it (the state gone) must not hide it
                        self.report(outcome)
                    if not may_have_gone(entry := record.load().sends.get(due.slot)):  # no quota used (review 72 F5)
                        self._counted.discard(due.slot)
                    if problem is None:  # a send was made or settled: who, when and what, in the audit trail
                        audit_send(self.ws.state.audit, outcome, entry)
            finally:
                provider.guard_sends(None)
        return self.outcomes

    @property
    def _where(self) -> str:
        return self.ws.content(self.account).where

    def _live(self) -> AccountState:
        return self.ws.provider(self.compiled.spec).read()

    @cached_property
    def _managed(self) -> Managed:
        """What the history says oaspec manages on the account (its tags by id); apply waits for this run."""
        return self.ws.recorded(self.account)[0]

    def _checked(self, chosen: list[Due], record: Record, live: AccountState) -> list[Outcome]:
        """A dry run or the calendar: each slot as the real run would have it (open attempts looked up), read only."""
        out = []
        for due, problem in self._checks(chosen, record, live):
            entry = record.sends.get(due.slot)
            if problem is None and due.day <= today() and entry is not None and (entry.state != "failed"
                                                                             or entry.msg_id):  # read again
                problem = self._forecast(record, due, entry, live)
            upcoming = due.day > today()
            # as _send: an attempt not settled is sent again as it was journalled, never previewed (attack review 71 F5)
            settles = entry is not None and entry.state == "sending"
            previews = 0 if settles else to_preview(due, record)
            first = (f"preview first to {previews} reviewer(s) (message/mass/preview)" if previews
                     else "settles the earlier attempt first (no preview)" if settles else "")
            out.append(problem or Outcome(self.account, due, "upcoming" if upcoming else "would send",
                                          "; ".join(filter(None, [f"on {due.day}" if upcoming else "", first]))))
        return out

    def _forecast(self, record: Record, due: Due, entry: SendEntry, live: AccountState) -> Outcome | None:
        """What the real run makes of a slot journalled `sending` or `submitted` (None: it sends)."""
        platform = platform_of(self.ws.provider(self.compiled.spec), self.account)
        try:
            if entry.state == "sending":
                found, problem = self._settlement(record, platform, due, entry, draft_id_of(due, live))
                return problem or (Outcome(self.account, due, "already sent", f"an earlier attempt is among the "
                                           f"publications (article_id {found}): the next run records it")
                                   if found else None)
            status = status_check(platform, entry, lambda: record)()
        except (ProviderError, UnclearSend) as exc:
            return Outcome(self.account, due, "unclear", f"an earlier attempt's outcome could not be read ({exc})")
        if status.state == "unclear":
            return Outcome(self.account, due, "unclear", f"the platform answers {status.detail}: it is not sent again")
        if status.state == "pending":
            return Outcome(self.account, due, "pending", f"submitted, still {status.detail} (it is not sent again)")
        if status.state == "failed" and entry.state == "failed":  # read again by the real run, and sent
            return None
        if status.state == "failed":
            return Outcome(self.account, due, "failed", f"the platform's job failed ({status.detail}): the next "
                           "run records it, and the run after that tries again")
        return Outcome(self.account, due, "already sent", "submitted earlier and done: the next run records it")

    def _checks(self, chosen: list[Due], record: Record, live: AccountState) -> Iterable[tuple[Due, Outcome | None]]:
        """Each slot with why it cannot go out now (None: it can), in order: sent, policy, draft, tag, quota."""
        blocking = self.ws.blocking_findings(self.account)
        period_name, allowed = cadence.QUOTAS[self.compiled.spec.type]
        period = cadence.period(self.compiled.spec.type, today())
        counted = self._counted = {e.slot for e in record.sends.values()  # as the run counts them (may_have_gone)
                                   if e.mode == "broadcast" and e.period == period and may_have_gone(e)}
        uses = record.slot_uses({a.name for a in self.compiled.desired.articles})
        sent = self.ws.history(self.account).audited_sends()  # what the chained trail says went out
        for due in chosen:
            verdict = slot_verdict(due.article, due.slot, uses)  # as the plan foretold it
            if (said := said_before(self.account, due, verdict, record, sent, self._where)) is not None:
                yield due, said  # the record's word, or the trail's for a slot the record forgot (review 78 F6)
                continue
            refuse = refusal(self.account, due)
            if blocking:
                yield due, refuse("policy error(s) no waiver covers block publishing: " + "; ".join(
                    f"{f.rule} at {f.address} ({f.position})" for f in blocking[:5]))
                continue
            if (problem := self._slot_problem(due, live)) is not None:
                yield due, problem
                continue
            # counted last: a slot refused for another reason does not use up the period's quota
            if due.mode == "broadcast" and due.day <= today() and due.slot not in counted:
                counted.add(due.slot)
                if len(counted) > allowed:
                    yield due, refuse(f"over the broadcast quota: a {self.compiled.spec.type} account sends "
                                      f"{allowed} per {period_name}, and {period} has {allowed} already")
                    continue
            yield due, None

    def _slot_problem(self, due: Due, live: AccountState) -> Outcome | None:
        """Why the slot cannot go out on the account as `live` reads: its draft is not the reviewed version, or its
        broadcast's tag is not the one oaspec manages under that name (send_audience.py)."""
        draft = next((a for a in live.articles if a.name == due.article.name), None)
        if draft is None or draft.draft_id is None or draft != due.article:
            return refusal(self.account, due)(
                "the account's draft is not the reviewed version of the article (it changed since the last "
                "apply, or was never applied): run `oaspec plan` and `oaspec apply`, then publish")
        try:
            audience(due.tag, live, self._managed)
        except AudienceGone as exc:
            return refusal(self.account, due)(str(exc))
        return None

    # -- one send ---------------------------------------------------------------------------------------
    def _send(self, record: ContentStore, due: Due, live: AccountState) -> Outcome:
        platform = platform_of(self.ws.provider(self.compiled.spec), self.account)
        draft_id = draft_id_of(due, live)
        entry = record.load().sends.get(due.slot)
        try:
            if entry is not None and entry.state == "failed" and entry.msg_id:  # read again before it is sent again:
                entry = self._read_again(record, platform, entry)  # an older oaspec took DELETE for a failure
            if entry is None or entry.state == "failed":
                if (refused := self._preview(record, platform, due, draft_id)) is not None:
                    return refused
                entry = self._journal(record, due, entry)
            elif entry.state == "sending":
                if (problem := self._settle_first(record, platform, due, entry, draft_id)) is not None:
                    return problem
                entry = record.load().sends[due.slot]
            earlier = entry.state in ("submitted", "sent")  # an earlier run's call, found or still to be confirmed
            if entry.state == "sending":  # in the audit trail before the call (attack review 74), then made
                audit_attempt(self.ws.state.audit, self.account, due, entry)
                entry = self._submit(record, platform, due, entry, draft_id, live)
                earlier = entry.status.startswith(ALREADY_SENT)  # the platform answered with an earlier run's send
            outcome = self._finish(record, platform, due, entry)
            return replace(outcome, earlier=earlier and outcome.result == "sent")
        except UnclearSend as exc:
            return Outcome(self.account, due, "unclear", f"{exc}; the outcome is unknown: run `oaspec publish "
                           "--due` again, which settles it before sending anything")

    def _read_again(self, record: ContentStore, platform: Platform, entry: SendEntry) -> SendEntry:
        """A broadcast recorded as failed, as its job reads now: submitted again unless it still failed. A status
        that cannot be read now is unclear (UnclearSend): a failure is never taken on trust to send again."""
        try:
            status = status_check(platform, entry, record.load)()
        except ProviderError as exc:
            raise UnclearSend(f"its earlier attempt failed ({entry.error}); reading it again failed ({exc})") from None
        return entry if status.state == "failed" else self._save(record, replace(entry, state="submitted", error=""))

    def _preview(self, record: ContentStore, platform: Platform, due: Due, draft_id: str) -> Outcome | None:
        """Preview the article to the stream's reviewers before its send is journalled; a refusal leaves the
        slot unsent. Errors name the reviewer by position, never by OpenID."""
        if not to_preview(due, record.load()):
            return None
        for number, openid in enumerate(due.reviewers, 1):
            try:
                platform.preview(draft_id, openid)
            except ProviderError as exc:
                return Outcome(self.account, due, "failed", f"the preview to reviewer {number} of "
                               f"{len(due.reviewers)} failed ({exc}); nothing was sent: check that reviewer's "
                               "OpenID in the stream's preview.reviewers (they must follow the account), then run "
                               "again")
        self._fence()
        with record.edit() as data:
            data.previews[due.slot] = previewed(due)
        return None

    def _journal(self, record: ContentStore, due: Due, failed: SendEntry | None) -> SendEntry:
        self._fence()  # the preview before may have taken long: a run that lost its lock journals nothing
        entry = SendEntry(slot=due.slot, article=due.article.name, mode=due.mode,
                          content_sha256=due.article.content_sha256,
                          clientmsgid=clientmsgid(self.account, due.article.name, due.slot, failed), state="sending",
                          journalled_at=clock.real_timestamp(), tag=due.tag,
                          period=cadence.period(self.compiled.spec.type, today()),
                          failures=[*failed.failures, failed.error] if failed else [],
                          shown_sha256=shown_sha256(due.article))
        return self._save(record, entry)

    def _settle_first(self, record: ContentStore, platform: Platform, due: Due, entry: SendEntry,
                      draft_id: str) -> Outcome | None:
        """An earlier run may have sent this slot and died before recording it: find out first."""
        found, problem = self._settlement(record.load(), platform, due, entry, draft_id)
        if found:
            entry.state, entry.article_id, entry.status = "sent", found, "found among the publications"
            entry.finished_at = clock.real_timestamp()
            self._save(record, entry)
        return problem

    def _settlement(self, record: Record, platform: Platform, due: Due, entry: SendEntry,
                    draft_id: str) -> tuple[str, Outcome | None]:
        """(the article_id of the publication an attempt journalled `sending` made, if it is found; why the slot
        cannot be sent now, if it cannot). Reads only: a broadcast is settled by sending its clientmsgid again."""
        age = time.time() - datetime.datetime.fromisoformat(entry.journalled_at).timestamp()
        if entry.mode == "broadcast":
            if age >= RESEND_WITHIN_HOURS * 3600:  # the platform may no longer deduplicate the clientmsgid
                return "", refusal(self.account, due)(
                    f"an attempt at {entry.journalled_at} has an unknown outcome and is over {RESEND_WITHIN_HOURS} "
                    "hours old, too near the 24 hours after which the platform stops recognising its clientmsgid "
                    "(its clock and this runner's may differ): check the account's broadcast history (群发记录); "
                    f"if it was not sent, remove sends[{due.slot!r}] from {self._where} and run again")
            if what := changed_since(entry, due.article):  # the platform would answer with the earlier version
                return "", refusal(self.account, due)(changed_broadcast(entry, what, self._where))
            return "", None  # sending the same clientmsgid again settles it
        others = frozenset(e.article_id for e in record.sends.values() if e.article_id)
        if (found := platform.find_publication(draft_id, others)) is not None:
            return found, None
        if age < seconds_setting(SETTLE_VARIABLE, 600):
            return "", Outcome(self.account, due, "unclear", f"an attempt at {entry.journalled_at} has an unknown "
                               "outcome and is not among the publications yet (one may still be in progress): run "
                               "`oaspec publish --due` again later")
        if what := changed_since(entry, due.article):  # publications are found by the draft's title and body
            return "", refusal(self.account, due)(
                f"an attempt at {entry.journalled_at} has an unknown outcome, and the article changed since ({what}), "
                "so its publication cannot be recognised: check the account's publications (发表记录); if it was not "
                f"published, remove sends[{due.slot!r}] from {self._where} and run again")
        return "", None

    def _submit(self, record: ContentStore, platform: Platform, due: Due, entry: SendEntry, draft_id: str,
                live: AccountState) -> SendEntry:
        try:
            if due.mode == "broadcast":  # to the audience _slot_problem found on this same read
                to, now = audience(due.tag, live, self._managed), cadence.period(self.compiled.spec.type, today())
                try:
                    entry.msg_id, earlier = platform.broadcast(draft_id, to, entry.clientmsgid)
                except UnclearSend:  # it may have gone out now: a later run today counts it (attack review 75)
                    with suppress(OaspecError):  # unsaved, it counts in the period it was journalled in, as before
                        self._save(record, replace(entry, period=now))
                    raise
                entry.status = ALREADY_SENT if earlier else ""
                entry.period = entry.period if earlier else now  # this call is the send: today's quota (review 74)
            else:
                entry.publish_id = platform.publish(draft_id)
        except (ProviderError, AudienceGone) as exc:  # nothing was sent
            entry.state, entry.error = "failed", str(exc)
            entry.finished_at = clock.real_timestamp()
            return self._save(record, entry)
        entry.state = "submitted"
        return self._save(record, entry)

    def _finish(self, record: ContentStore, platform: Platform, due: Due, entry: SendEntry) -> Outcome:
        if entry.state == "failed":
            return Outcome(self.account, due, "failed", f"{entry.error}; nothing was sent, and the next run "
                           "tries again")
        if entry.state == "sent":
            return Outcome(self.account, due, "sent", sent_text(entry))
        try:
            status = wait_for(status_check(platform, entry, record.load), seconds_setting(WAIT_VARIABLE, 60))
        except ProviderError as exc:
            return Outcome(self.account, due, "unclear", f"submitted, but its status could not be read ({exc}); "
                           "run `oaspec publish --due` again to confirm it")
        if status.state == "unclear":
            return Outcome(self.account, due, "unclear", f"submitted, but the platform answers {status.detail}: "
                           + unclear_advice(entry, self._where))
        if status.state == "pending":
            return Outcome(self.account, due, "pending", f"submitted, still {status.detail}: run `oaspec publish "
                           "--due` again to confirm it (it is not sent again)")
        entry.status = "; ".join(filter(None, [entry.status, status.detail]))
        entry.finished_at = clock.real_timestamp()
        if status.state == "failed":
            entry.state, entry.error = "failed", f"the platform's job failed: {status.detail}"
            self._save(record, entry)
            return Outcome(self.account, due, "failed", f"{entry.error}; the slot is not recorded as sent, and "
                           "the next run tries again")
        entry.state, entry.article_id = "sent", status.article_id or entry.article_id
        self._save(record, entry)
        return Outcome(self.account, due, "sent", sent_text(entry))

    @staticmethod
    def _save(record: ContentStore, entry: SendEntry) -> SendEntry:
        # journalled `sending` before its call: any later state is recorded after the platform acted
        acted = "nothing was sent for it" if entry.state == "sending" else "the platform may have sent it"
        try:
            with record.edit() as data:
                data.put_send(entry)
        except OSError as exc:  # a full disk or a read-only state
            raise OaspecError(f"{record.where}: cannot record {entry.slot} as {entry.state} ({exc.strerror or exc}); "
                              f"{acted}. Free space there (or make it writable) and run `oaspec publish --due` "
                              "again: it settles this slot before sending anything") from exc
        except OaspecError as exc:  # the database gone, or this run's lock lost (attack review 72 F1)
            raise OaspecError(f"{record.where}: cannot record {entry.slot} as {entry.state} ({exc}); {acted}. Once "
                              "the state can be written, run `oaspec publish --due` again, within "
                              f"{RESEND_WITHIN_HOURS} hours while the platform still recognises a broadcast: it "
                              "settles this slot before sending anything") from exc
        return entry


def publish(ws: Workspace, account_id: str | None, due_only: bool, dry_run: bool,
            report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Every selected account's slots (the due ones with `due_only`), sent unless `dry_run`; `report` hears each."""
    outcomes: list[Outcome] = []
    for compiled in ws.select(account_id):
        outcomes += AccountRun(ws, compiled, due_only, dry_run, report=report).run()
    return outcomes
