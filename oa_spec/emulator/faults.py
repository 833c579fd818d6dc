"""The platform's bad days on demand: error codes, dropped connections, slow answers and answers that are not
the platform's (a proxy's page, JSON too deep to read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from oa_spec.emulator.state import AdminError, Json


@dataclass
class ErrcodeFault:
    """Answer `errcode` on every `every`-th matching call (writes only unless writes_only is False)."""

    errcode: int
    every: int = 1
    path: str | None = None  # e.g. "menu/create"; None matches every path
    appid: str | None = None
    writes_only: bool = True
    seen: int = 0


@dataclass
class DropFault:
    """Close the socket without an answer on the `nth` matching call, once; optionally after doing it.
    With partial_body the call is done and its answer cut off half-way: headers and half the body."""

    nth: int = 1
    path: str | None = None
    appid: str | None = None
    after_processing: bool = False
    partial_body: bool = False
    seen: int = 0


@dataclass
class SlowFault:
    """Do the `nth` matching call, then hold its answer for `ms`: a client that times out meanwhile never
    learns that the write landed."""

    ms: int
    nth: int = 1
    path: str | None = None
    appid: str | None = None
    seen: int = 0


@dataclass
class GarbleFault:
    """Answer the `nth` matching call with `body` (any bytes, as text) and `status` instead of the platform's
    answer, once; with after_processing the call is done first (a write lands, then its answer is unreadable).
    With byte_ms the body is sent one byte every byte_ms milliseconds: each read gets a byte well within any
    per-read timeout."""

    body: str
    status: int = 200
    byte_ms: int = 0
    nth: int = 1
    path: str | None = None
    appid: str | None = None
    after_processing: bool = True
    seen: int = 0


AnyFault = ErrcodeFault | DropFault | SlowFault | GarbleFault


def matches(fault: AnyFault, name: str, appid: str | None) -> bool:
    return fault.path in (None, name) and fault.appid in (None, appid)


def fault_fields(body: Json, kind: type[AnyFault]) -> Json:
    allowed = set(kind.__dataclass_fields__) - {"seen"}
    unknown = set(body) - allowed
    if unknown:
        raise AdminError(f"unknown fault fields {sorted(unknown)}; allowed: {sorted(allowed)}")
    fields = dict(body)
    if isinstance(fields.get("path"), str):
        fields["path"] = fields["path"].removeprefix("/cgi-bin/")
    for counter in ("every", "nth", "ms"):
        if counter in fields and int(fields[counter]) < 1:
            raise AdminError(f"{counter} must be at least 1")
    return fields


FaultT = TypeVar("FaultT", DropFault, SlowFault, GarbleFault)


def take(faults: list[FaultT], name: str, appid: str | None) -> FaultT | None:
    """The fault that fires on this call (once: it is then removed), or None."""
    for fault in faults:
        if matches(fault, name, appid):
            fault.seen += 1
            if fault.seen == fault.nth:
                faults.remove(fault)
                return fault
    return None
