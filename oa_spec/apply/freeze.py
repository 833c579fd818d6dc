"""Change freezes: the Spring Festival peak, month-end settlement. Apply inside one is refused
unless overridden with a recorded reason."""

from __future__ import annotations

import calendar
from datetime import datetime

from oa_spec.config.fields import WEEKDAYS
from oa_spec.config.model_safety import FreezeWindow
from oa_spec.util.clock import BEIJING


def is_active(window: FreezeWindow, at: datetime) -> bool:
    local = at.astimezone(BEIJING)
    if window.from_date is not None and window.to_date is not None:
        return window.from_date <= local.date() <= window.to_date
    if window.weekly is not None:
        weekly, clock = window.weekly, local.strftime("%H:%M")
        today, yesterday = WEEKDAYS[local.weekday()], WEEKDAYS[local.weekday() - 1]
        if not weekly.overnight:
            return today in weekly.days and weekly.start <= clock < weekly.end
        # 22:00-02:00 on fri: friday from 22:00 to midnight, and saturday from midnight to 02:00
        return (today in weekly.days and clock >= weekly.start) or (yesterday in weekly.days and clock < weekly.end)
    assert window.month_end_days is not None
    last_day = calendar.monthrange(local.year, local.month)[1]
    return local.day > last_day - window.month_end_days


def describe(window: FreezeWindow) -> str:
    if window.from_date is not None:
        return f"{window.name} ({window.from_date} to {window.to_date}, Beijing time)"
    if window.weekly is not None:
        days = ",".join(window.weekly.days)
        overnight = " the next day" if window.weekly.overnight else ""
        return f"{window.name} ({days} {window.weekly.start}-{window.weekly.end}{overnight}, Beijing time)"
    return f"{window.name} (the last {window.month_end_days} day(s) of every month, Beijing time)"


def active_windows(windows: list[FreezeWindow], at: datetime) -> list[FreezeWindow]:
    return [w for w in windows if is_active(w, at)]
