"""The one place oaspec reads the time, so tests (and dry runs) can set it: OASPEC_NOW=2027-02-06T10:00."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

from oa_spec.errors import OaspecError

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving time


def now() -> datetime:
    """The current time, timezone-aware. A naive OASPEC_NOW is taken as Beijing time."""
    fixed = os.environ.get("OASPEC_NOW")
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise OaspecError(f"OASPEC_NOW={fixed!r} is not an ISO date-time (e.g. 2027-02-06T10:00)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def timestamp() -> str:
    """The decision clock (OASPEC_NOW when set), for freeze windows, waiver expiry and plan times."""
    return now().astimezone(UTC).isoformat(timespec="seconds")


def real_timestamp() -> str:
    """The machine's clock, for records: OASPEC_NOW decides, but must never backdate what happened."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def decision_timestamp() -> str | None:
    """The decision clock, for records, only when OASPEC_NOW sets it apart from the real one."""
    return timestamp() if os.environ.get("OASPEC_NOW") else None
