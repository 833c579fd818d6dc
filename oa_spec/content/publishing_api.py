"""What `oaspec publish` needs from a provider: publish a draft (freepublish, no push) or broadcast it to a
tag (mass send), and read back how the job went. Providers that can publish return one from `publisher()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final, Literal, Protocol, runtime_checkable

from oa_spec.errors import OaspecError

EVERY_FOLLOWER: Final = "every follower"
# Who a broadcast goes to: a tag's id, or every follower said as such. Nothing defaults to every follower: a tag that
# is not found is a refusal (content/send_audience.py), never "no tag" (attack review 68, F1).
Audience = int | Literal["every follower"]


class UnclearSend(Exception):
    """A send whose outcome is unknown (a timeout, a dropped connection, -1 after the retries): it may have
    landed. The caller settles it (clientmsgid, or the list of publications) before anything is sent again."""


@dataclass(frozen=True)
class JobStatus:
    # unclear: an answer oaspec does not know, which says neither that the job went out nor that it failed
    state: Literal["pending", "succeeded", "failed", "unclear"]
    detail: str  # the platform's word: SEND_SUCCESS, "rejected by review (publish_status 4)"
    article_id: str = ""  # a publication's article, once it succeeded
    url: str = ""


class Platform(Protocol):
    def broadcast(self, draft_id: str, audience: Audience, clientmsgid: str) -> tuple[str, bool]:
        """Send the draft to the followers with the tag id `audience` (or to EVERY_FOLLOWER), deduplicated by
        `clientmsgid`: (msg_id, whether an earlier send with that clientmsgid answered instead). UnclearSend, or
        ProviderError for a clear refusal."""

    def broadcast_status(self, msg_id: str) -> JobStatus:
        """How the broadcast went (message/mass/get): sent also when it was deleted after it went out."""

    def publish(self, draft_id: str) -> str:
        """Publish the draft without push (freepublish/submit): its publish_id."""

    def publish_status(self, publish_id: str) -> JobStatus:
        """How the publication went (freepublish/get)."""

    def preview(self, draft_id: str, openid: str) -> None:
        """Show the draft to one follower (message/mass/preview): a reviewer's look before the send. Not counted
        against the broadcast quota; sending one twice only shows it twice. ProviderError when refused."""

    def find_publication(self, draft_id: str, exclude: frozenset[str]) -> str | None:
        """The article_id of a publication of this draft's current content, not one of `exclude`: how an
        unclear publish is settled. None when there is none."""


@runtime_checkable
class Publishing(Protocol):
    def publisher(self) -> Platform:
        """The account's publishing side."""


def platform_of(provider: object, account: str) -> Platform:
    """The provider's publisher; an OaspecError for a provider that cannot publish."""
    if not isinstance(provider, Publishing):
        raise OaspecError(f"{account}: this account's provider cannot publish")
    return provider.publisher()


def seconds_setting(variable: str, default: float) -> float:
    """A number of seconds from the environment variable `variable` (`default` when unset)."""
    text = os.environ.get(variable, "")
    try:
        return float(text) if text else default
    except ValueError:
        raise OaspecError(f"{variable}={text!r} is not a number of seconds") from None
