"""One answer of the platform's API, as bytes turned into JSON: the only place the `wechat` provider decodes one.

An answer that arrived but that oaspec cannot read (not a JSON object, JSON nested past Python's recursion
limit, a page from something that is not the platform) is `Unreadable`. What that means depends on the call, so the
client decides: a read stops with "unexpected answer" naming the call; a write so answered may have landed, so it
is settled like a timeout, by reading the account back. JSON nested past Python's recursion limit raises
RecursionError inside json.loads (not a ValueError), and is refused here, as history/stored_json.py does for state.
A text holding a lone surrogate (JSON's \\ud83d, half of a character, as a name cut by bytes would be) is refused
too, naming where it is: no record, plan file or terminal can hold it as UTF-8.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads pairs the halves of a whole character itself


class Unreadable(Exception):
    """An answer oaspec cannot read: `reason` says what it was ("HTTP 200, 50 bytes: not JSON"), `fix` what to do
    when the answer is the platform's (else the api_base is in question)."""

    def __init__(self, reason: str, fix: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


class TooLarge(Exception):
    """An answer longer than the most oaspec reads of one (limits.MAX_API_ANSWER_BYTES)."""


def body_of(response: requests.Response, most: int) -> bytes:
    """A streamed answer's body, read whole but never past `most` bytes (TooLarge: declared or sent beyond it)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > most:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > most:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


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
    where = _lone_surrogate(data)
    if where is not None:
        raise Unreadable(f"{shown}: {where}, a lone surrogate (half of a character)",
                         "change that text on the platform (the web console) so it holds whole characters, then "
                         "run again")
    return data


def _lone_surrogate(data: dict[str, Any]) -> str | None:
    """Where the answer holds a lone surrogate ('tags[0].name holds U+D83D at character 4'), or None."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if found := _LONE_SURROGATE.search(key):
                    return f"a key in {path or 'the answer'} holds U+{ord(found.group()):04X}"
                pending.append((f"{path}.{key}" if path else key, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and (found := _LONE_SURROGATE.search(value)):
            return f"{path} holds U+{ord(found.group()):04X} at character {found.start() + 1}"
    return None

