"""The working calendar: the one answer to "is this a working moment" for the whole product.

Pure functions, no database access (docs/architecture.md "Where logic lives"). An agency's calendar is
an :class:`AgencyCalendar` value: its time zone, its working hours (07:30-16:00, Monday-Friday by
default, Perpres 21/2023) and the administrator's per-region overrides (days added as holidays,
days removed from the holiday list). National holidays and cuti bersama come from the ``holidays``
package's Indonesian calendar, categories public and government.

Due times: ``add_working_duration(start, value, unit, calendar)``. Minutes and hours ("jam")
count only inside working hours (working time, not the clock); a working day is one working day's
worth of working minutes (so a step of "1 Hari" started on Monday at 10:00 is due on Tuesday at
10:00); a week is five working days. Calendar days ("hari kalender") count every day and then move
to the next working moment; a month ("bulan") is the same time on the same day of the next month,
clamped to the month's last day, then moved to the next working moment. Clock hours ("2 x 24 jam")
count the clock, day and night, and are not moved.

A due time is always on a working day, between the opening and the closing time inclusive (work
that ends exactly at closing time is due at closing time, not at the next morning's opening),
except for clock hours, which are due when the clock says.
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import holidays as holidays_lib

MINUTE = "minute"
HOUR = "hour"
DAY = "day"  # working day (hari kerja)
WEEK = "week"  # five working days
CALENDAR_DAY = "calendar_day"
MONTH = "month"  # calendar month (bulan)
CLOCK_HOUR = "clock_hour"  # hours of the clock ("2 x 24 jam")
UNITS = (MINUTE, HOUR, DAY, WEEK, CALENDAR_DAY, MONTH, CLOCK_HOUR)

# Tolerant names: the procedures layer's duration units, English and Indonesian.
_UNIT_ALIASES = {
    "minute": MINUTE,
    "minutes": MINUTE,
    "menit": MINUTE,
    "min": MINUTE,
    "hour": HOUR,
    "hours": HOUR,
    "jam": HOUR,
    "day": DAY,
    "days": DAY,
    "working_day": DAY,
    "workday": DAY,
    "hari": DAY,
    "hari_kerja": DAY,
    "week": WEEK,
    "weeks": WEEK,
    "minggu": WEEK,
    "working_week": WEEK,
    "calendar_day": CALENDAR_DAY,
    "calendar_days": CALENDAR_DAY,
    "hari_kalender": CALENDAR_DAY,
    "month": MONTH,
    "months": MONTH,
    "bulan": MONTH,
    "clock_hour": CLOCK_HOUR,
    "clock_hours": CLOCK_HOUR,
    "jam_kalender": CLOCK_HOUR,
}


class CalendarError(ValueError):
    pass


def normalise_unit(unit: str) -> str:
    key = str(getattr(unit, "value", unit)).strip().lower().replace(" ", "_")
    try:
        return _UNIT_ALIASES[key]
    except KeyError:
        raise CalendarError(f"unknown duration unit {unit!r}") from None


@dataclass(frozen=True)
class WorkingHours:
    start: dt.time = dt.time(7, 30)
    end: dt.time = dt.time(16, 0)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday=0

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise CalendarError("working hours must end after they start")
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise CalendarError("working days must be weekdays 0 (Monday) to 6 (Sunday)")

    @property
    def minutes_per_day(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


@dataclass(frozen=True)
class AgencyCalendar:
    """Everything needed to answer calendar questions for one agency."""

    time_zone: str = "Asia/Jakarta"
    hours: WorkingHours = field(default_factory=WorkingHours)
    added: frozenset[dt.date] = frozenset()  # extra days off decided by the administrator
    removed: frozenset[dt.date] = frozenset()  # holidays the administrator says are working days

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise CalendarError("a moment must carry its time zone")
        return moment.astimezone(self.tzinfo)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@functools.lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """Libur nasional and cuti bersama of ``year`` (the ``holidays`` package, names in Indonesian)."""
    found = holidays_lib.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(found.items())


def holiday_name(day: dt.date, calendar: AgencyCalendar) -> str | None:
    """Why ``day`` is a day off ("Hari Raya Idul Fitri", "weekend" ...) or None if it is a workday."""
    if day in calendar.added:
        return "override"
    if day in calendar.removed:
        return None
    name = national_holidays(day.year).get(day)
    if name:
        return name
    if day.weekday() not in calendar.hours.weekdays:
        return "weekend"
    return None


def is_working_day(day: dt.date, calendar: AgencyCalendar) -> bool:
    """A working day: a weekday of the agency that is no holiday, with the overrides applied.

    An administrator's "removed" day is a working day even on a weekend (hari kerja pengganti).
    """
    if day in calendar.added:
        return False
    if day in calendar.removed:
        return True
    if day.weekday() not in calendar.hours.weekdays:
        return False
    return day not in national_holidays(day.year)


def is_working_moment(moment: dt.datetime, calendar: AgencyCalendar) -> bool:
    """The product's single answer: is ``moment`` inside the agency's working time?

    Working hours are half-open: 07:30 is a working moment, 16:00 is not.
    """
    local = calendar.local(moment)
    if not is_working_day(local.date(), calendar):
        return False
    minute = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6
    return _minutes(calendar.hours.start) <= minute < _minutes(calendar.hours.end)


def next_working_day(day: dt.date, calendar: AgencyCalendar) -> dt.date:
    """The first working day strictly after ``day``."""
    day += dt.timedelta(days=1)
    for _ in range(3660):
        if is_working_day(day, calendar):
            return day
        day += dt.timedelta(days=1)
    raise CalendarError("no working day in ten years: check the calendar's overrides")


def _at(day: dt.date, t: dt.time, calendar: AgencyCalendar) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=calendar.tzinfo)


def next_working_moment(moment: dt.datetime, calendar: AgencyCalendar) -> dt.datetime:
    """``moment`` itself if it is a working moment, else the next opening time."""
    local = calendar.local(moment)
    day = local.date()
    if is_working_day(day, calendar):
        if local.time() < calendar.hours.start:
            return _at(day, calendar.hours.start, calendar)
        if local.time() < calendar.hours.end:
            return local
    return _at(next_working_day(day, calendar), calendar.hours.start, calendar)


def duration_minutes(value: float | Decimal, unit: str, calendar: AgencyCalendar) -> float:
    """A time standard in working minutes (calendar days, months and clock hours are not
    working time: error; their standard is the working time between start and due)."""
    unit = normalise_unit(unit)
    value = float(value)
    if value < 0:
        raise CalendarError("a duration cannot be negative")
    per_day = calendar.hours.minutes_per_day
    factor = {MINUTE: 1, HOUR: 60, DAY: per_day, WEEK: 5 * per_day}.get(unit)
    if factor is None:
        raise CalendarError(f"{unit} is not counted in working minutes")
    return value * factor


def add_working_minutes(
    start: dt.datetime, minutes: float, calendar: AgencyCalendar
) -> dt.datetime:
    """``start`` plus ``minutes`` of working time, in the agency's time zone."""
    minutes = float(minutes)
    if minutes < 0:
        raise CalendarError("a duration cannot be negative")
    current = next_working_moment(start, calendar)
    remaining = dt.timedelta(minutes=minutes)
    while True:
        closing = _at(current.date(), calendar.hours.end, calendar)
        left_today = closing - current
        if remaining <= left_today:
            return current + remaining
        remaining -= left_today
        current = _at(next_working_day(current.date(), calendar), calendar.hours.start, calendar)


def add_working_duration(
    start: dt.datetime, value: float | Decimal, unit: str, calendar: AgencyCalendar
) -> dt.datetime:
    """Due time of work of ``value`` ``unit`` started at ``start``, on the agency's calendar.

    ``value`` may be a ``Decimal`` (as :class:`kinerja.procedures.durations.Duration` keeps it).
    """
    unit = normalise_unit(unit)
    value = float(value)
    if value < 0:
        raise CalendarError("a duration cannot be negative")
    if unit == CALENDAR_DAY:
        local = calendar.local(start) + dt.timedelta(days=value)
        return next_working_moment(local, calendar)
    if unit == CLOCK_HOUR:
        return calendar.local(start) + dt.timedelta(hours=value)
    if unit == MONTH:
        if value != int(value):
            raise CalendarError("months are counted in whole months")
        return next_working_moment(add_months(calendar.local(start), int(value)), calendar)
    return add_working_minutes(start, duration_minutes(value, unit, calendar), calendar)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same time on the same day ``months`` later, clamped to that month's last day
    (31 January plus one month is 28 or 29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, std_calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def working_minutes_between(
    start: dt.datetime, end: dt.datetime, calendar: AgencyCalendar
) -> float:
    """Working time elapsed from ``start`` to ``end``, in minutes (0 when ``end`` is earlier)."""
    if end <= start:
        return 0.0
    current = calendar.local(start)
    end = calendar.local(end)
    total = dt.timedelta()
    while current < end:
        day = current.date()
        if is_working_day(day, calendar):
            opening = _at(day, calendar.hours.start, calendar)
            closing = _at(day, calendar.hours.end, calendar)
            low, high = max(current, opening), min(end, closing)
            if high > low:
                total += high - low
        current = _at(day + dt.timedelta(days=1), dt.time(0), calendar)
    return total.total_seconds() / 60


def working_days_in(days: Iterable[dt.date], calendar: AgencyCalendar) -> list[dt.date]:
    return [day for day in days if is_working_day(day, calendar)]
