"""Content cadence: the upcoming publishing slots of each account, and the broadcast quota they use.

Broadcast quotas are platform facts (wechat-api.md §8): a service account (服务号) reaches each
follower with at most 4 broadcasts per calendar month; a subscription account (订阅号) may broadcast
once per day. A follower may carry several tags, so every broadcast slot of an account counts
against every follower. Statutory holidays come from the chinese-calendar package, which knows the
State Council's schedule only for the years it ships; later years are reported, never guessed.

Every function takes `today` (or a date range) from its caller: nothing here reads the clock.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import chinese_calendar  # type: ignore[import-untyped]

from oa_spec.config.fields import WEEKDAYS
from oa_spec.config.model import AccountSpec, Spec
from oa_spec.config.model_services import CadenceSpec
from oa_spec.util.audience import audience as shown_audience

# (period, broadcasts allowed per period) by account type
QUOTAS: dict[str, tuple[str, int]] = {"service": ("month", 4), "subscription": ("day", 1)}
_HOLIDAY_NAMES: dict[str, str] = {h.value: h.chinese for h in chinese_calendar.Holiday}
HOLIDAY_YEARS = (min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year)


@dataclass(frozen=True)
class Slot:
    account: str
    date: datetime.date
    stream: str
    title: str
    audience: tuple[str, ...]  # () means every follower
    broadcast: bool
    holiday: str | None = None  # the statutory holiday on that date, when known
    over_quota: bool = False  # a broadcast beyond the account type's quota for its period

    def to_json(self) -> dict[str, object]:
        return {"account": self.account, "date": self.date.isoformat(), "stream": self.stream, "title": self.title,
                "audience": list(self.audience), "broadcast": self.broadcast, "holiday": self.holiday,
                "over_quota": self.over_quota}


@dataclass
class AccountCalendar:
    account: str
    type: str
    slots: list[Slot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- cadence -----------------------------------------------------------------------------------------
def cadence_problems(cadence: CadenceSpec) -> list[tuple[tuple[str, ...], str]]:
    """(field, message) for a cadence that cannot be scheduled."""
    values = _on_values(cadence)
    if cadence.every is None and values:
        return [(("on",), "on: needs every: week or every: month")]
    if cadence.every is None and not cadence.dates and not cadence.holidays:
        return [((), "the cadence schedules nothing: set every:, dates: or holidays:")]
    if cadence.every == "day" and values:
        return [(("on",), "every: day takes no on:")]
    if cadence.every == "week" and (not values or not all(v in WEEKDAYS for v in values)):
        return [(("on",), "every: week needs on: with weekdays (mon, tue, wed, thu, fri, sat, sun)")]
    if cadence.every == "month" and (not values or not all(isinstance(v, int) and 1 <= v <= 31 for v in values)):
        return [(("on",), "every: month needs on: with days of the month (1-31; 31 means the month's last day)")]
    return []


def _on_values(cadence: CadenceSpec) -> list[str | int]:
    if cadence.on is None:
        return []
    return list(cadence.on) if isinstance(cadence.on, list) else [cadence.on]


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    for offset in range((end - start).days + 1):  # (no step past the last date Python has)
        yield start + datetime.timedelta(days=offset)


def _regular(cadence: CadenceSpec, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """The days in [start, end] that `every:` and `on:` name (`on:` read once: a window is hundreds of days)."""
    values = set(_on_values(cadence))
    for day in _days(start, end):
        if cadence.every == "day" or (cadence.every == "week" and WEEKDAYS[day.weekday()] in values):
            yield day
        elif cadence.every == "month":
            last = _stdlib_calendar.monthrange(day.year, day.month)[1]
            if any(isinstance(v, int) and min(v, last) == day.day for v in values):
                yield day


def holiday_name(day: datetime.date) -> str | None:
    english = chinese_calendar.holidays.get(day)
    return None if english is None else _HOLIDAY_NAMES.get(english, english)


def holiday_starts(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
    """(first day, name) of every statutory holiday break that begins within [start, end]."""
    return [(d, name) for d in _days(start, end)
            if (name := holiday_name(d)) is not None and holiday_name(d - datetime.timedelta(days=1)) != name]


def missing_holiday_years(start: datetime.date, end: datetime.date) -> list[int]:
    return [y for y in range(start.year, end.year + 1) if not HOLIDAY_YEARS[0] <= y <= HOLIDAY_YEARS[1]]


def stream_dates(cadence: CadenceSpec, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The dates in [start, end] on which the stream publishes (an invalid cadence gives none)."""
    if cadence_problems(cadence):
        return []
    dates = set(_regular(cadence, start, end))
    dates.update(d for d in cadence.dates if start <= d <= end)
    if cadence.holidays:
        wanted = None if cadence.holidays is True else set(cadence.holidays)
        dates.update(d for d, name in holiday_starts(start, end) if wanted is None or name in wanted)
    return sorted(dates)


# --- slots and quota ------------------------------------------------------------------------------------
def period(account_type: str, day: datetime.date) -> str:
    return day.isoformat() if QUOTAS[account_type][0] == "day" else day.strftime("%Y-%m")


def period_start(account_type: str, day: datetime.date) -> datetime.date:
    return day if QUOTAS[account_type][0] == "day" else day.replace(day=1)


def account_slots(account: AccountSpec, start: datetime.date, end: datetime.date) -> list[Slot]:
    """Every slot in [start, end], in date order (streams in spec order on the same day), quota marked."""
    slots = [Slot(account.id, d, s.id, s.title, tuple(s.audience.tags), s.broadcast, holiday_name(d))
             for s in account.content.streams for d in stream_dates(s.cadence, start, end)]
    order = {s.id: i for i, s in enumerate(account.content.streams)}
    slots.sort(key=lambda s: (s.date, order[s.stream]))
    return mark_quota(account.type, slots)


def mark_quota(account_type: str, slots: Iterable[Slot]) -> list[Slot]:
    """Flag the broadcasts past the quota of their period (the later ones: earlier ones go out)."""
    allowed = QUOTAS[account_type][1]
    used: dict[str, int] = {}
    out = []
    for slot in slots:
        if slot.broadcast:
            key = period(account_type, slot.date)
            used[key] = used.get(key, 0) + 1
            slot = replace(slot, over_quota=used[key] > allowed)
        out.append(slot)
    return out


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Do two audiences share followers? Everyone (no tags) overlaps with everything."""
    return not a or not b or bool(set(a) & set(b))


def upcoming(spec: Spec, today: datetime.date, days: int = 30, account: str | None = None) -> list[AccountCalendar]:
    """The slots of the next `days` days (today included) per account, for `oaspec calendar`.

    Quota counting starts at the beginning of today's period, so broadcasts earlier this month count."""
    end = today + datetime.timedelta(days=max(days, 1) - 1)
    out = []
    for acct in spec.accounts:
        if account is not None and acct.id != account:
            continue
        slots = account_slots(acct, period_start(acct.type, today), end)
        cal = AccountCalendar(acct.id, acct.type, [s for s in slots if s.date >= today])
        if any(s.cadence.holidays for s in acct.content.streams):
            cal.notes += [f"no statutory holiday data for {y} (chinese-calendar {chinese_calendar.__version__} "
                          f"covers {HOLIDAY_YEARS[0]}-{HOLIDAY_YEARS[1]}): holiday slots are missing; update "
                          "the package" for y in missing_holiday_years(today, end)]
        out.append(cal)
    return out


def render_calendar(calendars: list[AccountCalendar]) -> str:
    """Plain text for the terminal: one line per slot, quota overruns marked."""
    lines: list[str] = []
    for cal in calendars:
        period_name, allowed = QUOTAS[cal.type]
        lines.append(f"{cal.account} ({cal.type}: {allowed} broadcast(s) per {period_name})")
        if not cal.slots:
            lines.append("  (no slots)")
        for s in cal.slots:
            audience = shown_audience(s.audience)
            kind = "broadcast" if s.broadcast else "publish"
            mark = "  !! over quota" if s.over_quota else ""
            holiday = f" [{s.holiday}]" if s.holiday else ""
            lines.append(f"  {s.date.isoformat()} {WEEKDAYS[s.date.weekday()]}{holiday}  {s.stream} "
                         f"({s.title})  → {audience}  {kind}{mark}")
        lines += [f"  note: {n}" for n in cal.notes]
    return "\n".join(lines)
