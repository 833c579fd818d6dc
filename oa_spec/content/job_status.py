"""How `oaspec publish` reads a submitted job's outcome, and what that outcome means for its slot.

The provider says what the platform answered (content/publishing_api.py JobStatus): succeeded (a broadcast
deleted after it went out, msg_status DELETE, is one), pending, failed, or unclear (a status oaspec does not
know: never taken for a failure, so never sent again blindly). A broadcast's SEND_FAIL is only a failure when
nobody received it: the job-finish event (MASSSENDJOBFINISH, kept with the send by `oaspec serve`) counts the
followers it reached, and one that reached some went out, partly, and is not sent again (they would get it
twice). Without that event how many it reached is unknown, so the failure is unclear too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from oa_spec.content.publishing_api import JobStatus, Platform
from oa_spec.content.record import Record, SendEntry, job_keys

POLL_INTERVAL = 1.0
MASS_SEND_EVENT = "MASSSENDJOBFINISH"
MAX_COUNT_DIGITS = 12  # a count of followers: the event is the platform's, but kept as any text


def wait_for(status: Callable[[], JobStatus], seconds: float, interval: float = POLL_INTERVAL) -> JobStatus:
    """Poll a job until it is no longer pending, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        current = status()
        if current.state != "pending" or time.monotonic() >= deadline:
            return current
        time.sleep(min(interval, max(deadline - time.monotonic(), 0)))


def status_check(platform: Platform, entry: SendEntry, record: Callable[[], Record]) -> Callable[[], JobStatus]:
    """Reads the job of `entry` once per call: a broadcast's failure judged by its job-finish event in `record`."""
    if entry.mode == "broadcast":
        return lambda: judged(platform.broadcast_status(entry.msg_id), lambda: event_of(record(), entry))
    return lambda: platform.publish_status(entry.publish_id)


def judged(status: JobStatus, event: Callable[[], Mapping[str, Any] | None]) -> JobStatus:
    """A broadcast's status, a failure (SEND_FAIL) taken as what its job-finish event says it reached."""
    if status.state != "failed":
        return status
    found = event()
    reached = _count(found, "SentCount")
    if found is None or reached is None:
        return JobStatus("unclear", f"{status.detail}, and how many followers received it is unknown (its "
                         f"job-finish event {MASS_SEND_EVENT}, which `oaspec serve` keeps, was not received)")
    if reached == 0:
        return status
    total = _count(found, "TotalCount")
    return JobStatus("succeeded", f"{status.detail}, but {reached} of {total if total is not None else '?'} "
                     "follower(s) received it: it went out, partly, and is not sent again")


def event_of(record: Record, entry: SendEntry) -> Mapping[str, Any] | None:
    """The job-finish event kept with this send (or still waiting for its msg_id), if one arrived."""
    kept = record.sends.get(entry.slot)
    if kept is not None and kept.msg_id == entry.msg_id and kept.event is not None:
        return kept.event
    return next((record.events[key] for key in job_keys(entry.msg_id, "") if key in record.events), None)


def unclear_advice(entry: SendEntry, where: str) -> str:
    """What to do about a job whose outcome the platform's answer does not tell."""
    history = "broadcast history (群发记录)" if entry.mode == "broadcast" else "publications (发表记录)"
    return (f"whether it went out is unknown, so it is not sent again: check the account's {history}; if it went out, "
            f"set sends[{entry.slot!r}] to state \"sent\" in {where}, if not, remove sends[{entry.slot!r}] from "
            "there, and run again")


def _count(event: Mapping[str, Any] | None, name: str) -> int | None:
    if event is None or event.get("Event") != MASS_SEND_EVENT:
        return None
    text = str(event.get(name, ""))
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_COUNT_DIGITS else None
