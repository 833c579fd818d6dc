"""Who a broadcast goes to on the platform: every follower only when its slot says so, else the tag oaspec manages
under the slot's tag name, known by the platform id its history records (plan/scope.py TAG_IDS).

A name is not a tag's identity: staff may rename or delete the tag while a run sends earlier slots, and a CRM may
give its name to a tag of its own. Looked up by name, a tag gone became "no tag", which the platform reads as every
follower, and a CRM's tag that took the name got the broadcast that plan refuses it (attack review 68, F1 and F2).
`oaspec publish` resolves each broadcast's audience on the account as read just before the send.
"""

from __future__ import annotations

from oa_spec.content.publishing_api import EVERY_FOLLOWER, Audience
from oa_spec.errors import OaspecError
from oa_spec.kinds.state import AccountState
from oa_spec.plan.scope import Managed, recorded_tag_ids

_AGAIN = "run `oaspec plan` (it says what to do) and `oaspec apply`, then publish"


class AudienceGone(OaspecError):
    """The slot's tag is not on the account as oaspec manages it: the broadcast goes nowhere else instead."""


def audience(tag: str, live: AccountState, managed: Managed) -> Audience:
    """EVERY_FOLLOWER for a slot with no tag; else the id the history records for the managed tag `tag`, while the
    live tag of that id still has that name. A history from before oaspec recorded tag ids (or recorded against
    another app) records none: then the live tag of that name, as plan pairs it. AudienceGone otherwise."""
    if not tag:
        return EVERY_FOLLOWER
    recorded = recorded_tag_ids(managed)
    ours = next((tag_id for tag_id, name in recorded.items() if name == tag), None)
    named = live.tag(tag)
    if ours is None:
        if named is not None and named.id is not None and not recorded:
            return named.id
        if named is None:
            raise AudienceGone(f"the tag {tag} does not exist on the account: apply the spec first")
        raise AudienceGone(f"the tag {tag} (tag id {named.id}) is not one oaspec manages: it was made elsewhere, "
                           f"and is not sent to; {_AGAIN}")
    now = next((t for t in live.tags if t.id == ours), None)
    if now is not None and now.name == tag:
        return ours
    gone = f"was renamed on the platform to {now.name}" if now is not None else "was deleted on the platform"
    taken = f", and another tag (id {named.id}) now has the name {tag}" if named is not None else ""
    # plan refuses a tag made under the name of a deleted one (plan/scope.py): say how to get out
    again = (f"rename or delete tag {named.id} in the console, then run `oaspec plan` and `oaspec apply` (which make "
             f"{tag} again and record its id), then publish") if now is None and named is not None else _AGAIN
    raise AudienceGone(f"the tag {tag} oaspec manages (tag id {ours}) {gone}{taken}: the broadcast is not sent, to "
                       f"that tag or to any other followers; {again}")
