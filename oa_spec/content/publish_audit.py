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
    from oa_spec.content.slots import Outcome
    from oa_spec.history.state import AuditTrail

OPERATION = "publish"


def audit_send(trail: AuditTrail, outcome: Outcome, entry: SendEntry | None) -> None:
    """One audit entry for a send that was attempted (sent, failed, unclear or pending); an OaspecError, saying
    what the platform did, when the trail cannot take it."""
    due = outcome.due
    fields: dict[str, object] = {"slot": due.slot, "article": due.article.name, "mode": due.mode}
    if due.mode == "broadcast":  # a publication is pushed to nobody
        fields["audience"] = due.tag or "every follower (is_to_all)"
    if (decided := clock.decision_timestamp()) is not None:  # OASPEC_NOW chose what was due: kept apart, as apply's
        fields["decision_time"] = decided
    if entry is not None:
        fields |= {k: v for k, v in (("clientmsgid", entry.clientmsgid), ("msg_id", entry.msg_id),
                                     ("publish_id", entry.publish_id), ("article_id", entry.article_id)) if v}
    try:
        _event(trail, outcome.account, outcome.result, outcome.detail, fields)
    except (OSError, OaspecError) as exc:
        raise OaspecError(f"{outcome.account}: {due.slot} {due.article.name}: {outcome.result} (the content record "
                          f"keeps it), but its audit entry could not be written ({exc}); no later slot was sent: "
                          "make the audit trail writable, then run `oaspec publish --due` again") from exc


def _event(trail: AuditTrail, account: str, result: str, detail: str, fields: dict[str, object]) -> None:
    trail.event(OPERATION, account, result, detail, None, **fields)
