"""One answer of the platform's API, as bytes turned into JSON: the only place the `wechat` provider decodes one.

An answer that arrived but that oaspec cannot read (not a JSON object, JSON nested deeper than any platform answer,
HTTP 200 from something that is not the platform) is `Unreadable`. What that means depends on the call, so the
client decides: a read stops with "unexpected answer" naming the call; a write so answered may have landed, so it
is settled like a timeout, by reading the account back. JSON nested past Python's recursion limit raises
RecursionError inside json.loads (not a ValueError), and is refused here, as history/stored_json.py does for state.
"""

from __future__ import annotations

import json
from typing import Any


class Unreadable(Exception):
    """An answer oaspec cannot read: `reason` says what it was ("HTTP 200, 50 bytes: not JSON")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decoded(status: int, body: bytes) -> dict[str, Any]:
    """The JSON object an HTTP 200 answer holds; Unreadable when it is anything else."""
    shown = f"HTTP {status}, {len(body)} bytes"
    if status != 200:
        raise Unreadable(shown)
    try:
        data = json.loads(body.decode("utf-8"))
    except RecursionError:
        raise Unreadable(f"{shown}: JSON nested too deeply") from None
    except ValueError:
        raise Unreadable(f"{shown}: not JSON") from None
    if not isinstance(data, dict):
        raise Unreadable(f"{shown}: not a JSON object")
    return data

