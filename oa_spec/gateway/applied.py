"""What the gateway serves: the served kinds of the latest applied revision.

The texts customers get (subscribe, default and keyword replies, FAQ answers) and where their messages
go (the gateway's mode and variable names, module webhooks and the click keys that reach them) come from
the revision history, so they reach customers only once they were planned, reviewed and applied, and a
rollback brings the old ones back. An account whose applied revision records no gateway settings (no apply,
none since oaspec records them, or a rollback to such a revision) answers the platform with the spec's mode
and variable names, and calls no webhook; its plan shows the settings to apply.

`served_state` is the one place that reads revisions for the gateway (and for the served provider);
`revision_marker` is the cheap check a poller runs to notice a new apply or rollback.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import replace

from oa_spec.config.compile import gateway_routing
from oa_spec.config.model import AccountSpec, Spec
from oa_spec.errors import OaspecError
from oa_spec.gateway.config import (
    AccountGateway,
    Action,
    AnswerPolicies,
    FaqEntry,
    KeywordRule,
    ModuleConfig,
    Reply,
    Webhook,
)
from oa_spec.history.audit_numbers import LIVE
from oa_spec.history.integrity import disagreement
from oa_spec.history.revisions import Revision
from oa_spec.history.state import AccountHistory
from oa_spec.kinds.state import AccountState
from oa_spec.kinds.state import Reply as StateReply

log = logging.getLogger("oa_spec.gateway")
# Not integrity.RESTORE's "write the state you want into the spec and apply it": an edit plan cannot see (a menu in
# the state after, a state removed where the revision before served the same) leaves apply nothing to record.
_RESTORE = ("restore the record from a backup or from the git history of the state (keep the edited one as "
            "evidence); an apply that changes what the gateway serves also records a revision it serves")
Marker = tuple[int, int]  # (newest revision number, when its record was last written, ns)


def served_state(history: AccountHistory, strict: bool = False) -> tuple[int, AccountState] | None:
    """(number, state) of the newest revision that recorded the account after its writes (an apply or a
    rollback, finished or failed part-way: what landed is what is served); None before the first one.
    A run in progress (its journal has no state after) is passed over, and so is an unreadable record,
    unless `strict` (the gateway: an older revision's replies would be a rollback nobody made). `strict` also
    refuses a record that disagrees with the audit trail (history/integrity.py): an edit of what followers are
    sent (a reply made a request for an SMS code), or of a finished run's state after removed so that the
    revision before is served."""
    audited = history.audited_digests() if strict else {}
    for number in reversed(history.numbers()):
        try:
            revision = history.get(number)
            if strict and (why := _edited(revision, audited.get(number, ()))) is not None:
                raise OaspecError(f"{history.where(number)}: {why}; it is not served ({_RESTORE})")
        except OaspecError as exc:
            if strict:
                raise
            log.warning("account %s: %s; reading an older revision", history.account, exc)
            continue
        if revision.live_after is not None:
            return number, revision.live_after
    return None


def _edited(revision: Revision, audited: Collection[str]) -> str | None:
    """Why a revision the gateway would serve, or pass over, disagrees with the trail; a run in progress (no state
    after its writes, and none in the trail yet) is not judged: its outcome may not be recorded yet."""
    finished = revision.live_after is not None or any(d.startswith(LIVE) for d in audited)
    return disagreement(revision, audited) if finished else None


def served_now(history: AccountHistory) -> AccountState:
    """The served kinds as the newest revision left them (empty before the first)."""
    found = served_state(history)
    return found[1] if found is not None else AccountState()


def untrusted_note(history: AccountHistory) -> list[str]:
    """For the plan: why it takes nothing as served (served_trusted), or nothing when the newest record is served."""
    try:
        served_state(history, strict=True)
    except OaspecError as exc:
        return [f"{exc}; so this plan takes nothing as served: each reply, FAQ entry, gateway setting and webhook the "
                "spec declares is shown as made anew, and nothing of that record is carried into the next one"]
    return []


def served_trusted(history: AccountHistory) -> AccountState:
    """The served provider's read: the served kinds as the newest revision left them, or none while its record is
    edited or unreadable (the gateway serves nothing of it). Read as recorded, an edit of it (a keyword rule asking
    for an SMS code, which no spec declares and a plan leaves alone as unmanaged) went into the next apply's
    revision, which agrees with the trail, and the gateway served it (attack review 76 F6); read as none, an apply
    records the spec's served kinds, and its plan shows each as made anew."""
    try:
        found = served_state(history, strict=True)
    except OaspecError as exc:
        log.warning("account %s: %s; the plan takes nothing as served", history.account, exc)
        return AccountState()
    return found[1] if found is not None else AccountState()


def revision_marker(history: AccountHistory) -> Marker:
    """Changes whenever a revision is recorded or a journal is replaced by its outcome, in whatever state
    keeps them (a directory listing and a stat, or one indexed query): cheap to poll."""
    return history.marker()


def account_gateway(account: AccountSpec, served: AccountState, spec: Spec | None = None) -> AccountGateway:
    """The gateway's configuration of one account with a `gateway:` block, from its applied state `served`.
    Where no applied revision records the routing (none applied yet, an older oaspec's, a rollback to one of
    those, an unreadable newest one), the spec's settings answer the platform, and no webhook is called:
    followers' messages go only to hosts an applied revision holds. Webhook answers are held to `spec`'s
    policies (revisions do not record them); without it, to the core pack's rules alone."""
    routing = served if served.gateway is not None else replace(gateway_routing(account), webhooks=())
    gateway = routing.gateway
    if account.gateway is None or gateway is None:
        raise OaspecError(f"account {account.id} has no gateway: block")
    modules = {w.module: ModuleConfig(w.module, webhook=Webhook(w.url, w.timeout_seconds, w.secret_env))
               for w in routing.webhooks}
    clicks = {w.click_key: Action(module=w.module) for w in routing.webhooks if w.click_key}
    clicks.update({c.key: Action(module=c.reply.module) if c.reply.module in modules
                   else Action(reply=Reply(c.reply.text)) for c in served.click_replies})
    scenes = {s.key: Reply(s.reply.text) for s in served.scene_replies}
    return AccountGateway(
        account_id=account.id, app_id=gateway.app_id, token_env=gateway.token_env, aes_key_env=gateway.aes_key_env,
        mode=gateway.mode,
        subscribe_reply=_reply(served.subscribe_reply), default_reply=_reply(served.default_reply),
        keyword_rules=tuple(
            KeywordRule(name=r.name, keywords=tuple((r.match, k) for k in r.keywords),
                        replies=tuple(Reply(reply.text) for reply in r.replies), reply_mode=r.reply_mode,
                        module=_module(r.reply, modules))
            for r in served.keyword_replies),
        faq=tuple(FaqEntry(f.id, f.questions, f.answer, f.module if f.module in modules else None)
                  for f in served.faq),
        click_actions=clicks, scene_welcomes=scenes, scan_replies=scenes, modules=modules,
        policies=None if spec is None else AnswerPolicies(spec, account))


def _reply(reply: StateReply | None) -> Reply | None:
    return None if reply is None else Reply(text=reply.text)


def _module(reply: StateReply, modules: dict[str, ModuleConfig]) -> str | None:
    return reply.module if reply.module in modules else None
