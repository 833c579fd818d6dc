"""An account's content record bound to the live account it was kept for (attack review 72 F6).

The record names drafts, uploaded images and sends by the platform's ids, which mean nothing on another app. A spec
whose account keeps its `id` but names another app (the plan notes the switch; history then counts for nothing there)
read the old app's record as its own: apply sent draft/add with the old app's cover media_id (40007, "run plan and
apply again", for ever), and `publish --due` answered "already sent", exit 0, for slots the new app never sent. The
record now says which live account it was kept for (set by the first change made through this store); read or changed
for another, it is refused, naming both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError

if TYPE_CHECKING:
    from oa_spec.content.record import ContentStore, Record


class BoundContent:
    """`store`, for the account as the spec writes to `live` (plan/workspace.py live_account)."""

    def __init__(self, store: ContentStore, live: str) -> None:
        self.store, self.live = store, live
        self.account, self.where = store.account, store.where

    def load(self) -> Record:
        return self._checked(self.store.load())

    @contextmanager
    def edit(self) -> Iterator[Record]:
        with self.store.edit() as record:
            self._checked(record).live_account = self.live
            yield record

    def publishing(self) -> AbstractContextManager[Callable[[], None]]:
        return self.store.publishing()

    def others_drafts(self) -> dict[str, str]:
        return self.store.others_drafts()

    def _checked(self, record: Record) -> Record:
        if record.live_account and _app(record.live_account) != _app(self.live):
            raise OaspecError(f"{self.account}: {self.where} was kept for {record.live_account}, and the spec now "
                              f"writes to {self.live}: its drafts, images and sends are that account's, not this "
                              "one's; nothing was read from it or written. If the switch is intended, give the new "
                              "account its own `id` (its content record starts empty), or move this record aside as "
                              "the old account's; if not, fix the spec's provider block")
        return record


def _app(live: str) -> str:
    """The app a live account names ("wechat APPID", or "local"): its ids are the app's, through any api_base."""
    return live.split(" at ", 1)[0]


if TYPE_CHECKING:
    def _is_a_store(store: BoundContent) -> ContentStore:
        return store
