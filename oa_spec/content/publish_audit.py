"""Each send `oaspec publish` makes goes into the audit trail (attack review 72 F4), beside apply, rollback and unlock:
a broadcast reaches every follower of a tag, and the content record that keeps it is neither chained nor says who ran
the send. The entry carries who, where and which CI job (history/provenance.py identity, as every entry does), the
slot, the article, how it went out and to whom, the platform's job ids and the outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError
from oa_spec.util import clock

if TYPE_CHECKING:
    from oa_spec.content.record import SendEntry
    from oa_spec.content.slots import Due, Outcome
    from oa_spec.history.state import AuditTrail

OPERATION = "publish"


def audit_attempt(trail: AuditTrail, account: str, due: Due, entry: SendEntry) -> None:
    """The entry before a send's call (result `started`), as apply's before its first write: a send whose outcome
    entry the trail could not take after the call, or whose run was killed in between, is in the trail all the same
    (attack review 74: the next run finds the slot sent and writes nothing). An OaspecError when it cannot be written:
    the call is not made."""
    try:
        _event(trail, account, "started", "journalled and about to be sent: the next entry for this slot says how it "
               "went (none: the content record does)", _fields(due) | {"clientmsgid": entry.clientmsgid})
    except (OSError, OaspecError) as exc:
        raise OaspecError(f"{account}: {due.slot} {due.article.name}: not sent: its audit entry could not be written "
                          f"before the send ({exc}): make the audit trail writable, then run `oaspec publish --due` "
                          "again (it settles the slot's journalled attempt first)") from exc


def audit_send(trail: AuditTrail, outcome: Outcome, entry: SendEntry | None) -> None:
    """One audit entry for a send that was attempted (sent, failed, unclear or pending); an OaspecError, saying
    what the platform did, when the trail cannot take it."""
    due = outcome.due
    fields = _fields(due)
    if entry is not None:
        fields |= {k: v for k, v in (("clientmsgid", entry.clientmsgid), ("msg_id", entry.msg_id),
                                     ("publish_id", entry.publish_id), ("article_id", entry.article_id)) if v}
    try:
        _event(trail, outcome.account, outcome.result, outcome.detail, fields)
    except (OSError, OaspecError) as exc:
        raise OaspecError(f"{outcome.account}: {due.slot} {due.article.name}: {outcome.result} (the content record "
                          f"keeps it), but its audit entry could not be written ({exc}); no later slot was sent: "
                          "make the audit trail writable, then run `oaspec publish --due` again") from exc


def _fields(due: Due) -> dict[str, object]:
    fields: dict[str, object] = {"slot": due.slot, "article": due.article.name, "mode": due.mode}
    if due.mode == "broadcast":  # a publication is pushed to nobody
        fields["audience"] = due.tag or "every follower (is_to_all)"
    if (decided := clock.decision_timestamp()) is not None:  # OASPEC_NOW chose what was due: kept apart, as apply's
        fields["decision_time"] = decided
    return fields


def _event(trail: AuditTrail, account: str, result: str, detail: str, fields: dict[str, object]) -> None:
    trail.event(OPERATION, account, result, detail, None, **fields)
