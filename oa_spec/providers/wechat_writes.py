"""How the `wechat` provider writes: every write whose outcome is unclear is settled by reading the account back.

Unclear is a timeout, a dropped connection, -1, and also any answer oaspec cannot read: not JSON, JSON too deep
to decode, a page from something in between, or errcode 0 without what the call returns (tags/create's tag id).
The platform may have done such a write, so it is never taken as refused: a write that landed is reported as
landed (and the revision lists it), one that did not is sent again after a delay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from oa_spec.errors import ProviderError
from oa_spec.providers.wechat_client import Client, Unclear

log = logging.getLogger("oa_spec.providers.wechat")
T = TypeVar("T")
Json = dict[str, Any]


def answered(result: Callable[[Json], T], data: Json) -> T:
    """What a write returns (`result` of its errcode-0 answer). An answer without it is Unclear: it said "done"
    without saying what was done, which the platform never does, so it may be another's and the write unknown."""
    try:
        return result(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a ValueError's words quote the answer's value,
        # which may echo a credential: only the missing key or the type is said (attack review 78 F3)
        said = f"{type(exc).__name__}: {exc}" if isinstance(exc, (KeyError, TypeError)) else type(exc).__name__
        raise Unclear(f"errcode 0 in a shape oaspec does not expect ({said})") from None


def checked_write(api: Client, path: str, body: Json | None, result: Callable[[Json], T],
                  landed: Callable[[], T | None], method: str = "POST") -> T:
    """One write, settled by `landed` (a read back: the result if the write landed, else None) after each unclear
    outcome; one that had not landed is sent again after a delay, at most as often as reads are retried."""
    delays = iter(api.retry_delays)
    while True:
        try:
            return answered(result, api.call(method, path, body, retry=False))
        except Unclear as exc:
            found = landed()
            if found is not None:
                log.info("%s: %s: %s, but the write had landed", api.account_id, path, exc.reason)
                return found
            delay = next(delays, None)
            if delay is None:
                raise api.gave_up(path, exc) from None
            log.warning("%s: %s: %s and the write had not landed; retrying in %.2gs",
                        api.account_id, path, exc.reason, delay)
            time.sleep(delay)


def delete(api: Client, path: str, body: Json, gone: int, landed: Callable[[], bool]) -> None:
    """Deleting what is already gone succeeds (a resend after a lost answer meets exactly that)."""
    try:
        checked_write(api, path, body, written, lambda: True if landed() else None)
    except ProviderError as exc:
        if exc.code != gone:
            raise
        log.info("%s: %s: already gone", api.account_id, path)


def written(data: Json) -> bool:
    """The result of a write that answers nothing but errcode 0."""
    return True
